"""Bank (ACH) payments through Stripe Checkout: the session completes unpaid, and Stripe
says days later whether the money came. The stand-in plays Stripe
(`pay(async_payment=True)`, then `async_succeed` or `async_fail`)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from dualcredit import rules
from dualcredit.dal import payments as payment_data
from tests.support.events import LambdaContext
from tests.support.world import World, with_alice_registered

REPO = Path(__file__).resolve().parents[2]
IN_WINDOW = "2027-01-15T10:00:00-08:00"


@pytest.fixture
def world(api, clock, stripe_standin) -> World:
    clock(IN_WINDOW)
    return with_alice_registered(api)


def _year(api, student) -> dict:
    years = api("GET", "/students/me/dashboard", as_=student)[1]["years"]
    return {y["school_year"]: y for y in years}["2026-27"]


def _bank_payment(api, student, standin) -> str:
    """The student presses Pay and pays from a bank account; the session id."""
    session_id = api("POST", "/students/me/checkout", as_=student, body={})[1]["session_id"]
    standin.pay(session_id, async_payment=True)
    return session_id


def _lookup(api, student) -> dict:
    status, found = api(
        "POST",
        "/pay/lookup",
        body={"sers_id": student.sers_id, "birth_date": student.birth_date},
    )
    assert status == 200, found
    return found


def _failure_emails(sent_emails) -> list:
    return [m for m in sent_emails() if "did not go through" in m[1]]


def test_a_bank_payment_in_progress_shows_processing_and_offers_no_checkout(
    api, world, stripe_standin
):
    alice = world.students["alice"]
    # Given Alice paid from her bank account: Stripe completed the session unpaid
    _bank_payment(api, alice, stripe_standin)
    assert stripe_standin.webhook.answers == [200]
    # Then her dashboard says the bank payment is processing, and the fee is still due
    year = _year(api, alice)
    assert (year["fee_status"], year["bank_payment_processing"]) == ("due", True)
    # And no new checkout is offered: Pay is refused with the reason
    status, answer = api("POST", "/students/me/checkout", as_=alice, body={})
    assert (status, answer["code"]) == (409, "payment_processing")
    assert f"up to {rules.BANK_PAYMENT_BUSINESS_DAYS} business days" in answer["message"]
    # And a parent paying by SERS ID is told the same, and refused the same
    assert _lookup(api, alice)["bank_payment_processing"] is True
    status, answer = api(
        "POST", "/pay/checkout", body={"sers_id": alice.sers_id, "birth_date": alice.birth_date}
    )
    assert (status, answer["code"]) == (409, "payment_processing")


def test_a_bank_payment_that_succeeds_settles_the_year(api, world, stripe_standin, sent_emails):
    alice = world.students["alice"]
    session_id = _bank_payment(api, alice, stripe_standin)
    # When Stripe says the money came
    stripe_standin.async_succeed(session_id)
    # Then the year is paid, no longer processing, with one receipt
    year = _year(api, alice)
    assert (year["fee_status"], year["bank_payment_processing"]) == ("paid", False)
    assert len([m for m in sent_emails() if "Receipt" in m[1]]) == 1


def test_a_bank_payment_that_fails_emails_how_to_pay_and_pay_is_offered_again(
    api, world, stripe_standin, sent_emails
):
    alice = world.students["alice"]
    session_id = _bank_payment(api, alice, stripe_standin)
    # When Stripe says the bank payment failed
    stripe_standin.async_fail(session_id)
    # Then Alice is emailed that it failed and how to pay, once
    (to, subject, body) = _failure_emails(sent_emails)[0]
    assert len(_failure_emails(sent_emails)) == 1
    assert to == alice.email and alice.sers_id in subject
    assert "$50.00" in body and "/dashboard" in body and "/pay" in body and "check" in body
    # And her year is due with Pay offered again: a new checkout opens
    year = _year(api, alice)
    assert (year["fee_status"], year["bank_payment_processing"]) == ("due", False)
    status, checkout = api("POST", "/students/me/checkout", as_=alice, body={})
    assert status == 201 and checkout["session_id"] != session_id
    # And Stripe's redelivery of the failure sends no second email
    stripe_standin.redeliver(
        stripe_standin.events_of_type("checkout.session.async_payment_failed")[0]
    )
    assert len(_failure_emails(sent_emails)) == 1


def test_the_success_page_shows_a_bank_payment_processing_before_the_webhook(
    api, world, stripe_standin
):
    alice = world.students["alice"]
    stripe_standin.auto_deliver = False  # the webhook is late
    session_id = _bank_payment(api, alice, stripe_standin)
    # When Alice comes back to the success page
    status, answer = api("POST", f"/students/me/checkout/{session_id}/fulfil", as_=alice, body={})
    # Then it says processing, and so does her dashboard, with no Pay
    assert (status, answer["payment"], answer["fee_status"]) == (200, "processing", "due")
    assert _year(api, alice)["bank_payment_processing"] is True
    # And when the failure arrives (and then a late return to the page), Pay is back
    stripe_standin.async_fail(session_id)
    stripe_standin.deliver_pending()
    again = api("POST", f"/students/me/checkout/{session_id}/fulfil", as_=alice, body={})[1]
    assert again["payment"] == "not_paid"
    assert _year(api, alice)["bank_payment_processing"] is False


def test_a_bank_payments_events_missed_by_the_webhook_are_applied_by_the_reconciliation(
    api, world, stripe_standin, sent_emails
):
    alice = world.students["alice"]
    # Given the webhook was down while Alice's bank payment completed and then failed
    stripe_standin.auto_deliver = False
    session_id = _bank_payment(api, alice, stripe_standin)
    stripe_standin.async_fail(session_id)
    stripe_standin.discard_pending()
    # When the reconciliation runs, twice
    spec = importlib.util.spec_from_file_location(
        "scheduled_bank", REPO / "functions" / "scheduled" / "app.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    runs = [
        module.lambda_handler({"action": "reconcile"}, LambdaContext(function_name="scheduled"))
        for _ in range(2)
    ]
    # Then both events were applied once: one failure email, Pay offered again
    assert [(r["applied"], r["already_applied"]) for r in runs] == [(2, 0), (0, 2)]
    assert len(_failure_emails(sent_emails)) == 1
    assert _year(api, alice)["bank_payment_processing"] is False


def test_a_completed_event_met_after_its_bank_payment_was_decided_marks_nothing(
    api, world, stripe_standin
):
    alice = world.students["alice"]
    # Given the webhook missed Alice's `completed` (unpaid) but got the success
    stripe_standin.auto_deliver = False
    session_id = _bank_payment(api, alice, stripe_standin)
    (completed,) = stripe_standin.discard_pending()
    stripe_standin.async_succeed(session_id)
    stripe_standin.deliver_pending()
    assert _year(api, alice)["fee_status"] == "paid"
    # When the missed `completed` arrives after all (a retry, or the reconciliation)
    stripe_standin.redeliver(completed)
    # Then the year is not marked processing: were it refunded, Pay would be offered
    stripe_standin.refund(stripe_standin.sessions[session_id]["payment_intent"])
    stripe_standin.deliver_pending()
    year = _year(api, alice)
    assert (year["fee_status"], year["bank_payment_processing"]) == ("due", False)
    assert api("POST", "/students/me/checkout", as_=alice, body={})[0] == 201


def test_the_success_page_met_after_the_bank_paid_settles_and_ends_the_wait(
    api, world, stripe_standin, sent_emails
):
    alice = world.students["alice"]
    # Given Alice's bank payment is processing, and the bank paid, the webhook late
    session_id = _bank_payment(api, alice, stripe_standin)
    stripe_standin.auto_deliver = False
    stripe_standin.async_succeed(session_id)
    # When she opens the success page again
    answer = api("POST", f"/students/me/checkout/{session_id}/fulfil", as_=alice, body={})[1]
    # Then it is recorded and the year paid, no longer processing
    assert (answer["payment"], answer["fee_status"]) == ("recorded", "paid")
    year = payment_data.student_year(alice.student_id, "2026-27")
    assert year is not None and year.bank_payment is None  # a later refund offers Pay
    # And the event, when it comes, settles nothing twice
    stripe_standin.deliver_pending()
    assert len([m for m in sent_emails() if "Receipt" in m[1]]) == 1
