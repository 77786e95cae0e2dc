import { loadCatalogs, t, tNodes } from "./i18n.js";
import { api } from "./api.js";
import { onSubmit, showStatus } from "./forms.js";
import { dateTime, h, money, startPage, ready } from "./page.js";

await loadCatalogs("staff_requests");

const waiversForm = document.getElementById("waivers-form");
const priorForm = document.getElementById("prior-form");
const REASONS = { free_reduced_lunch: "staff_requests.reason_lunch", hardship: "staff_requests.reason_hardship" };
const OUTCOMES = {
  approved: "staff_requests.outcome_approved",
  denied: "staff_requests.outcome_denied",
  not_pending: "staff_requests.outcome_not_pending",
  not_found: "staff_requests.outcome_not_found",
};

function outcome(name) {
  return OUTCOMES[name] ? t(OUTCOMES[name]) : name;
}

/** "Waiver for TP3-27-ABCD, 2026-27: approved." as nodes (the label is data). */
function decided(label, name) {
  return tNodes("staff_requests.result", { label, outcome: document.createTextNode(outcome(name)) });
}

function studentLink(item) {
  const link = h("a", { href: `/staff/student/?id=${encodeURIComponent(item.student_id)}`, translate: "no" }, item.sers_id);
  return item.student_name ? [h("span", { translate: "no" }, item.student_name), ", ", link] : [link];
}

/** One request as a card: its facts, an optional note, Approve and Deny (and, with
 * `selectable`, a checkbox that picks it for a decision in bulk). */
