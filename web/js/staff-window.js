import { api } from "./api.js";
import { onSubmit, showStatus } from "./forms.js";
import { dateTime, h, longDate, startPage, schoolYears, ready } from "./page.js";

const yearForm = document.getElementById("year-form");
const extendForm = document.getElementById("extend-form");
const STATUS = { not_yet_open: "Not open yet", open: "Open", closed: "Closed" };
let year = "";

function show(window_) {
  year = window_.school_year;
  document.getElementById("window-year").textContent = window_.school_year;
  document.getElementById("window-facts").replaceChildren(
    h("dt", {}, "Status"), h("dd", { id: "window-status" }, STATUS[window_.status] || window_.status),
    h("dt", {}, "Opens"), h("dd", {}, `${longDate(window_.opens_on)} (${dateTime(window_.opens_at)} Pacific)`),
    h("dt", {}, "Last day"), h("dd", { id: "window-closes" }, `${longDate(window_.closes_on)}` +
      (window_.extended ? " (extended)" : "")));
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
  onSubmit(yearForm, (data) => load(data.school_year), { busyLabel: "Loading…" });
  onSubmit(extendForm, async (data) => {
    const window_ = await api(`/windows/${encodeURIComponent(year)}`, { method: "PUT", body: data });
    show(window_);
    showStatus(extendForm, `The ${window_.school_year} window now closes at the end of ${longDate(window_.closes_on)}.`);
  });
}
ready();
