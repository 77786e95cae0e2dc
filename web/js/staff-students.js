import { api, query } from "./api.js";
import { onSubmit } from "./forms.js";
import { h, startPage, table, ready } from "./page.js";

const form = document.getElementById("search-form");
const results = document.getElementById("results");

function summaryRow(student) {
  const name = [student.legal_first_name, student.legal_last_name].join(" ") +
    (student.preferred_name ? ` (${student.preferred_name})` : "");
  return [
    h("a", { href: `/staff/student/?id=${encodeURIComponent(student.student_id)}` }, student.sers_id),
    name,
    student.email,
  ];
}

if (await startPage("staff")) {
  onSubmit(form, async (data) => {
    const found = await api(`/students${query(data)}`);
    document.getElementById("results-body").replaceChildren(found.length
      ? table(`${found.length} student${found.length === 1 ? "" : "s"} found`, ["SERS ID", "Name", "Email"], found.map(summaryRow))
      : h("p", {}, "No student matches."));
    results.hidden = false;
    document.getElementById("results-heading").focus();
  }, { busyLabel: "Searching…" });
}
ready();
