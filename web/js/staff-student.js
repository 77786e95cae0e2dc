import { loadCatalogs, t, tNodes } from "./i18n.js";
import { api, query } from "./api.js";
import { onSubmit, requireFields, showStatus } from "./forms.js";
import { dateTime, feeStatus, h, longDate, money, startPage, table, ready } from "./page.js";
import { paymentLabel as flaggedLabel, refundRetryMessage, voidedList } from "./payment-review.js";

await loadCatalogs("staff_student", "payments");

const studentId = new URLSearchParams(location.search).get("id") || "";
const checkForm = document.getElementById("check-form");
const voidForm = document.getElementById("void-form");
const identityForm = document.getElementById("identity-form");
const gradeForm = document.getElementById("grade-form");
// The payment the void form acts on: { payment_id, label }.
let voidTarget = null;
const METHODS = { card: "staff_student.card", check: "payments.method_check", money_order: "payments.method_money_order" };
const data = (text) => h("span", { translate: "no" }, text);

function entryLabel(method, number, cents, schoolYear, lateFee = false) {
  const kind = METHODS[method] ? t(METHODS[method]) : method;
  const what = number ? `${kind} ${number}` : kind;
  return t(lateFee ? "staff_student.payment_label_late" : "staff_student.payment_label",
    { what, amount: money(cents), year: schoolYear });
}

function paymentLabel(year, payment) {
  return entryLabel(payment.method, payment.instrument_number, payment.amount_cents, year.school_year, payment.settles === "late_fee");
}

function offerVoid(target) {
  voidTarget = target;
  document.getElementById("void-heading").textContent = t("staff_student.void_question", { label: target.label });
  voidForm.hidden = false;
}

function today() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

const ANSWERS = { true: "staff_student.in_class", false: "staff_student.not_in_class", null: "staff_student.not_answered" };
const REQUEST_KINDS = { waiver: "staff_student.kind_waiver", prior_year: "staff_student.kind_prior_year" };
const REQUEST_STATUS = { pending: "staff_student.pending", approved: "staff_student.approved", denied: "staff_student.denied" };
const known = (table_, name) => (table_[name] ? t(table_[name]) : name);

function creditWords(c) {
  if (c.in_class === false) return t("staff_student.credit_not_in_class");
  if (!c.grade) return t("staff_student.not_graded");
  return t(c.credit_earned ? "staff_student.earned" : "staff_student.not_earned");
}

// classes: this student's classes of the year, with the school's answer, grade and credit.
function yearSection(year, classes) {
  const id = `year-${year.school_year}`;
  return h("section", { class: "card year", "aria-labelledby": id, "data-year": year.school_year },
    h("h2", { id }, t("staff_student.school_year", { year: year.school_year })),
    h("dl", { class: "facts" },
      h("dt", {}, t("staff_student.fee")), h("dd", { class: "fee-status" }, feeStatus(year.fee_status)),
      h("dt", {}, t("staff_student.amount_due")), h("dd", { class: "amount-due" }, money(year.amount_due_cents))),
    classes.length
      ? table(t("staff_student.classes_in", { year: year.school_year }),
        ["staff_student.class", "staff_student.school", "staff_student.teacher", "staff_student.college_course",
          "staff_student.credits", "staff_student.schools_answer", "staff_student.grade", "staff_student.credit",
          "staff_student.sent_in_batch"].map((key) => t(key)),
        classes.map((c) => [data(c.high_school_course), data(c.school_name), data(c.teacher),
          data(`${c.college}: ${c.college_course_code} ${c.college_course_title}`), String(c.credits),
          t(ANSWERS[String(c.in_class)]), c.grade ? data(c.grade) : t("staff_student.none_yet"), creditWords(c),
          // The transcript batch, once batches exist (the record's `batch`).
          c.batch ? data(c.batch) : t("staff_student.not_sent")]))
      : h("p", {}, t("staff_student.no_class")),
    year.payments.length
      ? h("ul", { class: "payments", "aria-label": t("staff_student.payments_for", { year: year.school_year }) },
        ...year.payments.map((payment) => {
          const label = paymentLabel(year, payment);
          return h("li", {}, t("staff_student.received", { label, date: payment.received_on }), " ",
            payment.method === "card" ? "" : h("button", {
              type: "button", class: "secondary", "aria-label": t("staff_student.void_label", { label }),
              onclick: () => {
                offerVoid({ payment_id: payment.payment_id, label });
                voidForm.elements.reason.focus();
              },
            }, t("staff_student.void_button")));
        }))
      : "",
    voidedList(year));
}

