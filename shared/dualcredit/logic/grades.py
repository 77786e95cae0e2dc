"""Grades: a school posts them for its registrations (one by one, or a CSV export of its
student information system), and staff export the credit earned for the colleges.

A grade is matched to a registration by SERS ID (any form) and offering (the class); the
rules module decides whether it earns credit (the course's threshold, default B) and
whether that credit is sent (the year's fee paid or waived).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from dualcredit import rules
from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import payments as payment_data
from dualcredit.dal import registrations as registration_data
from dualcredit.dal.records import RegistrationRecord
from dualcredit.errors import Conflict, InvalidInput
from dualcredit.logic.caller import Caller, Role
from dualcredit.models.grades import (
    MAX_GRADE_ROWS,
    EnrollmentAnswer,
    EnrollmentBatch,
    EnrollmentResult,
    GradeBatch,
    GradeResult,
    PostedGrade,
)
from dualcredit.observability import logger, metrics
from dualcredit.settings import get_settings

#: The CSV columns, as a header row names them (any case, spaces or underscores).
CSV_COLUMNS = ("sers_id", "college_course_code", "grade")


def post_grades(caller: Caller, school_id: str, batch: GradeBatch, at: datetime) -> GradeResult:
    """Post a batch of grades for registrations at `school_id`: its school users and
    staff. Every row is checked before anything is written; a row that names no
    registration of this school and year, or a grade that is not a grade, refuses the
    whole batch with each bad row named. Grades already posted as given are left alone."""
    caller.require_school(school_id)
    year = rules.school_year_or_current(batch.school_year, at)
    rows = [
        (
            f"grades[{i}]",
            row.sers_id,
            _same_offering(row.offering_id),
            row.grade,
        )
        for i, row in enumerate(batch.grades)
    ]
    return _post(caller, school_id, year, rows, at, offering_field="offering_id")


def import_csv(
    caller: Caller, school_id: str, school_year: str | None, text: str, at: datetime
) -> GradeResult:
    """The same as `post_grades`, from a CSV with a header row naming the columns
    sers_id, college_course_code and grade (other columns are ignored). Errors name the
    line and the column."""
    caller.require_school(school_id)
    year = rules.school_year_or_current(school_year, at)
    try:
        lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    except csv.Error as error:
        raise InvalidInput(
            f"The file is not a CSV file this form can read ({error}).", field="file"
        ) from None
    reader = iter(lines)
    header = next(reader, None)
    if not header:
        raise InvalidInput(
            f"The file is empty. Its first line must name the columns {', '.join(CSV_COLUMNS)}.",
            field="file",
        )
    names = [cell.strip().lower().replace(" ", "_") for cell in header]
    missing = [column for column in CSV_COLUMNS if column not in names]
    if missing:
        raise InvalidInput(
            f"The first line must name the columns {', '.join(CSV_COLUMNS)}; "
            f"missing: {', '.join(missing)}.",
            field="file",
        )
    index = {column: names.index(column) for column in CSV_COLUMNS}
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        value = {c: (cells[i].strip() if i < len(cells) else "") for c, i in index.items()}
        code = _course_code(value["college_course_code"])
        rows.append(
            (
                f"line {line}",
                value["sers_id"],
                _same_course(code),
                value["grade"],
            )
        )
    if not rows:
        raise InvalidInput("The file has no grades under its header line.", field="file")
    if len(rows) > MAX_GRADE_ROWS:
        raise InvalidInput(f"At most {MAX_GRADE_ROWS} grades per file; split it.", field="file")
    return _post(caller, school_id, year, rows, at, offering_field="college_course_code")


def _same_offering(offering_id: str) -> Callable[[RegistrationRecord], bool]:
    return lambda registration: registration.offering_id == offering_id


def _same_course(code: str) -> Callable[[RegistrationRecord], bool]:
    return lambda registration: _course_code(registration.college_course_code) == code


def _course_code(text: str) -> str:
    """'weld  101' and 'WELD 101' name the same college course."""
    return " ".join(text.upper().split())


def _sers(text: str) -> str | None:
    try:
        return rules.parse_sers_id(text, prefix=get_settings().sers_prefix)
    except rules.RuleError:
        return None


#: (where, SERS ID as given, matches-the-class test, value as given)
Row = tuple[str, str, Callable[[RegistrationRecord], bool], Any]


def _grade(text: Any) -> str:
    grade = rules.normalize_grade(text)
    if grade is None:
        raise rules.RuleError("A grade is required.")
    return grade


def _post(
    caller: Caller,
    school_id: str,
    year: rules.SchoolYear,
    rows: Sequence[Row],
    at: datetime,
    *,
    offering_field: str,
) -> GradeResult:
    """Match the rows to the school's roster, then write the grades that change."""

    def attempt(roster: list[RegistrationRecord]) -> tuple[list[PostedGrade], int]:
        results, changes = [], []
        for registration, grade in _match(
            roster, rows, year, offering_field, value_field="grade", parse=_grade
        ):
            earned = rules.qualifies_for_credit(grade, registration.grade_threshold)
            unchanged = registration.grade == grade
            if not unchanged:
                changes.append(registration_data.GradeChange(registration, grade, earned))
            results.append(
                PostedGrade(
                    sers_id=registration.sers_id,
                    offering_id=registration.offering_id,
                    college_course_code=registration.college_course_code,
                    grade=grade,
                    credit_earned=earned,
                    status="unchanged" if unchanged else "posted",
                )
            )
        registration_data.post_grades(changes, actor=caller.actor, at=at)
        return results, len(changes)

    results, posted = _against_roster(school_id, year, attempt, what="grades")
    logger.info(
        "grades posted",
        extra={"school_year": year.name, "posted": posted, "unchanged": len(results) - posted},
    )
    metrics.add_metric(name="GradesPosted", unit="Count", value=posted)
    return GradeResult(
        school_year=year.name, posted=posted, unchanged=len(results) - posted, grades=results
    )


