"""The table's records as the code above the data layer sees them: frozen dataclasses.

Each record is read from one item by `of_item`; the attribute names the table uses
(`fee_payment`, `waiver_status`, `late_fee_applies` ...) stay in this folder. Plain
dataclasses rather than pydantic models, so a Lambda's cold start does not build a
validator for every record kind. API models read them with `from_attributes`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from dualcredit import rules
from dualcredit.dal.codec import Item


def _str(item: Item, name: str) -> str | None:
    value = item.get(name)
    return None if value is None else str(value)


def _instant(item: Item, name: str) -> datetime | None:
    value = item.get(name)
    return None if value is None else datetime.fromisoformat(value)


def _bool(item: Item, name: str) -> bool | None:
    value = item.get(name)
    return None if value is None else bool(value)


# --------------------------------------------------------------------------- profile


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


# --------------------------------------------------------------------------- student-year


class WaiverStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"


@dataclass(frozen=True)
class Waiver:
    """A student's waiver request for a year, and the staff decision on it."""

    reason: str
    explanation: str | None
    requested_at: datetime
    status: WaiverStatus


@dataclass(frozen=True)
class SettledPayment:
    """The summary of the payment that settles a slot of a year (fee or late fee)."""

    payment_id: str
    settles: rules.PaymentSlot
    method: str
    amount_cents: int
    received_on: str
    covers_late_fee: bool = False
    instrument_number: str | None = None

    @classmethod
    def of_item(cls, slot: rules.PaymentSlot, item: Item) -> SettledPayment:
        return cls(
            payment_id=item["payment_id"],
            settles=slot,
            method=item["method"],
            amount_cents=int(item["amount_cents"]),
            received_on=item["received_on"],
            covers_late_fee=bool(item.get("covers_late_fee")),
            instrument_number=_str(item, "instrument_number"),
        )


@dataclass(frozen=True)
class OpenCheckout:
    """The Stripe Checkout Session a year's fee is being paid through."""

    session_id: str
    url: str
    expires_at: int  # epoch seconds
    amount_cents: int

    @classmethod
    def of_item(cls, item: Item) -> OpenCheckout:
        return cls(
            session_id=item["session_id"],
            url=item["url"],
            expires_at=int(item["expires_at"]),
            amount_cents=int(item["amount_cents"]),
        )


@dataclass(frozen=True)
class BankPayment:
    """A bank (ACH) payment of a year's fee that Stripe has not confirmed yet."""

    session_id: str
    since: str  # ISO time the app learnt of it

    @classmethod
    def of_item(cls, item: Item) -> BankPayment:
        return cls(session_id=item["session_id"], since=item.get("since", ""))


@dataclass(frozen=True)
class VoidedPayment:
    """A check or money order entry staff voided, as its student-year keeps it."""

    payment_id: str
    method: str
    amount_cents: int
    void_reason: str
    voided_at: str
    received_on: str | None = None
    instrument_number: str | None = None

    @classmethod
    def of_item(cls, item: Item) -> VoidedPayment:
        return cls(
            payment_id=item["payment_id"],
            method=item.get("method", ""),
            amount_cents=int(item.get("amount_cents", 0)),
            void_reason=item.get("void_reason", ""),
            voided_at=item["voided_at"],
            received_on=_str(item, "received_on"),
            instrument_number=_str(item, "instrument_number"),
        )


#: The student-year's attribute holding the payment that settles each slot.
SLOT_ATTRIBUTE = {
    rules.PaymentSlot.FEE: "fee_payment",
    rules.PaymentSlot.LATE_FEE: "late_fee_payment",
}


