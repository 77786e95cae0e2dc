import { api } from "./api.js";
import { onSubmit, requireFields } from "./forms.js";
import { FEE_STATUS, h, money, ready } from "./page.js";

const lookupForm = document.getElementById("lookup-form");
const payForm = document.getElementById("pay-form");
const summary = document.getElementById("summary");
const notice = document.getElementById("pay-notice");
let proof = null; // {sers_id, birth_date, school_year} of the last successful lookup

if (new URLSearchParams(location.search).get("paid")) {
  notice.textContent = "Thank you. The payment is received; a receipt is on its way to the student's email.";
}

onSubmit(lookupForm, async (data) => {
  requireFields(data, { sers_id: "Enter the SERS ID.", birth_date: "Enter the student's date of birth." });
  summary.hidden = true;
  const found = await api("/pay/lookup", { method: "POST", body: data, auth: false });
  proof = { sers_id: data.sers_id, birth_date: data.birth_date, school_year: found.school_year };
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
  payForm.hidden = found.amount_due_cents <= 0 || found.bank_payment_processing;
  const processing = document.getElementById("bank-processing");
  processing.hidden = !found.bank_payment_processing;
  summary.hidden = false;
  document.getElementById("summary-heading").focus();
}, { busyLabel: "Looking up…" });

onSubmit(payForm, async () => {
  const checkout = await api("/pay/checkout", { method: "POST", body: proof, auth: false });
  location.assign(checkout.checkout_url);
}, { busyLabel: "Opening payment page…" });
ready();
