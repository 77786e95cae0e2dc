"""Payment rules: what a payment settles, when one may pay, Checkout expiry."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualcredit import rules
from dualcredit.rules import PaymentSlot


@pytest.mark.parametrize(
    ("paid", "waived", "late", "late_paid", "slot"),
    [
        (False, False, False, False, PaymentSlot.FEE),
        (False, False, True, False, PaymentSlot.FEE),
        (True, False, False, False, None),
        (True, False, True, False, PaymentSlot.LATE_FEE),
        (True, False, True, True, None),
        (False, True, False, False, None),
        (False, True, True, False, None),
    ],
)
def test_payment_slot(paid, waived, late, late_paid, slot):
    # Given a student-year's fee facts, When a payment arrives, Then it settles `slot`
    assert (
        rules.payment_slot(
            paid=paid, waiver_approved=waived, late_fee_applies=late, late_fee_paid=late_paid
        )
        == slot
    )


def test_prior_year_credit_may_be_paid_outside_the_window():
    assert rules.may_pay_now(window_open=False, prior_year_credit=True)
    assert not rules.may_pay_now(window_open=False, prior_year_credit=False)
    assert rules.may_pay_now(window_open=True, prior_year_credit=False)


def test_checkout_ends_at_the_close_when_it_comes_first():
    now = datetime(2027, 6, 15, 12, 0, tzinfo=rules.PACIFIC)
    close = rules.window_for(rules.SchoolYear(2026)).closes_at
    assert rules.checkout_expires_at(now, close) == close


def test_checkout_just_before_the_close_still_gets_stripes_minimum():
    now = datetime(2027, 6, 15, 23, 50, tzinfo=rules.PACIFIC)
    close = rules.window_for(rules.SchoolYear(2026)).closes_at
    assert rules.checkout_expires_at(now, close) == now + rules.CHECKOUT_MIN_LIFETIME


def test_prior_year_checkout_lasts_a_day():
    now = datetime(2027, 8, 1, 9, 0, tzinfo=UTC)
    assert rules.checkout_expires_at(now, None) == now + rules.CHECKOUT_MAX_LIFETIME


@given(
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
    ),
    st.one_of(
        st.none(), st.timedeltas(min_value=timedelta(days=-30), max_value=timedelta(days=300))
    ),
)
def test_checkout_expiry_is_always_within_stripes_limits(now, until_close):
    close = None if until_close is None else now + until_close
    expires = rules.checkout_expires_at(now, close)
    assert timedelta(minutes=30) < expires - now < timedelta(hours=24)
    if close is not None and close - now >= rules.CHECKOUT_MIN_LIFETIME:
        assert expires <= close


def test_a_request_means_the_named_school_year_or_the_current_one():
    # Given an instant in January 2027, When no year is named, Then it is 2026-27
    now = datetime(2027, 1, 15, 10, 0, tzinfo=rules.PACIFIC)
    assert rules.school_year_or_current(None, now) == rules.SchoolYear(2026)
    assert rules.school_year_or_current("2025-26", now) == rules.SchoolYear(2025)
    with pytest.raises(rules.RuleError):
        rules.school_year_or_current("2025-27", now)


def test_name_search_prefix_matches_the_sort_key():
    key = rules.name_sort_key("Jane", "Zamora")
    assert key.startswith(rules.name_search_prefix("ZAMO"))
    assert key.startswith(rules.name_search_prefix("Zamora", "ja"))
    assert not rules.name_sort_key("Jane", "Zamorano").startswith(
        rules.name_search_prefix("Zamora", "ja")
    )