@dataclass(frozen=True)
class StudentYear:
    """One student's school year: the fee, its waiver, prior-year credit, the payments
    that settle it and the open checkout."""

    student_id: str
    school_year: str
    sers_id: str = ""
    school_id: str | None = None
    fee_payment: SettledPayment | None = None
    late_fee_payment: SettledPayment | None = None
    waiver: Waiver | None = None
    #: Staff approved prior-year credit for this year (the rules derive the late fee).
    prior_year_credit: bool = False
    checkout: OpenCheckout | None = None
    checkout_generation: int = 0
    #: Check and money order entries voided by staff, oldest first.
    voided_payments: tuple[VoidedPayment, ...] = ()
    #: A bank payment Stripe took and has not confirmed yet: its session, and since when.
    bank_payment: BankPayment | None = None

    @classmethod
    def of_item(cls, item: Item) -> StudentYear:
        slots = {
            slot: SettledPayment.of_item(slot, item[attribute])
            for slot, attribute in SLOT_ATTRIBUTE.items()
            if isinstance(item.get(attribute), dict)
        }
        waiver_status = item.get("waiver_status")
        details = item.get("waiver") or {}
        checkout = item.get("checkout")
        return cls(
            student_id=item["student_id"],
            school_year=item["school_year"],
            sers_id=item.get("sers_id", ""),
            school_id=_str(item, "school_id"),
            fee_payment=slots.get(rules.PaymentSlot.FEE),
            late_fee_payment=slots.get(rules.PaymentSlot.LATE_FEE),
            waiver=None
            if waiver_status is None
            else Waiver(
                reason=details.get("reason", ""),
                explanation=details.get("explanation"),
                requested_at=datetime.fromisoformat(details["requested_at"]),
                status=WaiverStatus(waiver_status),
            ),
            # `late_fee_applies` is how records written before 2026-12-02 say it.
            prior_year_credit=bool(item.get("prior_year_credit") or item.get("late_fee_applies")),
            checkout=OpenCheckout.of_item(checkout) if isinstance(checkout, dict) else None,
            checkout_generation=int(item.get("checkout_generation", 0)),
            voided_payments=tuple(
                VoidedPayment.of_item(v) for v in item.get("voided_payments") or ()
            ),
            bank_payment=BankPayment.of_item(item["bank_payment"])
            if isinstance(item.get("bank_payment"), dict)
            else None,
        )

    @property
    def fee_facts(self) -> rules.FeeFacts:
        status = self.waiver.status if self.waiver else None
        return rules.FeeFacts(
            paid=self.fee_payment is not None,
            waiver_approved=status is WaiverStatus.APPROVED,
            waiver_pending=status is WaiverStatus.PENDING,
            prior_year_credit=self.prior_year_credit,
            late_fee_paid=self.late_fee_payment is not None
            or bool(self.fee_payment and self.fee_payment.covers_late_fee),
            bank_payment_processing=self.bank_payment is not None,
        )

    @property
    def settled_payments(self) -> list[SettledPayment]:
        """The payments that settle the year, fee first."""
        return [p for p in (self.fee_payment, self.late_fee_payment) if p is not None]


def fee_facts(year: StudentYear | None) -> rules.FeeFacts:
    """The fee facts of a year, or of a year with no record (nothing registered)."""
    return year.fee_facts if year is not None else rules.FeeFacts()


# --------------------------------------------------------------------------- payment


class PaymentMethod(StrEnum):
    CARD = "card"
    CHECK = "check"
    MONEY_ORDER = "money_order"


class ReviewReason(StrEnum):
    """Why a payment is flagged for staff review (a payment may carry several)."""

    WRONG_AMOUNT = "wrong_amount"  # rules.PaymentMismatch.AMOUNT
    WRONG_CURRENCY = "wrong_currency"  # rules.PaymentMismatch.CURRENCY
    UNKNOWN_SESSION = "unknown_session"  # no record of what its session was to collect
    UNMATCHED = "unmatched"  # names no student, or names disagree
    DUPLICATE = "duplicate"  # a second payment for a settled year
    REFUND_FAILED = "refund_failed"  # Stripe refused the duplicate's refund
    REFUNDED = "refunded"  # refunded whole: off its year
    PARTIAL_REFUND = "partial_refund"  # refunded in part: the year stays paid
    DISPUTED = "disputed"
    DISPUTE_LOST = "dispute_lost"  # off its year: the money went back


@dataclass(frozen=True)
class CheckoutSession:
    """What the app created a Checkout Session to collect, recorded with the session."""

    session_id: str
    student_id: str
    school_year: str
    expected_cents: int
    currency: str

    @classmethod
    def of_item(cls, item: Item) -> CheckoutSession:
        return cls(
            session_id=item["session_id"],
            student_id=item["student_id"],
            school_year=item["school_year"],
            expected_cents=int(item["expected_cents"]),
            currency=item["currency"],
        )


@dataclass(frozen=True)
class RefundError:
    """Stripe's answer when it refused to refund a payment."""

    code: str
    message: str
    at: str

    @classmethod
    def of_item(cls, item: Item) -> RefundError:
        return cls(code=item.get("code", ""), message=item.get("message", ""), at=item["at"])


