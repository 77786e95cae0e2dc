import { loadCatalogs, t } from "./i18n.js";
import { api } from "./api.js";
import { onSubmit, requireFields } from "./forms.js";
import { dateTime, h, longDate, money, startPage, ready } from "./page.js";
import { paymentLabel, refundRetryMessage } from "./payment-review.js";

await loadCatalogs("staff_review");

const body = document.getElementById("review-body");
const status = document.getElementById("review-status");

function studentFacts(student) {
  if (!student.name && !student.student_id) return t("staff_review.student_unknown");
  if (!student.name) {
    return student.sers_id ? t("staff_review.no_such_student", { sers_id: student.sers_id }) : t("staff_review.no_such_student_no_id");
  }
  return h("a", { href: `/staff/student/?id=${encodeURIComponent(student.student_id)}`, translate: "no" },
    `${student.name} (${student.sers_id})`);
}

/** One flagged payment: its facts, a note, Resolve, and Retry refund when Stripe refused it. */
function reviewCard(item) {
  const id = `payment-${item.payment_id.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  const label = paymentLabel(item);
  const form = h("form", { class: "card review", "data-payment": item.payment_id, "aria-labelledby": id },
    h("h2", { id }, label),
    h("dl", { class: "facts" },
      h("dt", {}, t(item.reasons.length > 1 ? "staff_review.reasons" : "staff_review.reason")),
      // The API words each reason (in the page's language).
      h("dd", {}, h("ul", { class: "reasons" }, item.reasons.map((r) => h("li", { "data-code": r.code }, r.words)))),
      h("dt", {}, t("staff_review.student")), h("dd", {}, studentFacts(item.student)),
      h("dt", {}, t("staff_review.amount")), h("dd", {}, money(item.amount_cents)),
      h("dt", {}, t("staff_review.date")), h("dd", {}, t(item.received_on ? "staff_review.paid_flagged" : "staff_review.unpaid_flagged",
        { date: longDate(item.received_on), flagged: dateTime(item.flagged_at) }))),
    h("div", { class: "field" },
      h("label", { for: `${id}-note` }, t("staff_review.note")),
      h("input", { type: "text", id: `${id}-note`, name: "note" })),
    h("div", { class: "actions" },
      h("button", { type: "submit", value: "resolve", disabled: true, "data-busy": t("staff_review.resolving"), "aria-describedby": id },
        t("staff_review.resolve")),
      item.refund_retryable && h("button", {
        type: "submit", value: "refund", disabled: true, class: "secondary", "data-busy": t("staff_review.asking_stripe"), "aria-describedby": id,
      }, t("staff_review.retry_refund"))),
    h("p", { class: "form-status", role: "status" }));
  onSubmit(form, async (data, button) => {
    const path = `/payments/${encodeURIComponent(item.payment_id)}`;
    if (button?.value === "refund") {
      const retry = await api(`${path}/refund`, { method: "POST" });
      await load();
      status.textContent = refundRetryMessage(label, retry);
    } else {
      requireFields(data, { note: t("staff_review.note_missing") });
      await api(`${path}/review`, { method: "POST", body: { note: data.note } });
      await load();
      status.textContent = t("staff_review.resolved", { label });
    }
    document.getElementById("review-heading").focus();
  });
  return form;
}

async function load() {
  const queue = await api("/payments/review");
  body.replaceChildren(...(queue.length
    ? queue.map(reviewCard)
    : [h("p", {}, t("staff_review.none"))]));
}

await startPage("staff", load);
ready();
