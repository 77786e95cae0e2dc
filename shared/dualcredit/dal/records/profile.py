"""The profile record (who a student is, how to reach them) and the uniqueness claims
(SERS ID, email) that point at a student."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from dualcredit.dal.codec import Item
from dualcredit.dal.records._base import _str, without_none


@dataclass(frozen=True)
class ProfileRecord:
    """A student's profile: who they are (legal name, birth date) and how to reach them."""

    student_id: str
    sers_id: str
    email: str
    legal_first_name: str
    legal_last_name: str
    birth_date: date
    school_id: str
    school_name: str
    expected_graduation_year: int
    mailing_address: dict[str, str]
    created_at: str
    version: int
    preferred_name: str | None = None
    phone: str | None = None
    updated_at: str | None = None

    @classmethod
    def of_item(cls, item: Item) -> ProfileRecord:
        return cls(
            student_id=item["student_id"],
            sers_id=item["sers_id"],
            email=item["email"],
            legal_first_name=item["legal_first_name"],
            legal_last_name=item["legal_last_name"],
            birth_date=date.fromisoformat(item["birth_date"]),
            school_id=item["school_id"],
            school_name=item.get("school_name", ""),
            expected_graduation_year=int(item["expected_graduation_year"]),
            mailing_address=dict(item.get("mailing_address") or {}),
            created_at=item["created_at"],
            version=int(item.get("version", 1)),
            preferred_name=_str(item, "preferred_name"),
            phone=_str(item, "phone"),
            updated_at=_str(item, "updated_at"),
        )

    def fields(self) -> Item:
        """The profile as stored (without its keys)."""
        stored = without_none(asdict(self))
        return {**stored, "birth_date": self.birth_date.isoformat()}


@dataclass(frozen=True)
class StudentClaim:
    """What a uniqueness claim (SERS ID, email) points at."""

    student_id: str
    sers_id: str

    @classmethod
    def of_item(cls, item: Item) -> StudentClaim:
        return cls(student_id=item["student_id"], sers_id=item["sers_id"])
