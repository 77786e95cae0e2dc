import { api } from "./api.js";
import { onSubmit, showStatus } from "./forms.js";
import { dateTime, h, money, pageError, requireRole, ready } from "./page.js";

const waiversForm = document.getElementById("waivers-form");
const priorForm = document.getElementById("prior-form");
const REASONS = { free_reduced_lunch: "Free or reduced-price lunch", hardship: "Financial hardship" };
const OUTCOMES = { approved: "approved", denied: "denied", not_pending: "already decided by someone else" };

function studentLink(item) {
  return h("a", { href: `/staff/student/?id=${encodeURIComponent(item.student_id)}` }, item.sers_id);
}

/** One request as a card: its facts, an optional note, Approve and Deny. */
function requestCard(key, label, facts) {
  const id = `request-${key.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return h("li", { class: "card request", "data-key": key },
    h("h3", { id }, label),
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
  document.getElementById("waivers-body").replaceChildren(waivers.length
    ? h("ul", { class: "cards" }, waivers.map((w) => requestCard(`${w.student_id}|${w.school_year}`,
      `Waiver for ${w.sers_id}, ${w.school_year}`, [
        ["Student", studentLink(w)],
        ["Reason", REASONS[w.reason] || w.reason],
        ["Explanation", w.explanation || "None given"],
        ["Asked", dateTime(w.requested_at)],
      ])))
    : h("p", {}, "No waiver is waiting."));
}

async function loadPrior() {
  const requests = await api("/prior-year-requests");
  document.getElementById("prior-body").replaceChildren(requests.length
    ? h("ul", { class: "cards" }, requests.map((r) => requestCard(`${r.student_id}|${r.school_year}|${r.request_id}`,
      `Prior-year credit for ${r.sers_id}, ${r.school_year}`, [
        ["Student", studentLink(r)],
        ["Class", `${r.high_school_course} with ${r.teacher}`],
        ["Reason", r.reason],
        ["Cost if approved", money(r.cost_if_approved_cents)],
        ["Asked", dateTime(r.requested_at)],
      ])))
    : h("p", {}, "No prior-year request is waiting."));
}

async function decide(form, path, button, reload) {
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

if (requireRole("staff")) {
  for (const heading of document.querySelectorAll("main h2")) heading.tabIndex = -1;
  try {
    await Promise.all([loadWaivers(), loadPrior()]);
  } catch (error) {
    pageError(error);
  }
  onSubmit(waiversForm, (_data, button) => decide(waiversForm, "/waivers/decisions", button, loadWaivers));
  onSubmit(priorForm, (_data, button) => decide(priorForm, "/prior-year-requests/decisions", button, loadPrior));
}
ready();
