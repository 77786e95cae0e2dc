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


# --------------------------------------------------------------------------- bank payments


@given(
    st.builds(
        rules.FeeFacts,
        paid=st.booleans(),
        waiver_approved=st.booleans(),
        waiver_pending=st.booleans(),
        prior_year_credit=st.booleans(),
        late_fee_paid=st.booleans(),
        bank_payment_processing=st.booleans(),
    )
)
def test_no_checkout_starts_while_a_bank_payment_is_processing(facts):
    # A checkout starts exactly when something is due and no bank payment is on its way,
    # and a year shows a bank payment processing exactly when it blocks a due payment.
    due = rules.amount_due(facts) > 0
    assert rules.may_start_checkout(facts) == (due and not facts.bank_payment_processing)
    assert rules.bank_payment_pending(facts) == (due and facts.bank_payment_processing)
    assert not (rules.may_start_checkout(facts) and rules.bank_payment_pending(facts))


def test_a_bank_payment_is_said_to_take_up_to_four_business_days():
    assert rules.BANK_PAYMENT_BUSINESS_DAYS == 4
