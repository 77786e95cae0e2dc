// Staff's transcript batches: per college, credit earned, exported and posted for a
// year; close a college's next batch; download a batch; invite a college registrar.
import { api, download, query } from "./api.js";
import { clearErrors, onSubmit, showErrors, showStatus, whileBusy } from "./forms.js";
import { loadCatalogs, t } from "./i18n.js";
import { dateTime, h, ready, schoolYears, startPage, table } from "./page.js";

await loadCatalogs("batches");

const yearForm = document.getElementById("year-form");
const closeForm = document.getElementById("close-form");
const inviteForm = document.getElementById("invite-form");
const registrarsForm = document.getElementById("registrars-form");
let colleges = [];
let year = "";

function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function closeButton(college) {
  const button = h("button", { type: "button" }, t("batches.close", { college: college.college }));
  button.addEventListener("click", () => whileBusy(button, t("batches.closing"), async () => {
    clearErrors(closeForm);
    try {
      const batch = await api("/transcript-batches", { method: "POST", body: { college: college.college, school_year: year } });
      await load(year);
      showStatus(closeForm, t("batches.closed", batch));
    } catch (error) {
      showErrors(closeForm, error);
    }
  }));
  return button;
}

function downloadButton(batch) {
  const button = h("button", { type: "button", class: "secondary" }, t("batches.download", { number: batch.number }));
  button.addEventListener("click", () => whileBusy(button, t("batches.downloading"), async () => {
    clearErrors(closeForm);
    try {
      const { blob, filename } = await download(`/transcript-batches/${encodeURIComponent(batch.batch_id)}/csv`);
      save(blob, filename);
    } catch (error) {
      showErrors(closeForm, error);
    }
  }));
  return button;
}

function removeButton(user) {
  const button = h("button", { type: "button", class: "danger" }, t("batches.remove", { email: user.email }));
  button.addEventListener("click", () => whileBusy(button, t("batches.removing"), async () => {
    clearErrors(registrarsForm);
    try {
      await api(`/college-users/${encodeURIComponent(user.user_id)}/remove`, { method: "POST" });
      await showRegistrars();
      showStatus(registrarsForm, t("batches.removed", { email: user.email }));
    } catch (error) {
      showErrors(registrarsForm, error);
    }
  }));
  return button;
}

async function showRegistrars() {
  const lists = await Promise.all(colleges.map((c) => api(`/college-users${query({ college: c.college })}`)));
  const users = lists.flat();
  const headers = [t("batches.col_email"), t("batches.col_college"), t("batches.col_status"), t("batches.col_actions")];
  document.getElementById("registrar-list").replaceChildren(users.length
    ? table(t("batches.registrars"), headers, users.map((u) => [
      h("span", { translate: "no" }, u.email), h("span", { translate: "no" }, u.college),
      u.status === "removed" ? t("batches.status_removed") : t("batches.status_active"),
      u.status === "removed" ? "" : removeButton(u)]))
    : h("p", {}, t("batches.no_registrars")));
}

function show(found) {
  colleges = found;
  document.getElementById("colleges-heading").textContent = t("batches.colleges_for", { year });
  const headers = [t("batches.col_college"), t("batches.col_earned"), t("batches.col_exported"), t("batches.col_posted"),
    t("batches.col_batches"), t("batches.col_actions")];
  document.getElementById("college-list").replaceChildren(colleges.length
    ? table(t("batches.caption", { year }), headers, colleges.map((c) => [
      h("span", { translate: "no" }, c.college), String(c.earned), String(c.exported), String(c.posted),
      String(c.batches.length), closeButton(c)]))
    : h("p", {}, t("batches.no_colleges")));
  const batchHeaders = [t("batches.col_batch"), t("batches.col_closed"), t("batches.col_rows"), t("batches.col_posted"),
    t("batches.col_actions")];
  document.getElementById("batch-lists").replaceChildren(...colleges.filter((c) => c.batches.length).map((c) =>
    table(t("batches.batches_of", { college: c.college }), batchHeaders, c.batches.map((b) => [
      String(b.number), dateTime(b.closed_at), String(b.lines), String(b.posted), downloadButton(b)]))));
  inviteForm.elements.college.replaceChildren(h("option", { value: "" }, t("batches.choose_college")),
    ...colleges.map((c) => h("option", { value: c.college, translate: "no" }, c.college)));
  document.getElementById("colleges").hidden = false;
}

async function load(name) {
  year = name;
  show(await api(`/transcript-batches${query({ school_year: name })}`));
  await showRegistrars();
}

if (await startPage("staff", async () => {
  const current = await api("/window", { auth: false });
  yearForm.elements.school_year.replaceChildren(...schoolYears(current.school_year, [0, -1, -2])
    .map((n) => h("option", { value: n, selected: n === current.school_year }, n)));
  await load(current.school_year);
})) {
  onSubmit(yearForm, (data) => load(data.school_year), { busyLabel: t("batches.loading") });
  onSubmit(inviteForm, async (data) => {
    const user = await api("/college-users", { method: "POST", body: data });
    inviteForm.reset();
    await showRegistrars();
    showStatus(inviteForm, t("batches.invited", { email: user.email, college: user.college }));
  });
}
ready();
