import { api, query } from "./api.js";
import { onSubmit, requireFields, showStatus } from "./forms.js";
import { dateTime, feeStatus, h, longDate, money, startPage, table, ready } from "./page.js";
import { paymentLabel as flaggedLabel, refundRetryMessage, voidedList } from "./payment-review.js";

const studentId = new URLSearchParams(location.search).get("id") || "";
const checkForm = document.getElementById("check-form");
const voidForm = document.getElementById("void-form");
const identityForm = document.getElementById("identity-form");
const gradeForm = document.getElementById("grade-form");
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

const ANSWERS = { true: "In the class", false: "Not in the class", null: "Not answered yet" };
const REQUEST_KINDS = { waiver: "Fee waiver", prior_year: "Prior-year credit" };
const REQUEST_STATUS = { pending: "Pending", approved: "Approved", denied: "Denied" };

function creditWords(c) {
  if (c.in_class === false) return "No (not in the class)";
  if (!c.grade) return "Not graded yet";
  return c.credit_earned ? "Earned" : "Not earned";
}

// classes: this student's classes of the year, with the school's answer, grade and credit.
function yearSection(year, classes) {
  const id = `year-${year.school_year}`;
  return h("section", { class: "card year", "aria-labelledby": id, "data-year": year.school_year },
    h("h2", { id }, `School year ${year.school_year}`),
    h("dl", { class: "facts" },
      h("dt", {}, "Fee"), h("dd", { class: "fee-status" }, feeStatus(year.fee_status)),
      h("dt", {}, "Amount due"), h("dd", { class: "amount-due" }, money(year.amount_due_cents))),
    classes.length
      ? table(`Classes in ${year.school_year}`,
        ["Class", "School", "Teacher", "College course", "Credits", "School's answer", "Grade", "Credit", "Sent in batch"],
        classes.map((c) => [c.high_school_course, c.school_name, c.teacher,
          `${c.college}: ${c.college_course_code} ${c.college_course_title}`, String(c.credits),
          ANSWERS[String(c.in_class)], c.grade || "None yet", creditWords(c),
          // The transcript batch, once batches exist (the record's `batch`).
          c.batch || "Not sent yet"]))
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

function renderRequests(requests) {
  document.getElementById("student-requests").replaceChildren(requests.length
    ? table("Waivers and prior-year requests", ["Request", "School year", "Status", "Asked on", "Details"],
      requests.map((r) => [REQUEST_KINDS[r.kind] || r.kind, r.school_year, REQUEST_STATUS[r.status] || r.status,
        r.requested_at ? dateTime(r.requested_at) : "",
        [r.reason, r.high_school_course, r.school_name, r.note].filter(Boolean).join(" · ")]))
    : h("p", {}, "No waiver or prior-year request."));
}

function changeWords(entry) {
  const after = entry.after || {};
  const shown = Object.entries(after)
    .filter(([key, value]) => value !== null && typeof value !== "object" && !key.endsWith("_id") && key !== "version")
    .slice(0, 6)
    .map(([key, value]) => `${key.replaceAll("_", " ")}: ${value}`);
  return shown.join("; ");
}

function renderHistory(history, truncated) {
  document.getElementById("student-history").replaceChildren(
    history.length
      ? h("ol", { class: "timeline", "aria-label": "Changes, newest first" },
        history.map((entry) => h("li", { "data-action": entry.action },
          h("time", { datetime: entry.at }, dateTime(entry.at)), " ",
          h("strong", {}, entry.action.replaceAll(".", " ").replaceAll("_", " ")),
          ` by ${entry.actor_role}`, changeWords(entry) ? ` (${changeWords(entry)})` : "")))
      : h("p", {}, "No change recorded."),
    truncated ? h("p", {}, "Older changes are left off.") : "");
}

function gradeOptions(classes) {
  const select = gradeForm.elements.class;
  const chosen = select.value;
  select.replaceChildren(...classes.map((c) => {
    const value = `${c.school_year}|${c.offering_id}`;
    return h("option", { value, selected: value === chosen },
      `${c.school_year}: ${c.high_school_course} (${c.college_course_code}), grade ${c.grade || "none yet"}`);
  }));
  gradeForm.hidden = classes.length === 0;
}

async function render() {
  const [record, window_, flagged] = await Promise.all([
    api(`/students/${encodeURIComponent(studentId)}/record`),
    api("/window", { auth: false }).catch(() => null),
    api(`/payments/review${query({ student_id: studentId })}`),
  ]);
  renderFlagged(flagged);
  const profile = record.profile;
  const name = [profile.legal_first_name, profile.legal_last_name].join(" ");
  document.getElementById("student-heading").textContent = name;
  document.title = `${name} · CTE Dual Credit`;
  const address = profile.mailing_address;
  document.getElementById("student-facts").replaceChildren(
    h("dt", {}, "SERS ID"), h("dd", { id: "student-sers-id" }, profile.sers_id),
    h("dt", {}, "Date of birth"), h("dd", { id: "student-birth-date" }, longDate(profile.birth_date)),
    h("dt", {}, "School"), h("dd", { id: "student-school" }, profile.school_name),
    h("dt", {}, "Expected graduation"), h("dd", {}, String(profile.expected_graduation_year)),
    h("dt", {}, "Email"), h("dd", { id: "student-email" }, profile.email),
    h("dt", {}, "Phone"), h("dd", {}, profile.phone || "None given"),
    h("dt", {}, "Mailing address"), h("dd", {}, [address.line1, address.line2, `${address.city}, ${address.state} ${address.postal_code}`]
      .filter(Boolean).join(", ")));
  const years = record.years.slice().sort((a, b) => b.school_year.localeCompare(a.school_year));
  document.getElementById("student-years").replaceChildren(
    ...(years.length
      ? years.map((y) => yearSection(y, record.classes.filter((c) => c.school_year === y.school_year)))
      : [h("p", {}, "No class registered yet.")]));
  renderRequests(record.requests);
  renderHistory(record.history, record.history_truncated);
  gradeOptions(record.classes);
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
  onSubmit(gradeForm, async (data) => {
    requireFields(data, { grade: "Enter the corrected grade.", reason: "Say why the grade is corrected." });
    const [school_year, offering_id] = String(data.class || "").split("|");
    const fixed = await api(`/students/${encodeURIComponent(studentId)}/grades/correction`, {
      method: "POST", body: { school_year, offering_id, grade: data.grade, reason: data.reason },
    });
    await render();
    gradeForm.elements.grade.value = "";
    gradeForm.elements.reason.value = "";
    showStatus(gradeForm, fixed.status === "unchanged"
      ? `${fixed.college_course_code} already has the grade ${fixed.grade}; nothing changed.`
      : `${fixed.college_course_code}, ${fixed.school_year}: grade ${fixed.previous_grade || "none"} corrected to ${fixed.grade}.`);
  }, { busyLabel: "Saving…", fieldFor: (field) => (["school_year", "offering_id"].includes(field) ? "class" : field) });
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