def _against_roster[T](
    school_id: str,
    year: rules.SchoolYear,
    attempt: Callable[[list[RegistrationRecord]], T],
    *,
    what: str,
) -> T:
    """`attempt(roster)`: match and write against the school's roster as read now. When
    another post changed one of the registrations meanwhile, once more on a fresh read
    (what is now as given counts as unchanged); a second change is a conflict."""
    try:
        return attempt(registration_data.roster(school_id, year.name))
    except registration_data.RegistrationChanged:
        pass
    try:
        return attempt(registration_data.roster(school_id, year.name))
    except registration_data.RegistrationChanged:
        raise Conflict(
            f"Some of these {what} were changed by someone else a moment ago. Reload and "
            f"try again; {what} already saved stay as they are."
        ) from None


def _match[T](
    roster: list[RegistrationRecord],
    rows: Sequence[Row],
    year: rules.SchoolYear,
    offering_field: str,
    *,
    value_field: str,
    parse: Callable[[Any], T],
) -> list[tuple[RegistrationRecord, T]]:
    """Each row's registration and canonical value (`parse`, which raises RuleError);
    every bad row named, or none."""
    by_sers_id: dict[str, list[RegistrationRecord]] = {}
    for registration in roster:
        by_sers_id.setdefault(registration.sers_id, []).append(registration)
    errors: list[tuple[str, str]] = []
    matched: dict[tuple[str, str], tuple[RegistrationRecord, T]] = {}
    for where, sers_text, same_class, raw in rows:
        sers_id = _sers(sers_text)
        if sers_id is None:
            errors.append(
                (f"{where}.sers_id", f'"{sers_text}" is not a SERS ID (like TP3-27-AB12).')
            )
            continue
        try:
            value = parse(raw)
        except rules.RuleError as error:
            errors.append((f"{where}.{value_field}", str(error)))
            continue
        found = [r for r in by_sers_id.get(sers_id, []) if same_class(r)]
        if len(found) > 1:
            errors.append(
                (
                    f"{where}.{offering_field}",
                    f"{sers_id} has more than one class with this college course here in "
                    f"{year.name}; post these one class at a time.",
                )
            )
            continue
        if not found:
            errors.append(
                (
                    f"{where}.{offering_field}",
                    f"{sers_id} is not registered for this class at this school in {year.name}.",
                )
            )
            continue
        key = (found[0].student_id, found[0].offering_id)
        if key in matched and matched[key][1] != value:
            errors.append(
                (where, f"{sers_id} is given twice for the same class, with different values.")
            )
            continue
        matched[key] = (found[0], value)
    if errors:
        raise InvalidInput(
            f"{len(errors)} of the rows cannot be saved; nothing was saved. "
            f"First: {errors[0][0]}: {errors[0][1]}",
            field=errors[0][0],
            errors=errors,
        )
    return list(matched.values())


