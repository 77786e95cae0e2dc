// The school's roster: one row per registration (on a phone, one card per student),
// each with a box to select it, its in-class answer and buttons, and its grade to type.
// The page (school.js) sends what the roster's buttons ask for; this module draws it.
import { loadCatalogs, t, tNodes } from "./i18n.js";
import { dateTime, h } from "./page.js";

await loadCatalogs("roster");

const IN_CLASS = { true: "roster.in_the_class", false: "roster.not_in_the_class", null: "roster.not_confirmed" };

/** "Smith, Ann (Annie)". */
export function studentName(entry) {
  return `${entry.legal_last_name}, ${entry.legal_first_name}` + (entry.preferred_name ? ` (${entry.preferred_name})` : "");
}

/** The registrations in the order the roster shows them: by last name, first name, class. */
export function sortRoster(entries) {
  return entries.slice().sort((a, b) =>
    `${a.legal_last_name} ${a.legal_first_name} ${a.high_school_course}`
      .localeCompare(`${b.legal_last_name} ${b.legal_first_name} ${b.high_school_course}`));
}

function cell(label, ...children) {
  return h("td", { role: "cell", "data-label": label }, ...children);
}

function inClassCell(entry, index, who) {
  const state = t(IN_CLASS[String(entry.in_class ?? null)]);
  const button = (inClass, label) => h("button", {
    type: "submit", class: "secondary", value: `${inClass ? "in" : "out"}:${index}`,
    "aria-label": t("roster.button_for", { action: label, who }), "data-busy": t("common.saving"),
  }, label);
  return cell(t("roster.in_class"), h("div", { class: "in-class", "data-field": `row-${index}` },
    h("span", { class: "in-class-state" }, state),
    entry.in_class === true ? "" : button(true, t("roster.confirm")),
    entry.in_class === false ? "" : button(false, t("roster.not_in_class"))));
}

function gradeCell(entry, index, who) {
  const id = `grade-${index}`;
  const credit = entry.grade ? t(entry.credit_earned ? "roster.earns_credit" : "roster.no_credit") : "";
  return cell(t("roster.grade"), h("div", { class: "grade-field", "data-field": id },
    h("label", { for: id, class: "visually-hidden" }, tNodes("roster.grade_for", { who })),
    h("input", {
      id, name: id, type: "text", class: "grade-input", value: entry.grade || "", autocomplete: "off",
      "aria-describedby": credit ? `${id}-credit` : false,
    }),
    credit && " ", credit && h("span", { id: `${id}-credit`, class: "muted" }, credit)));
}

function rosterRow(entry, index) {
  const who = `${studentName(entry)}, ${entry.high_school_course}`;
  const box = `select-${index}`;
  return h("tr", { role: "row", "data-index": index },
    h("th", { role: "rowheader", scope: "row", class: "roster-student" },
      h("input", { type: "checkbox", id: box, name: "selected", value: index }),
      h("label", { for: box, translate: "no" }, studentName(entry), h("span", { class: "visually-hidden" }, `, ${entry.high_school_course}`))),
    cell(t("roster.sers_id"), h("span", { translate: "no" }, entry.sers_id)),
    cell(t("roster.class"), h("span", { translate: "no" }, entry.high_school_course)),
    cell(t("roster.teacher"), h("span", { translate: "no" }, entry.teacher)),
    cell(t("roster.registered"), dateTime(entry.registered_at)),
    inClassCell(entry, index, who),
    gradeCell(entry, index, who));
}

/**
 * The roster of `entries` (sorted) for `year`: a select-all box and the buttons for the
 * selected students above the table, "Save grades" below it.
 */
export function rosterView(entries, year) {
  if (!entries.length) return [h("p", {}, t("roster.none", { year }))];
  const caption = t(entries.length === 1 ? "roster.caption_one" : "roster.caption", { count: entries.length, year });
  const headers = ["roster.student", "roster.sers_id", "roster.class", "roster.teacher", "roster.registered",
    "roster.in_class_question", "roster.grade"].map((key) => t(key));
  return [
    h("div", { class: "actions roster-tools", role: "group", "aria-labelledby": "selection-count" },
      h("div", { class: "choice" },
        h("input", { type: "checkbox", id: "select-all", name: "select_all" }),
        h("label", { for: "select-all" }, t("roster.select_all", { count: entries.length }))),
      h("p", { id: "selection-count", class: "selection-count", "aria-live": "polite" }, t("roster.none_selected")),
      h("button", { type: "submit", value: "in-selected", disabled: true, "data-busy": t("common.saving") },
        t("roster.confirm_selected")),
      h("button", { type: "submit", value: "out-selected", class: "secondary", disabled: true, "data-busy": t("common.saving") },
        t("roster.out_selected"))),
    h("div", { class: "table-wrap roster-wrap", role: "region", tabindex: "0", "aria-labelledby": "roster-caption" },
      h("table", { class: "roster-table", role: "table", "aria-labelledby": "roster-caption" },
        h("caption", { id: "roster-caption" }, caption),
        h("thead", { role: "rowgroup" }, h("tr", { role: "row" },
          headers.map((text) => h("th", { role: "columnheader", scope: "col" }, text)))),
        h("tbody", { role: "rowgroup" }, entries.map(rosterRow)))),
    h("div", { class: "actions" },
      h("button", { type: "submit", value: "save-grades", "data-busy": t("common.saving") }, t("roster.save_grades"))),
  ];
}

/** Keep the select-all box, the count and the selection buttons in step with the boxes. */
export function syncSelection(container) {
  const boxes = [...container.querySelectorAll("input[name=selected]")];
  const all = container.querySelector("#select-all");
  if (!all) return;
  const chosen = boxes.filter((box) => box.checked).length;
  all.checked = chosen > 0 && chosen === boxes.length;
  all.indeterminate = chosen > 0 && chosen < boxes.length;
  container.querySelector("#selection-count").textContent =
    chosen ? t("roster.selected", { count: chosen, total: boxes.length }) : t("roster.none_selected");
  for (const button of container.querySelectorAll('button[value$="-selected"]')) button.disabled = chosen === 0;
}

/** The indexes of the selected rows. */
export function selectedRows(container) {
  return [...container.querySelectorAll("input[name=selected]:checked")].map((box) => Number(box.value));
}
