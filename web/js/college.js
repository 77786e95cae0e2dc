// A college registrar's page: their college's transcript batches for a year; download
// one (CSV, what the registrar imports), then mark it posted, whole or by rows.
import { api, download, query } from "./api.js";
import { clearErrors, onSubmit, showErrors, showStatus, whileBusy } from "./forms.js";
import { loadCatalogs, t } from "./i18n.js";
import { dateTime, h, longDate, ready, schoolYears, startPage, table } from "./page.js";

await loadCatalogs("college");

const yearForm = document.getElementById("year-form");
const rowsForm = document.getElementById("rows-form");
let year = "";
let open = null; // the batch whose rows are shown
let rows = [];

/** The rows of a CSV file (RFC 4180: quoted cells, doubled quotes, line breaks in quotes). */
function parseCsv(text) {
  const out = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i += 1;
      row.push(cell); out.push(row); row = []; cell = "";
    } else cell += c;
  }
  if (cell || row.length) { row.push(cell); out.push(row); }
  const [header, ...body] = out;
  return body.map((cells) => Object.fromEntries(header.map((name, k) => [name, cells[k] ?? ""])));
}

async function fetchBatch(batch) {
  const { blob, filename } = await download(`/transcript-batches/${encodeURIComponent(batch.batch_id)}/csv`);
  return { blob, filename, text: (await blob.text()).replace(/^\ufeff/, "") };
}

function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function batchRow(batch) {
  const get = h("button", { type: "button", class: "secondary" }, t("college.download", { number: batch.number }));
  get.addEventListener("click", () => whileBusy(get, t("college.downloading"), async () => {
    clearErrors(yearForm);
    try {
      const { blob, filename } = await fetchBatch(batch);
      save(blob, filename);
    } catch (error) {
      showErrors(yearForm, error);
    }
  }));
  const see = h("button", { type: "button", class: "secondary" }, t("college.show_rows", { number: batch.number }));
  see.addEventListener("click", () => whileBusy(see, t("college.loading"), async () => {
    try {
      await showRows(batch);
    } catch (error) {
      showErrors(yearForm, error);
    }
  }));
  return [String(batch.number), dateTime(batch.closed_at), String(batch.lines), String(batch.new),
    String(batch.corrected), String(batch.withdrawn), String(batch.posted), h("div", { class: "actions" }, get, see)];
}

function show(college) {
  document.getElementById("college-intro").textContent = t("college.intro", { college: college.college });
  document.getElementById("batches-heading").textContent = t("college.batches_for", { year: college.school_year });
  const headers = [t("college.col_batch"), t("college.col_closed"), t("college.col_rows"), t("college.col_new"),
    t("college.col_corrected"), t("college.col_withdrawn"), t("college.col_posted"), t("college.col_actions")];
  document.getElementById("batch-list").replaceChildren(college.batches.length
    ? table(t("college.batch_caption", { year: college.school_year }), headers, college.batches.map(batchRow))
    : h("p", {}, t("college.no_batches")));
  document.getElementById("batches").hidden = false;
}

async function load(name) {
  year = name;
  const [college] = await api(`/transcript-batches${query({ school_year: name })}`);
  show(college);
  document.getElementById("rows").hidden = true;
  return college;
}

async function showRows(batch) {
  open = batch;
  rows = parseCsv((await fetchBatch(batch)).text);
  document.getElementById("rows-heading").textContent = t("college.rows_heading", { number: batch.number });
  const headers = [t("college.col_select"), t("college.col_mark"), t("college.col_student"), t("college.col_sers_id"),
    t("college.col_course"), t("college.col_grade")];
  const marks = { new: t("college.mark_new"), corrected: t("college.mark_corrected"), withdrawn: t("college.mark_withdrawn") };
  document.getElementById("row-list").replaceChildren(table(t("college.rows_caption", { number: batch.number }), headers,
    rows.map((row) => {
      const name = `${row.legal_last_name}, ${row.legal_first_name}`;
      const pick = row.posted_on
        ? h("span", {}, t("college.posted_on", { date: longDate(row.posted_on) }))
        : h("input", { type: "checkbox", name: "lines", value: row.line,
          "aria-label": t("college.select_row", { name, course: row.college_course_code }) });
      return [pick, marks[row.mark] || row.mark, h("span", { translate: "no" }, name), row.sers_id,
        `${row.college_course_code} ${row.college_course_title}`, row.grade];
    })));
  document.getElementById("rows").hidden = false;
  document.getElementById("rows-heading").focus();
}

async function post(body) {
  const result = await api(`/transcript-batches/${encodeURIComponent(open.batch_id)}/posted`, { method: "POST", body });
  const college = await load(year);
  await showRows(college.batches.find((b) => b.batch_id === open.batch_id));
  showStatus(rowsForm, t("college.marked", { count: result.recorded }));
}

if (await startPage("college", async () => {
  const current = await api("/window", { auth: false });
  yearForm.elements.school_year.replaceChildren(...schoolYears(current.school_year, [0, -1, -2])
    .map((n) => h("option", { value: n, selected: n === current.school_year }, n)));
  await load(current.school_year);
})) {
  onSubmit(yearForm, (data) => load(data.school_year), { busyLabel: t("college.loading") });
  onSubmit(rowsForm, async () => {
    const lines = [...rowsForm.querySelectorAll("input[name=lines]:checked")].map((box) => box.value);
    if (!lines.length) {
      showStatus(rowsForm, t("college.select_first"));
      return;
    }
    await post({ lines });
  });
  const whole = document.getElementById("mark-whole");
  whole.addEventListener("click", () => whileBusy(whole, t("common.saving"), async () => {
    clearErrors(rowsForm);
    try {
      await post({});
    } catch (error) {
      showErrors(rowsForm, error);
    }
  }));
}
ready();
