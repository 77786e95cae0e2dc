"""Fulfilment from the success page (Stripe's recommended fulfilment): a student back from
Stripe Checkout asks for their session, the app retrieves it from Stripe and settles it
through the same once-per-session function as the session's events, so Paid shows at
once even when the webhook is late. Whichever comes first settles; the other finds it
settled (or, when both run at the same moment, `confirming`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from dualcredit import rules
from dualcredit.dal import checkouts, stripe_gateway
from dualcredit.dal import payments as payment_data
from dualcredit.dal.idempotency import InProgress
from dualcredit.dal.records import CheckoutSession, fee_facts
from dualcredit.errors import NotFound, Unavailable
from dualcredit.logic import bank_payment, stripe_events, stripe_processing
from dualcredit.logic.caller import Caller, Role
from dualcredit.logic.stripe_events import EventOutcome
from dualcredit.models.payments import Fulfilment

NO_SUCH_CHECKOUT = "There is no payment of yours with that reference."

PaymentState = Literal["recorded", "under_review", "processing", "confirming", "not_paid"]

_UNDER_REVIEW = {
    EventOutcome.HELD_FOR_REVIEW,
    EventOutcome.UNMATCHED,
    EventOutcome.DUPLICATE_REFUNDED,
    EventOutcome.DUPLICATE_REFUND_REFUSED,
    EventOutcome.REFUNDED_BEFORE_SETTLED,
    EventOutcome.DISPUTE_LOST_FEE_DUE,
}


def fulfil_checkout(caller: Caller, session_id: str, at: datetime) -> Fulfilment:
    """A signed-in student's own Checkout Session, settled if Stripe says it is paid.
    Another student's session, or one the app did not create, is a 404 before Stripe
    is asked (the answer does not say whether the session exists)."""
    caller.require(Role.STUDENT)
    record = checkouts.session_record(session_id)
    if record is None or record.student_id != caller.user:
        raise NotFound(NO_SUCH_CHECKOUT, code="no_such_checkout")
    return _fulfil(record, session_id, at)


def fulfil_paid_by_sers_id(session_id: str, at: datetime) -> Fulfilment:
    """A parent back on /pay from a session paid by SERS ID: no sign-in, the session's id
    (Stripe's, unguessable, in the success URL) is the proof. A session the app did not
    create is a 404 before Stripe is asked; one it did is settled as the student's own."""
    record = checkouts.session_record(session_id)
    if record is None:
        raise NotFound(NO_SUCH_CHECKOUT, code="no_such_checkout")
    return _fulfil(record, session_id, at)


def _fulfil(record: CheckoutSession, session_id: str, at: datetime) -> Fulfilment:
    """Retrieve the app's session from Stripe and settle it if paid; one whose metadata
    names another student than the app's record is a 404."""
    try:
        retrieved = stripe_gateway.retrieve_checkout_session(session_id)
    except stripe_gateway.StripeUnavailable:
        raise Unavailable(
            "We cannot reach the card processor right now; your payment will still be "
            "recorded. Reload this page in a few minutes.",
            code="payments_unavailable",
        ) from None
    session, intent_status = retrieved or ({}, None)
    if (session.get("metadata") or {}).get("student_id") != record.student_id:
        raise NotFound(NO_SUCH_CHECKOUT, code="no_such_checkout")
    state = _settle(session, intent_status, at)
    year = payment_data.student_year(record.student_id, record.school_year)
    decided = state in ("recorded", "under_review", "not_paid")
    if decided and year and year.bank_payment and year.bank_payment.session_id == session_id:
        # Stripe decided this bank payment before its event came: stop waiting for it.
        bank_payment.settled(session)
        year = payment_data.student_year(record.student_id, record.school_year)
    facts = fee_facts(year)
    return Fulfilment(
        session_id=session_id,
        school_year=record.school_year,
        payment=state,
        fee_status=rules.fee_status(facts).value,
        amount_due_cents=rules.amount_due(facts) if year else 0,
    )


def _settle(session: dict[str, Any], intent_status: str | None, at: datetime) -> PaymentState:
    if session.get("payment_status") == "paid":
        try:
            outcome = stripe_processing.settle_paid_session(session, at=at)
        except InProgress:
            return "confirming"
        return "under_review" if outcome in _UNDER_REVIEW else "recorded"
    if session.get("status") == "complete" and intent_status == "processing":
        # A bank payment on its way (as its `completed` event says, were it here yet).
        stripe_events.bank_payment_processing(session, at)
        return "processing"
    return "not_paid"