/** This student's payments on the review queue; a refund Stripe refused is retried here. */
// The languages of a student's and their guardian's emails, as staff read them.
const LANGUAGE_KEYS = { en: "staff_student.language_en", es: "staff_student.language_es" };

/** The parent or guardian who gets copies: their email, language, and whether they stopped them. */
function guardianFacts(profile) {
  if (!profile.guardian_email) return h("dd", { id: "student-guardian" }, t("staff_student.none_given"));
  const language = t(LANGUAGE_KEYS[profile.guardian_language || profile.language]);
  return h("dd", { id: "student-guardian" },
    h("span", { translate: "no" }, profile.guardian_email), ` (${language})`,
    profile.guardian_copies ? "" : ` · ${t("staff_student.guardian_stopped")}`);
}

function renderFlagged(flagged) {
  const section = document.getElementById("student-flagged");
  section.hidden = flagged.length === 0;
  document.getElementById("flagged-list").replaceChildren(...flagged.map((item) => {
    const label = flaggedLabel(item);
    return h("li", { class: "card flagged", "data-payment": item.payment_id },
      h("h3", {}, label),
      h("ul", { class: "reasons" }, item.reasons.map((r) => h("li", { "data-code": r.code }, r.words))),
      item.refund_retryable && h("div", { class: "actions" }, h("button", {
        type: "button", class: "secondary", "aria-label": t("staff_student.retry_refund_of", { label }),
        onclick: async (event) => {
          const button = event.currentTarget;
          button.disabled = true;
          button.setAttribute("aria-busy", "true");
          button.textContent = t("staff_student.asking_stripe");
          const status = document.getElementById("flagged-status");
          try {
            const retry = await api(`/payments/${encodeURIComponent(item.payment_id)}/refund`, { method: "POST" });
            await render();
            status.textContent = refundRetryMessage(label, retry);
          } catch (error) {
            await render();
            status.textContent = t("staff_student.refund_error", { label, message: error.message });
          }
          document.getElementById("flagged-heading").focus();
        },
      }, t("staff_student.retry_refund"))));
  }));
}

function renderRequests(requests) {
  document.getElementById("student-requests").replaceChildren(requests.length
    ? table(t("staff_student.requests_caption"),
      ["staff_student.request", "staff_student.school_year_column", "staff_student.status", "staff_student.asked_on",
        "staff_student.details"].map((key) => t(key)),
      requests.map((r) => [known(REQUEST_KINDS, r.kind), r.school_year, known(REQUEST_STATUS, r.status),
        r.requested_at ? dateTime(r.requested_at) : "",
        data([r.reason, r.high_school_course, r.school_name, r.note].filter(Boolean).join(" · "))]))
    : h("p", {}, t("staff_student.no_requests")));
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
      ? h("ol", { class: "timeline", "aria-label": t("staff_student.history_label") },
        // The audit log's own names of its actions and fields (data, as recorded).
        history.map((entry) => h("li", { "data-action": entry.action },
          h("time", { datetime: entry.at }, dateTime(entry.at)), " ",
          h("strong", { translate: "no" }, entry.action.replaceAll(".", " ").replaceAll("_", " ")), " ",
          tNodes("staff_student.by_role", { role: entry.actor_role }),
          changeWords(entry) ? [" ", data(`(${changeWords(entry)})`)] : "")))
      : h("p", {}, t("staff_student.no_history")),
    truncated ? h("p", {}, t("staff_student.history_truncated")) : "");
}

