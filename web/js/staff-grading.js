import { loadCatalogs, t } from "./i18n.js";
import { api } from "./api.js";
import { onSubmit, showStatus } from "./forms.js";
import { dateTime, h, longDate, startPage, schoolYears, table, ready } from "./page.js";

await loadCatalogs("staff_grading");

const yearForm = document.getElementById("year-form");
const deadlineForm = document.getElementById("deadline-form");
const finalizeForm = document.getElementById("finalize-form");
const COLUMNS = [
  ["registered", "staff_grading.registered"],
  ["confirmed", "staff_grading.confirmed"],
  ["not_in_class", "staff_grading.not_in_class"],
  ["unconfirmed", "staff_grading.unconfirmed"],
  ["graded", "staff_grading.graded"],
  ["missing_grades", "staff_grading.missing_grades"],
  ["credit_earned", "staff_grading.credit_earned"],
];
let year = "";
let shown = null;

function row(progress) {
  // The totals' row (no school id): its name is the page's words, not the API's.
  const name = progress.school_id ? h("span", { translate: "no" }, progress.school_name) : t("staff_grading.all_schools");
  return [name, ...COLUMNS.map(([key]) => String(progress[key]))];
}

function show(grading) {
  shown = grading;
  year = grading.school_year;
  document.getElementById("grading-year").textContent = grading.school_year;
  const state = grading.finalized
    ? t("staff_grading.final_since", { time: dateTime(grading.finalized_at) })
    : t(grading.deadline_passed ? "staff_grading.ready_to_finalize" : "staff_grading.open");
  document.getElementById("grading-facts").replaceChildren(
    h("dt", {}, t("staff_grading.grading_deadline")), h("dd", { id: "grading-deadline" }, longDate(grading.deadline)),
    h("dt", {}, t("staff_grading.status")), h("dd", { id: "grading-status" }, state));
  document.getElementById("grading-schools").replaceChildren(
    grading.schools.length
      ? table(t("staff_grading.caption", { year: grading.school_year }),
        [t("staff_grading.school"), ...COLUMNS.map(([, label]) => t(label))],
        [...grading.schools.map(row), row(grading.totals)])
      : h("p", {}, t("staff_grading.no_schools")));
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
  onSubmit(yearForm, (data) => load(data.school_year), { busyLabel: t("staff_grading.loading") });
  onSubmit(deadlineForm, async (data) => {
    const grading = await api(`/grading/${encodeURIComponent(year)}`, { method: "PUT", body: data });
    show(grading);
    showStatus(deadlineForm, t("staff_grading.deadline_set", { year: grading.school_year, date: longDate(grading.deadline) }));
  });
  onSubmit(finalizeForm, async () => {
    const grading = await api(`/grading/${encodeURIComponent(year)}/finalize`, { method: "POST" });
    show(grading);
    document.getElementById("grading-heading").focus();
  }, { busyLabel: t("staff_grading.finalizing") });
  if (shown) show(shown); // binding the forms enabled every button
}
ready();
