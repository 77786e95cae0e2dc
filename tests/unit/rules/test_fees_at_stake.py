"""What a year waiting on a waiver has at stake (the payments report's list of who owes)."""

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from dualcredit.rules import (
    BASE_FEE_CENTS,
    LATE_FEE_CENTS,
    FeeFacts,
    amount_due,
    amount_if_not_waived,
)

booleans = st.booleans()
fee_facts = st.builds(FeeFacts, booleans, booleans, booleans, booleans, booleans)


def test_a_pending_waiver_puts_the_fee_and_its_late_fee_at_stake():
    assert amount_due(FeeFacts(waiver_pending=True)) == 0
    assert amount_if_not_waived(FeeFacts(waiver_pending=True)) == BASE_FEE_CENTS
    pending_prior = FeeFacts(waiver_pending=True, prior_year_credit=True)
    assert amount_if_not_waived(pending_prior) == BASE_FEE_CENTS + LATE_FEE_CENTS


def test_an_approved_waiver_leaves_nothing_at_stake():
    assert amount_if_not_waived(FeeFacts(waiver_approved=True, waiver_pending=True)) == 0


@given(fee_facts)
def test_without_a_pending_waiver_it_is_what_is_due(facts):
    settled = replace(facts, waiver_pending=False)
    assert amount_if_not_waived(settled) == amount_due(settled)
    assert amount_if_not_waived(facts) >= amount_due(facts)
