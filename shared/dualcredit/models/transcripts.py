"""College registrars and the transcript batches staff close for them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from dualcredit.models.common import ApiModel, Email, Model, SchoolYearName, Text

#: A batch line's id: the registration it sends (student id and offering id, `:` between).
LineId = Annotated[
    str, Field(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$")
]

#: Lines marked posted in one request (a batch can hold more; mark it whole instead).
MAX_POSTED_LINES = 2000


class CollegeUserInvite(ApiModel):
    labels = {"email": "Email address", "college": "College"}

    email: Email
    #: The college's name, as its articulated courses spell it.
    college: Text


class CollegeUser(Model):
    user_id: str
    email: str
    college: str
    invited_at: datetime
    #: "removed": staff took the sign-in away (disabled, signed out, out of the group).
    status: Literal["active", "removed"] = "active"
    removed_at: datetime | None = None


class BatchClose(ApiModel):
    labels = {"college": "College", "school_year": "School year"}

    college: Text
    school_year: SchoolYearName


class TranscriptBatch(Model):
    batch_id: str
    #: 1 for a college and year's first batch, then 2, 3...
    number: int
    college: str
    school_year: str
    closed_at: datetime
    closed_by: str
    lines: int
    new: int
    corrected: int
    withdrawn: int
    #: Lines the registrar marked posted.
    posted: int


class CollegeTranscripts(Model):
    """A college's credit for a year: `earned` is what is to send now (grade earns
    credit, fee paid or waived), `exported` what the batches so far hold (not
    withdrawn), `posted` how much of that the registrar marked posted."""

    college: str
    school_year: str
    earned: int
    exported: int
    posted: int
    batches: list[TranscriptBatch]


class PostedMark(ApiModel):
    labels = {"lines": "Rows"}

    #: The rows posted (the CSV's `line` column); left out, the whole batch.
    lines: list[LineId] | None = Field(default=None, min_length=1, max_length=MAX_POSTED_LINES)


class PostedResult(Model):
    batch: TranscriptBatch
    #: Lines marked posted by this request; the others named were posted already.
    recorded: int
    already_posted: int


class CreditPosted(Model):
    """On a student's class: the college posted its credit."""

    college: str
    posted_on: date
    batch_number: int
