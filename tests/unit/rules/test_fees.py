"""Fee rules: what a student-year owes, what a new payment settles, the late fee,
prior-year credit, and when one may pay."""

from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualcredit import rules
from dualcredit.rules import (
    BASE_FEE_CENTS,
    LATE_FEE_CENTS,
    FeeFacts,
    FeeStatus,
    PaymentSlot,
    RuleError,
    SchoolYear,
    WindowStatus,
    amount_due,
    covers_late_fee,
    fee_status,
    late_fee_applies,
    payment_slot,
    prior_year_cost_cents,
)
from tests.unit.rules.helpers import Y2026

booleans = st.booleans()
fee_facts = st.builds(FeeFacts, booleans, booleans, booleans, booleans, booleans)


# --------------------------------------------------------------------------- fee status


@pytest.mark.parametrize(
    ("paid", "approved", "pending", "expected"),
    [
        (False, False, False, FeeStatus.DUE),
        (True, False, False, FeeStatus.PAID),
        (False, True, False, FeeStatus.WAIVED),
        (False, False, True, FeeStatus.WAIVER_PENDING),
        (True, True, False, FeeStatus.PAID),
        (True, False, True, FeeStatus.PAID),
        (False, True, True, FeeStatus.WAIVED),
        (True, True, True, FeeStatus.PAID),
    ],
)
def test_fee_status_precedence(paid, approved, pending, expected):
    # Given a combination of payment and waiver facts
    # When the fee status is derived
    # Then paid > waived > waiver pending > due
    facts = FeeFacts(paid=paid, waiver_approved=approved, waiver_pending=pending)
    assert fee_status(facts) is expected


def test_fee_status_values_are_stable_strings():
    # Given the stored/serialized values of the enum
    # Then they are the agreed lower-case strings
    assert [s.value for s in FeeStatus] == ["due", "paid", "waived", "waiver_pending"]
    assert [s.value for s in WindowStatus] == ["not_yet_open", "open", "closed"]


# --------------------------------------------------------------------------- amount due


def test_amount_due_unpaid_year_is_the_base_fee():
    # Given an unpaid year, no waiver, no late fee
    # When the amount due is asked
    # Then it is $50
    assert amount_due(FeeFacts(paid=False, waiver_approved=False)) == 5000
    assert amount_due(FeeFacts()) == 5000


def test_amount_due_paid_year_is_zero():
    # Given a paid year
    # Then nothing is due
    assert amount_due(FeeFacts(paid=True, waiver_approved=False)) == 0


def test_amount_due_with_late_fee():
    # Given an unpaid year with approved prior-year credit (so the late fee applies)
    # Then $50 + $15 is due; once the base is paid only $15; once both are paid 0
    assert amount_due(FeeFacts(paid=False, prior_year_credit=True)) == 6500
    assert amount_due(FeeFacts(paid=True, prior_year_credit=True)) == 1500
    assert amount_due(FeeFacts(paid=True, prior_year_credit=True, late_fee_paid=True)) == 0
    assert amount_due(FeeFacts(paid=False, prior_year_credit=True, late_fee_paid=True)) == 5000


def test_late_fee_paid_without_applying_asks_nothing_extra():
    # Given late_fee_paid set while no late fee applies
    # Then only the base fee is due (never negative, never a credit)
    assert amount_due(FeeFacts(paid=False, late_fee_paid=True)) == 5000
    assert amount_due(FeeFacts(paid=True, late_fee_paid=True)) == 0


def test_waiver_covers_fee_and_late_fee():
    # Given an approved waiver on a year whose late fee applies
    # When the amount due is asked
    # Then nothing is due: the waiver covers both
    assert amount_due(FeeFacts(paid=False, waiver_approved=True, prior_year_credit=True)) == 0
    assert amount_due(FeeFacts(paid=True, waiver_approved=True, prior_year_credit=True)) == 0


def test_nothing_asked_while_waiver_pending():
    # Given a pending waiver request
    # When the amount due is asked
    # Then nothing is requested for now, late fee included
    assert amount_due(FeeFacts(waiver_pending=True)) == 0
    assert amount_due(FeeFacts(waiver_pending=True, prior_year_credit=True)) == 0


@given(fee_facts)
def test_amount_due_is_bounded(facts):
    amount = amount_due(facts)
    assert 0 <= amount <= BASE_FEE_CENTS + LATE_FEE_CENTS
    if facts.waiver_approved:
        assert amount == 0
    if not (facts.waiver_approved or facts.waiver_pending or facts.paid):
        assert amount >= BASE_FEE_CENTS


