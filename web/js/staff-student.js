import { api, query } from "./api.js";
import { onSubmit, requireFields, showStatus } from "./forms.js";
import { feeStatus, h, money, startPage, table, ready } from "./page.js";
import { paymentLabel as flaggedLabel, refundRetryMessage, voidedList } from "./payment-review.js";

const studentId = new URLSearchParams(location.search).get("id") || "";
const checkForm = document.getElementById("check-form");
const voidForm = document.getElementById("void-form");
const identityForm = document.getElementById("identity-form");
// The payment the void form acts on: { payment_id, label }.
let voidTarget = null;
const METHODS = { card: "Card", check: "Check", money_order: "Money order" };

function paymentLabel(year, payment) {
  const what = `${METHODS[payment.method] || payment.method}${payment.instrument_number ? ` ${payment.instrument_number}` : ""}`;
  return `${what} for ${money(payment.amount_cents)} (${year.school_year}${payment.settles === "late_fee" ? ", late fee" : ""})`;
}

function offerVoid(target) {
  voidTarget = target;
  document.getElementById("void-heading").textContent = `Void ${target.label}?`;
  voidForm.hidden = false;
}

function today() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

function yearSection(year) {
  const id = `year-${year.school_year}`;
  return h("section", { class: "card year", "aria-labelledby": id, "data-year": year.school_year },
    h("h2", { id }, `School year ${year.school_year}`),
    h("dl", { class: "facts" },
      h("dt", {}, "Fee"), h("dd", { class: "fee-status" }, feeStatus(year.fee_status)),
      h("dt", {}, "Amount due"), h("dd", { class: "amount-due" }, money(year.amount_due_cents))),
    year.registrations.length
      ? table(`Classes in ${year.school_year}`, ["Class", "Teacher", "College course", "Credits"],
        year.registrations.map((r) => [r.high_school_course, r.teacher,
          `${r.college}: ${r.college_course_code} ${r.college_course_title}`, String(r.credits)]))
      : h("p", {}, "No class registered."),
    year.payments.length
      ? h("ul", { class: "payments", "aria-label": `Payments for ${year.school_year}` },
        ...year.payments.map((payment) => {
          const label = paymentLabel(year, payment);
          return h("li", {}, `${label}, received ${payment.received_on} `,
            payment.method === "card" ? "" : h("button", {
              type: "button", class: "secondary", "aria-label": `Void ${label}`,
              onclick: () => {
                offerVoid({ payment_id: payment.payment_id, label });
                voidForm.elements.reason.focus();
              },
            }, "Void…"));
        }))
      : "",
    voidedList(year));
}

/** This student's payments on the review queue; a refund Stripe refused is retried here. */
function renderFlagged(flagged) {
  const section = document.getElementById("student-flagged");
  section.hidden = flagged.length === 0;
  document.getElementById("flagged-list").replaceChildren(...flagged.map((item) => {
    const label = flaggedLabel(item);
    return h("li", { class: "card flagged", "data-payment": item.payment_id },
      h("h3", {}, label),
      h("ul", { class: "reasons" }, item.reasons.map((r) => h("li", { "data-code": r.code }, r.words))),
      item.refund_retryable && h("div", { class: "actions" }, h("button", {
        type: "button", class: "secondary", "aria-label": `Retry the refund of ${label}`,
        onclick: async (event) => {
          const button = event.currentTarget;
          button.disabled = true;
          button.setAttribute("aria-busy", "true");
          button.textContent = "Asking Stripe…";
          const status = document.getElementById("flagged-status");
          try {
            const retry = await api(`/payments/${encodeURIComponent(item.payment_id)}/refund`, { method: "POST" });
            await render();
            status.textContent = refundRetryMessage(label, retry);
          } catch (error) {
            await render();
            status.textContent = `${label}: ${error.message}`;
          }
          document.getElementById("flagged-heading").focus();
        },
      }, "Retry refund")));
  }));
}

async function render() {
  const [dashboard, window_, flagged] = await Promise.all([
    api(`/students/${encodeURIComponent(studentId)}`),
    api("/window", { auth: false }).catch(() => null),
    api(`/payments/review${query({ student_id: studentId })}`),
  ]);
  renderFlagged(flagged);
  const [summary] = await api(`/students${query({ sers_id: dashboard.sers_id })}`).catch(() => []);
  const name = summary ? [summary.legal_first_name, summary.legal_last_name].join(" ") : dashboard.sers_id;
  document.getElementById("student-heading").textContent = name;
  document.title = `${name} · CTE Dual Credit`;
  document.getElementById("student-facts").replaceChildren(
    h("dt", {}, "SERS ID"), h("dd", { id: "student-sers-id" }, dashboard.sers_id),
    ...(summary ? [h("dt", {}, "Email"), h("dd", {}, summary.email)] : []));
  const years = dashboard.years.slice().sort((a, b) => b.school_year.localeCompare(a.school_year));
  document.getElementById("student-years").replaceChildren(
    ...(years.length ? years.map(yearSection) : [h("p", {}, "No class registered yet.")]));
  const names = new Set(years.map((y) => y.school_year));
  if (window_) names.add(window_.school_year);
  const select = checkForm.elements.school_year;
  const chosen = select.value || years.find((y) => y.amount_due_cents > 0)?.school_year || window_?.school_year;
  select.replaceChildren(...[...names].sort().reverse().map((n) => h("option", { value: n, selected: n === chosen }, n)));
}

if (await startPage("staff", async () => {
  checkForm.elements.received_on.value = today();
  checkForm.elements.amount_cents.value = "50.00";
  await render();
})) {
  onSubmit(checkForm, async (data) => {
    const payment = await api(`/students/${encodeURIComponent(studentId)}/payments`, { method: "POST", body: data });
    await render();
    const kind = payment.method === "money_order" ? "Money order" : "Check";
    showStatus(checkForm, `${kind} ${payment.instrument_number} for ${money(payment.amount_cents)} is recorded for ${payment.school_year}.`);
    checkForm.elements.instrument_number.value = "";
    offerVoid({ payment_id: payment.payment_id, label: `${kind} ${payment.instrument_number} for ${money(payment.amount_cents)} (${payment.school_year})` });
  }, { busyLabel: "Recording…" });
  onSubmit(identityForm, async (data) => {
    requireFields(data, { reason: "Say why the name or date of birth is corrected." });
    const profile = await api(`/students/${encodeURIComponent(studentId)}/identity`, { method: "PATCH", body: data });
    await render();
    for (const name of ["legal_first_name", "legal_last_name", "birth_date", "reason"]) identityForm.elements[name].value = "";
    showStatus(identityForm, `Saved: ${profile.legal_first_name} ${profile.legal_last_name}, born ${profile.birth_date}.`);
  }, { busyLabel: "Saving…" });
  onSubmit(voidForm, async (data) => {
    if (!voidTarget) return;
    await api(`/payments/${encodeURIComponent(voidTarget.payment_id)}/void`, { method: "POST", body: data });
    await render();
    showStatus(voidForm, `${voidTarget.label} is void.`);
    voidTarget = null;
    voidForm.elements.reason.value = "";
  }, { busyLabel: "Voiding…" });
}
ready();