function gradeOptions(classes) {
  const select = gradeForm.elements.class;
  const chosen = select.value;
  select.replaceChildren(...classes.map((c) => {
    const value = `${c.school_year}|${c.offering_id}`;
    return h("option", { value, selected: value === chosen },
      t(c.grade ? "staff_student.grade_option" : "staff_student.grade_option_none",
        { year: c.school_year, course: c.high_school_course, code: c.college_course_code, grade: c.grade }));
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
  const heading = document.getElementById("student-heading");
  heading.textContent = name;
  heading.translate = false; // a name, not the site's words
  document.title = t("staff_student.page_title", { name });
  const address = profile.mailing_address;
  document.getElementById("student-facts").replaceChildren(
    h("dt", {}, t("staff_student.sers_id")), h("dd", { id: "student-sers-id", translate: "no" }, profile.sers_id),
    h("dt", {}, t("staff_student.birth_date")), h("dd", { id: "student-birth-date" }, longDate(profile.birth_date)),
    h("dt", {}, t("staff_student.school")), h("dd", { id: "student-school", translate: "no" }, profile.school_name),
    h("dt", {}, t("staff_student.expected_graduation")), h("dd", {}, String(profile.expected_graduation_year)),
    h("dt", {}, t("staff_student.email")), h("dd", { id: "student-email", translate: "no" }, profile.email),
    h("dt", {}, t("staff_student.phone")), profile.phone ? h("dd", { translate: "no" }, profile.phone) : h("dd", {}, t("staff_student.none_given")),
    h("dt", {}, t("staff_student.email_language")), h("dd", { id: "student-language" }, t(LANGUAGE_KEYS[profile.language])),
    h("dt", {}, t("staff_student.guardian")), guardianFacts(profile),
    h("dt", {}, t("staff_student.mailing_address")), h("dd", { translate: "no" }, [address.line1, address.line2, `${address.city}, ${address.state} ${address.postal_code}`]
      .filter(Boolean).join(", ")));
  const years = record.years.slice().sort((a, b) => b.school_year.localeCompare(a.school_year));
  document.getElementById("student-years").replaceChildren(
    ...(years.length
      ? years.map((y) => yearSection(y, record.classes.filter((c) => c.school_year === y.school_year)))
      : [h("p", {}, t("staff_student.no_class_yet"))]));
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
    const method = payment.method === "money_order" ? "money_order" : "check";
    const kind = t(METHODS[method]);
    showStatus(checkForm, t("staff_student.recorded",
      { what: `${kind} ${payment.instrument_number}`, amount: money(payment.amount_cents), year: payment.school_year }));
    checkForm.elements.instrument_number.value = "";
    offerVoid({ payment_id: payment.payment_id,
      label: entryLabel(method, payment.instrument_number, payment.amount_cents, payment.school_year) });
  }, { busyLabel: t("staff_student.recording") });
  onSubmit(identityForm, async (data) => {
    requireFields(data, { reason: t("staff_student.identity_reason_missing") });
    const profile = await api(`/students/${encodeURIComponent(studentId)}/identity`, { method: "PATCH", body: data });
    await render();
    for (const name of ["legal_first_name", "legal_last_name", "birth_date", "reason"]) identityForm.elements[name].value = "";
    showStatus(identityForm, t("staff_student.identity_saved",
      { name: `${profile.legal_first_name} ${profile.legal_last_name}`, date: profile.birth_date }));
  }, { busyLabel: t("common.saving") });
  onSubmit(gradeForm, async (data) => {
    requireFields(data, { grade: t("staff_student.grade_missing"), reason: t("staff_student.grade_reason_missing") });
    const [school_year, offering_id] = String(data.class || "").split("|");
    const fixed = await api(`/students/${encodeURIComponent(studentId)}/grades/correction`, {
      method: "POST", body: { school_year, offering_id, grade: data.grade, reason: data.reason },
    });
    await render();
    gradeForm.elements.grade.value = "";
    gradeForm.elements.reason.value = "";
    showStatus(gradeForm, fixed.status === "unchanged"
      ? t("staff_student.grade_unchanged", { code: fixed.college_course_code, grade: fixed.grade })
      : t(fixed.previous_grade ? "staff_student.grade_corrected" : "staff_student.grade_corrected_from_none",
        { code: fixed.college_course_code, year: fixed.school_year, previous: fixed.previous_grade, grade: fixed.grade }));
  }, { busyLabel: t("common.saving"), fieldFor: (field) => (["school_year", "offering_id"].includes(field) ? "class" : field) });
  onSubmit(voidForm, async (data) => {
    if (!voidTarget) return;
    await api(`/payments/${encodeURIComponent(voidTarget.payment_id)}/void`, { method: "POST", body: data });
    await render();
    showStatus(voidForm, t("staff_student.is_void", { label: voidTarget.label }));
    voidTarget = null;
    voidForm.elements.reason.value = "";
  }, { busyLabel: t("staff_student.voiding") });
}
ready();
