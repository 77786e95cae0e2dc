"""The registration record: one class a student registered for a school year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dualcredit.dal.codec import Item
from dualcredit.dal.records._base import _bool, _str


@dataclass(frozen=True)
class CreditPostedRecord:
    """The college posted this class's credit (its registrar marked the batch line)."""

    college: str
    posted_on: date
    batch_number: int

    @classmethod
    def of_item(cls, item: Item) -> CreditPostedRecord | None:
        """None unless posted, and None once a later batch's withdrawal was posted."""
        posted = item.get("credit_posted")
        if not isinstance(posted, dict) or posted.get("withdrawn"):
            return None
        return cls(
            college=str(posted["college"]),
            posted_on=date.fromisoformat(posted["posted_on"]),
            batch_number=int(posted["batch_number"]),
        )


@dataclass(frozen=True)
class SentInBatchRecord:
    """The last transcript batch that named this class's credit (dal/transcripts.py)."""

    college: str
    number: int
    closed_on: date
    mark: str

    @classmethod
    def of_item(cls, item: Item) -> SentInBatchRecord | None:
        sent = item.get("transcript_batch")
        if not isinstance(sent, dict):
            return None
        return cls(
            college=str(sent["college"]),
            number=int(sent["number"]),
            closed_on=date.fromisoformat(sent["closed_on"]),
            mark=str(sent["mark"]),
        )


@dataclass(frozen=True)
class RegistrationRecord:
    """One class a student registered for a school year, with what was offered (a
    snapshot of the offering) and what the school posted (answer, grade)."""

    student_id: str
    school_year: str
    offering_id: str
    school_id: str
    sers_id: str
    legal_first_name: str
    legal_last_name: str
    high_school_course: str
    teacher: str
    college: str
    college_course_code: str
    college_course_title: str
    credits: float
    registered_at: str
    preferred_name: str | None = None
    grade_threshold: str | None = None
    grade: str | None = None
    credit_earned: bool | None = None
    in_class: bool | None = None
    #: Written by the registrar's posting of a transcript batch (dal/transcripts.py).
    credit_posted: CreditPostedRecord | None = None
    transcript_batch: SentInBatchRecord | None = None

    @classmethod
    def of_item(cls, item: Item) -> RegistrationRecord:
        return cls(
            student_id=item["student_id"],
            school_year=item["school_year"],
            offering_id=item["offering_id"],
            school_id=item["school_id"],
            sers_id=item["sers_id"],
            legal_first_name=item["legal_first_name"],
            legal_last_name=item["legal_last_name"],
            high_school_course=item["high_school_course"],
            teacher=item["teacher"],
            college=item["college"],
            college_course_code=item["college_course_code"],
            college_course_title=item["college_course_title"],
            credits=item["credits"],
            registered_at=item["registered_at"],
            preferred_name=_str(item, "preferred_name"),
            grade_threshold=_str(item, "grade_threshold"),
            grade=_str(item, "grade"),
            credit_earned=_bool(item, "credit_earned"),
            in_class=_bool(item, "in_class"),
            credit_posted=CreditPostedRecord.of_item(item),
            transcript_batch=SentInBatchRecord.of_item(item),
        )
