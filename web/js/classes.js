import { api } from "./api.js";
import { onSubmit } from "./forms.js";
import { h, longDate, startPage, table, ready } from "./page.js";

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
      h("label", { for: id }, h("strong", {}, offering.high_school_course), ` with ${offering.teacher}`,
        registered ? " (registered)" : "")),
    h("dl", { class: "facts", id: `${id}-facts` },
      h("dt", {}, "College"), h("dd", {}, offering.college),
      h("dt", {}, "College course"), h("dd", {}, `${offering.college_course_code} ${offering.college_course_title}`),
      h("dt", {}, "Credits"), h("dd", {}, String(offering.credits))));
}

function windowNotice(window_) {
  const notice = document.getElementById("window-notice");
  if (window_.status === "open") return;
  notice.textContent = window_.status === "not_yet_open"
    ? `Registration for ${window_.school_year} opens on ${longDate(window_.opens_on)}.`
    : `Registration for ${window_.school_year} closed on ${longDate(window_.closes_on)}.`;
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
  document.getElementById("school-name").textContent = profile.school_name;
  document.getElementById("school-year").textContent = year;
  document.getElementById("school-line").hidden = false;
  windowNotice(window_);
  if (!offerings.length) {
    list.replaceChildren(h("li", {}, "Your school has no eligible classes listed for this school year yet."));
  } else {
    list.replaceChildren(...offerings.map((o) => offeringItem(o, registered.has(o.offering_id))));
  }
  form.hidden = false;
}

if (await startPage("student", load)) {
  onSubmit(form, async (data) => {
    chosen = data.offering_ids || [];
    if (!chosen.length) {
      throw Object.assign(new Error("Choose a class."), {
        status: 400, errors: [{ field: "offering_ids", message: "Choose the class you are taking." }],
      });
    }
    const result = await api("/students/me/registrations", { method: "POST", body: { offering_ids: chosen } });
    document.getElementById("registered-list").replaceChildren(
      h("p", {}, `Your SERS ID is ${result.sers_id}. We emailed you a confirmation.`),
      table(`Registered for ${result.school_year}`, ["Class", "Teacher", "College course", "Credits"],
        result.registrations.map((r) => [r.high_school_course, r.teacher,
          `${r.college}: ${r.college_course_code} ${r.college_course_title}`, String(r.credits)])));
    document.getElementById("print-link").href = `/confirmation/?year=${encodeURIComponent(result.school_year)}`;
    form.hidden = true;
    document.getElementById("registered").hidden = false;
    document.getElementById("registered-heading").focus();
  }, {
    busyLabel: "Registering…",
    // "offering_ids[1]" is the second class chosen: show it on that class.
    fieldFor: (field) => {
      const match = /^offering_ids\[(\d+)\]$/.exec(field);
      return match && chosen[Number(match[1])] ? `offering:${chosen[Number(match[1])]}` : field;
    },
  });
}
ready();
