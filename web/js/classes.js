import { api } from "./api.js";
import { onSubmit } from "./forms.js";
import { loadCatalogs, t, tNodes } from "./i18n.js";
import { h, longDate, startPage, table, ready } from "./page.js";

await loadCatalogs("classes");

const form = document.getElementById("register-form");
const list = document.getElementById("offerings");
let chosen = [];

function offeringItem(offering, registered) {
  const id = `offering-${offering.offering_id}`;
  return h("li", { class: "card", "data-field": `offering:${offering.offering_id}` },
    h("div", { class: "choice" },
      h("input", {
        type: "checkbox", id, name: "offering_ids", value: offering.offering_id, "data-type": "list",
        checked: registered, disabled: registered, "aria-describedby": `${id}-facts`,
      }),
      h("label", { for: id },
        tNodes(registered ? "classes.offering_registered" : "classes.offering", {
          course: h("strong", { translate: "no" }, offering.high_school_course), teacher: offering.teacher,
        }))),
    h("dl", { class: "facts", id: `${id}-facts` },
      h("dt", {}, t("classes.college")), h("dd", { translate: "no" }, offering.college),
      h("dt", {}, t("classes.college_course")),
      h("dd", { translate: "no" }, `${offering.college_course_code} ${offering.college_course_title}`),
      h("dt", {}, t("classes.credits")), h("dd", {}, String(offering.credits))));
}

function windowNotice(window_) {
  const notice = document.getElementById("window-notice");
  if (window_.status === "open") return;
  notice.textContent = window_.status === "not_yet_open"
    ? t("classes.window_not_yet_open", { year: window_.school_year, date: longDate(window_.opens_on) })
    : t("classes.window_closed", { year: window_.school_year, date: longDate(window_.closes_on) });
  notice.hidden = false;
}

async function load() {
  const [profile, dashboard, window_] = await Promise.all([
    api("/students/me"),
    api("/students/me/dashboard"),
    api("/window", { auth: false }),
  ]);
  const year = window_.school_year;
  const offerings = await api(`/schools/${encodeURIComponent(profile.school_id)}/offerings?school_year=${encodeURIComponent(year)}`, { auth: false });
  const registered = new Set(
    (dashboard.years.find((y) => y.school_year === year)?.registrations || []).map((r) => r.offering_id));
  const line = document.getElementById("school-line");
  line.replaceChildren(
    ...tNodes("classes.school_line", { school: h("strong", { translate: "no" }, profile.school_name), year }),
    " ", t("classes.not_your_school"), " ", h("a", { href: "/profile/" }, t("classes.change_school")));
  line.hidden = false;
  windowNotice(window_);
  if (!offerings.length) {
    list.replaceChildren(h("li", {}, t("classes.no_classes")));
  } else {
    list.replaceChildren(...offerings.map((o) => offeringItem(o, registered.has(o.offering_id))));
  }
  form.hidden = false;
}

if (await startPage("student", load)) {
  onSubmit(form, async (data) => {
    chosen = data.offering_ids || [];
    if (!chosen.length) {
      throw Object.assign(new Error(t("classes.choose_a_class")), {
        status: 400, errors: [{ field: "offering_ids", message: t("classes.choose_your_class") }],
      });
    }
    const result = await api("/students/me/registrations", { method: "POST", body: { offering_ids: chosen } });
    document.getElementById("registered-list").replaceChildren(
      h("p", {}, tNodes("classes.registered_sers_id", { sers_id: result.sers_id })),
      table(t("classes.registered_for", { year: result.school_year }),
        [t("classes.class"), t("classes.teacher"), t("classes.college_course"), t("classes.credits")],
        result.registrations.map((r) => [
          h("span", { translate: "no" }, r.high_school_course), h("span", { translate: "no" }, r.teacher),
          h("span", { translate: "no" }, `${r.college}: ${r.college_course_code} ${r.college_course_title}`),
          String(r.credits)])));
    document.getElementById("print-link").href = `/confirmation/?year=${encodeURIComponent(result.school_year)}`;
    form.hidden = true;
    document.getElementById("registered").hidden = false;
    document.getElementById("registered-heading").focus();
  }, {
    busyLabel: t("classes.registering"),
    // "offering_ids[1]" is the second class chosen: show it on that class.
    fieldFor: (field) => {
      const match = /^offering_ids\[(\d+)\]$/.exec(field);
      return match && chosen[Number(match[1])] ? `offering:${chosen[Number(match[1])]}` : field;
    },
  });
}
ready();
