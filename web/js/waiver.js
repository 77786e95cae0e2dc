import { api } from "./api.js";
import { onSubmit, showStatus } from "./forms.js";
import { loadCatalogs, t } from "./i18n.js";
import { h, startPage, ready } from "./page.js";

await loadCatalogs("waiver");

const form = document.getElementById("waiver-form");

async function load() {
  const [dashboard, window_] = await Promise.all([
    api("/students/me/dashboard"),
    api("/window", { auth: false }).catch(() => null),
  ]);
  const names = new Set(dashboard.years.map((y) => y.school_year));
  if (window_) names.add(window_.school_year);
  const wanted = new URLSearchParams(location.search).get("year") || window_?.school_year;
  form.elements.school_year.replaceChildren(...[...names].sort().reverse()
    .map((name) => h("option", { value: name, selected: name === wanted }, name)));
}

if (await startPage("student", load)) {
  onSubmit(form, async (data) => {
    const waiver = await api("/students/me/waivers", { method: "POST", body: data });
    form.reset(); // a sent request is not sent twice by mistake
    showStatus(form, t("waiver.sent", { year: waiver.school_year }));
  }, { busyLabel: t("waiver.sending") });
}
ready();
