from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, EmailStr, Field

from dualcredit.models.common import ApiModel, Id, Model, OptionalText, SchoolYearName, Text
from dualcredit.rules import DEFAULT_GRADE_THRESHOLD, normalize_grade

SchoolKind = Literal["high_school", "skill_center"]


class SchoolIn(ApiModel):
    name: Text
    kind: SchoolKind = "high_school"
    district: OptionalText | None = None


class SchoolUpdate(ApiModel):
    name: Text | None = None
    kind: SchoolKind | None = None
    district: OptionalText | None = None


class School(Model):
    school_id: str
    name: str
    kind: SchoolKind
    district: str | None = None


class CollegeCourseIn(ApiModel):
    college: Text
    course_code: Text
    title: Text
    credits: float = Field(gt=0, le=30)


class CollegeCourse(Model):
    course_id: str
    college: str
    course_code: str
    title: str
    credits: float


#: A grade threshold, checked and normalised by the rules module.
GradeThreshold = Annotated[str, AfterValidator(normalize_grade)]


class OfferingIn(ApiModel):
    school_id: Id
    school_year: SchoolYearName
    high_school_course: Text
    teacher: Text
    college_course_id: Id
    grade_threshold: GradeThreshold = DEFAULT_GRADE_THRESHOLD


class OfferingUpdate(ApiModel):
    high_school_course: Text | None = None
    teacher: Text | None = None
    grade_threshold: GradeThreshold | None = None


class Offering(Model):
    offering_id: str
    school_id: str
    school_year: str
    high_school_course: str
    teacher: str
    college_course_id: str
    college: str
    college_course_code: str
    college_course_title: str
    credits: float
    grade_threshold: str


class SchoolUserInvite(ApiModel):
    email: EmailStr
    school_id: Id


class SchoolUser(Model):
    user_id: str
    email: str
    school_id: str
    invited_at: datetime


class WindowOut(Model):
    school_year: str
    opens_on: date
    closes_on: date
    opens_at: datetime
    closes_at: datetime
    extended: bool
    status: Literal["not_yet_open", "open", "closed"]
    #: When the scheduled jobs recorded this window's opening and its (current) close.
    opened_at: datetime | None = None
    closed_at: datetime | None = None


class WindowExtension(ApiModel):
    closes_on: date


class RosterEntry(Model):
    student_id: str
    sers_id: str
    legal_first_name: str
    legal_last_name: str
    preferred_name: str | None = None
    offering_id: str
    high_school_course: str
    teacher: str
    college_course_code: str | None = None
    registered_at: datetime
    #: Posted by the school; `credit_earned` when it meets the course's threshold.
    grade: str | None = None
    credit_earned: bool | None = None
    #: The school's answer: really in the class (True), not (False), not yet answered (None).
    in_class: bool | None = None
