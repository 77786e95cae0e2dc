"""Stripe's events, applied to payments and student-years.

Every branch is safe to repeat and to meet in any order: an event's facts merge into
the payment record, and settling is conditional. A paid session settles its year only
when it is in US dollars for exactly what the session was created to collect, and names
a student who exists, the same way in its metadata and `client_reference_id`; anything
else is recorded, held and flagged for staff. A second successful payment for a settled
year is recorded and flagged first, then refunded through Stripe; a refusal is kept on
the payment for staff to retry. A partial refund is recorded and flagged; a whole refund
or a lost dispute takes the payment off its year.

Each event is applied once (logic/stripe_processing.py: once per event id, and a paid
session's once per session id, shared by its events and the success page).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from dualcredit import rules
from dualcredit.dal import checkouts, stripe_gateway
from dualcredit.dal import payments as payment_data
from dualcredit.dal.audit import Actor
from dualcredit.dal.records import PaymentRecord, ReviewReason
from dualcredit.logic import bank_payment
from dualcredit.logic.settlement import Settlement, settle_card
from dualcredit.observability import logger, metrics


class EventOutcome(StrEnum):
    """What an event did; the webhook logs it and keeps it with the event's idempotency
    record."""

    SETTLED_FEE = "settled fee"
    SETTLED_LATE_FEE = "settled late_fee"
    ALREADY_SETTLED = "already settled"
    REFUNDED_BEFORE_SETTLED = "refunded before it settled"
    HELD_FOR_REVIEW = "held for staff review"
    UNMATCHED = "held: matches no student"
    DUPLICATE_REFUNDED = "duplicate refunded"
    DUPLICATE_REFUND_REFUSED = "duplicate: Stripe refused the refund"
    AWAITING_PAYMENT = "awaiting asynchronous payment"
    BANK_PAYMENT_FAILED = "bank payment failed: student emailed"
    CHECKOUT_CLOSED = "checkout closed"
    NOT_OURS = "ignored: not ours"
    NO_PAYMENT_INTENT = "ignored: no payment intent"
    DUPLICATE_REFUND_CONFIRMED = "duplicate refund confirmed"
    REFUNDED_FEE_DUE = "refunded: fee due again"
    PARTIAL_REFUND_NOTED = "partial refund noted: year stays paid"
    REFUND_NOTED = "refund noted"
    DISPUTE_NOTED = "dispute noted"
    DISPUTE_WON = "dispute won"
    DISPUTE_LOST_FEE_DUE = "dispute lost: fee due again"
    IGNORED = "ignored"


_SETTLED = {
    Settlement.SETTLED_FEE: EventOutcome.SETTLED_FEE,
    Settlement.SETTLED_LATE_FEE: EventOutcome.SETTLED_LATE_FEE,
    Settlement.ALREADY_SETTLED: EventOutcome.ALREADY_SETTLED,
}


def handle_stripe_event(event: dict[str, Any], at: datetime) -> EventOutcome:
    """Apply one verified Stripe event. Every branch is safe to repeat and to meet
    in any order: facts merge into the payment record, settling is conditional."""
    kind = event.get("type", "")
    obj = (event.get("data") or {}).get("object") or {}
    logger.append_keys(stripe_event_type=kind, stripe_event_id=event.get("id"))
    created = event.get("created")
    happened = datetime.fromtimestamp(created, UTC) if isinstance(created, int) else at
    match kind:
        case "checkout.session.completed" if obj.get("payment_status") == "paid":
            return card_paid(obj, at, happened)
        case "checkout.session.async_payment_succeeded":
            return card_paid(obj, at, happened)
        case "checkout.session.completed":
            return bank_payment_processing(obj, at)
        case "checkout.session.async_payment_failed":
            bank_payment.failed(obj)
            return EventOutcome.BANK_PAYMENT_FAILED
        case "checkout.session.expired":
            meta = obj.get("metadata") or {}
            if meta.get("student_id") and meta.get("school_year"):
                checkouts.clear_checkout(meta["student_id"], meta["school_year"], obj["id"])
            return EventOutcome.CHECKOUT_CLOSED
        case "charge.refunded":
            return _card_refunded(obj, at)
        case "charge.dispute.created":
            return _card_disputed(obj, at)
        case "charge.dispute.closed":
            return _dispute_closed(obj, at)
    return EventOutcome.IGNORED


def bank_payment_processing(session: dict[str, Any], at: datetime) -> EventOutcome:
    """A session completed with its (bank) payment still to come: the year shows it as
    processing and offers no new checkout until Stripe says it succeeded or failed."""
    meta = session.get("metadata") or {}
    if meta.get("student_id") and meta.get("school_year"):
        checkouts.note_bank_payment(meta["student_id"], meta["school_year"], session["id"], at)
    return EventOutcome.AWAITING_PAYMENT


def card_paid(session: dict[str, Any], at: datetime, paid_at: datetime) -> EventOutcome:
    """A paid Checkout Session: settle its year, hold it, or refund it as a duplicate.
    (logic.stripe_processing.settle_paid_session runs this once per session.)"""
    meta = session.get("metadata") or {}
    intent = session.get("payment_intent")
    if not (intent and meta.get("student_id") and meta.get("school_year")):
        logger.warning("paid session without our metadata", extra={"session_id": session.get("id")})
        return EventOutcome.NOT_OURS
    payment = payment_data.note_card_payment(
        intent,
        payment_data.CardPaid(
            student_id=meta["student_id"],
            school_year=meta["school_year"],
            sers_id=meta.get("sers_id", ""),
            session_id=session["id"],
            amount_cents=session.get("amount_total") or 0,
            currency=str(session.get("currency") or ""),
            received_on=paid_at.astimezone(rules.PACIFIC).date().isoformat(),
            recorded_at=at.isoformat(),
        ),
    )
    if payment.held:
        return EventOutcome.UNMATCHED if payment.unmatched else EventOutcome.HELD_FOR_REVIEW
    if payment.settles is not None:
        return EventOutcome.ALREADY_SETTLED
    if payment.refunded:
        return EventOutcome.REFUNDED_BEFORE_SETTLED
    if payment.dispute_lost:
        return EventOutcome.DISPUTE_LOST_FEE_DUE
    if not payment.duplicate:
        context = checkouts.paid_session_context(
            session["id"], meta["student_id"], meta["school_year"]
        )
        held = _hold_if_mismatched(session, meta, payment, context, at)
        if held is not None:
            return held
        # The context was read consistently: it is the year's first read and the receipt's
        # address, so nothing is read twice.
        outcome = settle_card(payment, at=at, year=context.year, profile=context.profile)
        if outcome is Settlement.NO_STUDENT_YEAR:
            return _hold(payment, {ReviewReason.UNMATCHED}, at)
        if outcome is not Settlement.DUPLICATE:
            return _SETTLED[outcome]
        # Recorded and flagged first, so a refund Stripe refuses leaves it in staff's view.
        payment_data.mark_duplicate(intent, at=at)
    if payment.duplicate_refund_id:
        return EventOutcome.DUPLICATE_REFUNDED
    if payment.refund_error is not None:
        return EventOutcome.DUPLICATE_REFUND_REFUSED  # staff retry it
    return refund_duplicate(payment, actor=payment_data.STRIPE, at=at)


def _hold_if_mismatched(
    session: dict[str, Any],
    meta: dict[str, str],
    payment: PaymentRecord,
    context: checkouts.PaidSessionContext,
    at: datetime,
) -> EventOutcome | None:
    """Hold a paid session that names no existing student, names one inconsistently, or
    paid other than what the app created it to collect; None when it may settle."""
    if not _names_one_student(session, meta, context):
        return _hold(payment, {ReviewReason.UNMATCHED}, at)
    expected = context.expected_cents
    if expected is None:
        return _hold(payment, {ReviewReason.UNKNOWN_SESSION}, at)
    mismatch = rules.payment_mismatch(
        amount_cents=payment.amount_cents, expected_cents=expected, currency=payment.currency or ""
    )
    if mismatch is None:
        return None
    return _hold(payment, {ReviewReason(mismatch.value)}, at, expected_cents=expected)


def _names_one_student(
    session: dict[str, Any], meta: dict[str, str], context: checkouts.PaidSessionContext
) -> bool:
    """The student the metadata names exists and has that year; the metadata's SERS ID is
    theirs and the session's `client_reference_id`; the app's record of the session, if
    any, is for that student-year."""
    profile, record, sers_id = context.profile, context.session, meta.get("sers_id")
    if profile is None or context.year is None or not sers_id:
        return False
    if profile.sers_id != sers_id or session.get("client_reference_id") != sers_id:
        return False
    return record is None or (record.student_id, record.school_year) == (
        meta["student_id"],
        meta["school_year"],
    )


def _hold(
    payment: PaymentRecord,
    reasons: set[ReviewReason],
    at: datetime,
    *,
    expected_cents: int | None = None,
) -> EventOutcome:
    payment_data.hold(payment.payment_id, reasons, {"expected_cents": expected_cents}, at=at)
    metrics.add_metric(name="PaymentHeldForReview", unit="Count", value=1)
    logger.warning(
        "paid session held for staff review",
        extra={"payment_id": payment.payment_id, "reasons": sorted(reasons)},
    )
    if ReviewReason.UNMATCHED in reasons:
        return EventOutcome.UNMATCHED
    return EventOutcome.HELD_FOR_REVIEW


def refund_duplicate(payment: PaymentRecord, *, actor: Actor, at: datetime) -> EventOutcome:
    """Ask Stripe to refund a duplicate payment already recorded and flagged. The first
    attempt's idempotency key makes a retried delivery return the same refund; each
    staff retry after a refusal has its own (Stripe keeps a refusal under its key).

    An accepted refund is written here only when it clears an earlier refusal (a staff
    retry). The first attempt's refund is recorded by its own `charge.refunded` event,
    which Stripe sends for every refund: one write fewer on the webhook's duplicate path,
    and the record says refunded only once Stripe says the money went back."""
    attempt = payment.refund_attempts
    key = f"duplicate-refund:{payment.payment_id}" + (f":retry-{attempt}" if attempt else "")
    try:
        refund_id = stripe_gateway.refund(payment.payment_id, idempotency_key=key)
    except stripe_gateway.RefundRefused as refused:
        payment_data.note_refund_refused(
            payment.payment_id, refused.code, refused.message, attempt + 1, actor=actor, at=at
        )
        metrics.add_metric(name="DuplicateRefundRefused", unit="Count", value=1)
        logger.warning(
            "Stripe refused a duplicate's refund",
            extra={"payment_id": payment.payment_id, "code": refused.code},
        )
        return EventOutcome.DUPLICATE_REFUND_REFUSED
    if payment.refund_error is not None or attempt:
        payment_data.note_duplicate_refund(payment.payment_id, refund_id, actor=actor, at=at)
    metrics.add_metric(name="DuplicatePaymentRefunded", unit="Count", value=1)
    return EventOutcome.DUPLICATE_REFUNDED


def _card_refunded(charge: dict[str, Any], at: datetime) -> EventOutcome:
    intent = charge.get("payment_intent")
    if not intent:
        return EventOutcome.NO_PAYMENT_INTENT
    payment = payment_data.note_card_payment(intent)
    refunded_cents = charge.get("amount_refunded") or 0
    paid_cents = charge.get("amount") or payment.amount_cents
    if not rules.refund_is_whole(paid_cents=paid_cents, refunded_cents=refunded_cents):
        payment_data.mark_partly_refunded(intent, refunded_cents, at=at)
        metrics.add_metric(name="PaymentPartlyRefunded", unit="Count", value=1)
        return EventOutcome.PARTIAL_REFUND_NOTED
    if payment.duplicate:
        payment_data.mark_refunded(intent, refunded_cents, at=at)
        return EventOutcome.DUPLICATE_REFUND_CONFIRMED
    if payment.settles is not None:
        payment_data.refund_settled(payment, refunded_cents, actor=payment_data.STRIPE, at=at)
        return EventOutcome.REFUNDED_FEE_DUE
    payment_data.mark_refunded(intent, refunded_cents, at=at)
    return EventOutcome.REFUND_NOTED


def _card_disputed(dispute: dict[str, Any], at: datetime) -> EventOutcome:
    intent = dispute.get("payment_intent")
    if not intent:
        return EventOutcome.NO_PAYMENT_INTENT
    payment_data.mark_disputed(
        intent, dispute.get("id", ""), str(dispute.get("status") or ""), at=at
    )
    metrics.add_metric(name="PaymentDisputed", unit="Count", value=1)
    return EventOutcome.DISPUTE_NOTED


def _dispute_closed(dispute: dict[str, Any], at: datetime) -> EventOutcome:
    """`won` clears the dispute flag; `lost` takes the payment off its year (the money
    went back to the cardholder) and flags it. Other closings (a warning closed, an
    inquiry) change nothing."""
    intent = dispute.get("payment_intent")
    if not intent:
        return EventOutcome.NO_PAYMENT_INTENT
    status = dispute.get("status")
    if status == "won":
        payment_data.dispute_won(intent, dispute.get("id", ""), at=at)
        return EventOutcome.DISPUTE_WON
    if status == "lost":
        payment = payment_data.note_card_payment(intent)
        payment_data.dispute_lost(payment, dispute.get("id", ""), at=at)
        metrics.add_metric(name="DisputeLost", unit="Count", value=1)
        return EventOutcome.DISPUTE_LOST_FEE_DUE
    return EventOutcome.IGNORED
