import { api } from "./api.js";
import { onSubmit } from "./forms.js";
import { feeStatus, h, longDate, money, ready, startPage, table } from "./page.js";
import { voidedList } from "./payment-review.js";

const params = new URLSearchParams(location.search);
const PAYING = "dualcredit.payingYear";
const notice = document.getElementById("dashboard-notice");
const yearsRegion = document.getElementById("years");

function say(text) {
  notice.textContent = text;
}

function classRows(registrations) {
  return registrations.map((r) => [
    r.high_school_course,
    r.teacher,
    `${r.college}: ${r.college_course_code} ${r.college_course_title}`,
    String(r.credits),
  ]);
}

function payForm(year) {
  const form = h("form", { class: "pay-form" },
    h("div", { class: "actions" },
      h("button", { type: "submit", "data-busy": "Opening payment page…" }, `Pay ${money(year.amount_due_cents)}`)));
  onSubmit(form, async () => {
    const checkout = await api("/students/me/checkout", { method: "POST", body: { school_year: year.school_year } });
    sessionStorage.setItem(PAYING, year.school_year); // to confirm that year on the way back
    location.assign(checkout.checkout_url);
  }, { busyLabel: "Opening payment page…" });
  return form;
}

function bankProcessing() {
  return h("p", { class: "notice bank-processing" },
    "Your bank payment is processing: banks take up to 4 business days. ",
    "You do not need to pay again; we will email you if it does not go through.");
}

function yearCard(year) {
  const id = `year-${year.school_year}`;
  const facts = h("dl", { class: "facts" },
    h("dt", {}, "Fee"), h("dd", { class: "fee-status" }, feeStatus(year.fee_status)),
    h("dt", {}, "Amount due"), h("dd", { class: "amount-due" }, money(year.amount_due_cents)));
  const links = h("ul", {},
    h("li", {}, h("a", { href: `/confirmation/?year=${encodeURIComponent(year.school_year)}` },
      `Print your ${year.school_year} registration confirmation`)),
    year.fee_status === "due" ? h("li", {}, h("a", { href: `/waiver/?year=${encodeURIComponent(year.school_year)}` }, "Ask for a fee waiver")) : null);
  return h("section", { class: "card year", "aria-labelledby": id, "data-year": year.school_year },
    h("h2", { id }, `School year ${year.school_year}`),
    facts,
    year.registrations.length
      ? table(`Your ${year.school_year} classes`, ["Class", "Teacher", "College course", "Credits"], classRows(year.registrations))
      : h("p", {}, "No class registered."),
    voidedList(year),
    year.bank_payment_processing ? bankProcessing() : year.amount_due_cents > 0 ? payForm(year) : null,
    links);
}

async function render() {
  const [dashboard, window_] = await Promise.all([
    api("/students/me/dashboard"),
    api("/window", { auth: false }).catch(() => null),
  ]);
  document.getElementById("sers-id").textContent = dashboard.sers_id;
  document.getElementById("sers-box").hidden = false;
  const years = dashboard.years.slice().sort((a, b) => b.school_year.localeCompare(a.school_year));
  const cards = years.map(yearCard);
  if (window_ && !years.some((y) => y.school_year === window_.school_year)) {
    const open = window_.status === "open";
    cards.unshift(h("section", { class: "card", "aria-labelledby": "year-current" },
      h("h2", { id: "year-current" }, `School year ${window_.school_year}`),
      h("p", {}, "You have not registered a class for this school year yet. ",
        open ? `Registration is open until ${longDate(window_.closes_on)}.`
          : window_.status === "not_yet_open" ? `Registration opens on ${longDate(window_.opens_on)}.`
            : `Registration closed on ${longDate(window_.closes_on)}.`),
      open ? h("p", {}, h("a", { class: "button", href: "/classes/" }, "Register a class")) : null));
  }
  yearsRegion.replaceChildren(...cards);
  return dashboard;
}

const PAYMENT_WORDS = {
  recorded: "Thank you. Your payment is recorded, and a receipt is on its way to your email.",
  under_review: "Thank you. We received your payment; our office is checking it and will email you.",
  processing: "Thank you. Your bank payment is processing: banks take up to 4 business days. You do not need to pay again.",
  not_paid: "Your payment was not completed, and you were not charged.",
};

async function fulfil(sessionId) {
  // The API asks Stripe for the session and records it at once (the webhook may come later).
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const result = await api(`/students/me/checkout/${encodeURIComponent(sessionId)}/fulfil`, { method: "POST", body: {} });
    if (result.payment !== "confirming") {
      await render();
      say(PAYMENT_WORDS[result.payment]);
      return;
    }
    say("Thank you. We are confirming your payment…");
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await render();
  say("Your payment is still being confirmed. Reload this page in a minute to see it.");
}

async function waitForPayment(year) {
  // Stripe confirms the payment to the API by webhook, usually within seconds.
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const dashboard = await render();
    const waiting = dashboard.years.filter((y) => (year ? y.school_year === year : true) && y.amount_due_cents > 0);
    if (!waiting.length) {
      say("Thank you. Your payment is recorded, and a receipt is on its way to your email.");
      return;
    }
    say("Thank you. We are confirming your payment…");
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  say("Your payment is still being confirmed. Reload this page in a minute to see it.");
}

await startPage("student", async () => {
  if (params.get("welcome")) say("Your account is ready. This is your SERS ID; we also emailed it to you.");
  const sessionId = params.get("session_id");
  if (params.get("paid") && sessionId && sessionId.startsWith("cs_")) {
    sessionStorage.removeItem(PAYING);
    await fulfil(sessionId);
  }
  else if (params.get("paid")) {
    const year = sessionStorage.getItem(PAYING);
    sessionStorage.removeItem(PAYING);
    await waitForPayment(year);
  }
  else await render();
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
  copyStatus.textContent = copied ? `Copied ${text}.` : "The SERS ID is selected: press Ctrl+C (or ⌘C) to copy it.";
});
copyButton.disabled = false;
ready();
