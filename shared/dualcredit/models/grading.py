"""The year's end for grades: each school's progress toward the grading deadline, the
year finalized by staff, and a staff correction of a grade after it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import StringConstraints

from dualcredit.models.common import ApiModel, Id, Model, SchoolYearName
from dualcredit.models.grades import GradeText

ReasonText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]


class SchoolProgress(Model):
    """Counts of a school's registrations for the year (a student with two classes counts
    twice). `confirmed` includes the graded; `credit_earned` counts grades at or above the
    course's threshold, whatever the fee (the transcript sends only paid or waived years)."""

    school_id: str | None
    school_name: str
    registered: int
    confirmed: int
    not_in_class: int
    unconfirmed: int
    graded: int
    missing_grades: int
    credit_earned: int


class GradingYear(Model):
    school_year: str
    #: The last Pacific day schools post grades (June 25 unless staff set another).
    deadline: date
    deadline_passed: bool
    finalized: bool
    finalized_at: datetime | None = None
    finalized_by: str | None = None
    totals: SchoolProgress
    schools: list[SchoolProgress]


class GradingDeadlineIn(ApiModel):
    labels = {"deadline": "Last day to post grades"}

    deadline: date


class GradeCorrection(ApiModel):
    """A staff correction of one class's grade (after the year is finalized, the only way
    a grade changes); the reason is kept in the audit history."""

    labels = {
        "school_year": "School year",
        "offering_id": "Class",
        "grade": "Corrected grade",
        "reason": "Reason for the correction",
    }

    school_year: SchoolYearName
    offering_id: Id
    grade: GradeText
    reason: ReasonText


class CorrectedGrade(Model):
    student_id: str
    school_year: str
    offering_id: str
    college_course_code: str
    previous_grade: str | None
    grade: str
    credit_earned: bool
    status: str  # "corrected" or "unchanged"
