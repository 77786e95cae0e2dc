// What the staff review queue and the staff student page say about a flagged payment.
import { h, longDate, money } from "./page.js";

const METHODS = { card: "Card payment", check: "Check", money_order: "Money order" };

/** "Card payment of $1.00 for 2026-27" */
export function paymentLabel(item) {
  const what = METHODS[item.method] || "Payment";
  const currency = item.currency && item.currency !== "usd" ? ` ${item.currency.toUpperCase()}` : "";
  return `${what} of ${money(item.amount_cents)}${currency}${item.school_year ? ` for ${item.school_year}` : ""}`;
}

/** The outcome of a refund staff asked Stripe for again. */
export function refundRetryMessage(label, retry) {
  if (retry.refunded) return `${label}: refunded.`;
  const why = retry.refund_error ? ` ${retry.refund_error.message}` : "";
  return `${label}: Stripe refused the refund again.${why}`;
}

const ENTRY_KINDS = { check: "Check", money_order: "Money order" };

/** A voided entry, as the student's pages list it: "Check 1042 for $50.00, received
 * January 14, 2027: voided (Returned by the bank)". */
export function voidedLabel(voided) {
  const kind = ENTRY_KINDS[voided.method] || "Payment";
  const number = voided.instrument_number ? ` ${voided.instrument_number}` : "";
  const received = voided.received_on ? `, received ${longDate(voided.received_on)}` : "";
  return `${kind}${number} for ${money(voided.amount_cents)}${received}: voided (${voided.void_reason})`;
}

/** The list of a year's voided entries, or null when there is none. */
export function voidedList(year) {
  const voided = year.voided_payments || [];
  if (!voided.length) return null;
  return h("ul", { class: "voided-payments", "aria-label": `Voided checks and money orders, ${year.school_year}` },
    voided.map((v) => h("li", { "data-payment": v.payment_id }, voidedLabel(v))));
}
