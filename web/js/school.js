import { api } from "./api.js";
import { onSubmit, requireFields, showStatus, whileBusy } from "./forms.js";
import { dateTime, h, pageError, requireRole, table, schoolYears, ready } from "./page.js";

const form = document.getElementById("year-form");
const roster = document.getElementById("roster");
const grades = document.getElementById("grades");
const csvForm = document.getElementById("grades-csv-form");
const gradeForm = document.getElementById("grade-form");

function gradeCell(entry) {
  if (!entry.grade) return "—";
  return `${entry.grade} (${entry.credit_earned ? "earns credit" : "no credit"})`;
}

const rosterStatus = document.getElementById("roster-status");
let answerInClass = null; // set once signed in: (entry, inClass) => Promise

function inClassCell(entry) {
  const name = `${entry.legal_first_name} ${entry.legal_last_name}`;
  const state = entry.in_class === true ? "In the class" : entry.in_class === false ? "Not in the class" : "Not confirmed";
  const button = (inClass, label) => h("button", {
    type: "button", class: "secondary", "aria-label": `${label}: ${name}, ${entry.high_school_course}`,
    onclick: (event) => whileBusy(event.currentTarget, "Saving…", () => answerInClass(entry, inClass)),
  }, label);
  return h("span", { class: "in-class" }, `${state} `,
    entry.in_class === true ? "" : button(true, "Confirm"),
    entry.in_class === false ? "" : button(false, "Not in class"));
}

async function load(schoolId, year) {
  const entries = await api(`/schools/${encodeURIComponent(schoolId)}/roster?school_year=${encodeURIComponent(year)}`);
  const sorted = entries.slice().sort((a, b) =>
    `${a.legal_last_name} ${a.legal_first_name}`.localeCompare(`${b.legal_last_name} ${b.legal_first_name}`));
  roster.replaceChildren(sorted.length
    ? table(`${sorted.length} registration${sorted.length === 1 ? "" : "s"} in ${year}`,
      ["Student", "SERS ID", "Class", "Teacher", "Registered", "In class?", "Grade"],
      sorted.map((e) => [
        `${e.legal_last_name}, ${e.legal_first_name}` + (e.preferred_name ? ` (${e.preferred_name})` : ""),
        e.sers_id, e.high_school_course, e.teacher, dateTime(e.registered_at), inClassCell(e), gradeCell(e)]))
    : h("p", {}, `No student of your school is registered for ${year} yet.`));
  gradeForm.elements.registration.replaceChildren(...sorted.map((e) => h("option",
    { value: JSON.stringify({ sers_id: e.sers_id, offering_id: e.offering_id }) },
    `${e.legal_last_name}, ${e.legal_first_name} (${e.sers_id}): ${e.high_school_course}`)));
  grades.hidden = sorted.length === 0;
}

function summary(result) {
  return `${result.posted} grade${result.posted === 1 ? "" : "s"} posted, ${result.unchanged} unchanged, for ${result.school_year}.`;
}

const user = requireRole("school");
if (user) {
  try {
    if (!user.schoolId) throw new Error("Your account is not linked to a school. Contact the consortium office.");
    const [schools, current] = await Promise.all([api("/schools", { auth: false }), api("/window", { auth: false })]);
    const school = schools.find((s) => s.school_id === user.schoolId);
    document.getElementById("school-name").textContent = school ? school.name : user.schoolId;
    document.getElementById("school-line").hidden = false;
    form.elements.school_year.replaceChildren(...schoolYears(current.school_year, [0, -1, -2])
      .map((n) => h("option", { value: n }, n)));
    await load(user.schoolId, current.school_year);
    const year = () => form.elements.school_year.value;
    const base = `/schools/${encodeURIComponent(user.schoolId)}/grades`;
    onSubmit(form, (data) => load(user.schoolId, data.school_year), { busyLabel: "Loading…" });
    answerInClass = async (entry, inClass) => {
      rosterStatus.textContent = "";
      try {
        await api(`/schools/${encodeURIComponent(user.schoolId)}/enrollments`, { method: "PUT", body: {
          school_year: year(), entries: [{ sers_id: entry.sers_id, offering_id: entry.offering_id, in_class: inClass }] } });
        await load(user.schoolId, year());
        rosterStatus.textContent = `${entry.legal_first_name} ${entry.legal_last_name} is marked ${inClass ? "in" : "not in"} ${entry.high_school_course}.`;
      } catch (error) {
        rosterStatus.textContent = error.message || "That did not work. Please try again.";
      }
    };
    onSubmit(csvForm, async () => {
      const file = csvForm.elements.file.files[0];
      requireFields({ file }, { file: "Choose the CSV file of grades." });
      const result = await api(`${base}/csv?school_year=${encodeURIComponent(year())}`,
        { method: "POST", text: await file.text(), contentType: "text/csv" });
      await load(user.schoolId, year());
      showStatus(csvForm, summary(result));
    }, { busyLabel: "Posting…" });
    onSubmit(gradeForm, async (data) => {
      requireFields(data, { grade: "Enter the grade, like B+." });
      const result = await api(base, { method: "PUT", body: {
        school_year: year(), grades: [{ ...JSON.parse(data.registration), grade: data.grade }] } });
      await load(user.schoolId, year());
      gradeForm.elements.grade.value = "";
      showStatus(gradeForm, summary(result));
    }, { busyLabel: "Posting…", fieldFor: (field) => (field.endsWith(".grade") ? "grade" : field) });
  } catch (error) {
    pageError(error);
  }
}
ready();
