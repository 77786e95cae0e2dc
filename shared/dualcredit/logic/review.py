"""The staff review queue: every payment flagged for review (reason in words, student,
amount, date), resolved one by one with a note. Refunds that failed are retried through
logic.payments.retry_refund."""

from __future__ import annotations

from datetime import datetime

from dualcredit import mail
from dualcredit.dal import payments as payment_data
from dualcredit.dal import review as review_data
from dualcredit.dal import students as student_data
from dualcredit.dal.records import PaymentRecord, ProfileRecord, ReviewReason
from dualcredit.errors import Conflict, NotFound
from dualcredit.logic.caller import Caller, Role
from dualcredit.models.review import (
    FlaggedPayment,
    RefundRefusal,
    RefundRetry,
    ResolvedReview,
    ReviewResolution,
    ReviewStudent,
)
from dualcredit.models.review import ReviewReason as ReasonOut


def flagged_payments(caller: Caller, student_id: str | None = None) -> list[FlaggedPayment]:
    """The queue, oldest flag first (one Query), with the students' names (one
    BatchGetItem of their profiles); only one student's payments when `student_id` is
    given (their staff page)."""
    caller.require(Role.STAFF)
    queued = review_data.review_queue()
    if student_id is not None:
        queued = [q for q in queued if q.payment.student_id == student_id]
    named = sorted({q.payment.student_id for q in queued if q.payment.student_id})
    profiles = student_data.get_profiles(named) if named else {}
    return [_flagged(q, profiles.get(q.payment.student_id or "")) for q in queued]


def _flagged(queued: review_data.QueuedPayment, profile: ProfileRecord | None) -> FlaggedPayment:
    payment = queued.payment
    return FlaggedPayment(
        payment_id=payment.payment_id,
        method=payment.method.value if payment.method else None,
        amount_cents=payment.amount_cents,
        currency=payment.currency,
        school_year=payment.school_year,
        received_on=payment.received_on,
        flagged_at=queued.flagged_at,
        reasons=[
            ReasonOut(code=reason.value, words=reason_words(reason, payment))
            for reason in sorted(payment.review_reasons)
        ]
        or [ReasonOut(code="cleared", words=CLEARED)],
        student=_student(payment, profile),
        refund_error=_refusal(payment),
        refund_retryable=refund_failed(payment),
    )


def _student(payment: PaymentRecord, profile: ProfileRecord | None) -> ReviewStudent:
    if profile is None:
        return ReviewStudent(student_id=payment.student_id, sers_id=payment.sers_id)
    return ReviewStudent(
        student_id=profile.student_id,
        sers_id=profile.sers_id,
        name=f"{profile.legal_first_name} {profile.legal_last_name}",
    )


def _refusal(payment: PaymentRecord) -> RefundRefusal | None:
    error = payment.refund_error
    if error is None:
        return None
    return RefundRefusal(
        code=error.code, message=error.message, at=datetime.fromisoformat(error.at)
    )


def refund_failed(payment: PaymentRecord) -> bool:
    """Stripe refused this duplicate's refund and nothing refunded it since."""
    return (
        payment.duplicate
        and payment.refund_error is not None
        and not payment.refunded
        and payment.duplicate_refund_id is None
    )


#: The words of a payment flagged only for reasons Stripe has cleared since (a dispute
#: won, a refused refund made since): staff resolve it with a note like any other.
CLEARED = "Flagged earlier; what it was flagged for has been cleared since."


def reason_words(reason: ReviewReason, payment: PaymentRecord) -> str:
    """What a review reason means, for staff, with this payment's figures."""
    amount = mail.money(payment.amount_cents)
    match reason:
        case ReviewReason.WRONG_AMOUNT:
            expected = payment.expected_cents
            due = f"; it was started for {mail.money(expected)}" if expected is not None else ""
            return f"Paid {amount}, not the amount due{due}. It settles nothing."
        case ReviewReason.WRONG_CURRENCY:
            currency = (payment.currency or "another currency").upper()
            return f"Paid in {currency}, not US dollars. It settles nothing."
        case ReviewReason.UNKNOWN_SESSION:
            return "Paid through a checkout the app did not start. It settles nothing."
        case ReviewReason.UNMATCHED:
            return "Names no student, or names two different ones. It settles nothing."
        case ReviewReason.DUPLICATE:
            return "A second payment for a year already paid; it is refunded automatically."
        case ReviewReason.REFUND_FAILED:
            why = payment.refund_error.message if payment.refund_error else ""
            return f"Stripe refused to refund this duplicate: {why}".rstrip(": ")
        case ReviewReason.REFUNDED:
            return "Refunded in full: the fee is due again."
        case ReviewReason.PARTIAL_REFUND:
            part = mail.money(payment.refunded_cents)
            return f"{part} of {amount} was refunded; the year stays paid."
        case ReviewReason.DISPUTED:
            return "The cardholder disputed the charge."
        case ReviewReason.DISPUTE_LOST:
            return "The dispute was lost: the money went back and the fee is due again."


def resolve(
    caller: Caller, payment_id: str, resolution: ReviewResolution, at: datetime
) -> ResolvedReview:
    """Staff resolve a flagged payment with a note (audited); it leaves the queue."""
    caller.require(Role.STAFF)
    payment = payment_data.get_payment(payment_id)
    if payment is None:
        raise NotFound("There is no such payment.", field="payment_id")
    if not payment.needs_staff_review:
        raise Conflict("This payment is not flagged for review.", code="not_flagged")
    if not review_data.resolve(payment, resolution.note, actor=caller.actor, at=at):
        raise Conflict("This payment was resolved by someone else meanwhile.", code="not_flagged")
    return ResolvedReview(
        payment_id=payment_id,
        note=resolution.note,
        resolved_by=caller.user,
        resolved_at=at,
        reasons=sorted(r.value for r in payment.review_reasons),
    )


def refund_retried(payment: PaymentRecord) -> RefundRetry:
    """What a retried refund came to, for the page."""
    refunded = payment.duplicate_refund_id is not None or payment.refunded
    return RefundRetry(
        payment_id=payment.payment_id,
        refunded=refunded,
        refund_id=payment.duplicate_refund_id,
        refund_error=None if refunded else _refusal(payment),
        refund_attempts=payment.refund_attempts,
    )
