from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, EmailStr, Field, StringConstraints, field_validator

from dualcredit import clock, rules
from dualcredit.i18n import Language
from dualcredit.models.common import ApiModel, Email, Id, Model, OptionalText, Text, worded
from dualcredit.models.transcripts import CreditPosted

MISMATCH = "string_pattern_mismatch"
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ().-]{7,20}$"),
    worded("Enter a phone number of 7 to 20 digits, like 425-555-0142.", error=MISMATCH),
]
State = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{2}$"),
    worded("Enter the state as two letters, like WA.", error=MISMATCH),
]
PostalCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^\d{5}(-\d{4})?$"),
    worded("Enter a ZIP code of 5 digits, like 98052.", error=MISMATCH),
]

#: English or Spanish, as the profile's language choices name them.
LanguageChoice = Annotated[
    Language, worded("must be English (en) or Spanish (es)", error="literal_error")
]

#: The fields that identify a student, as the profile page and staff's student page name them.
IDENTITY_LABELS = {
    "legal_first_name": "Legal first name",
    "legal_last_name": "Legal last name",
    "birth_date": "Date of birth",
}
#: The profile page's other fields (the ones a student may change).
CONTACT_LABELS = {
    "preferred_name": "Preferred name",
    "phone": "Phone",
    "mailing_address": "Mailing address",
    "school_id": "High school or skill center",
    "expected_graduation_year": "Year you expect to graduate",
    "language": "Language for emails",
    "guardian_email": "Parent or guardian email",
    "guardian_language": "Parent or guardian language",
}


class Address(ApiModel):
    labels = {
        "line1": "Street address",
        "line2": "Apartment, suite",
        "city": "City",
        "state": "State",
        "postal_code": "ZIP code",
    }

    line1: Text
    line2: OptionalText | None = None
    city: Text
    state: State
    postal_code: PostalCode


def _visible(value: object) -> object:
    return rules.visible_name(value) if isinstance(value, str) else value


#: A legal name: kept as it renders (no invisible characters, NFKC), then checked as Text.
LegalName = Annotated[Text, BeforeValidator(_visible)]


class ProfileIn(ApiModel):
    """What a student enters once; legal name and birth date then identify them."""

    labels = {**IDENTITY_LABELS, **CONTACT_LABELS}

    legal_first_name: LegalName
    legal_last_name: LegalName
    preferred_name: OptionalText | None = None
    birth_date: date
    phone: Phone | None = None
    mailing_address: Address
    school_id: Id
    expected_graduation_year: int = Field(ge=2000, le=2100)
    #: The student's language for emails; left out, the request's Accept-Language.
    language: LanguageChoice | None = None
    #: A parent or guardian who gets a copy of receipts, reminders and decisions.
    guardian_email: Email | None = None
    #: Their language; left out, the student's.
    guardian_language: LanguageChoice | None = None

    @field_validator("birth_date")
    @classmethod
    def _plausible_birth_date(cls, value: date) -> date:
        return _plausible_birth_date(value)


def _plausible_birth_date(value: date) -> date:
    if not date(1940, 1, 1) <= value <= clock.now().date():
        raise ValueError("must be a real date of birth in the past")
    return value


class IdentityCorrection(ApiModel):
    """Staff correct a student's legal name or date of birth (a mistake at sign-up);
    the reason goes into the audit record."""

    labels = {**IDENTITY_LABELS, "reason": "Reason for the correction"}

    legal_first_name: LegalName | None = None
    legal_last_name: LegalName | None = None
    birth_date: date | None = None
    reason: Text

    @field_validator("birth_date")
    @classmethod
    def _plausible_birth_date(cls, value: date | None) -> date | None:
        return None if value is None else _plausible_birth_date(value)


