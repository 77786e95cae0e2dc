"""The reconciliation window and how long processed events are remembered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualcredit import rules


def test_the_window_defaults_to_three_days_and_reaches_at_most_stripes_thirty():
    assert rules.DEFAULT_RECONCILIATION_DAYS == 3
    assert rules.parse_reconciliation_days("30") == 30
    for bad in ("0", "31", "-1", "three", ""):
        with pytest.raises(rules.RuleError):
            rules.parse_reconciliation_days(bad)


@given(st.integers(min_value=1, max_value=rules.MAX_RECONCILIATION_DAYS))
def test_an_event_is_remembered_longer_than_any_window_reads_back(days):
    at = datetime(2027, 1, 15, 18, tzinfo=UTC)
    since = rules.reconciliation_since(at, days)
    assert since == at - timedelta(days=days)
    # An event the webhook processed at the window's oldest moment is still remembered.
    assert at - since < rules.PROCESSED_MEMORY


def test_the_reconciliation_reads_every_event_that_pays_refunds_or_disputes():
    assert set(rules.RECONCILED_EVENT_TYPES) >= {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "charge.refunded",
        "charge.dispute.created",
        "charge.dispute.closed",
    }
    assert rules.EVENTS_PAGE_SIZE == 100
