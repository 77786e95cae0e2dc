"""Stripe's events, applied to payments and student-years.

Every branch is safe to repeat and to meet in any order: an event's facts merge into
the payment record, and settling is conditional. A second successful payment for a
settled year is refunded through Stripe and flagged for staff.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dualcredit import rules
from dualcredit.dal import payments as payment_data
from dualcredit.dal import stripe_gateway
from dualcredit.logic.settlement import settle_payment
from dualcredit.observability import logger, metrics


def handle_stripe_event(event: dict[str, Any], at: datetime) -> str:
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
            return "awaiting asynchronous payment"
        case "checkout.session.expired" | "checkout.session.async_payment_failed":
            meta = obj.get("metadata") or {}
            if meta.get("student_id") and meta.get("school_year"):
                payment_data.clear_checkout(meta["student_id"], meta["school_year"], obj["id"])
            return "checkout closed"
        case "charge.refunded":
            return _card_refunded(obj, at)
        case "charge.dispute.created":
            return _card_disputed(obj, at)
    return "ignored"


def _card_paid(session: dict[str, Any], at: datetime) -> str:
    meta = session.get("metadata") or {}
    intent = session.get("payment_intent")
    if not (intent and meta.get("student_id") and meta.get("school_year")):
        logger.warning("paid session without our metadata", extra={"session_id": session.get("id")})
        return "ignored: not ours"
    facts = {
        "payment_id": intent,
        "method": "card",
        "student_id": meta["student_id"],
        "school_year": meta["school_year"],
        "sers_id": meta.get("sers_id", ""),
        "session_id": session["id"],
        "amount_cents": session.get("amount_total") or 0,
        "received_on": at.astimezone(rules.PACIFIC).date().isoformat(),
        "recorded_at": at.isoformat(),
        "type": "payment",
    }
    payment = payment_data.note_card_payment(intent, facts)
    if payment.get("settles"):
        return "already settled"
    if payment.get("refunded"):
        return "refunded before it settled"
    if not payment.get("duplicate"):
        outcome = settle_payment(payment, actor=payment_data.STRIPE, at=at, new_payment=False)
        if outcome != "duplicate":
            return outcome
    if not payment.get("duplicate_refund_id"):
        # Refund first, then record: the idempotency key makes a retried refund return the
        # same refund, and settling already refuses a payment that lost its year.
        refund_id = stripe_gateway.refund(intent, idempotency_key=f"duplicate-refund:{intent}")
        payment_data.flag_payment(
            intent,
            {"duplicate": True, "needs_staff_review": True, "duplicate_refund_id": refund_id},
            actor=payment_data.STRIPE,
            at=at,
            action="payment.duplicate_refunded",
        )
        metrics.add_metric(name="DuplicatePaymentRefunded", unit="Count", value=1)
    return "duplicate refunded"


def _card_refunded(charge: dict[str, Any], at: datetime) -> str:
    intent = charge.get("payment_intent")
    if not intent:
        return "ignored: no payment intent"
    payment = payment_data.note_card_payment(intent, {"payment_id": intent, "type": "payment"})
    status = {
        "refunded": True,
        "refunded_cents": charge.get("amount_refunded") or 0,
        "refunded_at": at.isoformat(),
    }
    if payment.get("duplicate"):
        payment_data.flag_payment(
            intent, status, actor=payment_data.STRIPE, at=at, action="payment.refunded"
        )
        return "duplicate refund confirmed"
    if payment.get("settles"):
        payment_data.unsettle(
            payment,
            reason="payment.refunded",
            actor=payment_data.STRIPE,
            at=at,
            status={**status, "needs_staff_review": True},
        )
        return "refunded: fee due again"
    payment_data.flag_payment(
        intent, status, actor=payment_data.STRIPE, at=at, action="payment.refunded"
    )
    return "refund noted"


def _card_disputed(dispute: dict[str, Any], at: datetime) -> str:
    intent = dispute.get("payment_intent")
    if not intent:
        return "ignored: no payment intent"
    payment_data.flag_payment(
        intent,
        {
            "payment_id": intent,
            "type": "payment",
            "disputed": True,
            "dispute_id": dispute.get("id", ""),
            "needs_staff_review": True,
        },
        actor=payment_data.STRIPE,
        at=at,
        action="payment.disputed",
    )
    metrics.add_metric(name="PaymentDisputed", unit="Count", value=1)
    return "dispute noted"
