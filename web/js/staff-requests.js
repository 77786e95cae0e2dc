import { api } from "./api.js";
import { onSubmit, showStatus } from "./forms.js";
import { dateTime, h, money, startPage, ready } from "./page.js";

const waiversForm = document.getElementById("waivers-form");
const priorForm = document.getElementById("prior-form");
const REASONS = { free_reduced_lunch: "Free or reduced-price lunch", hardship: "Financial hardship" };
const OUTCOMES = { approved: "approved", denied: "denied", not_pending: "already decided by someone else", not_found: "no such request (nothing was changed)" };

function studentLink(item) {
  return [item.student_name ? `${item.student_name}, ` : "",
    h("a", { href: `/staff/student/?id=${encodeURIComponent(item.student_id)}` }, item.sers_id)];
}

/** One request as a card: its facts, an optional note, Approve and Deny (and, with
 * `selectable`, a checkbox that picks it for a decision in bulk). */
function requestCard(key, label, facts, { selectable = false } = {}) {
  const id = `request-${key.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return h("li", { class: "card request", "data-key": key },
    h("h3", { id }, label),
    selectable && h("div", { class: "choice" },
      h("input", { type: "checkbox", id: `${id}-select`, name: "selected", value: key, "data-label": label }),
      h("label", { for: `${id}-select` }, "Select", h("span", { class: "visually-hidden" }, ` ${label}`), " for a decision in bulk")),
    h("dl", { class: "facts" }, facts.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
    h("div", { class: "field" },
      h("label", { for: `${id}-note` }, "Note to the student (optional)"),
      h("input", { type: "text", id: `${id}-note`, name: `note-${key}` })),
    h("div", { class: "actions" },
      h("button", { type: "submit", value: `approve:${key}`, "data-label": label, "aria-describedby": id }, "Approve"),
      h("button", { type: "submit", value: `deny:${key}`, "data-label": label, class: "secondary", "aria-describedby": id }, "Deny")));
}

async function loadWaivers() {
  const waivers = await api("/waivers");
  document.getElementById("waivers-body").replaceChildren(...(waivers.length ? [
    h("ul", { class: "cards" }, waivers.map((w) => requestCard(`${w.student_id}|${w.school_year}`,
      `Waiver for ${w.sers_id}, ${w.school_year}`, [
        ["Student", studentLink(w)],
        ["School", w.school_name || "Not given"],
        ["Reason", REASONS[w.reason] || w.reason],
        ["Explanation", w.explanation || "None given"],
        ["Asked", dateTime(w.requested_at)],
      ], { selectable: true }))),
    h("div", { class: "actions bulk-actions", role: "group", "data-field": "selected", "aria-labelledby": "bulk-heading" },
      h("p", { id: "bulk-heading", class: "bulk-heading" }, "Selected waivers:"),
      h("button", { type: "submit", value: "approve-selected", "data-busy": "Approving…" }, "Approve selected"),
      h("button", { type: "submit", value: "deny-selected", "data-busy": "Denying…", class: "secondary" }, "Deny selected")),
  ] : [h("p", {}, "No waiver is waiting.")]));
}

async function loadPrior() {
  const requests = await api("/prior-year-requests");
  document.getElementById("prior-body").replaceChildren(requests.length
    ? h("ul", { class: "cards" }, requests.map((r) => requestCard(`${r.student_id}|${r.school_year}|${r.request_id}`,
      `Prior-year credit for ${r.sers_id}, ${r.school_year}`, [
        ["Student", studentLink(r)],
        ["School", r.school_name || "Not given"],
        ["Class", `${r.high_school_course} with ${r.teacher}`],
        ["Reason", r.reason],
        ["Cost if approved", money(r.cost_if_approved_cents)],
        ["Asked", dateTime(r.requested_at)],
      ])))
    : h("p", {}, "No prior-year request is waiting."));
}

/** The outcome of each decision, one line each, in the form's status. */
function showResults(form, results, labels) {
  const lines = results.map((r) => {
    const label = labels.get(`${r.student_id}|${r.school_year}`) || `Waiver for ${r.student_id}, ${r.school_year}`;
    return h("span", { class: "result-line", "data-outcome": r.outcome }, `${label}: ${OUTCOMES[r.outcome] || r.outcome}.`);
  });
  showStatus(form, "");
  form.querySelector(".form-status").replaceChildren(...lines);
}

/** Approve or deny every selected waiver in one request. */
async function decideSelected(form, approve) {
  const selected = [...form.querySelectorAll("input[name=selected]:checked")];
  if (!selected.length) {
    const error = new Error("Select at least one waiver first.");
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
  showStatus(form, `${label}: ${OUTCOMES[result.outcome] || result.outcome}.`);
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
