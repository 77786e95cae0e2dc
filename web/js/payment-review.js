// What the staff review queue and the staff student page say about a flagged payment.
import { loadCatalogs, t } from "./i18n.js";
import { h, longDate, money } from "./page.js";

await loadCatalogs("payments");

const METHODS = { card: "payments.method_card", check: "payments.method_check", money_order: "payments.method_money_order" };

function method(name) {
  return t(METHODS[name] || "payments.method_other");
}

/** "Card payment of $1.00 for 2026-27" */
export function paymentLabel(item) {
  const currency = item.currency && item.currency !== "usd" ? ` ${item.currency.toUpperCase()}` : "";
  const vars = { what: method(item.method), amount: `${money(item.amount_cents)}${currency}`, year: item.school_year };
  return t(item.school_year ? "payments.label_for_year" : "payments.label", vars);
}

/** The outcome of a refund staff asked Stripe for again. */
export function refundRetryMessage(label, retry) {
  if (retry.refunded) return t("payments.refunded", { label });
  // The API words why (in the page's language).
  if (retry.refund_error) return t("payments.refund_refused_why", { label, why: retry.refund_error.message });
  return t("payments.refund_refused", { label });
}

/** A voided entry, as the student's pages list it: "Check 1042 for $50.00, received
 * January 14, 2027: voided (Returned by the bank)". */
export function voidedLabel(voided) {
  const kind = voided.method === "check" || voided.method === "money_order" ? method(voided.method) : method(null);
  const what = voided.instrument_number ? `${kind} ${voided.instrument_number}` : kind;
  const vars = { what, amount: money(voided.amount_cents), reason: voided.void_reason };
  if (!voided.received_on) return t("payments.voided", vars);
  return t("payments.voided_received", { ...vars, date: longDate(voided.received_on) });
}

/** The list of a year's voided entries, or null when there is none. */
export function voidedList(year) {
  const voided = year.voided_payments || [];
  if (!voided.length) return null;
  return h("ul", { class: "voided-payments", "aria-label": t("payments.voided_list", { year: year.school_year }) },
    voided.map((v) => h("li", { "data-payment": v.payment_id }, voidedLabel(v))));
}
