import { loadCatalogs, t } from "./i18n.js";
import { api, query } from "./api.js";
import { onSubmit } from "./forms.js";
import { h, startPage, table, ready } from "./page.js";

await loadCatalogs("staff");

const form = document.getElementById("search-form");
const results = document.getElementById("results");

function summaryRow(student) {
  const name = [student.legal_first_name, student.legal_last_name].join(" ") +
    (student.preferred_name ? ` (${student.preferred_name})` : "");
  return [
    h("a", { href: `/staff/student/?id=${encodeURIComponent(student.student_id)}`, translate: "no" }, student.sers_id),
    h("span", { translate: "no" }, name),
    h("span", { translate: "no" }, student.email),
  ];
}

if (await startPage("staff")) {
  onSubmit(form, async (data) => {
    const found = await api(`/students${query(data)}`);
    document.getElementById("results-body").replaceChildren(found.length
      ? table(t(found.length === 1 ? "staff.found_one" : "staff.found", { count: found.length }),
        [t("staff.sers_id"), t("staff.name"), t("staff.email")], found.map(summaryRow))
      : h("p", {}, t("staff.no_match")));
    results.hidden = false;
    document.getElementById("results-heading").focus();
  }, { busyLabel: t("staff.searching") });
}
ready();