function requestCard(key, label, facts, { selectable = false } = {}) {
  const id = `request-${key.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return h("li", { class: "card request", "data-key": key },
    h("h3", { id }, label),
    selectable && h("div", { class: "choice" },
      h("input", { type: "checkbox", id: `${id}-select`, name: "selected", value: key, "data-label": label }),
      h("label", { for: `${id}-select` }, tNodes("staff_requests.select_for_bulk", {
        label: h("span", { class: "visually-hidden", translate: "no" }, label),
      }))),
    h("dl", { class: "facts" }, facts.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
    h("div", { class: "field" },
      h("label", { for: `${id}-note` }, t("staff_requests.note")),
      h("input", { type: "text", id: `${id}-note`, name: `note-${key}` })),
    h("div", { class: "actions" },
      h("button", { type: "submit", value: `approve:${key}`, "data-label": label, "aria-describedby": id }, t("staff_requests.approve")),
      h("button", { type: "submit", value: `deny:${key}`, "data-label": label, class: "secondary", "aria-describedby": id },
        t("staff_requests.deny"))));
}

async function loadWaivers() {
  const waivers = await api("/waivers");
  document.getElementById("waivers-body").replaceChildren(...(waivers.length ? [
    h("ul", { class: "cards" }, waivers.map((w) => requestCard(`${w.student_id}|${w.school_year}`,
      t("staff_requests.waiver_for", { sers_id: w.sers_id, year: w.school_year }), [
        [t("staff_requests.student"), studentLink(w)],
        [t("staff_requests.school"), w.school_name ? h("span", { translate: "no" }, w.school_name) : t("staff_requests.not_given")],
        [t("staff_requests.reason"), REASONS[w.reason] ? t(REASONS[w.reason]) : w.reason],
        [t("staff_requests.explanation"), w.explanation ? h("span", { translate: "no" }, w.explanation) : t("staff_requests.none_given")],
        [t("staff_requests.asked"), dateTime(w.requested_at)],
      ], { selectable: true }))),
    h("div", { class: "actions bulk-actions", role: "group", "data-field": "selected", "aria-labelledby": "bulk-heading" },
      h("p", { id: "bulk-heading", class: "bulk-heading" }, t("staff_requests.selected_waivers")),
      h("button", { type: "submit", value: "approve-selected", "data-busy": t("staff_requests.approving") },
        t("staff_requests.approve_selected")),
      h("button", { type: "submit", value: "deny-selected", "data-busy": t("staff_requests.denying"), class: "secondary" },
        t("staff_requests.deny_selected"))),
  ] : [h("p", {}, t("staff_requests.no_waiver"))]));
}

async function loadPrior() {
  const requests = await api("/prior-year-requests");
  document.getElementById("prior-body").replaceChildren(requests.length
    ? h("ul", { class: "cards" }, requests.map((r) => requestCard(`${r.student_id}|${r.school_year}|${r.request_id}`,
      t("staff_requests.prior_for", { sers_id: r.sers_id, year: r.school_year }), [
        [t("staff_requests.student"), studentLink(r)],
        [t("staff_requests.school"), r.school_name ? h("span", { translate: "no" }, r.school_name) : t("staff_requests.not_given")],
        [t("staff_requests.class"), tNodes("staff_requests.class_with", { course: r.high_school_course, teacher: r.teacher })],
        [t("staff_requests.reason"), h("span", { translate: "no" }, r.reason)],
        [t("staff_requests.cost_if_approved"), money(r.cost_if_approved_cents)],
        [t("staff_requests.asked"), dateTime(r.requested_at)],
      ])))
    : h("p", {}, t("staff_requests.no_prior")));
}

/** The outcome of each decision, one line each, in the form's status. */
function showResults(form, results, labels) {
  const lines = results.map((r) => {
    const label = labels.get(`${r.student_id}|${r.school_year}`) ||
      t("staff_requests.waiver_for", { sers_id: r.student_id, year: r.school_year });
    return h("span", { class: "result-line", "data-outcome": r.outcome }, decided(label, r.outcome));
  });
  showStatus(form, "");
  form.querySelector(".form-status").replaceChildren(...lines);
}

/** Approve or deny every selected waiver in one request. */
async function decideSelected(form, approve) {
  const selected = [...form.querySelectorAll("input[name=selected]:checked")];
  if (!selected.length) {
    const error = new Error(t("staff_requests.select_first"));
    Object.assign(error, { status: 400, code: "nothing_selected", errors: [{ field: "selected", message: error.message }] });
    throw error;
  }
  const labels = new Map(selected.map((box) => [box.value, box.dataset.label]));
  const decisions = selected.map((box) => {
    const [student_id, school_year] = box.value.split("|");
    const note = form.elements.namedItem(`note-${box.value}`)?.value.trim() || undefined;
    return { student_id, school_year, approve, note };
  });
  const results = await api("/waivers/decisions", { method: "POST", body: { decisions } });
  await loadWaivers();
  showResults(form, results, labels);
  form.closest("section").querySelector("h2").focus();
}

async function decide(form, path, button, reload) {
  if (button?.value === "approve-selected" || button?.value === "deny-selected") {
    return decideSelected(form, button.value === "approve-selected");
  }
  const [verb, key] = String(button?.value || "").split(/:(.*)/s);
  if (!key) return;
  const [student_id, school_year, request_id] = key.split("|");
  const note = form.elements.namedItem(`note-${key}`)?.value.trim() || undefined;
  const decision = { student_id, school_year, approve: verb === "approve", note, ...(request_id ? { request_id } : {}) };
  const [result] = await api(path, { method: "POST", body: { decisions: [decision] } });
  const label = button.dataset.label;
  await reload();
  showStatus(form, "");
  form.querySelector(".form-status").replaceChildren(...decided(label, result.outcome));
  form.closest("section").querySelector("h2").focus();
}

if (await startPage("staff", async () => {
  for (const heading of document.querySelectorAll("main h2")) heading.tabIndex = -1;
  await Promise.all([loadWaivers(), loadPrior()]);
})) {
  onSubmit(waiversForm, (_data, button) => decide(waiversForm, "/waivers/decisions", button, loadWaivers));
  onSubmit(priorForm, (_data, button) => decide(priorForm, "/prior-year-requests/decisions", button, loadPrior));
}
ready();
