import { api, download } from "./api.js";
import { clearErrors, onSubmit, showErrors, whileBusy } from "./forms.js";
import { FEE_STATUS, h, money, startPage, table, schoolYears, ready } from "./page.js";

const form = document.getElementById("report-form");
const SERIES = [
  ["paid", "Paid", (r) => (r.paid_card || 0) + (r.paid_check || 0)],
  ["waived", "Waived", (r) => r.waived || 0],
  ["pending", "Waiver pending", (r) => r.waiver_pending || 0],
  ["due", "Due", (r) => r.due || 0],
];

function bar(row, widest) {
  const counts = SERIES.map(([key, label, count]) => [key, label, count(row)]);
  const total = counts.reduce((sum, [, , n]) => sum + n, 0);
  const summary = counts.map(([, label, n]) => `${label} ${n}`).join(", ");
  return h("li", {},
    h("span", {}, h("strong", {}, row.school_name), ` (${summary})`),
    h("div", { class: "bar", "aria-hidden": "true", style: { width: `${Math.max(total / widest, 0.02) * 100}%` } },
      counts.filter(([, , n]) => n > 0).map(([key, , n]) =>
        h("span", { class: `swatch-${key}`, style: { width: `${(n / total) * 100}%` } }))));
}

function render(report) {
  document.getElementById("report-year").textContent = report.school_year;
  document.getElementById("report-totals").replaceChildren(
    h("dt", {}, "Collected"), h("dd", { id: "collected" }, money(report.collected_cents)),
    h("dt", {}, "Outstanding"), h("dd", { id: "outstanding" }, money(report.outstanding_cents)));
  const rows = report.rows.slice().sort((a, b) => a.school_name.localeCompare(b.school_name));
  const widest = Math.max(1, ...rows.map((r) => SERIES.reduce((sum, [, , count]) => sum + count(r), 0)));
  document.getElementById("report-chart").replaceChildren(...rows.map((r) => bar(r, widest)));
  // The rows add up to the totals, the last row (the API sums them).
  const line = (name, r) => [name, r.paid_card, r.paid_check, r.waived, r.waiver_pending, r.due,
    r.refunded, r.disputed, r.duplicates_refunded].map((v) => String(v ?? 0));
  document.getElementById("report-table").replaceChildren(rows.length
    ? table(`Students by school, ${report.school_year}`,
      ["School", "Paid by card", "Paid by check", "Waived", "Waiver pending", "Due", "Refunded", "Disputed", "Duplicates"],
      [...rows.map((r) => line(r.school_name, r)), line("All schools", report.totals)])
    : h("p", {}, "No student is registered for this school year yet."));
  const students = report.students || [];
  document.getElementById("owing-table").replaceChildren(students.length
    ? table(`Students who owe or wait on a waiver, ${report.school_year}`,
      ["Student", "SERS ID", "School", "Status", "Amount due"],
      students.map((s) => [`${s.legal_first_name} ${s.legal_last_name}`.trim(), s.sers_id, s.school_name,
        FEE_STATUS[s.fee_status] || s.fee_status, money(s.amount_due_cents)]))
    : h("p", {}, "Nobody owes this year's fee or waits on a waiver."));
  document.getElementById("report").hidden = false;
}

async function load(year) {
  render(await api(`/payments/report?school_year=${encodeURIComponent(year)}`));
}

function when(iso) {
  return new Date(iso).toLocaleString("en-US", { timeZone: "America/Los_Angeles", dateStyle: "medium", timeStyle: "short" });
}

async function loadReconciliation() {
  const runs = await api("/payments/reconciliation");
  document.getElementById("reconciliation-table").replaceChildren(runs.length
    ? table("Reconciliation runs, newest first",
      ["Run at", "Days read", "Events read", "Applied", "Already applied", "In progress", "Failed"],
      runs.map((r) => [when(r.started_at), r.days, r.events_read, r.applied, r.already_applied, r.in_progress, r.failed]
        .map((v) => String(v))))
    : h("p", {}, "No reconciliation has run yet."));
  document.getElementById("reconciliation").hidden = false;
}

if (await startPage("staff", async () => {
  const current = await api("/window", { auth: false });
  form.elements.school_year.replaceChildren(...schoolYears(current.school_year, [0, -1, -2])
    .map((n) => h("option", { value: n }, n)));
  await Promise.all([load(current.school_year), loadReconciliation()]);
})) {
  onSubmit(form, (data) => load(data.school_year), { busyLabel: "Loading…" });
  // The payments report, and the transcript of earned credit for the colleges, as CSV files.
  const offer = (button, path, fallback) => {
    button.addEventListener("click", () => whileBusy(button, "Preparing CSV…", async () => {
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
