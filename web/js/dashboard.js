import { api } from "./api.js";
import { checkHow } from "./check-payment.js";
import { onSubmit } from "./forms.js";
import { loadCatalogs, t, tNodes } from "./i18n.js";
import { feeStatus, h, longDate, money, ready, startPage, table } from "./page.js";
import { voidedList } from "./payment-review.js";

await loadCatalogs("dashboard");

const params = new URLSearchParams(location.search);
const PAYING = "dualcredit.payingYear";
const notice = document.getElementById("dashboard-notice");
const loading = document.getElementById("loading");
const yearsRegion = document.getElementById("years");

/** Say the outcome of an action, and move the keyboard's focus to it. */
function say(text, { focus = true } = {}) {
  notice.textContent = text;
  if (focus && text) notice.focus();
}

function payForm(year) {
  const label = t("dashboard.pay_by_card", { amount: money(year.amount_due_cents) });
  const form = h("form", { class: "pay-form" },
    h("div", { class: "actions" },
      h("button", { type: "submit", "data-busy": t("dashboard.opening_payment") }, label)));
  onSubmit(form, async () => {
    const checkout = await api("/students/me/checkout", { method: "POST", body: { school_year: year.school_year } });
    sessionStorage.setItem(PAYING, year.school_year); // to confirm that year on the way back
    location.assign(checkout.checkout_url);
  }, { busyLabel: t("dashboard.opening_payment") });
  return form;
}

/** What the year owes, in its parts: the fee, the late fee, and what a pending waiver holds back. */
function owed(year) {
  const parts = [];
  if (year.fee_status === "waiver_pending") {
    parts.push(h("p", { class: "if-not-waived" },
      t("dashboard.if_not_waived", { amount: money(year.fee.if_not_waived_cents) })));
  } else if (year.fee.late_fee_cents > 0) {
    parts.push(h("p", { class: "fee-parts" }, t(year.fee.fee_cents > 0 ? "dashboard.parts_fee_and_late" : "dashboard.parts_late_only", {
      fee: money(year.fee.fee_cents),
      late_fee: money(year.fee.late_fee_cents),
      total: money(year.fee.fee_cents + year.fee.late_fee_cents),
    })));
  }
  return parts;
}

const STAGE_KEYS = {
  registered: "dashboard.stage_registered",
  not_in_class: "dashboard.stage_not_in_class",
  confirmed: "dashboard.stage_confirmed",
};
const NEXT_KEYS = {
  school_confirms: "dashboard.next_school_confirms",
  teacher_posts_grade: "dashboard.next_teacher_posts_grade",
  pay_fee: "dashboard.next_pay_fee",
  waiver_decision: "dashboard.next_waiver_decision",
  credit_to_be_sent: "dashboard.next_credit_to_be_sent",
  college_posts: "dashboard.next_college_posts",
};
const GRADED_KEYS = {
  credit_sent: "dashboard.stage_credit_sent",
  credit_posted: "dashboard.stage_credit_posted",
};

/** Where one class stands and what happens next, as the API's rules decided. Data (the
 * grade, the college, dates) sits in the sentence marked translate="no" (tNodes). */
function standing(course) {
  const vars = {
    grade: course.grade,
    threshold: course.threshold,
    college: course.college,
    date: longDate(course.next_date),
    sent_date: longDate(course.credit_sent_on),
    posted_date: longDate(course.credit_posted_on),
  };
  let stage;
  if (GRADED_KEYS[course.stage]) stage = tNodes(GRADED_KEYS[course.stage], vars);
  else if (course.stage === "graded") stage = tNodes(course.earns_credit ? "dashboard.stage_earns_credit" : "dashboard.stage_no_credit", vars);
  else stage = t(STAGE_KEYS[course.stage]);
  const next = NEXT_KEYS[course.next_step];
  return h("div", { class: "class-stage", "data-stage": course.stage, "data-earns": String(course.earns_credit) },
    h("p", { class: "stage" }, stage),
    next ? h("p", { class: "next-step" }, tNodes(next, vars)) : null);
}

function classRows(classes) {
  return classes.map((c) => [
    h("span", { translate: "no" }, c.high_school_course),
    h("span", { translate: "no" }, c.teacher),
    h("span", { translate: "no" }, `${c.college}: ${c.college_course_code} ${c.college_course_title}`),
    String(c.credits),
    standing(c),
  ]);
}

function yearCard(year) {
  const id = `year-${year.school_year}`;
  const facts = h("dl", { class: "facts" },
    h("dt", {}, t("dashboard.fee")), h("dd", { class: "fee-status" }, feeStatus(year.fee_status)),
    h("dt", {}, t("dashboard.amount_due")), h("dd", { class: "amount-due" }, money(year.amount_due_cents)),
    h("dt", {}, t("dashboard.deadline")), h("dd", { class: "deadline" }, longDate(year.deadline)));
  const links = h("ul", {},
    h("li", {}, h("a", { href: `/confirmation/?year=${encodeURIComponent(year.school_year)}` },
      t("dashboard.print_confirmation", { year: year.school_year }))),
    year.fee_status === "due" ? h("li", {}, h("a", { href: `/waiver/?year=${encodeURIComponent(year.school_year)}` }, t("dashboard.ask_waiver"))) : null);
  return h("section", { class: "card year", "aria-labelledby": id, "data-year": year.school_year },
    h("h2", { id }, t("dashboard.school_year", { year: year.school_year })),
    facts,
    owed(year),
    year.classes.length
      ? table(t("dashboard.classes_caption", { year: year.school_year }),
        [t("dashboard.col_class"), t("dashboard.col_teacher"), t("dashboard.col_college_course"), t("dashboard.col_credits"), t("dashboard.col_standing")],
        classRows(year.classes))
      : h("p", {}, t("dashboard.no_class")),
    voidedList(year),
    year.bank_payment_processing ? h("p", { class: "notice bank-processing" }, t("dashboard.bank_processing"))
      : year.amount_due_cents > 0 ? payForm(year) : null,
    links);
}