# --------------------------------------------------------------------------- late fee


def test_the_late_fee_applies_to_a_year_with_approved_prior_year_credit():
    # Given a year's record says staff approved prior-year credit for it
    # When the late fee is asked about
    # Then it applies, paid, waived or not; without prior-year credit it never does
    assert late_fee_applies(FeeFacts(prior_year_credit=True))
    assert late_fee_applies(FeeFacts(prior_year_credit=True, paid=True, late_fee_paid=True))
    assert late_fee_applies(FeeFacts(prior_year_credit=True, waiver_approved=True))
    assert not late_fee_applies(FeeFacts())
    assert not late_fee_applies(FeeFacts(paid=True, late_fee_paid=True))


@given(fee_facts)
def test_late_fee_applies_exactly_with_prior_year_credit(facts):
    assert late_fee_applies(facts) is facts.prior_year_credit


@pytest.mark.parametrize(
    ("amount", "covers"), [(0, False), (5000, False), (6499, False), (6500, True), (9900, True)]
)
def test_a_fee_payment_of_fee_and_late_fee_pays_both(amount, covers):
    # Given a year with prior-year credit (late fee applies), When a fee payment of
    # `amount` arrives, Then it settles the late fee too when it is at least $50 + $15
    assert covers_late_fee(FeeFacts(prior_year_credit=True), amount) is covers


def test_no_payment_covers_a_late_fee_that_does_not_apply():
    assert not covers_late_fee(FeeFacts(), 6500)
    assert not covers_late_fee(FeeFacts(), 10**6)


@given(fee_facts, st.integers(min_value=0, max_value=10**6))
def test_covers_late_fee_needs_the_late_fee_and_the_full_amount(facts, amount):
    assert covers_late_fee(facts, amount) == (
        late_fee_applies(facts) and amount >= BASE_FEE_CENTS + LATE_FEE_CENTS
    )


# --------------------------------------------------------------------------- payment slot


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
    facts = FeeFacts(
        paid=paid, waiver_approved=waived, prior_year_credit=late, late_fee_paid=late_paid
    )
    assert payment_slot(facts) == slot


# --------------------------------------------------------------------------- every combination

F, T = False, True
DUE, PAID, WAIVED, WAIVER_PENDING = FeeStatus
FEE, LATE_FEE = PaymentSlot

# Derived from the rules as they were before they took FeeFacts whole (the keyword
# booleans of fee_status, amount_due_cents and payment_slot, and logic.fees'
# covers_late_fee): paid, waiver approved, waiver pending, prior-year credit, late fee
# paid -> status, amount due, payment slot, late fee applies, least amount that also
# covers the late fee (None: no amount does).
EVERY_COMBINATION = [
    (F, F, F, F, F, DUE, 5000, FEE, F, None),
    (F, F, F, F, T, DUE, 5000, FEE, F, None),
    (F, F, F, T, F, DUE, 6500, FEE, T, 6500),
    (F, F, F, T, T, DUE, 5000, FEE, T, 6500),
    (F, F, T, F, F, WAIVER_PENDING, 0, FEE, F, None),
    (F, F, T, F, T, WAIVER_PENDING, 0, FEE, F, None),
    (F, F, T, T, F, WAIVER_PENDING, 0, FEE, T, 6500),
    (F, F, T, T, T, WAIVER_PENDING, 0, FEE, T, 6500),
    (F, T, F, F, F, WAIVED, 0, None, F, None),
    (F, T, F, F, T, WAIVED, 0, None, F, None),
    (F, T, F, T, F, WAIVED, 0, None, T, 6500),
    (F, T, F, T, T, WAIVED, 0, None, T, 6500),
    (F, T, T, F, F, WAIVED, 0, None, F, None),
    (F, T, T, F, T, WAIVED, 0, None, F, None),
    (F, T, T, T, F, WAIVED, 0, None, T, 6500),
    (F, T, T, T, T, WAIVED, 0, None, T, 6500),
    (T, F, F, F, F, PAID, 0, None, F, None),
    (T, F, F, F, T, PAID, 0, None, F, None),
    (T, F, F, T, F, PAID, 1500, LATE_FEE, T, 6500),
    (T, F, F, T, T, PAID, 0, None, T, 6500),
    (T, F, T, F, F, PAID, 0, None, F, None),
    (T, F, T, F, T, PAID, 0, None, F, None),
    (T, F, T, T, F, PAID, 0, LATE_FEE, T, 6500),
    (T, F, T, T, T, PAID, 0, None, T, 6500),
    (T, T, F, F, F, PAID, 0, None, F, None),
    (T, T, F, F, T, PAID, 0, None, F, None),
    (T, T, F, T, F, PAID, 0, None, T, 6500),
    (T, T, F, T, T, PAID, 0, None, T, 6500),
    (T, T, T, F, F, PAID, 0, None, F, None),
    (T, T, T, F, T, PAID, 0, None, F, None),
    (T, T, T, T, F, PAID, 0, None, T, 6500),
    (T, T, T, T, T, PAID, 0, None, T, 6500),
]


