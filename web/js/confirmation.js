import { api } from "./api.js";
import { checkHow } from "./check-payment.js";
import { loadCatalogs, t } from "./i18n.js";
import { dateTime, FEE_STATUS, h, money, ready, startPage, table } from "./page.js";

await loadCatalogs("confirmation");

const root = document.getElementById("confirmation");
const loading = document.getElementById("loading");
document.getElementById("print").addEventListener("click", () => window.print());

/** The consortium's name and contact, as the settings give them (printed at the top). */
function consortium(program) {
  return h("section", { class: "consortium", "aria-labelledby": "consortium-name" },
    h("p", { id: "consortium-name" }, h("strong", { translate: "no" }, program.consortium_name)),
    h("p", {}, t("confirmation.contact"), " ",
      h("a", { href: `mailto:${program.contact_email}`, translate: "no" }, program.contact_email)));
}

async function render() {
  const [profile, overview] = await Promise.all([api("/students/me"), api("/students/me/overview")]);
  const wanted = new URLSearchParams(location.search).get("year");
  const year = overview.years.find((y) => y.school_year === wanted) || overview.years[0];
  if (!year) {
    root.replaceChildren(consortium(overview.program),
      h("p", {}, t("confirmation.none_yet"), " ", h("a", { href: "/classes/" }, t("confirmation.register_class"))));
    return;
  }
  const name = [profile.legal_first_name, profile.legal_last_name].join(" ");
  const latest = year.classes.map((r) => r.registered_at).sort().at(-1);
  const fee = FEE_STATUS[year.fee_status] || year.fee_status;
  const owes = year.amount_due_cents > 0 || year.fee_status === "waiver_pending";
  root.replaceChildren(
    consortium(overview.program),
    h("section", { class: "sers-id-box", "aria-labelledby": "confirm-sers-label" },
      h("p", { id: "confirm-sers-label" }, h("strong", {}, t("confirmation.sers_id"))),
      h("span", { class: "sers-id", translate: "no" }, overview.sers_id)),
    h("dl", { class: "facts" },
      h("dt", {}, t("confirmation.student")), h("dd", { translate: "no" }, name),
      h("dt", {}, t("confirmation.birth_date")), h("dd", {}, profile.birth_date),
      h("dt", {}, t("confirmation.school")), h("dd", { translate: "no" }, profile.school_name),
      h("dt", {}, t("confirmation.school_year")), h("dd", {}, year.school_year),
      h("dt", {}, t("confirmation.registered")), h("dd", {}, dateTime(latest)),
      h("dt", {}, t("confirmation.fee")), h("dd", { class: "fee" },
        year.amount_due_cents > 0 ? t("confirmation.fee_with_amount", { status: fee, amount: money(year.amount_due_cents) }) : fee)),
    table(t("confirmation.classes_caption", { year: year.school_year }),
      [t("confirmation.col_class"), t("confirmation.col_teacher"), t("confirmation.col_college_course"), t("confirmation.col_credits")],
      year.classes.map((r) => [
        h("span", { translate: "no" }, r.high_school_course),
        h("span", { translate: "no" }, r.teacher),
        h("span", { translate: "no" }, `${r.college}: ${r.college_course_code} ${r.college_course_title}`),
        String(r.credits)])),
    owes ? h("section", { class: "check-payment", "aria-labelledby": "confirm-check" },
      h("h2", { id: "confirm-check" }, t("confirmation.check_heading")),
      checkHow(overview.program, overview.sers_id)) : null,
    h("p", { class: "muted" }, t("confirmation.printed", { when: dateTime(new Date().toISOString()) })),
  );
}

await startPage("student", async () => {
  try {
    await render();
  } finally {
    loading.hidden = true;
  }
});
ready();