class ProfileUpdate(ApiModel):
    """Contact details a student may change; legal name and birth date go through staff.
    A field left out stays as it is; `null` clears an optional one (preferred name,
    phone, the parent or guardian) and is refused for the others."""

    labels = CONTACT_LABELS

    preferred_name: OptionalText | None = None
    phone: Phone | None = None
    mailing_address: Address | None = None
    school_id: Id | None = None
    expected_graduation_year: int | None = Field(default=None, ge=2000, le=2100)
    language: LanguageChoice | None = None
    #: `null` removes the parent or guardian (and their copies).
    guardian_email: Email | None = None
    guardian_language: LanguageChoice | None = None

    @field_validator(
        "mailing_address", "school_id", "expected_graduation_year", "language", mode="after"
    )
    @classmethod
    def _required_once_given(cls, value: object) -> object:
        # Runs only for values given: a null here would empty a field the profile needs.
        if value is None:
            raise ValueError("cannot be emptied")
        return value


class Profile(Model):
    student_id: str
    sers_id: str
    email: EmailStr
    legal_first_name: str
    legal_last_name: str
    preferred_name: str | None = None
    birth_date: date
    phone: str | None = None
    mailing_address: Address
    school_id: str
    school_name: str
    expected_graduation_year: int
    created_at: datetime
    language: Language = "en"
    guardian_email: str | None = None
    guardian_language: Language | None = None
    #: False once the parent or guardian stopped the copies from an email's link.
    guardian_copies: bool = True


class GuardianStop(ApiModel):
    """The token of a parent's or guardian's stop link."""

    labels = {"token": "Link"}

    token: Annotated[
        str,
        StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_-]{20,100}$"),
        worded(
            "is not complete. Open the link from the email again.",
            error="string_pattern_mismatch",
        ),
    ]


class RecoveryRequest(ApiModel):
    labels = {"email": "Email address"}

    email: Email


class Registration(Model):
    school_year: str
    offering_id: str
    school_id: str
    high_school_course: str
    teacher: str
    college: str
    college_course_code: str
    college_course_title: str
    credits: float
    registered_at: datetime
    #: Posted by the school; `credit_earned` when it meets the course's threshold.
    grade: str | None = None
    credit_earned: bool | None = None
    #: The college posted the credit: the dashboard says "credit posted by <college> on
    #: <posted_on>". None until the college's registrar marks it posted (and again if a
    #: later transcript batch withdrew it).
    credit_posted: CreditPosted | None = None


class SettledPayment(Model):
    """A payment that settles a year's fee (or its late fee), as the year records it."""

    payment_id: str
    settles: Literal["fee", "late_fee"]
    method: str  # card, check, money_order
    amount_cents: int
    received_on: str
    instrument_number: str | None = None


class VoidedPayment(Model):
    """A check or money order entry staff voided: it settles nothing, and stays listed."""

    payment_id: str
    method: str  # check, money_order
    amount_cents: int
    received_on: str | None = None
    instrument_number: str | None = None
    void_reason: str
    voided_at: datetime


class YearSummary(Model):
    school_year: str
    fee_status: Literal["due", "paid", "waived", "waiver_pending"]
    amount_due_cents: int
    registrations: list[Registration]
    #: What settles the year (staff void a mistaken check or money order from here).
    payments: list[SettledPayment] = []
    #: A bank payment is on its way (up to 4 business days): no Pay meanwhile.
    bank_payment_processing: bool = False
    #: Entries voided by staff, with the reason (oldest first).
    voided_payments: list[VoidedPayment] = []


class Dashboard(Model):
    student_id: str
    sers_id: str
    years: list[YearSummary]


class RegistrationRequest(ApiModel):
    offering_ids: list[Id] = Field(min_length=1, max_length=10)

    @field_validator("offering_ids")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("lists the same class twice")
        return value


class RegistrationResult(Model):
    sers_id: str
    school_year: str
    registrations: list[Registration]


class StudentSummary(Model):
    student_id: str
    sers_id: str
    legal_first_name: str
    legal_last_name: str
    preferred_name: str | None = None
    school_id: str
    email: str
