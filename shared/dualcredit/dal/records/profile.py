"""The profile record (who a student is, how to reach them) and the uniqueness claims
(SERS ID, email) that point at a student."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from dualcredit.dal.codec import Item
from dualcredit.dal.records._base import _bool, _str, without_none


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
    #: The language of the student's emails ("en", "es").
    language: str = "en"
    #: A parent or guardian who gets copies of receipts, reminders and decisions.
    guardian_email: str | None = None
    #: Their language; None: the student's.
    guardian_language: str | None = None
    #: False once the parent or guardian stopped the copies from an email's link.
    guardian_copies: bool = True
    #: The secret in the guardian's stop link (its item: keys.guardian_stop_pk).
    guardian_token: str | None = None

    @property
    def copies_to(self) -> tuple[str, str] | None:
        """(address, language) of the parent or guardian who gets copies now, or None."""
        if self.guardian_email is None or not self.guardian_copies:
            return None
        return self.guardian_email, self.guardian_language or self.language

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
            language=_str(item, "language") or "en",
            guardian_email=_str(item, "guardian_email"),
            guardian_language=_str(item, "guardian_language"),
            guardian_copies=_bool(item, "guardian_copies") is not False,
            guardian_token=_str(item, "guardian_token"),
        )

    def fields(self) -> Item:
        """The profile as stored (without its keys)."""
        stored = without_none(asdict(self))
        if self.guardian_email is None:
            # Copies are a guardian's: without one, nothing to say.
            stored.pop("guardian_copies", None)
        return {**stored, "birth_date": self.birth_date.isoformat()}


@dataclass(frozen=True)
class StudentClaim:
    """What a uniqueness claim (SERS ID, email) points at."""

    student_id: str
    sers_id: str

    @classmethod
    def of_item(cls, item: Item) -> StudentClaim:
        return cls(student_id=item["student_id"], sers_id=item["sers_id"])
