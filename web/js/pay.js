import { api } from "./api.js";
import { onSubmit, requireFields, showErrors } from "./forms.js";
import { FEE_STATUS, h, money, ready } from "./page.js";

const lookupForm = document.getElementById("lookup-form");
const payForm = document.getElementById("pay-form");
const summary = document.getElementById("summary");
const notice = document.getElementById("pay-notice");
// The last successful lookup ({sers_id, birth_date, school_year}). Kept in this tab's
// sessionStorage while the parent is at Stripe, so a cancel comes back looked up.
const PROOF_KEY = "pay-proof";
let proof = null;
const back = new URLSearchParams(location.search);

function show(found) {
  document.getElementById("summary-year").textContent = found.school_year;
  const status = found.registered ? (FEE_STATUS[found.fee_status] || found.fee_status) : "No class registered yet";
  document.getElementById("summary-facts").replaceChildren(
    h("dt", {}, "Student"), h("dd", {}, found.masked_name),
    h("dt", {}, "SERS ID"), h("dd", {}, found.sers_id),
    h("dt", {}, "School year"), h("dd", {}, found.school_year),
    h("dt", {}, "Status"), h("dd", {}, status),
    h("dt", {}, "Amount due"), h("dd", {}, money(found.amount_due_cents)));
  const button = document.getElementById("pay-button");
  button.textContent = `Pay ${money(found.amount_due_cents)} by card`;
  const owes = found.amount_due_cents > 0 && !found.bank_payment_processing;
  payForm.hidden = !owes || !found.window_open;
  document.getElementById("bank-processing").hidden = !found.bank_payment_processing;
  const closed = document.getElementById("window-closed");
  closed.hidden = !owes || found.window_open;
  document.getElementById("window-closed-when").textContent = found.window_message || "";
  summary.hidden = false;
}

async function lookUp(data) {
  const found = await api("/pay/lookup", { method: "POST", body: data, auth: false });
  proof = { sers_id: data.sers_id, birth_date: data.birth_date, school_year: found.school_year };
  show(found);
  return found;
}

onSubmit(lookupForm, async (data) => {
  requireFields(data, { sers_id: "Enter the SERS ID.", birth_date: "Enter the student's date of birth." });
  summary.hidden = true;
  notice.textContent = "";
  await lookUp(data);
  document.getElementById("summary-heading").focus();
}, { busyLabel: "Looking up…" });

onSubmit(payForm, async (data) => {
  const body = { ...proof, ...(data.receipt_email ? { receipt_email: data.receipt_email } : {}) };
  const checkout = await api("/pay/checkout", { method: "POST", body, auth: false });
  sessionStorage.setItem(PROOF_KEY, JSON.stringify(proof));
  location.assign(checkout.checkout_url);
}, { busyLabel: "Opening payment page…" });

const PAID_WORDS = {
  recorded: "Thank you. The payment is recorded; a receipt is on its way to the student's email (and to yours, if you gave it).",
  under_review: "Thank you. The payment is received; our office is checking it and will email the student.",
  processing: "Thank you. The bank payment is processing: banks take up to 4 business days. You do not need to pay again.",
  confirming: "Thank you. The payment is received and is being confirmed; a receipt will be emailed to the student.",
  not_paid: "The payment was not completed, and you were not charged.",
};

async function confirmPaid(sessionId) {
  // The API asks Stripe for the session and records it at once (the webhook may come later).
  let result = { payment: "confirming" };
  for (let attempt = 0; attempt < 5 && result.payment === "confirming"; attempt += 1) {
    if (attempt) await new Promise((resolve) => setTimeout(resolve, 1000));
    result = await api(`/pay/checkout/${encodeURIComponent(sessionId)}/fulfil`, { method: "POST", body: {}, auth: false });
  }
  notice.textContent = PAID_WORDS[result.payment] || PAID_WORDS.confirming;
}

if (back.get("paid")) {
  sessionStorage.removeItem(PROOF_KEY);
  notice.textContent = PAID_WORDS.confirming;
  const sessionId = back.get("session_id") || "";
  if (sessionId.startsWith("cs_")) {
    try {
      await confirmPaid(sessionId);
    } catch {
      // The webhook records it anyway; the thank-you stands.
    }
  }
} else if (back.get("cancelled")) {
  notice.textContent = "You were not charged. The payment was cancelled; you can pay below when you are ready.";
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
ready();
