import { api } from "./api.js";
import { checkHow, loadProgram } from "./check-payment.js";
import { onSubmit, requireFields, showErrors } from "./forms.js";
import { loadCatalogs, t } from "./i18n.js";
import { FEE_STATUS, h, money, ready, showLoading, showPage } from "./page.js";

await loadCatalogs("pay");
showPage();
const loaded = showLoading(); // until the program's facts (how to pay by check) came

const lookupForm = document.getElementById("lookup-form");
const payForm = document.getElementById("pay-form");
const summary = document.getElementById("summary");
const notice = document.getElementById("pay-notice");
// The last successful lookup ({sers_id, birth_date, school_year}). Kept in this tab's
// sessionStorage while the parent is at Stripe, so a cancel comes back looked up.
const PROOF_KEY = "pay-proof";
let proof = null;
// How to pay by check (payee, address), from the API's settings; loaded with the page.
const program = await loadProgram(api);
loaded();
const back = new URLSearchParams(location.search);

function show(found) {
  document.getElementById("summary-year").textContent = found.school_year;
  const status = found.registered ? (FEE_STATUS[found.fee_status] || found.fee_status) : t("pay.not_registered");
  document.getElementById("summary-facts").replaceChildren(
    h("dt", {}, t("pay.student")), h("dd", { translate: "no" }, found.masked_name),
    h("dt", {}, t("pay.sers_id")), h("dd", { translate: "no" }, found.sers_id),
    h("dt", {}, t("pay.school_year")), h("dd", {}, found.school_year),
    h("dt", {}, t("pay.status")), h("dd", {}, status),
    h("dt", {}, t("pay.amount_due")), h("dd", {}, money(found.amount_due_cents)));
  const button = document.getElementById("pay-button");
  button.textContent = t("pay.pay_amount_by_card", { amount: money(found.amount_due_cents) });
  const owes = found.amount_due_cents > 0 && !found.bank_payment_processing;
  payForm.hidden = !owes || !found.window_open;
  document.getElementById("bank-processing").hidden = !found.bank_payment_processing;
  const closed = document.getElementById("window-closed");
  closed.hidden = !owes || found.window_open;
  document.getElementById("window-closed-when").textContent = found.window_message || "";
  summary.hidden = false;
  showCheck(found.sers_id);
}

/** How to pay by check, with the student's SERS ID to write once it is looked up. */
function showCheck(sersId) {
  if (!program) return;
  document.getElementById("check-how").replaceChildren(checkHow(program, sersId));
  document.getElementById("check-box").hidden = false;
}

async function lookUp(data) {
  const found = await api("/pay/lookup", { method: "POST", body: data, auth: false });
  proof = { sers_id: data.sers_id, birth_date: data.birth_date, school_year: found.school_year };
  show(found);
  return found;
}

onSubmit(lookupForm, async (data) => {
  requireFields(data, { sers_id: t("pay.enter_sers_id"), birth_date: t("pay.enter_birth_date") });
  summary.hidden = true;
  notice.textContent = "";
  await lookUp(data);
  document.getElementById("summary-heading").focus();
}, { busyLabel: t("pay.looking_up") });

onSubmit(payForm, async (data) => {
  const body = { ...proof, ...(data.receipt_email ? { receipt_email: data.receipt_email } : {}) };
  const checkout = await api("/pay/checkout", { method: "POST", body, auth: false });
  sessionStorage.setItem(PROOF_KEY, JSON.stringify(proof));
  location.assign(checkout.checkout_url);
}, { busyLabel: t("pay.opening_payment") });

const PAID_KEYS = {
  recorded: "pay.paid_recorded",
  under_review: "pay.paid_under_review",
  processing: "pay.paid_processing",
  confirming: "pay.paid_confirming",
  not_paid: "pay.paid_not_paid",
};

/** Say the outcome, and move the keyboard's focus to it. */
function say(text) {
  notice.textContent = text;
  notice.focus();
}

async function confirmPaid(sessionId) {
  // The API asks Stripe for the session and records it at once (the webhook may come later).
  let result = { payment: "confirming" };
  for (let attempt = 0; attempt < 5 && result.payment === "confirming"; attempt += 1) {
    if (attempt) await new Promise((resolve) => setTimeout(resolve, 1000));
    result = await api(`/pay/checkout/${encodeURIComponent(sessionId)}/fulfil`, { method: "POST", body: {}, auth: false });
  }
  say(t(PAID_KEYS[result.payment] || PAID_KEYS.confirming));
}

if (back.get("paid")) {
  sessionStorage.removeItem(PROOF_KEY);
  say(t(PAID_KEYS.confirming));
  const sessionId = back.get("session_id") || "";
  if (sessionId.startsWith("cs_")) {
    try {
      await confirmPaid(sessionId);
    } catch {
      // The webhook records it anyway; the thank-you stands.
    }
  }
} else if (back.get("cancelled")) {
  say(t("pay.cancelled"));
  const kept = JSON.parse(sessionStorage.getItem(PROOF_KEY) || "null");
  if (kept) {
    lookupForm.elements.sers_id.value = kept.sers_id;
    lookupForm.elements.birth_date.value = kept.birth_date;
    try {
      await lookUp(kept);
    } catch (error) {
      showErrors(lookupForm, error);
    }
  }
}
showCheck(proof ? proof.sers_id : null);
ready();