@dataclass(frozen=True)
class PaymentRecord:
    """A payment as recorded: a card payment (keyed by Stripe's payment intent, merged
    from the events that mention it, in any order) or a check or money order entry."""

    payment_id: str
    method: PaymentMethod | None = None
    student_id: str | None = None
    school_year: str | None = None
    sers_id: str = ""
    amount_cents: int = 0
    received_on: str | None = None
    recorded_at: str | None = None
    session_id: str | None = None
    instrument_number: str | None = None
    payer_name: str | None = None
    note: str | None = None
    recorded_by: str | None = None
    settles: rules.PaymentSlot | None = None
    refunded: bool = False
    duplicate: bool = False
    duplicate_refund_id: str | None = None
    disputed: bool = False
    voided: bool = False
    void_reason: str | None = None
    #: Stripe's currency of a card payment, and what its session was created to collect.
    currency: str | None = None
    expected_cents: int | None = None
    needs_staff_review: bool = False
    review_reasons: frozenset[ReviewReason] = frozenset()
    #: Recorded, never to settle: its amount, currency or student did not match.
    held: bool = False
    unmatched: bool = False
    refunded_cents: int = 0
    refunded_at: str | None = None
    dispute_id: str | None = None
    dispute_status: str | None = None
    dispute_lost: bool = False
    refund_error: RefundError | None = None
    refund_attempts: int = 0

    @classmethod
    def of_item(cls, item: Item) -> PaymentRecord:
        method, settles = item.get("method"), item.get("settles")
        expected, error = item.get("expected_cents"), item.get("refund_error")
        return cls(
            payment_id=item["payment_id"],
            method=PaymentMethod(method) if method else None,
            student_id=_str(item, "student_id"),
            school_year=_str(item, "school_year"),
            sers_id=item.get("sers_id", ""),
            amount_cents=int(item.get("amount_cents", 0)),
            received_on=_str(item, "received_on"),
            recorded_at=_str(item, "recorded_at"),
            session_id=_str(item, "session_id"),
            instrument_number=_str(item, "instrument_number"),
            payer_name=_str(item, "payer_name"),
            note=_str(item, "note"),
            recorded_by=_str(item, "recorded_by"),
            settles=rules.PaymentSlot(settles) if settles else None,
            refunded=bool(item.get("refunded")),
            duplicate=bool(item.get("duplicate")),
            duplicate_refund_id=_str(item, "duplicate_refund_id"),
            disputed=bool(item.get("disputed")),
            voided=bool(item.get("voided")),
            void_reason=_str(item, "void_reason"),
            currency=_str(item, "currency"),
            expected_cents=None if expected is None else int(expected),
            needs_staff_review=bool(item.get("needs_staff_review")),
            review_reasons=frozenset(ReviewReason(r) for r in item.get("review_reasons", ())),
            held=bool(item.get("held")),
            unmatched=bool(item.get("unmatched")),
            refunded_cents=int(item.get("refunded_cents", 0)),
            refunded_at=_str(item, "refunded_at"),
            dispute_id=_str(item, "dispute_id"),
            dispute_status=_str(item, "dispute_status"),
            dispute_lost=bool(item.get("dispute_lost")),
            refund_error=RefundError.of_item(error) if isinstance(error, dict) else None,
            refund_attempts=int(item.get("refund_attempts", 0)),
        )

    @property
    def closed(self) -> bool:
        """Settled, refunded, found a duplicate, held for review or lost in a dispute:
        nothing is left to settle with it."""
        return (
            self.settles is not None
            or self.refunded
            or self.duplicate
            or self.held
            or self.dispute_lost
        )


# --------------------------------------------------------------------------- registration


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
        )


# --------------------------------------------------------------------------- window


@dataclass(frozen=True)
class WindowRecord:
    """What is stored about a school year's window: a staff extension of the close date,
    and the scheduled steps done (opened, announced, closed, summarized) with their
    dates. A year with no item reads as version 0 with nothing recorded."""

    school_year: str
    version: int = 0
    close_override: date | None = None
    opened_at: datetime | None = None
    announced_on: str | None = None
    closed_on: str | None = None
    closed_at: datetime | None = None
    summarized_on: str | None = None

    @classmethod
    def of_item(cls, school_year: str, item: Item | None) -> WindowRecord:
        if item is None:
            return cls(school_year)
        override = item.get("close_override")
        return cls(
            school_year=school_year,
            version=int(item.get("version", 0)),
            close_override=date.fromisoformat(override) if override else None,
            opened_at=_instant(item, "opened_at"),
            announced_on=_str(item, "announced_on"),
            closed_on=_str(item, "closed_on"),
            closed_at=_instant(item, "closed_at"),
            summarized_on=_str(item, "summarized_on"),
        )

    @property
    def window(self) -> rules.Window:
        """The window the rules give this year, with the staff extension."""
        return rules.window_for(rules.SchoolYear.parse(self.school_year), self.close_override)


def without_none(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}