def test_the_table_lists_every_combination_once():
    assert sorted(row[:5] for row in EVERY_COMBINATION) == sorted(product((F, T), repeat=5))


@pytest.mark.parametrize(
    ("paid", "approved", "pending", "prior", "late_paid", "status", "due", "slot", "late", "least"),
    EVERY_COMBINATION,
)
def test_every_combination_of_fee_facts(
    paid, approved, pending, prior, late_paid, status, due, slot, late, least
):
    facts = FeeFacts(
        paid=paid,
        waiver_approved=approved,
        waiver_pending=pending,
        prior_year_credit=prior,
        late_fee_paid=late_paid,
    )
    assert fee_status(facts) is status
    assert amount_due(facts) == due
    assert payment_slot(facts) == slot
    assert late_fee_applies(facts) is late
    for amount in (0, 1, 4999, 5000, 6499, 6500, 6501, 10000):
        assert covers_late_fee(facts, amount) is (least is not None and amount >= least)


def test_fee_facts_are_an_immutable_value():
    facts = FeeFacts(paid=True)
    assert facts == FeeFacts(paid=True) and hash(facts) == hash(FeeFacts(paid=True))
    assert FeeFacts() == FeeFacts(F, F, F, F, F)
    with pytest.raises(AttributeError):
        facts.paid = False  # type: ignore[misc]


# --------------------------------------------------------------------------- prior-year credit


def test_prior_year_cost_unpaid_year():
    # Given an approved request for 2024-25 made in 2026-27, year not paid
    # When its cost is priced
    # Then it is $50 + one $15 late fee (one per approved year, not per year of delay)
    cost = prior_year_cost_cents(
        request_year=SchoolYear(2024), current_year=Y2026, year_paid=False, year_waived=False
    )
    assert cost == 6500


def test_prior_year_cost_already_paid_year_is_late_fee_only():
    # Given the prior year was already paid
    # Then only the $15 late fee is charged
    cost = prior_year_cost_cents(
        request_year=SchoolYear(2025), current_year=Y2026, year_paid=True, year_waived=False
    )
    assert cost == 1500


def test_prior_year_cost_waived_year_is_free():
    # Given the prior year has a waiver
    # Then the waiver covers the fee and the late fee
    cost = prior_year_cost_cents(
        request_year=SchoolYear(2025), current_year=Y2026, year_paid=False, year_waived=True
    )
    assert cost == 0


@pytest.mark.parametrize("request_start", [2026, 2027])
def test_prior_year_request_must_be_for_an_earlier_year(request_start):
    # Given a "prior-year" request for the current or a later year
    # When it is priced
    # Then it is refused
    with pytest.raises(RuleError, match="before 2026-27"):
        prior_year_cost_cents(
            request_year=SchoolYear(request_start),
            current_year=Y2026,
            year_paid=False,
            year_waived=False,
        )


@given(
    st.integers(min_value=1950, max_value=2150).map(SchoolYear),
    st.integers(min_value=1, max_value=30),
    booleans,
    booleans,
)
def test_prior_year_cost_is_bounded(current, back, paid, waived):
    request = SchoolYear(current.start - back)
    cost = prior_year_cost_cents(
        request_year=request, current_year=current, year_paid=paid, year_waived=waived
    )
    assert 0 <= cost <= BASE_FEE_CENTS + LATE_FEE_CENTS
    assert cost == (0 if waived else LATE_FEE_CENTS + (0 if paid else BASE_FEE_CENTS))


