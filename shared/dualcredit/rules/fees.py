"""Fee rules: the $50 a year, the $15 late fee for approved prior-year credit, what a
student-year owes and what a new payment for it settles.

The rules take a year's fee facts whole (FeeFacts), as its record states them, and
derive everything else from them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from dualcredit.rules._base import RuleError
from dualcredit.rules.calendar import SchoolYear

__all__ = [
    "BASE_FEE_CENTS",
    "FEE_CURRENCY",
    "LATE_FEE_CENTS",
    "FeeFacts",
    "FeeStatus",
    "PaymentMismatch",
    "PaymentSlot",
    "amount_due",
    "amount_if_not_waived",
    "bank_payment_pending",
    "covers_late_fee",
    "fee_status",
    "late_fee_applies",
    "may_pay_now",
    "may_start_checkout",
    "payment_mismatch",
    "payment_slot",
    "prior_year_cost_cents",
    "refund_is_whole",
]

BASE_FEE_CENTS = 5000  # per student per school year, covering every class of that year
LATE_FEE_CENTS = 1500  # per approved prior school year
FEE_CURRENCY = "usd"  # Stripe's lower-case ISO code: fees are paid in US dollars


@dataclass(frozen=True)
class FeeFacts:
    """What one student-year's record says about its fee."""

    paid: bool = False  # a payment settles the year's $50
    waiver_approved: bool = False
    waiver_pending: bool = False
    prior_year_credit: bool = False  # staff approved prior-year credit for this year
    late_fee_paid: bool = False  # a payment settles the late fee (on its own or with the fee)
    #: A bank payment Stripe took but has not confirmed yet (up to 4 business days).
    bank_payment_processing: bool = False


class FeeStatus(StrEnum):
    DUE = "due"
    PAID = "paid"
    WAIVED = "waived"
    WAIVER_PENDING = "waiver_pending"


class PaymentMismatch(StrEnum):
    """Why a payment settles nothing although it was taken for a year's fee."""

    CURRENCY = "wrong_currency"  # not in US dollars
    AMOUNT = "wrong_amount"  # not exactly what was due when the payment was started


class PaymentSlot(StrEnum):
    FEE = "fee"  # the year's $50 (with the late fee when one applies and is unpaid)
    LATE_FEE = "late_fee"  # only the late fee, for a year whose $50 was already paid


def late_fee_applies(facts: FeeFacts) -> bool:
    """The $15 late fee applies to a year for which staff approved prior-year credit
    ("$15 per year": one fee per approved year, not per year of delay)."""
    return facts.prior_year_credit


def fee_status(facts: FeeFacts) -> FeeStatus:
    """Status of one student-year's fee: paid > waived > waiver pending > due.

    The fee is non-refundable, so a paid year stays paid even if a waiver is
    approved later.
    """
    if facts.paid:
        return FeeStatus.PAID
    if facts.waiver_approved:
        return FeeStatus.WAIVED
    if facts.waiver_pending:
        return FeeStatus.WAIVER_PENDING
    return FeeStatus.DUE


def amount_due(facts: FeeFacts) -> int:
    """What to ask a student to pay now for one school year, in cents.

    A waiver covers the year's fee and its late fee, so an approved waiver asks
    for nothing; while a waiver is pending nothing is asked either (the student
    should not pay something that may be waived).
    """
    if facts.waiver_approved or facts.waiver_pending:
        return 0
    base = 0 if facts.paid else BASE_FEE_CENTS
    late = LATE_FEE_CENTS if late_fee_applies(facts) and not facts.late_fee_paid else 0
    return base + late


def amount_if_not_waived(facts: FeeFacts) -> int:
    """What a year owes once its pending waiver is decided against it: what staff see at
    stake for a student waiting on a waiver. For any other year, `amount_due`."""
    if facts.waiver_pending and not facts.waiver_approved:
        return amount_due(replace(facts, waiver_pending=False))
    return amount_due(facts)


def payment_slot(facts: FeeFacts) -> PaymentSlot | None:
    """What a new payment for a student-year settles, or None when the year owes
    nothing and the payment is a duplicate (to be refunded: one payment per year)."""
    if facts.waiver_approved:
        return None
    if not facts.paid:
        return PaymentSlot.FEE
    if late_fee_applies(facts) and not facts.late_fee_paid:
        return PaymentSlot.LATE_FEE
    return None


def payment_mismatch(
    *, amount_cents: int, expected_cents: int, currency: str = FEE_CURRENCY
) -> PaymentMismatch | None:
    """What keeps a payment from settling, or None when it may settle: it must be in US
    dollars and exactly `expected_cents`, what the year owed when the payment was started
    (a card payment: what its Checkout Session was created to collect; a check: what is
    due as staff record it). One rule for both: a payment of more or less is recorded
    and flagged for staff, never settled. The currency is compared first: 5000 euro
    cents are not $50. When nothing was due, no payment may settle."""
    if currency != FEE_CURRENCY:
        return PaymentMismatch.CURRENCY
    if expected_cents <= 0 or amount_cents != expected_cents:
        return PaymentMismatch.AMOUNT  # nothing was due: nothing to settle
    return None


def refund_is_whole(*, paid_cents: int, refunded_cents: int) -> bool:
    """Only a refund of the whole amount takes a payment off its year (the fee is due
    again); a partial refund is recorded and flagged, and the year stays paid."""
    return paid_cents > 0 and refunded_cents >= paid_cents


def covers_late_fee(facts: FeeFacts, amount_cents: int) -> bool:
    """A fee payment made while a late fee applies, of at least $50 + $15, pays both
    at once."""
    return late_fee_applies(facts) and amount_cents >= BASE_FEE_CENTS + LATE_FEE_CENTS


def prior_year_cost_cents(
    *,
    request_year: SchoolYear,
    current_year: SchoolYear,
    year_paid: bool,
    year_waived: bool,
) -> int:
    """Cost of ONE approved prior-year credit request, in cents.

    That year's $50 unless it is already paid or waived, plus one $15 late fee
    for the approved prior year ("$15 per year", one fee per year approved, not
    per year of delay). A waiver for that year covers both.
    """
    if not request_year < current_year:
        raise RuleError(
            f"A prior-year request must be for a school year before {current_year}; "
            f"{request_year} is not."
        )
    if year_waived:
        return 0
    return (0 if year_paid else BASE_FEE_CENTS) + LATE_FEE_CENTS


def may_start_checkout(facts: FeeFacts) -> bool:
    """A new card or bank payment may be started when something is due and no bank
    payment for the year is still processing (a second one would be a duplicate)."""
    return amount_due(facts) > 0 and not facts.bank_payment_processing


def bank_payment_pending(facts: FeeFacts) -> bool:
    """A year shows its bank payment as processing (instead of Pay) while something is
    due and a bank payment for it is on its way."""
    return amount_due(facts) > 0 and facts.bank_payment_processing


def may_pay_now(*, window_open: bool, prior_year_credit: bool) -> bool:
    """Card and check payments are taken while the window is open; approved
    prior-year credit can be paid at any time."""
    return window_open or prior_year_credit