def answer_enrollments(
    caller: Caller, school_id: str, batch: EnrollmentBatch, at: datetime
) -> EnrollmentResult:
    """A school's users say which registered students are really in their classes. A
    student marked not in a class gets no credit for it (rules.credit_is_sent); posting a
    grade marks them in it. Checked and written like grades: every row or none."""
    caller.require_school(school_id)
    year = rules.school_year_or_current(batch.school_year, at)
    rows = [
        (
            f"entries[{i}]",
            e.sers_id,
            _same_offering(e.offering_id),
            e.in_class,
        )
        for i, e in enumerate(batch.entries)
    ]

    def attempt(roster: list[RegistrationRecord]) -> tuple[list[EnrollmentAnswer], int]:
        answers, changes = [], []
        for registration, in_class in _match(
            roster, rows, year, "offering_id", value_field="in_class", parse=bool
        ):
            unchanged = registration.in_class == in_class
            if not unchanged:
                changes.append(registration_data.EnrollmentChange(registration, in_class))
            answers.append(
                EnrollmentAnswer(
                    sers_id=registration.sers_id,
                    offering_id=registration.offering_id,
                    in_class=in_class,
                    status="unchanged" if unchanged else "recorded",
                )
            )
        registration_data.set_enrollments(changes, actor=caller.actor, at=at)
        return answers, len(changes)

    answers, recorded = _against_roster(school_id, year, attempt, what="answers")
    logger.info("enrollments answered", extra={"school_year": year.name, "recorded": recorded})
    return EnrollmentResult(
        school_year=year.name, recorded=recorded, unchanged=len(answers) - recorded, entries=answers
    )


# --------------------------------------------------------------------------- transcript

TRANSCRIPT_COLUMNS = (
    "school_year",
    "college",
    "college_course_code",
    "college_course_title",
    "credits",
    "grade",
    "sers_id",
    "legal_last_name",
    "legal_first_name",
    "school",
    "high_school_course",
)


def transcript_csv(caller: Caller, school_year: str | None, at: datetime) -> tuple[str, str]:
    """(file name, CSV) of the credit to send to the colleges for a year: every
    registration whose grade earns credit and whose year's fee is paid or waived.

    Requests: 1 Query of schools, 1 GSI1 Query per school (its roster), the year's
    student-years (GSI2 pages)."""
    caller.require(Role.STAFF)
    year = rules.school_year_or_current(school_year, at)
    fees = {
        record.student_id: rules.fee_status(record.fee_facts)
        for page in payment_data.student_year_pages(year.name)
        for record in page
    }
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TRANSCRIPT_COLUMNS)
    for school in sorted(catalog_data.list_schools(), key=lambda s: s["name"]):
        for r in sorted(
            registration_data.roster(school["school_id"], year.name),
            key=lambda r: (r.college, r.college_course_code, r.legal_last_name),
        ):
            if rules.credit_is_sent(
                bool(r.credit_earned),
                fees.get(r.student_id, rules.FeeStatus.DUE),
                r.in_class,
            ):
                writer.writerow(
                    [
                        year.name,
                        r.college,
                        r.college_course_code,
                        r.college_course_title,
                        r.credits,
                        r.grade,
                        r.sers_id,
                        r.legal_last_name,
                        r.legal_first_name,
                        school["name"],
                        r.high_school_course,
                    ]
                )
    return f"transcript-{year.name}.csv", out.getvalue()
