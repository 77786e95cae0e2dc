from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from dualcredit.models.common import (
    ApiModel,
    Email,
    Id,
    Model,
    OptionalText,
    SchoolYearName,
    Text,
)
from dualcredit.rules import DEFAULT_GRADE_THRESHOLD, normalize_grade

SchoolKind = Literal["high_school", "skill_center"]


def _two_decimals(value: float) -> float:
    # A JSON number of at most two decimals parses to the float nearest to it, which
    # round(..., 2) gives back unchanged; 2.125 does not.
    if round(value, 2) != value:
        raise ValueError("must have at most 2 decimals, like 2.5")
    return value


#: A college course's credits: half a credit to 30, in hundredths at most.
Credits = Annotated[float, Field(ge=0.5, le=30, allow_inf_nan=False), AfterValidator(_two_decimals)]


#: The staff catalog page's school form.
SCHOOL_LABELS = {"name": "Name", "kind": "Kind", "district": "District"}
#: The staff catalog page's class forms (add, and edit).
OFFERING_LABELS = {
    "high_school_course": "High-school class name",
    "teacher": "Teacher",
    "grade_threshold": "Lowest grade that earns credit",
}


class SchoolIn(ApiModel):
    labels = SCHOOL_LABELS

    name: Text
    kind: SchoolKind = "high_school"
    district: OptionalText | None = None


class SchoolUpdate(ApiModel):
    labels = SCHOOL_LABELS

    name: Text | None = None
    kind: SchoolKind | None = None
    district: OptionalText | None = None


class School(Model):
    school_id: str
    name: str
    kind: SchoolKind
    district: str | None = None


class CollegeCourseIn(ApiModel):
    labels = {
        "college": "College",
        "course_code": "Course code",
        "title": "Title",
        "credits": "Credits",
    }

    college: Text
    course_code: Text
    title: Text
    credits: Credits


class CollegeCourse(Model):
    course_id: str
    college: str
    course_code: str
    title: str
    credits: float


#: A grade threshold, checked and normalised by the rules module.
GradeThreshold = Annotated[str, AfterValidator(normalize_grade)]


class OfferingIn(ApiModel):
    labels = {
        **OFFERING_LABELS,
        "school_id": "School",
        "school_year": "School year",
        "college_course_id": "Articulated college course",
    }

    school_id: Id
    school_year: SchoolYearName
    high_school_course: Text
    teacher: Text
    college_course_id: Id
    grade_threshold: GradeThreshold = DEFAULT_GRADE_THRESHOLD


class OfferingUpdate(ApiModel):
    labels = OFFERING_LABELS

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
    labels = {"email": "Email address", "school_id": "School"}

    email: Email
    school_id: Id


class SchoolUserMove(ApiModel):
    labels = {"school_id": "School"}

    school_id: Id


class SchoolUser(Model):
    user_id: str
    email: str
    school_id: str
    invited_at: datetime
    #: "removed": staff took the sign-in away (disabled, signed out, out of the group).
    status: Literal["active", "removed"] = "active"
    removed_at: datetime | None = None
    #: Invited and not signed in yet (no password chosen): the invitation may be sent again.
    invitation_pending: bool = False
    invitation_resent_at: datetime | None = None


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
    labels = {"closes_on": "New last day"}

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
