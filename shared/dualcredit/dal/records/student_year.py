"""The student-year record: one student's school year, with its waiver, the payments
that settle it, the open checkout, a bank payment not confirmed yet and the voided
entries; and the fee facts the rules read from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from dualcredit import rules
from dualcredit.dal.codec import Item
from dualcredit.dal.records._base import _str


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
    #: Who the session was made for: "student" (signed in, their email, back to the
    #: dashboard) or "pay:<hash of the parent's email, or nothing>" (by SERS ID, back to
    #: /pay). A session is reused only for the same payer; "" is a session stored before.
    payer: str = ""

    @classmethod
    def of_item(cls, item: Item) -> OpenCheckout:
        return cls(
            session_id=item["session_id"],
            url=item["url"],
            expires_at=int(item["expires_at"]),
            amount_cents=int(item["amount_cents"]),
            payer=str(item.get("payer", "")),
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
