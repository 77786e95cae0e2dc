"""What the program holds to about Stripe's side of a payment: how far back the daily
reconciliation reads Stripe's events, how long an event or a session is remembered as
processed, which events are read, and how long a bank payment may take."""

from __future__ import annotations

from datetime import datetime, timedelta

from dualcredit.rules._base import RuleError, _require_aware

__all__ = [
    "BANK_PAYMENT_BUSINESS_DAYS",
    "DEFAULT_RECONCILIATION_DAYS",
    "EVENTS_PAGE_SIZE",
    "MAX_RECONCILIATION_DAYS",
    "PROCESSED_MEMORY",
    "RECONCILED_EVENT_TYPES",
    "parse_reconciliation_days",
    "reconciliation_since",
]

#: Days of Stripe's events the daily reconciliation reads by default.
DEFAULT_RECONCILIATION_DAYS = 3
#: Stripe lists events from the last 30 days only: a window cannot reach further.
MAX_RECONCILIATION_DAYS = 30
#: An event (or a Checkout Session) is remembered as processed for longer than the
#: longest window, so a reconciliation never counts one it already applied as new.
PROCESSED_MEMORY = timedelta(days=MAX_RECONCILIATION_DAYS + 1)
#: Stripe's largest page of events (`limit` is 1 to 100).
EVENTS_PAGE_SIZE = 100
#: The events the reconciliation reads: every event the webhook acts on when it pays,
#: refunds or disputes a fee.
RECONCILED_EVENT_TYPES = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "charge.refunded",
    "charge.dispute.created",
    "charge.dispute.closed",
)
#: What a family is told a bank (ACH) payment can take before Stripe confirms it.
BANK_PAYMENT_BUSINESS_DAYS = 4


def parse_reconciliation_days(text: str | int) -> int:
    """The reconciliation window in days, 1 to Stripe's 30."""
    try:
        days = int(text)
    except (TypeError, ValueError):
        raise RuleError("The reconciliation window is a whole number of days.") from None
    if not 1 <= days <= MAX_RECONCILIATION_DAYS:
        raise RuleError(
            f"The reconciliation window is 1 to {MAX_RECONCILIATION_DAYS} days "
            "(Stripe lists the last 30 days of events)."
        )
    return days


def reconciliation_since(at: datetime, days: int) -> datetime:
    """The oldest moment a reconciliation run at `at` reads events from."""
    return _require_aware(at) - timedelta(days=parse_reconciliation_days(days))
