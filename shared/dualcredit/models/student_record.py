"""The whole student on one page, for staff: identity and contact, every class with the
school's answer, grade and credit, fees and payments (voided ones too), waivers and
prior-year requests, and the audit history as a timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from dualcredit.models.common import Model
from dualcredit.models.student import Profile, YearSummary


class RecordClass(Model):
    school_year: str
    offering_id: str
    school_id: str
    school_name: str
    high_school_course: str
    teacher: str
    college: str
    college_course_code: str
    college_course_title: str
    credits: float
    #: The school's answer: True in the class, False not, None not answered yet.
    in_class: bool | None = None
    grade: str | None = None
    credit_earned: bool | None = None
    #: The transcript batch that sent this credit to the college. None until transcript
    #: batches exist (issue 12's transcript-batch work fills it from its own records).
    batch: str | None = None


class RecordRequest(Model):
    kind: Literal["waiver", "prior_year"]
    school_year: str
    status: str
    reason: str | None = None
    requested_at: datetime | None = None
    #: Prior-year requests: the class and school named.
    high_school_course: str | None = None
    school_name: str | None = None
    #: A waiver's explanation from the student; a prior-year decision's note from staff.
    note: str | None = None


class TimelineEntry(Model):
    at: datetime
    action: str  # "grade.posted", "payment.voided", ...
    actor_role: str
    actor_id: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class StudentRecord(Model):
    profile: Profile
    years: list[YearSummary]
    classes: list[RecordClass]
    requests: list[RecordRequest]
    history: list[TimelineEntry]
    history_truncated: bool = False
