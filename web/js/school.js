import { api } from "./api.js";
import { onSubmit } from "./forms.js";
import { dateTime, h, pageError, requireRole, table, schoolYears, ready } from "./page.js";

const form = document.getElementById("year-form");
const roster = document.getElementById("roster");

async function load(schoolId, year) {
  const entries = await api(`/schools/${encodeURIComponent(schoolId)}/roster?school_year=${encodeURIComponent(year)}`);
  const sorted = entries.slice().sort((a, b) =>
    `${a.legal_last_name} ${a.legal_first_name}`.localeCompare(`${b.legal_last_name} ${b.legal_first_name}`));
  roster.replaceChildren(sorted.length
    ? table(`${sorted.length} registration${sorted.length === 1 ? "" : "s"} in ${year}`,
      ["Student", "SERS ID", "Class", "Teacher", "Registered"],
      sorted.map((e) => [
        `${e.legal_last_name}, ${e.legal_first_name}` + (e.preferred_name ? ` (${e.preferred_name})` : ""),
        e.sers_id, e.high_school_course, e.teacher, dateTime(e.registered_at)]))
    : h("p", {}, `No student of your school is registered for ${year} yet.`));
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
    onSubmit(form, (data) => load(user.schoolId, data.school_year), { busyLabel: "Loading…" });
  } catch (error) {
    pageError(error);
  }
}
ready();
