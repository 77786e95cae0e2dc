import { api } from "./api.js";
import { onSubmit, requireFields } from "./forms.js";
import { dateTime, h, longDate, money, startPage, ready } from "./page.js";
import { paymentLabel, refundRetryMessage } from "./payment-review.js";

const body = document.getElementById("review-body");
const status = document.getElementById("review-status");

function studentFacts(student) {
  if (!student.name && !student.student_id) return "Not known yet: no event from Stripe has named the student";
  if (!student.name) return `No such student (the payment names ${student.sers_id || "no SERS ID"})`;
  return h("a", { href: `/staff/student/?id=${encodeURIComponent(student.student_id)}` },
    `${student.name} (${student.sers_id})`);
}

/** One flagged payment: its facts, a note, Resolve, and Retry refund when Stripe refused it. */
function reviewCard(item) {
  const id = `payment-${item.payment_id.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  const label = paymentLabel(item);
  const form = h("form", { class: "card review", "data-payment": item.payment_id, "aria-labelledby": id },
    h("h2", { id }, label),
    h("dl", { class: "facts" },
      h("dt", {}, item.reasons.length > 1 ? "Reasons" : "Reason"),
      h("dd", {}, h("ul", { class: "reasons" }, item.reasons.map((r) => h("li", { "data-code": r.code }, r.words)))),
      h("dt", {}, "Student"), h("dd", {}, studentFacts(item.student)),
      h("dt", {}, "Amount"), h("dd", {}, money(item.amount_cents)),
      h("dt", {}, "Date"), h("dd", {}, item.received_on ? `Paid ${longDate(item.received_on)}` : "Not paid yet",
        `; flagged ${dateTime(item.flagged_at)}`)),
    h("div", { class: "field" },
      h("label", { for: `${id}-note` }, "Note (what was done)"),
      h("input", { type: "text", id: `${id}-note`, name: "note" })),
    h("div", { class: "actions" },
      h("button", { type: "submit", value: "resolve", disabled: true, "data-busy": "Resolving…", "aria-describedby": id }, "Resolve"),
      item.refund_retryable && h("button", {
        type: "submit", value: "refund", disabled: true, class: "secondary", "data-busy": "Asking Stripe…", "aria-describedby": id,
      }, "Retry refund")),
    h("p", { class: "form-status", role: "status" }));
  onSubmit(form, async (data, button) => {
    const path = `/payments/${encodeURIComponent(item.payment_id)}`;
    if (button?.value === "refund") {
      const retry = await api(`${path}/refund`, { method: "POST" });
      await load();
      status.textContent = refundRetryMessage(label, retry);
    } else {
      requireFields(data, { note: "Note is required: say what was done." });
      await api(`${path}/review`, { method: "POST", body: { note: data.note } });
      await load();
      status.textContent = `${label}: resolved.`;
    }
    document.getElementById("review-heading").focus();
  });
  return form;
}

async function load() {
  const queue = await api("/payments/review");
  body.replaceChildren(...(queue.length
    ? queue.map(reviewCard)
    : [h("p", {}, "No payment is waiting for review.")]));
}

await startPage("staff", load);
ready();
