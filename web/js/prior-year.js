import { api } from "./api.js";
import { onSubmit, showStatus } from "./forms.js";
import { loadCatalogs, t } from "./i18n.js";
import { h, money, previousYears, startPage, schoolOptions, ready } from "./page.js";

await loadCatalogs("prior_year");

const form = document.getElementById("prior-form");

async function load() {
  const [profile, schools, window_] = await Promise.all([
    api("/students/me"),
    api("/schools", { auth: false }),
    api("/window", { auth: false }),
  ]);
  form.elements.school_year.replaceChildren(
    ...previousYears(window_.school_year, 4).map((name) => h("option", { value: name }, name)));
  schoolOptions(form.elements.school_id, schools, profile.school_id);
}

if (await startPage("student", load)) {
  onSubmit(form, async (data) => {
    const request = await api("/students/me/prior-year-requests", { method: "POST", body: data });
    form.reset(); // a sent request is not sent twice by mistake
    showStatus(form, t("prior_year.sent", { year: request.school_year, amount: money(request.cost_if_approved_cents) }));
  }, { busyLabel: t("prior_year.sending") });
}
ready();
