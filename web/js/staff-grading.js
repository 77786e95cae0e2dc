import { api } from "./api.js";
import { onSubmit, showStatus } from "./forms.js";
import { dateTime, h, longDate, startPage, schoolYears, table, ready } from "./page.js";

const yearForm = document.getElementById("year-form");
const deadlineForm = document.getElementById("deadline-form");
const finalizeForm = document.getElementById("finalize-form");
const COLUMNS = [
  ["registered", "Registered"],
  ["confirmed", "Confirmed"],
  ["not_in_class", "Not in the class"],
  ["unconfirmed", "Not answered yet"],
  ["graded", "Graded"],
  ["missing_grades", "Missing grades"],
  ["credit_earned", "Credit earned"],
];
let year = "";
let shown = null;

function row(progress) {
  return [progress.school_name, ...COLUMNS.map(([key]) => String(progress[key]))];
}

function show(grading) {
  shown = grading;
  year = grading.school_year;
  document.getElementById("grading-year").textContent = grading.school_year;
  const state = grading.finalized
    ? `Final since ${dateTime(grading.finalized_at)} Pacific`
    : grading.deadline_passed ? "The deadline has passed: ready to finalize" : "Open: schools are posting grades";
  document.getElementById("grading-facts").replaceChildren(
    h("dt", {}, "Grading deadline"), h("dd", { id: "grading-deadline" }, longDate(grading.deadline)),
    h("dt", {}, "Status"), h("dd", { id: "grading-status" }, state));
  document.getElementById("grading-schools").replaceChildren(
    grading.schools.length
      ? table(`Each school's progress, ${grading.school_year}`, ["School", ...COLUMNS.map(([, label]) => label)],
        [...grading.schools.map(row), row(grading.totals)])
      : h("p", {}, "No schools yet."));
  deadlineForm.elements.deadline.value = grading.deadline;
  deadlineForm.hidden = grading.finalized;
  finalizeForm.hidden = grading.finalized;
  // Enabled once the deadline is over (the API says so too, with a 409, before it).
  finalizeForm.querySelector("button[type=submit]").disabled = !grading.deadline_passed;
  document.getElementById("grading").hidden = false;
}

async function load(name) {
  show(await api(`/grading/${encodeURIComponent(name)}`));
}

if (await startPage("staff", async () => {
  const current = await api("/window", { auth: false });
  yearForm.elements.school_year.replaceChildren(...schoolYears(current.school_year, [0, -1, -2])
    .map((n) => h("option", { value: n, selected: n === current.school_year }, n)));
  await load(current.school_year);
})) {
  onSubmit(yearForm, (data) => load(data.school_year), { busyLabel: "Loading…" });
  onSubmit(deadlineForm, async (data) => {
    const grading = await api(`/grading/${encodeURIComponent(year)}`, { method: "PUT", body: data });
    show(grading);
    showStatus(deadlineForm, `Grades for ${grading.school_year} are now due by ${longDate(grading.deadline)}.`);
  });
  onSubmit(finalizeForm, async () => {
    const grading = await api(`/grading/${encodeURIComponent(year)}/finalize`, { method: "POST" });
    show(grading);
    document.getElementById("grading-heading").focus();
  }, { busyLabel: "Finalizing…" });
  if (shown) show(shown); // binding the forms enabled every button
}
ready();
