import { api } from "./api.js";
import { dateTime, FEE_STATUS, h, money, ready, startPage, table } from "./page.js";

const root = document.getElementById("confirmation");
document.getElementById("print").addEventListener("click", () => window.print());

async function render() {
  const [profile, dashboard] = await Promise.all([api("/students/me"), api("/students/me/dashboard")]);
  const wanted = new URLSearchParams(location.search).get("year");
  const years = dashboard.years.slice().sort((a, b) => b.school_year.localeCompare(a.school_year));
  const year = years.find((y) => y.school_year === wanted) || years[0];
  if (!year) {
    root.replaceChildren(h("p", {}, "You have not registered a class yet. ", h("a", { href: "/classes/" }, "Register a class"), "."));
    return;
  }
  const name = [profile.legal_first_name, profile.legal_last_name].join(" ");
  const latest = year.registrations.map((r) => r.registered_at).sort().at(-1);
  root.replaceChildren(
    h("section", { class: "sers-id-box", "aria-labelledby": "confirm-sers-label" },
      h("p", { id: "confirm-sers-label" }, h("strong", {}, "SERS ID")),
      h("span", { class: "sers-id" }, dashboard.sers_id)),
    h("dl", { class: "facts" },
      h("dt", {}, "Student"), h("dd", {}, name),
      h("dt", {}, "Date of birth"), h("dd", {}, profile.birth_date),
      h("dt", {}, "School"), h("dd", {}, profile.school_name),
      h("dt", {}, "School year"), h("dd", {}, year.school_year),
      h("dt", {}, "Registered"), h("dd", {}, dateTime(latest)),
      h("dt", {}, "Fee"), h("dd", {}, `${FEE_STATUS[year.fee_status] || year.fee_status}` +
        (year.amount_due_cents > 0 ? ` (${money(year.amount_due_cents)})` : ""))),
    table(`Classes registered for ${year.school_year}`, ["Class", "Teacher", "College course", "Credits"],
      year.registrations.map((r) => [r.high_school_course, r.teacher,
        `${r.college}: ${r.college_course_code} ${r.college_course_title}`, String(r.credits)])),
    h("p", { class: "muted" }, `Printed ${dateTime(new Date().toISOString())}. Keep this page with your records.`),
  );
}

await startPage("student", render);
ready();
