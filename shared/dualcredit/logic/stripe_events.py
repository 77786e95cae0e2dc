"""Stripe's events, applied to payments and student-years.

Every branch is safe to repeat and to meet in any order: an event's facts merge into
the payment record, and settling is conditional. A second successful payment for a
settled year is refunded through Stripe and flagged for staff.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from dualcredit import rules
from dualcredit.dal import checkouts, stripe_gateway
from dualcredit.dal import payments as payment_data
from dualcredit.logic.settlement import Settlement, settle_card
from dualcredit.observability import logger, metrics


class EventOutcome(StrEnum):
    """What an event did; the webhook logs it and keeps it with the event's idempotency
    record."""

    SETTLED_FEE = "settled fee"
    SETTLED_LATE_FEE = "settled late_fee"
    ALREADY_SETTLED = "already settled"
    REFUNDED_BEFORE_SETTLED = "refunded before it settled"
    DUPLICATE_REFUNDED = "duplicate refunded"
    AWAITING_PAYMENT = "awaiting asynchronous payment"
    CHECKOUT_CLOSED = "checkout closed"
    NOT_OURS = "ignored: not ours"
    NO_PAYMENT_INTENT = "ignored: no payment intent"
    DUPLICATE_REFUND_CONFIRMED = "duplicate refund confirmed"
    REFUNDED_FEE_DUE = "refunded: fee due again"
    REFUND_NOTED = "refund noted"
    DISPUTE_NOTED = "dispute noted"
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
    match kind:
        case "checkout.session.completed" if obj.get("payment_status") == "paid":
            return _card_paid(obj, at)
        case "checkout.session.async_payment_succeeded":
            return _card_paid(obj, at)
        case "checkout.session.completed":
            return EventOutcome.AWAITING_PAYMENT
        case "checkout.session.expired" | "checkout.session.async_payment_failed":
            meta = obj.get("metadata") or {}
            if meta.get("student_id") and meta.get("school_year"):
                checkouts.clear_checkout(meta["student_id"], meta["school_year"], obj["id"])
            return EventOutcome.CHECKOUT_CLOSED
        case "charge.refunded":
            return _card_refunded(obj, at)
        case "charge.dispute.created":
            return _card_disputed(obj, at)
    return EventOutcome.IGNORED


def _card_paid(session: dict[str, Any], at: datetime) -> EventOutcome:
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
            received_on=at.astimezone(rules.PACIFIC).date().isoformat(),
            recorded_at=at.isoformat(),
        ),
    )
    if payment.settles is not None:
        return EventOutcome.ALREADY_SETTLED
    if payment.refunded:
        return EventOutcome.REFUNDED_BEFORE_SETTLED
    if not payment.duplicate:
        outcome = settle_card(payment, at=at)
        if outcome is not Settlement.DUPLICATE:
            return _SETTLED[outcome]
    if not payment.duplicate_refund_id:
        # Refund first, then record: the idempotency key makes a retried refund return the
        # same refund, and settling already refuses a payment that lost its year.
        refund_id = stripe_gateway.refund(intent, idempotency_key=f"duplicate-refund:{intent}")
        payment_data.mark_duplicate(intent, refund_id, at=at)
        metrics.add_metric(name="DuplicatePaymentRefunded", unit="Count", value=1)
    return EventOutcome.DUPLICATE_REFUNDED


def _card_refunded(charge: dict[str, Any], at: datetime) -> EventOutcome:
    intent = charge.get("payment_intent")
    if not intent:
        return EventOutcome.NO_PAYMENT_INTENT
    payment = payment_data.note_card_payment(intent)
    refunded_cents = charge.get("amount_refunded") or 0
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
    payment_data.mark_disputed(intent, dispute.get("id", ""), at=at)
    metrics.add_metric(name="PaymentDisputed", unit="Count", value=1)
    return EventOutcome.DISPUTE_NOTED
