"""Grades a school posts for its registrations, and the transcript staff send to colleges."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from dualcredit.models.common import ApiModel, Id, Model, SchoolYearName

SersIdText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
GradeText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=8)]

#: Rows per request: a school's class list fits; larger exports go in several requests.
MAX_GRADE_ROWS = 500


class GradeIn(ApiModel):
    labels = {"sers_id": "SERS ID", "grade": "Grade"}

    sers_id: SersIdText
    offering_id: Id
    grade: GradeText


class GradeBatch(ApiModel):
    """Grades for registrations at one school; the school year defaults to the current one."""

    labels = {"school_year": "School year"}

    school_year: SchoolYearName | None = None
    grades: list[GradeIn] = Field(min_length=1, max_length=MAX_GRADE_ROWS)


class PostedGrade(Model):
    sers_id: str
    offering_id: str
    college_course_code: str
    grade: str
    credit_earned: bool
    status: Literal["posted", "unchanged"]


class GradeResult(Model):
    school_year: str
    posted: int
    unchanged: int
    grades: list[PostedGrade]


class EnrollmentIn(ApiModel):
    labels = {"sers_id": "SERS ID"}

    sers_id: SersIdText
    offering_id: Id
    #: True: the student is really in this class; False: not (no credit goes out for it).
    in_class: bool


class EnrollmentBatch(ApiModel):
    """A school's answer on who is really in its classes; the year defaults to the current one."""

    labels = {"school_year": "School year"}

    school_year: SchoolYearName | None = None
    entries: list[EnrollmentIn] = Field(min_length=1, max_length=MAX_GRADE_ROWS)


class EnrollmentAnswer(Model):
    sers_id: str
    offering_id: str
    in_class: bool
    status: Literal["recorded", "unchanged"]


class EnrollmentResult(Model):
    school_year: str
    recorded: int
    unchanged: int
    entries: list[EnrollmentAnswer]
