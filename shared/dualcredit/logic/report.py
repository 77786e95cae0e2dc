"""The payments report: per school year, how each student-year stands, by school."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from dualcredit import rules
from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import payments as payment_data
from dualcredit.dal.records import PaymentMethod, StudentYear
from dualcredit.logic.caller import Caller, Role
from dualcredit.logic.csv_export import Cell, csv_text
from dualcredit.models.payments import PaymentsReport, ReportRow

COLUMNS = (
    "paid_card",
    "paid_check",
    "waived",
    "waiver_pending",
    "due",
    "refunded",
    "disputed",
    "duplicates_refunded",
)


_CATEGORY = {
    rules.FeeStatus.WAIVED: "waived",
    rules.FeeStatus.WAIVER_PENDING: "waiver_pending",
    rules.FeeStatus.DUE: "due",
}


def _category(record: StudentYear) -> str:
    status = rules.fee_status(record.fee_facts)
    if status is rules.FeeStatus.PAID:
        card = record.fee_payment is not None and record.fee_payment.method == PaymentMethod.CARD
        return "paid_card" if card else "paid_check"
    return _CATEGORY[status]


def payments_report(caller: Caller, school_year: str) -> PaymentsReport:
    """The staff route's report: staff only."""
    caller.require(Role.STAFF)
    return build_payments_report(school_year)


def build_payments_report(
    school_year: str, student_years: Iterable[StudentYear] | None = None
) -> PaymentsReport:
    """The report itself, for the staff route and the closing job's summary (which passes
    the student-years it already read). Internal: no caller, so no role check here.

    Three Queries: the year's student-years (GSI2, unless given), its payments (GSI1)
    and the schools (GSI1)."""
    by_school: dict[str, Counter[str]] = defaultdict(Counter)
    collected = 0
    owed = 0
    records = payment_data.student_years(school_year) if student_years is None else student_years
    for record in records:
        school = record.school_id or "-"
        by_school[school][_category(record)] += 1
        owed += rules.amount_due(record.fee_facts)
    totals: Counter[str] = Counter()
    for payment in payment_data.payments_of_year(school_year):
        if payment.settles and not payment.refunded and not payment.voided:
            collected += payment.amount_cents
        if payment.refunded and not payment.duplicate:
            totals["refunded"] += 1
        if payment.disputed:
            totals["disputed"] += 1
        if payment.duplicate:
            totals["duplicates_refunded"] += 1
    names = {s["school_id"]: s["name"] for s in catalog_data.list_schools()}
    rows = [
        ReportRow(
            school_id=school,
            school_name=names.get(school, school),
            **{c: counts.get(c, 0) for c in COLUMNS},
        )
        for school, counts in sorted(by_school.items(), key=lambda kv: names.get(kv[0], kv[0]))
    ]
    for row in rows:
        for column in COLUMNS[:5]:
            totals[column] += getattr(row, column)
    return PaymentsReport(
        school_year=school_year,
        rows=rows,
        totals={c: totals.get(c, 0) for c in COLUMNS},
        collected_cents=collected,
        outstanding_cents=owed,
    )


def report_csv(report: PaymentsReport) -> str:
    rows: list[list[Cell]] = [
        [report.school_year, row.school_id, row.school_name, *(getattr(row, c) for c in COLUMNS)]
        for row in report.rows
    ]
    rows.append([report.school_year, "", "All schools", *(report.totals[c] for c in COLUMNS)])
    return csv_text(["school_year", "school_id", "school", *COLUMNS], rows)
