"""Grades: a school posts them for its registrations (one by one, or a CSV export of its
student information system), and staff export the credit earned for the colleges.

A grade is matched to a registration by SERS ID (any form) and offering (the class); the
rules module decides whether it earns credit (the course's threshold, default B) and
whether that credit is sent (the year's fee paid or waived).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from dualcredit import rules
from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import payments as payment_data
from dualcredit.dal import registrations as registration_data
from dualcredit.dal.records import RegistrationRecord
from dualcredit.errors import InvalidInput
from dualcredit.logic import roster
from dualcredit.logic.caller import Caller, Role
from dualcredit.logic.csv_export import Cell, csv_text
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

#: The CSV columns, as a header row names them (any case, spaces or underscores).
CSV_COLUMNS = ("sers_id", "college_course_code", "grade")


def post_grades(caller: Caller, school_id: str, batch: GradeBatch, at: datetime) -> GradeResult:
    """Post a batch of grades for registrations at `school_id`: its school users and
    staff. Every row is checked before anything is written; a row that names no
    registration of this school and year, a grade that is not a grade, or a grade for a
    student the school marked not in the class (rules.grade_may_be_posted) refuses the
    whole batch with each bad row named. Grades already posted as given are left alone."""
    caller.require_school(school_id)
    year = rules.school_year_or_current(batch.school_year, at)
    rows = [
        roster.Row(f"grades[{i}]", row.sers_id, roster.same_offering(row.offering_id), row.grade)
        for i, row in enumerate(batch.grades)
    ]
    return _post(caller, school_id, year, rows, at, offering_field="offering_id")


def import_csv(
    caller: Caller, school_id: str, school_year: str | None, text: str, at: datetime
) -> GradeResult:
    """The same as `post_grades`, from a CSV with a header row naming the columns
    sers_id, college_course_code and grade (other columns are ignored). Errors name the
    line, and the column as the header names it."""
    caller.require_school(school_id)
    year = rules.school_year_or_current(school_year, at)
    rows = csv_rows(io.StringIO(text.lstrip("\ufeff")), max_rows=MAX_GRADE_ROWS)
    return _post(caller, school_id, year, rows, at, offering_field="college_course_code")


def post_csv_rows(
    caller: Caller,
    school_id: str,
    year: rules.SchoolYear,
    rows: Sequence[roster.Row],
    at: datetime,
    written: Callable[[int], None] | None = None,
) -> GradeResult:
    """`import_csv` for rows already read (`csv_rows`), such as a large file's from S3:
    the same checks, all or nothing, the same writes (`written(n)` hears the grades
    written so far after each transaction)."""
    caller.require_school(school_id)
    return _post(
        caller, school_id, year, rows, at, offering_field="college_course_code", written=written
    )


def csv_rows(lines: Iterable[str], *, max_rows: int) -> list[roster.Row]:
    """The grade rows of a CSV read line by line (a string's or a file's stream): a
    header naming the columns sers_id, college_course_code and grade (any case, spaces
    or underscores; other columns ignored), blank lines skipped. Each row remembers its
    line and the column names as the header spells them, for its errors."""
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
        if not header:
            raise InvalidInput(
                f"The file is empty. Its first line must name the columns "
                f"{', '.join(CSV_COLUMNS)}.",
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
        columns = {column: header[i].strip() for column, i in index.items()}
        rows: list[roster.Row] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == max_rows:
                raise InvalidInput(f"At most {max_rows} grades per file; split it.", field="file")
            line = reader.line_num
            value = {c: (cells[i].strip() if i < len(cells) else "") for c, i in index.items()}
            rows.append(
                roster.Row(
                    f"line {line}",
                    value["sers_id"],
                    roster.same_course(roster.course_code(value["college_course_code"])),
                    value["grade"],
                    label=f"Line {line}",
                    columns=columns,
                )
            )
    except csv.Error as error:
        raise InvalidInput(
            f"The file is not a CSV file this form can read ({error}).", field="file"
        ) from None
    except UnicodeDecodeError:
        raise InvalidInput(
            "The file is not UTF-8 text; save it as CSV UTF-8.", field="file"
        ) from None
    if not rows:
        raise InvalidInput("The file has no grades under its header line.", field="file")
    return rows


def _grade(text: Any) -> str:
    grade = rules.normalize_grade(text)
    if grade is None:
        raise rules.RuleError("A grade is required.")
    return grade


def _may_be_graded(registration: RegistrationRecord, _grade: str) -> None:
    rules.grade_may_be_posted(registration.in_class)


def _post(
    caller: Caller,
    school_id: str,
    year: rules.SchoolYear,
    rows: Sequence[roster.Row],
    at: datetime,
    *,
    offering_field: str,
    written: Callable[[int], None] | None = None,
) -> GradeResult:
    """Match the rows to the school's roster, then write the grades that change."""

    def attempt(registrations: list[RegistrationRecord]) -> tuple[list[PostedGrade], int]:
        results, changes = [], []
        for registration, grade in roster.match(
            registrations,
            rows,
            year,
            offering_field=offering_field,
            value_field="grade",
            parse=_grade,
            check=_may_be_graded,
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
        registration_data.post_grades(
            changes, actor=caller.actor, at=at, open_year=year.name, written=written
        )
        return results, len(changes)

    results, posted = roster.against_roster(
        school_id, year, attempt, what="grades", by_staff=caller.role is Role.STAFF
    )
    logger.info(
        "grades posted",
        extra={"school_year": year.name, "posted": posted, "unchanged": len(results) - posted},
    )
    metrics.add_metric(name="GradesPosted", unit="Count", value=posted)
    return GradeResult(
        school_year=year.name, posted=posted, unchanged=len(results) - posted, grades=results
    )


def answer_enrollments(
    caller: Caller, school_id: str, batch: EnrollmentBatch, at: datetime
) -> EnrollmentResult:
    """A school's users say which registered students are really in their classes, one
    or the whole roster in a batch. A student marked not in a class gets no credit for it
    (rules.credit_is_sent) and no grade is posted for them until they are confirmed
    (rules.grade_may_be_posted); posting a grade confirms a student not answered for yet.
    Checked and written like grades: every row or none."""
    caller.require_school(school_id)
    year = rules.school_year_or_current(batch.school_year, at)
    rows = [
        roster.Row(f"entries[{i}]", e.sers_id, roster.same_offering(e.offering_id), e.in_class)
        for i, e in enumerate(batch.entries)
    ]

    def attempt(registrations: list[RegistrationRecord]) -> tuple[list[EnrollmentAnswer], int]:
        answers, changes = [], []
        for registration, in_class in roster.match(
            registrations,
            rows,
            year,
            offering_field="offering_id",
            value_field="in_class",
            parse=bool,
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
        registration_data.set_enrollments(changes, actor=caller.actor, at=at, open_year=year.name)
        return answers, len(changes)

    answers, recorded = roster.against_roster(
        school_id, year, attempt, what="answers", by_staff=caller.role is Role.STAFF
    )
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


def credits_to_send(year: str) -> list[tuple[dict[str, Any], RegistrationRecord]]:
    """(school, registration) of every credit to send to the colleges for a year: its grade
    earns credit, its year's fee is paid or waived, the school did not mark the student
    out of the class (rules.credit_is_sent). By school name, then college, course, name.

    Requests: 1 Query of schools, 1 GSI1 Query per school (its roster), the year's
    student-years (GSI2 pages)."""
    fees = {
        record.student_id: rules.fee_status(record.fee_facts)
        for page in payment_data.student_year_pages(year)
        for record in page
    }
    found: list[tuple[dict[str, Any], RegistrationRecord]] = []
    for school in sorted(catalog_data.list_schools(), key=lambda s: s["name"]):
        for r in sorted(
            registration_data.roster(school["school_id"], year),
            key=lambda r: (r.college, r.college_course_code, r.legal_last_name),
        ):
            if rules.credit_is_sent(
                bool(r.credit_earned), fees.get(r.student_id, rules.FeeStatus.DUE), r.in_class
            ):
                found.append((school, r))
    return found


def transcript_csv(caller: Caller, school_year: str | None, at: datetime) -> tuple[str, str]:
    """(file name, CSV) of the credit to send to the colleges for a year (credits_to_send)."""
    caller.require(Role.STAFF)
    year = rules.school_year_or_current(school_year, at)
    rows: list[list[Cell]] = [
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
        for school, r in credits_to_send(year.name)
    ]
    return f"transcript-{year.name}.csv", csv_text(TRANSCRIPT_COLUMNS, rows)
