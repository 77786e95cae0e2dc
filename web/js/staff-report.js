import { loadCatalogs, t } from "./i18n.js";
import { api, download } from "./api.js";
import { clearErrors, onSubmit, showErrors, whileBusy } from "./forms.js";
import { dateTime, FEE_STATUS, h, money, startPage, table, schoolYears, ready } from "./page.js";

await loadCatalogs("staff_report");

const form = document.getElementById("report-form");
const SERIES = [
  ["paid", "common.fee_paid", (r) => (r.paid_card || 0) + (r.paid_check || 0)],
  ["waived", "common.fee_waived", (r) => r.waived || 0],
  ["pending", "common.fee_waiver_pending", (r) => r.waiver_pending || 0],
  ["due", "common.fee_due", (r) => r.due || 0],
];

function bar(row, widest) {
  const counts = SERIES.map(([key, label, count]) => [key, t(label), count(row)]);
  const total = counts.reduce((sum, [, , n]) => sum + n, 0);
  // "(Paid 3, Waived 0, …)": each status's words, then its count.
  const summary = counts.flatMap(([, label, n], i) => [i ? ", " : "(", label, ` ${n}`]);
  return h("li", {},
    h("span", {}, h("strong", { translate: "no" }, row.school_name), " ", summary, ")"),
    h("div", { class: "bar", "aria-hidden": "true", style: { width: `${Math.max(total / widest, 0.02) * 100}%` } },
      counts.filter(([, , n]) => n > 0).map(([key, , n]) =>
        h("span", { class: `swatch-${key}`, style: { width: `${(n / total) * 100}%` } }))));
}

function render(report) {
  document.getElementById("report-year").textContent = report.school_year;
  document.getElementById("report-totals").replaceChildren(
    h("dt", {}, t("staff_report.collected")), h("dd", { id: "collected" }, money(report.collected_cents)),
    h("dt", {}, t("staff_report.outstanding")), h("dd", { id: "outstanding" }, money(report.outstanding_cents)));
  const rows = report.rows.slice().sort((a, b) => a.school_name.localeCompare(b.school_name));
  const widest = Math.max(1, ...rows.map((r) => SERIES.reduce((sum, [, , count]) => sum + count(r), 0)));
  document.getElementById("report-chart").replaceChildren(...rows.map((r) => bar(r, widest)));
  // The rows add up to the totals, the last row (the API sums them).
  const line = (name, r) => [name, ...[r.paid_card, r.paid_check, r.waived, r.waiver_pending, r.due,
    r.refunded, r.disputed, r.duplicates_refunded].map((v) => String(v ?? 0))];
  document.getElementById("report-table").replaceChildren(rows.length
    ? table(t("staff_report.by_school", { year: report.school_year }),
      ["staff_report.school", "staff_report.paid_card", "staff_report.paid_check", "common.fee_waived",
        "common.fee_waiver_pending", "common.fee_due", "staff_report.refunded", "staff_report.disputed",
        "staff_report.duplicates"].map((key) => t(key)),
      [...rows.map((r) => line(h("span", { translate: "no" }, r.school_name), r)), line(t("staff_report.all_schools"), report.totals)])
    : h("p", {}, t("staff_report.none_registered")));
  const students = report.students || [];
  document.getElementById("owing-table").replaceChildren(students.length
    ? table(t("staff_report.owing_caption", { year: report.school_year }),
      ["staff_report.student", "staff_report.sers_id", "staff_report.school", "staff_report.status",
        "staff_report.amount_due"].map((key) => t(key)),
      students.map((s) => [h("span", { translate: "no" }, `${s.legal_first_name} ${s.legal_last_name}`.trim()),
        h("span", { translate: "no" }, s.sers_id), h("span", { translate: "no" }, s.school_name),
        FEE_STATUS[s.fee_status] || s.fee_status, money(s.amount_due_cents)]))
    : h("p", {}, t("staff_report.nobody_owes")));
  document.getElementById("report").hidden = false;
}

async function load(year) {
  render(await api(`/payments/report?school_year=${encodeURIComponent(year)}`));
}

async function loadReconciliation() {
  const runs = await api("/payments/reconciliation");
  document.getElementById("reconciliation-table").replaceChildren(runs.length
    ? table(t("staff_report.runs_caption"),
      ["staff_report.run_at", "staff_report.days_read", "staff_report.events_read", "staff_report.applied",
        "staff_report.already_applied", "staff_report.in_progress", "staff_report.failed"].map((key) => t(key)),
      runs.map((r) => [dateTime(r.started_at), r.days, r.events_read, r.applied, r.already_applied, r.in_progress, r.failed]
        .map((v) => String(v))))
    : h("p", {}, t("staff_report.no_runs")));
  document.getElementById("reconciliation").hidden = false;
}

if (await startPage("staff", async () => {
  const current = await api("/window", { auth: false });
  form.elements.school_year.replaceChildren(...schoolYears(current.school_year, [0, -1, -2])
    .map((n) => h("option", { value: n }, n)));
  await Promise.all([load(current.school_year), loadReconciliation()]);
})) {
  onSubmit(form, (data) => load(data.school_year), { busyLabel: t("staff_report.loading") });
  // The payments report, and the transcript of earned credit for the colleges, as CSV files.
  const offer = (button, path, fallback) => {
    button.addEventListener("click", () => whileBusy(button, t("staff_report.preparing_csv"), async () => {
      clearErrors(form);
      const year = form.elements.school_year.value;
      try {
        const { blob, filename } = await download(`${path}?school_year=${encodeURIComponent(year)}`);
        const url = URL.createObjectURL(blob);
        const link = h("a", { href: url, download: filename === "download" ? `${fallback}-${year}.csv` : filename, hidden: true });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      } catch (error) {
        showErrors(form, error);
      }
    }));
    button.disabled = false;
  };
  offer(document.getElementById("csv"), "/payments/report/csv", "payments");
  offer(document.getElementById("transcript"), "/grades/transcript", "transcript");
}
ready();
