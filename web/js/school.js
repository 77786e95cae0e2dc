import { api } from "./api.js";
import { onSubmit, requireFields, showStatus } from "./forms.js";
import { API_ROUTE_MAX_BYTES, failedFile, importLargeFile, progressText, refusedFile, reportButton } from "./grade-file.js";
import { loadCatalogs, t } from "./i18n.js";
import { h, pageError, requireRole, schoolYears, ready, showLoading, showPage } from "./page.js";
import { rosterView, selectedRows, sortRoster, studentName, syncSelection } from "./roster.js";

await loadCatalogs("school");
showPage();

const form = document.getElementById("year-form");
const roster = document.getElementById("roster");
const rosterForm = document.getElementById("roster-form");
const grades = document.getElementById("grades");
const csvForm = document.getElementById("grades-csv-form");

let shown = []; // the registrations the roster shows, in its order
let sent = []; // the roster index of each row of the last request, to place its errors

async function load(schoolId, year) {
  const entries = await api(`/schools/${encodeURIComponent(schoolId)}/roster?school_year=${encodeURIComponent(year)}`);
  shown = sortRoster(entries);
  roster.replaceChildren(...rosterView(shown, year));
  syncSelection(roster);
  grades.hidden = shown.length === 0;
}

function summary(result) {
  return t(result.posted === 1 ? "school.grades_posted_one" : "school.grades_posted",
    { count: result.posted, unchanged: result.unchanged, year: result.school_year });
}

/** An error of the last request ("grades[2].grade", or "grades.2.grade" from a 422;
 * "entries[0].offering_id") goes to its row in the roster: the grade box, or the
 * in-class answer. */
function rowField(field) {
  const found = /^(grades|entries)(?:\[(\d+)\]|\.(\d+))/.exec(field || "");
  const row = found ? sent[Number(found[2] ?? found[3])] : undefined;
  if (row === undefined) return field;
  return `${found[1] === "grades" ? "grade" : "row"}-${row}`;
}

roster.addEventListener("change", (event) => {
  if (event.target.id === "select-all") {
    for (const box of roster.querySelectorAll("input[name=selected]")) box.checked = event.target.checked;
  }
  syncSelection(roster);
});

// Enter in a grade box saves the roster's grades (the form's first button is another one).
roster.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !event.target.matches(".grade-input")) return;
  event.preventDefault();
  rosterForm.requestSubmit(roster.querySelector("button[value=save-grades]"));
});

const user = requireRole("school");
if (user) {
  const loaded = showLoading(); // the roster and its forms once the data came
  try {
    if (!user.schoolId) throw new Error(t("school.no_school"));
    const [schools, current] = await Promise.all([api("/schools", { auth: false }), api("/window", { auth: false })]);
    const school = schools.find((s) => s.school_id === user.schoolId);
    document.getElementById("school-name").textContent = school ? school.name : user.schoolId;
    document.getElementById("school-line").hidden = false;
    form.elements.school_year.replaceChildren(...schoolYears(current.school_year, [0, -1, -2])
      .map((n) => h("option", { value: n }, n)));
    await load(user.schoolId, current.school_year);
    const year = () => form.elements.school_year.value;
    const school_path = `/schools/${encodeURIComponent(user.schoolId)}`;
    onSubmit(form, (data) => load(user.schoolId, data.school_year), { busyLabel: t("school.loading") });

    /** Say whether the students of these roster rows are in the class: one request. */
    const answer = async (indexes, inClass) => {
      sent = indexes;
      const result = await api(`${school_path}/enrollments`, { method: "PUT", body: {
        school_year: year(),
        entries: indexes.map((i) => ({ sers_id: shown[i].sers_id, offering_id: shown[i].offering_id, in_class: inClass })),
      } });
      const one = indexes.length === 1 ? shown[indexes[0]] : null;
      await load(user.schoolId, year());
      const vars = { name: studentName(one || {}), course: one?.high_school_course, count: result.recorded, unchanged: result.unchanged };
      const key = one
        ? (inClass ? "school.marked_in" : "school.marked_out")
        : (inClass ? (result.recorded === 1 ? "school.marked_many_in_one" : "school.marked_many_in")
          : (result.recorded === 1 ? "school.marked_many_out_one" : "school.marked_many_out"));
      showStatus(rosterForm, t(key, vars));
      const again = one ? shown.findIndex((e) => e.sers_id === one.sers_id && e.offering_id === one.offering_id) : -1;
      (again >= 0 ? roster.querySelector(`[data-field="row-${again}"] button`) : roster.querySelector("#select-all"))?.focus();
    };

    /** Every grade typed or changed in the roster, in one request. */
    const saveGrades = async () => {
      const changed = shown.map((entry, i) => [i, rosterForm.elements.namedItem(`grade-${i}`).value.trim()])
        .filter(([i, value]) => value !== (shown[i].grade || ""));
      if (!changed.length) {
        showStatus(rosterForm, t("school.nothing_to_save"));
        return;
      }
      sent = changed.map(([i]) => i);
      const result = await api(`${school_path}/grades`, { method: "PUT", body: {
        school_year: year(),
        grades: changed.map(([i, grade]) => ({ sers_id: shown[i].sers_id, offering_id: shown[i].offering_id, grade })),
      } });
      await load(user.schoolId, year());
      showStatus(rosterForm, summary(result));
      roster.querySelector("button[value=save-grades]")?.focus();
    };

    onSubmit(rosterForm, async (_data, button) => {
      const [verb, index] = String(button?.value || "").split(":");
      if (verb === "save-grades") return saveGrades();
      if (verb === "in-selected" || verb === "out-selected") return answer(selectedRows(roster), verb === "in-selected");
      if ((verb === "in" || verb === "out") && shown[Number(index)]) return answer([Number(index)], verb === "in");
    }, { fieldFor: rowField });
    syncSelection(roster); // binding the form enabled every button; the selection's wait for one

    onSubmit(csvForm, async () => {
      const file = csvForm.elements.file.files[0];
      requireFields({ file }, { file: t("school.file_missing") });
      document.getElementById("grade-file-report")?.remove();
      if (file.size > API_ROUTE_MAX_BYTES) return postLargeFile(file);
      const result = await api(`${school_path}/grades/csv?school_year=${encodeURIComponent(year())}`,
        { method: "POST", text: await file.text(), contentType: "text/csv" });
      await load(user.schoolId, year());
      showStatus(csvForm, summary(result));
    }, { busyLabel: t("school.posting") });

    /** A district's export, through S3: its progress as it goes, then its per-row report. */
    const postLargeFile = async (file) => {
      const progress = document.getElementById("grade-file-progress");
      progress.textContent = t("school.file_uploading");
      progress.hidden = false;
      let status;
      try {
        status = await importLargeFile(school_path, year(), file, (s) => { progress.textContent = progressText(s); });
      } finally {
        progress.hidden = true;
      }
      if (status.state === "failed") throw failedFile(status);
      csvForm.querySelector(".actions").append(reportButton(status.reportPath, csvForm));
      if (status.state === "refused") throw refusedFile(status);
      await load(user.schoolId, year());
      showStatus(csvForm, summary({ posted: status.rows_written, unchanged: status.rows_unchanged, school_year: status.school_year }));
    };
  } catch (error) {
    pageError(error);
  } finally {
    loaded();
  }
}
ready();
