import { loadCatalogs, t } from "./i18n.js";
import { api } from "./api.js";
import { onSubmit, showStatus } from "./forms.js";
import { dateTime, h, longDate, startPage, schoolYears, ready } from "./page.js";

await loadCatalogs("staff_window");

const yearForm = document.getElementById("year-form");
const extendForm = document.getElementById("extend-form");
const STATUS = { not_yet_open: "staff_window.not_open_yet", open: "staff_window.open", closed: "staff_window.closed" };
let year = "";

function show(window_) {
  year = window_.school_year;
  document.getElementById("window-year").textContent = window_.school_year;
  document.getElementById("window-facts").replaceChildren(
    h("dt", {}, t("staff_window.status")), h("dd", { id: "window-status" }, STATUS[window_.status] ? t(STATUS[window_.status]) : window_.status),
    h("dt", {}, t("staff_window.opens")),
    h("dd", {}, t("staff_window.opens_at", { date: longDate(window_.opens_on), time: dateTime(window_.opens_at) })),
    h("dt", {}, t("staff_window.last_day")),
    h("dd", { id: "window-closes" }, window_.extended
      ? t("staff_window.closes_extended", { date: longDate(window_.closes_on) }) : longDate(window_.closes_on)));
  extendForm.elements.closes_on.value = window_.closes_on;
  document.getElementById("window").hidden = false;
}

async function load(name) {
  show(await api(`/windows/${encodeURIComponent(name)}`));
}

if (await startPage("staff", async () => {
  const current = await api("/window", { auth: false });
  yearForm.elements.school_year.replaceChildren(...schoolYears(current.school_year, [1, 0, -1])
    .map((n) => h("option", { value: n, selected: n === current.school_year }, n)));
  await load(current.school_year);
})) {
  onSubmit(yearForm, (data) => load(data.school_year), { busyLabel: t("staff_window.loading") });
  onSubmit(extendForm, async (data) => {
    const window_ = await api(`/windows/${encodeURIComponent(year)}`, { method: "PUT", body: data });
    show(window_);
    showStatus(extendForm, t("staff_window.extended", { year: window_.school_year, date: longDate(window_.closes_on) }));
  });
}
ready();
