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


class GradeFileStart(ApiModel):
    """A large grade file to come through S3; the school year defaults to the current one."""

    labels = {"school_year": "School year"}

    school_year: SchoolYearName | None = None


class GradeFileUpload(Model):
    """Where the browser posts the file: a multipart/form-data POST to `url` with every
    one of `fields`, then the file as the last field, named `file` (S3's presigned POST).
    S3 refuses another key, a file over `max_bytes` or a type other than `content_type`."""

    import_id: str
    url: str
    fields: dict[str, str]
    max_bytes: int
    content_type: str


class GradeFileStatus(Model):
    """An import's progress: waiting (for the upload), checking, writing, then done or
    refused (nothing written; the report lists each refused row), or failed (it stopped
    before it was done: what it wrote is kept, the same file again writes the rest)."""

    import_id: str
    school_year: str
    state: Literal["waiting", "checking", "writing", "done", "refused", "failed"]
    rows_checked: int
    rows_written: int
    rows_unchanged: int
    rows_refused: int
    message: str | None = None
