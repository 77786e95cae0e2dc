"""The payment record (a card payment, or a check or money order entry), why one is
flagged for review, the Checkout Session it was collected by, and Stripe's refusal of
its refund."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dualcredit import rules
from dualcredit.dal.codec import Item
from dualcredit.dal.records._base import _str


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
