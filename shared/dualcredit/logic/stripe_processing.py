"""Stripe's events applied once, whoever brings them: the webhook's deliveries, the daily
reconciliation's reads, and (for a paid Checkout Session) the success page.

Two Powertools idempotency records on the table, shared by every function:
- a paid session (`checkout.session.completed` paid, `async_payment_succeeded`, or the
  session the success page retrieved) settles once per session id;
- any other event is applied once per event id.
A paid session's event needs no record of its own besides the session's: its
redeliveries are the same session. A concurrent call for the same key raises
idempotency.InProgress (the webhook answers 409, so Stripe retries; the page says
"confirming" and asks again).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dualcredit import clock, rules
from dualcredit.dal import keys
from dualcredit.dal.idempotency import Applied, once_per_event
from dualcredit.logic import bank_payment
from dualcredit.logic.stripe_events import EventOutcome, card_paid, handle_stripe_event

_MEMORY_SECONDS = int(rules.PROCESSED_MEMORY.total_seconds())
_PAID_SESSION_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
}


@once_per_event(
    partition=keys.IDEMPOTENCY_PK,
    key_prefix="stripe-event",
    key_path="id",
    expires_after_seconds=_MEMORY_SECONDS,
)
def _event_once(event: dict[str, Any]) -> dict[str, Any]:
    return {"outcome": handle_stripe_event(event, clock.now())}


@once_per_event(
    partition=keys.SESSION_IDEMPOTENCY_PK,
    key_prefix="checkout-session",
    key_path="id",
    expires_after_seconds=_MEMORY_SECONDS,
)
def _session_once(paid: dict[str, Any]) -> dict[str, Any]:
    at, paid_at = datetime.fromisoformat(paid["at"]), datetime.fromisoformat(paid["paid_at"])
    return {"outcome": card_paid(paid["session"], at, paid_at)}


def _paid(session: dict[str, Any], at: datetime, paid_at: datetime) -> dict[str, Any]:
    return {
        "id": session["id"],
        "session": session,
        "at": at.isoformat(),
        "paid_at": paid_at.isoformat(),
    }


def process_event(event: dict[str, Any], context: Any = None) -> Applied:
    """A verified Stripe event, applied once; `fresh` says whether this call applied it."""
    session = (event.get("data") or {}).get("object") or {}
    if event.get("type") in _PAID_SESSION_EVENTS and session.get("payment_status") == "paid":
        at = clock.now()
        created = event.get("created")
        paid_at = datetime.fromtimestamp(created, UTC) if isinstance(created, int) else at
        applied = _session_once.apply(_paid(session, at, paid_at), context)
        if event["type"] == "checkout.session.async_payment_succeeded":
            bank_payment.settled(session)  # the year waits for it no more
        return applied
    return _event_once.apply(event, context)


def settle_paid_session(session: dict[str, Any], *, at: datetime) -> EventOutcome:
    """The success page's paid session, settled once per session id (shared with its
    events)."""
    return EventOutcome(_session_once(_paid(session, at, at))["outcome"])
