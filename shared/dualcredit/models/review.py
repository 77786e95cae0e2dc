"""The staff review queue of payments: what a flagged payment shows, a resolution's note,
and a refund retried."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import StringConstraints

from dualcredit.models.common import ApiModel, Model

#: A staff note, kept in the payment's audit record.
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ReviewReason(Model):
    """One reason a payment is flagged: its stable code and what it means, in words."""

    code: str
    words: str


class ReviewStudent(Model):
    """The student a payment names. `name` is None when the payment names no student
    that exists (an unmatched payment): then `student_id` is what its metadata said."""

    student_id: str | None = None
    sers_id: str = ""
    name: str | None = None


class RefundRefusal(Model):
    """Stripe's answer when it refused to refund the payment."""

    code: str
    message: str
    at: datetime


class FlaggedPayment(Model):
    payment_id: str
    method: Literal["card", "check", "money_order"] | None = None
    amount_cents: int
    currency: str | None = None
    school_year: str | None = None
    #: The day the payment was received (a card payment: the day Stripe said it was paid).
    received_on: str | None = None
    flagged_at: datetime
    reasons: list[ReviewReason]
    student: ReviewStudent
    refund_error: RefundRefusal | None = None
    #: Stripe refused the duplicate's refund: staff may ask again.
    refund_retryable: bool = False


class ReviewResolution(ApiModel):
    labels = {"note": "Note"}

    note: Note


class ResolvedReview(Model):
    payment_id: str
    note: str
    resolved_by: str
    resolved_at: datetime
    #: The reasons the payment was flagged for, now resolved.
    reasons: list[str]


class RefundRetry(Model):
    """A refund staff asked Stripe for again: `refunded`, or Stripe's new refusal."""

    payment_id: str
    refunded: bool
    refund_id: str | None = None
    refund_error: RefundRefusal | None = None
    refund_attempts: int
