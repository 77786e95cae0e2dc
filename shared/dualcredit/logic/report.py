"""The payments report: per school year, how each student-year stands, by school, and
the students who owe or wait on a waiver."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal

from dualcredit import rules
from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import payments as payment_data
from dualcredit.dal import students as student_data
from dualcredit.dal.records import PaymentMethod, PaymentRecord, StudentYear
from dualcredit.logic.caller import Caller, Role
from dualcredit.logic.csv_export import Cell, csv_text
from dualcredit.models.payments import PaymentsReport, ReportRow, ReportStudent

#: Counts of student-years, one category each (they add up to the year's students).
STATUS_COLUMNS = ("paid_card", "paid_check", "waived", "waiver_pending", "due")
#: Counts of payments, by the school of the student-year each names.
PAYMENT_COLUMNS = ("refunded", "disputed", "duplicates_refunded")
COLUMNS = STATUS_COLUMNS + PAYMENT_COLUMNS
#: The row of payments that name no student-year of the year (unmatched, or a student
#: whose year is gone): kept so the rows still add up to the totals.
UNKNOWN_SCHOOL = "-"
UNKNOWN_SCHOOL_NAME = "School not known"

_CATEGORY = {
    rules.FeeStatus.WAIVED: "waived",
    rules.FeeStatus.WAIVER_PENDING: "waiver_pending",
    rules.FeeStatus.DUE: "due",
}
_OWING = (rules.FeeStatus.DUE, rules.FeeStatus.WAIVER_PENDING)


def _category(record: StudentYear) -> str:
    status = rules.fee_status(record.fee_facts)
    if status is rules.FeeStatus.PAID:
        card = record.fee_payment is not None and record.fee_payment.method == PaymentMethod.CARD
        return "paid_card" if card else "paid_check"
    return _CATEGORY[status]


def _payment_columns(payment: PaymentRecord) -> list[str]:
    columns = []
    if payment.refunded and not payment.duplicate:
        columns.append("refunded")
    if payment.disputed:
        columns.append("disputed")
    if payment.duplicate:
        columns.append("duplicates_refunded")
    return columns


def payments_report(caller: Caller, school_year: str) -> PaymentsReport:
    """The staff route's report, with its list of students: staff only."""
    caller.require(Role.STAFF)
    return build_payments_report(school_year, with_students=True)


def build_payments_report(
    school_year: str,
    student_years: Iterable[StudentYear] | None = None,
    *,
    with_students: bool = False,
) -> PaymentsReport:
    """The report itself, for the staff route and the closing job's summary (which passes
    the student-years it already read). Internal: no caller, so no role check here.

    Each row counts its school's student-years by fee status, and the payments of those
    student-years that were refunded, disputed or duplicates; the totals are the rows'
    sums. Three Queries: the year's student-years (GSI2, unless given), its payments
    (GSI1) and the schools (GSI1); `with_students`, one BatchGetItem per 100 students
    who owe or wait on a waiver (their names)."""
    by_school: dict[str, Counter[str]] = defaultdict(Counter)
    school_of: dict[str, str] = {}
    owing: list[StudentYear] = []
    owed = 0
    records = payment_data.student_years(school_year) if student_years is None else student_years
    for record in records:
        school = record.school_id or UNKNOWN_SCHOOL
        school_of[record.student_id] = school
        by_school[school][_category(record)] += 1
        owed += rules.amount_due(record.fee_facts)
        if rules.fee_status(record.fee_facts) in _OWING:
            owing.append(record)
    collected = 0
    for payment in payment_data.payments_of_year(school_year):
        if payment.settles and not payment.refunded and not payment.voided:
            collected += payment.amount_cents
        school = school_of.get(payment.student_id or "", UNKNOWN_SCHOOL)
        for column in _payment_columns(payment):
            by_school[school][column] += 1
    names = {s["school_id"]: s["name"] for s in catalog_data.list_schools()}
    names.setdefault(UNKNOWN_SCHOOL, UNKNOWN_SCHOOL_NAME)
    rows = [
        ReportRow(
            school_id=school,
            school_name=names.get(school, school),
            **{c: counts.get(c, 0) for c in COLUMNS},
        )
        for school, counts in sorted(by_school.items(), key=lambda kv: names.get(kv[0], kv[0]))
    ]
    return PaymentsReport(
        school_year=school_year,
        rows=rows,
        totals={c: sum(getattr(row, c) for row in rows) for c in COLUMNS},
        collected_cents=collected,
        outstanding_cents=owed,
        students=_students(owing, names) if with_students else [],
    )


def _students(owing: list[StudentYear], school_names: dict[str, str]) -> list[ReportStudent]:
    """Who owes (what is due) and who waits on a waiver (what a denial would leave due),
    by school, then last and first name."""
    profiles = student_data.get_profiles([r.student_id for r in owing]) if owing else {}
    students = []
    for record in owing:
        profile = profiles.get(record.student_id)
        school = record.school_id or (profile.school_id if profile else None) or UNKNOWN_SCHOOL
        students.append(
            ReportStudent(
                student_id=record.student_id,
                sers_id=record.sers_id or (profile.sers_id if profile else ""),
                legal_first_name=profile.legal_first_name if profile else "",
                legal_last_name=profile.legal_last_name if profile else "",
                school_id=school,
                school_name=school_names.get(school, school),
                fee_status="waiver_pending" if record.fee_facts.waiver_pending else "due",
                amount_due_cents=rules.amount_if_not_waived(record.fee_facts),
            )
        )
    return sorted(
        students, key=lambda s: (s.school_name, s.legal_last_name, s.legal_first_name, s.sers_id)
    )


STUDENT_COLUMNS = ("sers_id", "student", "fee_status", "amount_due")


def report_csv(report: PaymentsReport) -> str:
    """One file: a row per school, the "All schools" row of totals, then a row per
    student who owes or waits on a waiver (their SERS ID filled in; the counts empty).
    Names are the students' own text, neutralized by csv_text like every cell."""
    empty_counts: list[Cell] = [None] * len(COLUMNS)
    no_student: list[Cell] = [None] * len(STUDENT_COLUMNS)
    rows: list[list[Cell]] = [
        [
            report.school_year,
            row.school_id,
            row.school_name,
            *(getattr(row, c) for c in COLUMNS),
            *no_student,
        ]
        for row in report.rows
    ]
    rows.append(
        [
            report.school_year,
            "",
            "All schools",
            *(report.totals[c] for c in COLUMNS),
            *no_student,
        ]
    )
    rows.extend(
        [
            report.school_year,
            student.school_id,
            student.school_name,
            *empty_counts,
            student.sers_id,
            f"{student.legal_first_name} {student.legal_last_name}".strip(),
            student.fee_status,
            Decimal(student.amount_due_cents).scaleb(-2),
        ]
        for student in report.students
    )
    return csv_text(["school_year", "school_id", "school", *COLUMNS, *STUDENT_COLUMNS], rows)