@given(booleans, booleans)
def test_prior_year_cost_matches_what_the_year_then_owes(paid, waived):
    # The price quoted when a request is approved is what the year owes once its record
    # says prior-year credit was approved (no waiver pending, no late fee paid yet).
    cost = prior_year_cost_cents(
        request_year=SchoolYear(2025), current_year=Y2026, year_paid=paid, year_waived=waived
    )
    facts = FeeFacts(paid=paid, waiver_approved=waived, prior_year_credit=True)
    assert cost == amount_due(facts)


# --------------------------------------------------------------------------- when one may pay


def test_prior_year_credit_may_be_paid_outside_the_window():
    assert rules.may_pay_now(window_open=False, prior_year_credit=True)
    assert not rules.may_pay_now(window_open=False, prior_year_credit=False)
    assert rules.may_pay_now(window_open=True, prior_year_credit=False)


# --------------------------------------------------------------------------- what may settle

currencies = st.sampled_from(["usd", "eur", "cad", "gbp", "USD", "mxn", ""])
cents = st.integers(min_value=0, max_value=1_000_000)
positive_cents = st.integers(min_value=1, max_value=1_000_000)


@pytest.mark.parametrize(
    ("amount", "expected", "currency", "mismatch"),
    [
        (5000, 5000, "usd", None),
        (6500, 6500, "usd", None),
        (100, 5000, "usd", rules.PaymentMismatch.AMOUNT),
        (4000, 5000, "usd", rules.PaymentMismatch.AMOUNT),
        (6500, 5000, "usd", rules.PaymentMismatch.AMOUNT),
        (5000, 5000, "eur", rules.PaymentMismatch.CURRENCY),
        (100, 5000, "eur", rules.PaymentMismatch.CURRENCY),
    ],
)
def test_only_dollars_of_exactly_the_amount_started_for_may_settle(
    amount, expected, currency, mismatch
):
    # Given a payment of `amount` in `currency`, started when `expected` was due
    # When the rule is asked whether it may settle
    # Then only US dollars of exactly that amount may; anything else says why not
    assert (
        rules.payment_mismatch(amount_cents=amount, expected_cents=expected, currency=currency)
        is mismatch
    )


def test_a_check_is_in_dollars_unless_told_otherwise():
    assert rules.payment_mismatch(amount_cents=5000, expected_cents=5000) is None
    assert rules.FEE_CURRENCY == "usd"


@pytest.mark.parametrize(("amount", "expected"), [(5000, 0), (0, 0), (-5000, -5000)])
def test_when_nothing_was_due_no_payment_may_settle(amount, expected):
    assert (
        rules.payment_mismatch(amount_cents=amount, expected_cents=expected)
        is rules.PaymentMismatch.AMOUNT
    )


@given(cents, positive_cents, currencies)
def test_a_payment_may_settle_exactly_when_dollars_and_amount_match(amount, expected, currency):
    mismatch = rules.payment_mismatch(
        amount_cents=amount, expected_cents=expected, currency=currency
    )
    assert (mismatch is None) == (currency == "usd" and amount == expected)
    if currency != "usd":
        assert mismatch is rules.PaymentMismatch.CURRENCY


@given(fee_facts, cents)
def test_a_check_for_what_is_due_may_settle_and_nothing_else_may(facts, amount):
    # The staff check entry and the card event ask the same rule: what a year owes now
    # is what a check recorded now must be for.
    due = amount_due(facts)
    mismatch = rules.payment_mismatch(amount_cents=amount, expected_cents=due)
    assert (mismatch is None) == (due > 0 and amount == due)


# --------------------------------------------------------------------------- refunds


@pytest.mark.parametrize(
    ("paid", "refunded", "whole"),
    [(5000, 5000, True), (5000, 1000, False), (5000, 4999, False), (6500, 6500, True)],
)
def test_only_a_refund_of_the_whole_amount_is_whole(paid, refunded, whole):
    assert rules.refund_is_whole(paid_cents=paid, refunded_cents=refunded) is whole


@given(positive_cents, cents, cents)
def test_a_refund_only_becomes_whole_as_more_is_refunded(paid, first, more):
    # Partial refunds add up: once whole, refunding more (a later event) keeps it whole,
    # and a refund of less than the payment never is.
    if rules.refund_is_whole(paid_cents=paid, refunded_cents=first):
        assert rules.refund_is_whole(paid_cents=paid, refunded_cents=first + more)
    assert rules.refund_is_whole(paid_cents=paid, refunded_cents=first) == (first >= paid)