function currentYearCard(window_) {
  const open = window_.status === "open";
  const when = open ? t("dashboard.window_open", { date: longDate(window_.closes_on) })
    : window_.status === "not_yet_open" ? t("dashboard.window_not_yet", { date: longDate(window_.opens_on) })
      : t("dashboard.window_closed", { date: longDate(window_.closes_on) });
  return h("section", { class: "card", "aria-labelledby": "year-current" },
    h("h2", { id: "year-current" }, t("dashboard.school_year", { year: window_.school_year })),
    h("p", {}, t("dashboard.not_registered_yet"), " ", when),
    open ? h("p", {}, h("a", { class: "button", href: "/classes/" }, t("dashboard.register_class"))) : null);
}

const REQUEST_KEYS = { waiver: "dashboard.request_waiver", prior_year: "dashboard.request_prior_year" };
const STATUS_KEYS = { pending: "dashboard.status_pending", approved: "dashboard.status_approved", denied: "dashboard.status_denied" };

function renderRequests(requests) {
  document.getElementById("requests-list").replaceChildren(...requests.map((r) =>
    h("li", { "data-kind": r.kind, "data-status": r.status },
      tNodes(REQUEST_KEYS[r.kind], { year: r.school_year, course: r.high_school_course || "" }),
      " ", h("strong", {}, t(STATUS_KEYS[r.status])))));
  document.getElementById("requests").hidden = !requests.length;
}

async function render() {
  const overview = await api("/students/me/overview");
  document.getElementById("sers-id").textContent = overview.sers_id;
  document.getElementById("sers-box").hidden = false;
  const cards = overview.years.map(yearCard);
  if (!overview.years.some((y) => y.school_year === overview.window.school_year)) cards.unshift(currentYearCard(overview.window));
  yearsRegion.replaceChildren(...cards);
  renderRequests(overview.requests);
  const owing = overview.years.some((y) => y.amount_due_cents > 0 || y.fee_status === "waiver_pending");
  document.getElementById("check-how").replaceChildren(checkHow(overview.program, overview.sers_id));
  document.getElementById("check-box").hidden = !owing;
  loading.hidden = true;
  return overview;
}

const PAYMENT_KEYS = {
  recorded: "dashboard.paid_recorded",
  under_review: "dashboard.paid_under_review",
  processing: "dashboard.paid_processing",
  not_paid: "dashboard.paid_not_paid",
};

async function fulfil(sessionId) {
  // The API asks Stripe for the session and records it at once (the webhook may come later).
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const result = await api(`/students/me/checkout/${encodeURIComponent(sessionId)}/fulfil`, { method: "POST", body: {} });
    if (result.payment !== "confirming") {
      await render();
      say(t(PAYMENT_KEYS[result.payment]));
      return;
    }
    say(t("dashboard.paid_confirming"), { focus: false });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await render();
  say(t("dashboard.paid_still_confirming"));
}

async function waitForPayment(year) {
  // Stripe confirms the payment to the API by webhook, usually within seconds.
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const overview = await render();
    const waiting = overview.years.filter((y) => (year ? y.school_year === year : true) && y.amount_due_cents > 0);
    if (!waiting.length) {
      say(t("dashboard.paid_recorded"));
      return;
    }
    say(t("dashboard.paid_confirming"), { focus: false });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  say(t("dashboard.paid_still_confirming"));
}

await startPage("student", async () => {
  try {
    if (params.get("welcome")) say(t("dashboard.welcome"), { focus: false });
    const sessionId = params.get("session_id");
    if (params.get("paid") && sessionId && sessionId.startsWith("cs_")) {
      sessionStorage.removeItem(PAYING);
      await fulfil(sessionId);
    } else if (params.get("paid")) {
      const year = sessionStorage.getItem(PAYING);
      sessionStorage.removeItem(PAYING);
      await waitForPayment(year);
    } else await render();
  } finally {
    loading.hidden = true;
  }
});

const copyButton = document.getElementById("copy-sers");
const copyStatus = document.getElementById("copy-status");
copyButton.addEventListener("click", async () => {
  const node = document.getElementById("sers-id");
  const text = node.textContent;
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch {
    // No clipboard permission: select the ID so the keyboard shortcut copies it.
    const range = document.createRange();
    range.selectNodeContents(node);
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    copied = document.execCommand("copy");
  }
  copyStatus.textContent = copied ? t("dashboard.copied", { sers_id: text }) : t("dashboard.copy_selected");
});
copyButton.disabled = false;
ready();
