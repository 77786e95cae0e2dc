"""Card payments against Stripe as it really behaves: sessions paid for other amounts or
currencies, events naming no student, signatures from the future, partial refunds,
disputes won and lost. The stand-in plays Stripe; the webhook Lambda answers it."""

from __future__ import annotations

import time

import pytest

from dualcredit.dal import dynamo, keys, stripe_gateway
from dualcredit.dal import payments as payment_data
from dualcredit.dal.records import PaymentRecord, ReviewReason
from dualcredit.errors import Conflict, Forbidden
from dualcredit.logic import payments
from dualcredit.logic.caller import caller_from_claims
from tests.support.stripe import app_session, second_session_for_same_year, session_paying
from tests.support.world import STAFF, World, with_alice_registered

STAFF_CALLER = caller_from_claims(STAFF)

IN_WINDOW = "2027-01-15T10:00:00-08:00"


@pytest.fixture
def world(api, clock, stripe_standin) -> World:
    clock(IN_WINDOW)
    return with_alice_registered(api)


def _metadata(student, year: str = "2026-27") -> dict[str, str]:
    return {"sers_id": student.sers_id, "student_id": student.student_id, "school_year": year}


def _fee_status(api, student, year: str = "2026-27") -> str:
    years = api("GET", "/students/me/dashboard", as_=student)[1]["years"]
    return {y["school_year"]: y for y in years}[year]["fee_status"]


def _payment_of(standin, session_id: str) -> PaymentRecord:
    payment = payment_data.get_payment(standin.sessions[session_id]["payment_intent"])
    assert payment is not None
    return payment


def _receipts(sent_emails) -> list:
    return [mail for mail in sent_emails() if "Receipt" in mail[1]]


def _pay_alice(api, world, standin) -> str:
    """Alice pays her fee through the app; the session id."""
    session_id = api("POST", "/students/me/checkout", as_=world.students["alice"], body={})[1][
        "session_id"
    ]
    standin.pay(session_id)
    return session_id


# --------------------------------------------------------------------------- amount, currency


def test_the_app_records_what_each_session_was_created_to_collect(api, world, stripe_standin):
    # When Alice presses Pay
    checkout = api("POST", "/students/me/checkout", as_=world.students["alice"], body={})[1]
    # Then the session's record says it was created for $50 in US dollars, for her year
    record = dynamo.get_item(keys.checkout_pk(checkout["session_id"]), keys.META_SK)
    assert (record["expected_cents"], record["currency"]) == (5000, "usd")
    assert (record["student_id"], record["school_year"]) == (
        world.students["alice"].student_id,
        "2026-27",
    )


@pytest.mark.parametrize(
    ("amount", "currency", "reason"),
    [
        (100, "usd", ReviewReason.WRONG_AMOUNT),
        (4000, "usd", ReviewReason.WRONG_AMOUNT),
        (5000, "eur", ReviewReason.WRONG_CURRENCY),
    ],
)
def test_a_session_paid_for_another_amount_or_currency_does_not_settle(
    api, world, stripe_standin, sent_emails, amount, currency, reason
):
    alice = world.students["alice"]
    # Given a session the app created to collect $50, which Stripe says was paid as
    session_id = app_session(
        stripe_standin, _metadata(alice), expected=5000, amount=amount, currency=currency
    )
    # When it is paid
    stripe_standin.pay(session_id)
    # Then Stripe is answered 200, the fee is still due and no receipt is sent
    assert stripe_standin.webhook.answers == [200]
    assert _fee_status(api, alice) == "due"
    assert _receipts(sent_emails) == []
    # And the payment is recorded, held, and flagged for staff with the reason
    payment = _payment_of(stripe_standin, session_id)
    assert (payment.amount_cents, payment.currency, payment.expected_cents) == (
        amount,
        currency,
        5000,
    )
    assert payment.held and payment.settles is None
    assert payment.needs_staff_review and payment.review_reasons == {reason}


def test_a_held_payment_stays_held_when_its_events_come_again(api, world, stripe_standin):
    alice = world.students["alice"]
    session_id = app_session(stripe_standin, _metadata(alice), amount=100)
    stripe_standin.pay(session_id)
    completed = stripe_standin.events_of_type("checkout.session.completed")[-1]
    # When Stripe delivers the event again, and Alice then pays properly
    stripe_standin.redeliver(completed)
    _pay_alice(api, world, stripe_standin)
    # Then the $1 payment still settles nothing, and Alice's own $50 settles her year
    assert _payment_of(stripe_standin, session_id).settles is None
    assert _fee_status(api, alice) == "paid"


def test_a_session_the_app_has_no_record_of_does_not_settle(api, world, stripe_standin):
    alice = world.students["alice"]
    # Given a $50 session made at Stripe with Alice's metadata, but not by the app
    session_id = session_paying(stripe_standin, _metadata(alice), client_reference_id=alice.sers_id)
    # When it is paid
    stripe_standin.pay(session_id)
    # Then it is held for staff: nothing says what it was meant to collect
    assert _fee_status(api, alice) == "due"
    payment = _payment_of(stripe_standin, session_id)
    assert payment.held and payment.review_reasons == {ReviewReason.UNKNOWN_SESSION}


def test_a_right_session_still_settles_with_a_receipt(api, world, stripe_standin, sent_emails):
    # Given the app's own $50 session, paid in dollars
    session_id = _pay_alice(api, world, stripe_standin)
    # Then the year is paid, one receipt is sent, and nothing is flagged
    assert _fee_status(api, world.students["alice"]) == "paid"
    assert len(_receipts(sent_emails)) == 1
    payment = _payment_of(stripe_standin, session_id)
    assert payment.currency == "usd" and not payment.needs_staff_review


# --------------------------------------------------------------------------- unmatched students


def test_a_paid_session_naming_no_student_creates_no_year(api, world, stripe_standin):
    # Given a session whose metadata names a student who does not exist
    ghost = {"sers_id": "TP3-26-ZZZZ", "student_id": "student-nobody", "school_year": "2026-27"}
    session_id = app_session(stripe_standin, ghost)
    # When it is paid
    stripe_standin.pay(session_id)
    # Then Stripe is answered 200 and no student-year exists for nobody
    assert stripe_standin.webhook.answers == [200]
    assert dynamo.query(pk=keys.student_pk("student-nobody")) == []
    # And the payment is recorded as unmatched, flagged for staff
    payment = _payment_of(stripe_standin, session_id)
    assert payment.unmatched and payment.held and payment.settles is None
    assert payment.review_reasons == {ReviewReason.UNMATCHED}


@pytest.mark.parametrize("reference", ["TP3-26-ZZZZ", None])
def test_a_session_whose_metadata_and_client_reference_disagree_settles_nothing(
    api, world, stripe_standin, reference
):
    alice = world.students["alice"]
    # Given a $50 session whose metadata names Alice but whose client_reference_id does not
    session_id = session_paying(stripe_standin, _metadata(alice), client_reference_id=reference)
    # When it is paid
    stripe_standin.pay(session_id)
    # Then Alice's year stays due and the payment is unmatched, flagged
    assert _fee_status(api, alice) == "due"
    payment = _payment_of(stripe_standin, session_id)
    assert payment.unmatched and payment.review_reasons == {ReviewReason.UNMATCHED}


def test_a_session_naming_another_students_sers_id_settles_nothing(api, world, stripe_standin):
    alice = world.students["alice"]
    bob = world.student("bob", last_name="Jones")
    # Given a session recorded for Alice whose metadata carries Bob's SERS ID
    session_id = app_session(stripe_standin, {**_metadata(alice), "sers_id": bob.sers_id})
    stripe_standin.pay(session_id)
    # Then neither is settled: the payment is unmatched
    assert _fee_status(api, alice) == "due"
    assert _payment_of(stripe_standin, session_id).unmatched


def test_a_session_for_a_year_the_student_never_registered_creates_no_year(
    api, world, stripe_standin
):
    alice = world.students["alice"]
    # Given a session naming Alice and a year she has no record for
    session_id = app_session(stripe_standin, _metadata(alice, "2027-28"))
    stripe_standin.pay(session_id)
    # Then no 2027-28 year appears and the payment is unmatched
    assert dynamo.get_item(keys.student_pk(alice.student_id), keys.year_sk("2027-28")) is None
    assert _payment_of(stripe_standin, session_id).unmatched


# --------------------------------------------------------------------------- signatures


def _completed_event(api, world, stripe_standin) -> dict:
    stripe_standin.auto_deliver = False
    checkout = api("POST", "/students/me/checkout", as_=world.students["alice"], body={})[1]
    stripe_standin.pay(checkout["session_id"])
    (completed,) = stripe_standin.discard_pending()
    return completed


def test_a_signature_from_the_future_is_refused_like_a_stale_one(api, world, stripe_standin, aws):
    completed = _completed_event(api, world, stripe_standin)
    # Given an event signed an hour ahead of now
    body, signature = stripe_standin.signed_delivery(completed, timestamp=int(time.time()) + 3600)
    aws.clear()
    # When it is delivered
    response = stripe_standin.webhook(body, signature)
    # Then it is a 400 and nothing is written
    assert response["statusCode"] == 400
    assert not {"PutItem", "UpdateItem", "TransactWriteItems", "DeleteItem"} & set(aws)
    assert _fee_status(api, world.students["alice"]) == "due"


def test_a_signature_a_little_ahead_within_the_tolerance_is_accepted(api, world, stripe_standin):
    # Clocks differ by seconds: a minute ahead is within Stripe's five-minute tolerance
    completed = _completed_event(api, world, stripe_standin)
    body, signature = stripe_standin.signed_delivery(completed, timestamp=int(time.time()) + 60)
    assert stripe_standin.webhook(body, signature)["statusCode"] == 200
    assert _fee_status(api, world.students["alice"]) == "paid"


# --------------------------------------------------------------------------- refunds


def test_a_partial_refund_keeps_the_year_paid_and_is_flagged(api, world, stripe_standin):
    alice = world.students["alice"]
    session_id = _pay_alice(api, world, stripe_standin)
    # When $10 of the $50 is refunded in Stripe's dashboard
    stripe_standin.refund(stripe_standin.sessions[session_id]["payment_intent"], amount=1000)
    # Then the year stays paid, and the refund is recorded (cents, date) and flagged
    assert _fee_status(api, alice) == "paid"
    payment = _payment_of(stripe_standin, session_id)
    assert (payment.refunded, payment.refunded_cents) == (False, 1000)
    assert payment.refunded_at is not None and payment.refunded_at.startswith("2027-01-15")
    assert payment.review_reasons == {ReviewReason.PARTIAL_REFUND}


def test_partial_refunds_that_add_up_to_the_whole_take_the_payment_off(api, world, stripe_standin):
    alice = world.students["alice"]
    session_id = _pay_alice(api, world, stripe_standin)
    intent = stripe_standin.sessions[session_id]["payment_intent"]
    # When $10 and then the other $40 are refunded
    stripe_standin.refund(intent, amount=1000)
    stripe_standin.refund(intent, amount=4000)
    # Then the payment is refunded whole and the fee is due again
    assert _fee_status(api, alice) == "due"
    payment = _payment_of(stripe_standin, session_id)
    assert (payment.refunded, payment.refunded_cents) == (True, 5000)
    assert ReviewReason.REFUNDED in payment.review_reasons


def test_a_partial_refund_delivered_after_the_whole_one_changes_nothing(api, world, stripe_standin):
    alice = world.students["alice"]
    session_id = _pay_alice(api, world, stripe_standin)
    intent = stripe_standin.sessions[session_id]["payment_intent"]
    stripe_standin.auto_deliver = False
    stripe_standin.refund(intent, amount=1000)
    stripe_standin.refund(intent, amount=4000)
    partial, whole = stripe_standin.discard_pending()
    # When the whole refund's event arrives first, then the partial one's
    stripe_standin.redeliver(whole)
    stripe_standin.redeliver(partial)
    # Then the payment stays refunded whole, with the whole amount, and the fee is due
    payment = _payment_of(stripe_standin, session_id)
    assert (payment.refunded, payment.refunded_cents) == (True, 5000)
    assert _fee_status(api, alice) == "due"


# --------------------------------------------------------------------------- disputes


def test_a_lost_dispute_takes_the_payment_off_its_year(api, world, stripe_standin):
    alice = world.students["alice"]
    session_id = _pay_alice(api, world, stripe_standin)
    dispute = stripe_standin.dispute(stripe_standin.sessions[session_id]["payment_intent"])
    # While the dispute is open the payment is flagged and the year stays paid
    assert _payment_of(stripe_standin, session_id).review_reasons == {ReviewReason.DISPUTED}
    assert _fee_status(api, alice) == "paid"
    # When the consortium loses it
    stripe_standin.close_dispute(dispute["id"], status="lost")
    # Then the money went back: the fee is due again, and the payment is flagged
    assert _fee_status(api, alice) == "due"
    payment = _payment_of(stripe_standin, session_id)
    assert payment.dispute_lost and payment.disputed and payment.dispute_status == "lost"
    assert ReviewReason.DISPUTE_LOST in payment.review_reasons
    assert all(status == 200 for status in stripe_standin.webhook.answers)


def test_a_won_dispute_clears_the_flag_and_the_year_stays_paid(api, world, stripe_standin):
    alice = world.students["alice"]
    session_id = _pay_alice(api, world, stripe_standin)
    dispute = stripe_standin.dispute(stripe_standin.sessions[session_id]["payment_intent"])
    # When the consortium wins it
    stripe_standin.close_dispute(dispute["id"], status="won")
    # Then the year stays paid and the dispute flag is cleared
    assert _fee_status(api, alice) == "paid"
    payment = _payment_of(stripe_standin, session_id)
    assert not payment.disputed and payment.dispute_status == "won"
    assert ReviewReason.DISPUTED not in payment.review_reasons


def test_a_dispute_closed_before_its_creation_arrives_stays_closed(api, world, stripe_standin):
    session_id = _pay_alice(api, world, stripe_standin)
    stripe_standin.auto_deliver = False
    dispute = stripe_standin.dispute(stripe_standin.sessions[session_id]["payment_intent"])
    stripe_standin.close_dispute(dispute["id"], status="won")
    created, closed = stripe_standin.discard_pending()
    # When Stripe delivers the closing before the opening
    stripe_standin.redeliver(closed)
    stripe_standin.redeliver(created)
    # Then the dispute stays won: the late creation does not flag it again
    payment = _payment_of(stripe_standin, session_id)
    assert not payment.disputed and payment.dispute_status == "won"
    assert _fee_status(api, world.students["alice"]) == "paid"


# --------------------------------------------------------------------------- duplicates


def _two_paid_sessions(api, world, standin) -> tuple[str, str]:
    """Alice's own session and a second one the app made for the same year, both paid."""
    first = _pay_alice(api, world, standin)
    second = second_session_for_same_year(standin, first)
    standin.pay(second)
    return first, second


def test_a_refused_duplicate_refund_answers_2xx_and_is_kept_for_staff(api, world, stripe_standin):
    # Given Stripe will refuse the next refund (the charge is disputed)
    stripe_standin.refuse_refunds(code="charge_disputed", message="Charged back.")
    # When a second payment for Alice's paid year arrives
    first, second = _two_paid_sessions(api, world, stripe_standin)
    # Then Stripe is answered 200 every time and nothing is refunded
    assert stripe_standin.webhook.answers == [200, 200]
    assert stripe_standin.refunds == {}
    # And the duplicate is recorded and flagged, with Stripe's reason kept on it
    duplicate = _payment_of(stripe_standin, second)
    assert duplicate.duplicate and duplicate.duplicate_refund_id is None
    assert duplicate.review_reasons == {ReviewReason.DUPLICATE, ReviewReason.REFUND_FAILED}
    assert duplicate.refund_error is not None
    assert (duplicate.refund_error.code, duplicate.refund_error.message) == (
        "charge_disputed",
        "Charged back.",
    )
    assert _fee_status(api, world.students["alice"]) == "paid"
    # And redelivering the event does not ask Stripe again: staff retry it
    completed = stripe_standin.events_of_type("checkout.session.completed")[-1]
    assert stripe_standin.redeliver(completed).status == 200
    assert stripe_standin.refunds == {}


def test_staff_retry_a_refused_duplicate_refund(api, world, stripe_standin, clock):
    stripe_standin.refuse_refunds(count=2, code="charge_disputed", message="Charged back.")
    _, second = _two_paid_sessions(api, world, stripe_standin)
    intent = stripe_standin.sessions[second]["payment_intent"]
    at = clock("2027-01-16T09:00:00-08:00")
    # When staff retry while Stripe still refuses, the new refusal is kept
    refused = payments.retry_refund(STAFF_CALLER, intent, at)
    assert refused.refund_error is not None and refused.refund_attempts == 2
    assert refused.refund_error.at.startswith("2027-01-16")
    # When staff retry once Stripe accepts
    refunded = payments.retry_refund(STAFF_CALLER, intent, at)
    # Then the duplicate is refunded whole, the refusal is cleared, and Stripe's event
    # confirms it
    (refund,) = stripe_standin.refunds.values()
    assert (refund["payment_intent"], refund["amount"], refund["reason"]) == (
        intent,
        5000,
        "duplicate",
    )
    assert refunded.duplicate_refund_id == refund["id"] and refunded.refund_error is None
    assert ReviewReason.REFUND_FAILED not in refunded.review_reasons
    assert _payment_of(stripe_standin, second).refunded
    # And a second retry is refused: there is nothing left to refund
    with pytest.raises(Conflict):
        payments.retry_refund(STAFF_CALLER, intent, at)


def test_only_staff_retry_refunds_and_only_of_duplicates(api, world, stripe_standin, clock):
    first = _pay_alice(api, world, stripe_standin)
    intent = stripe_standin.sessions[first]["payment_intent"]
    at = clock(IN_WINDOW)
    with pytest.raises(Forbidden):
        payments.retry_refund(caller_from_claims(world.students["alice"].claims), intent, at)
    with pytest.raises(Conflict):
        payments.retry_refund(STAFF_CALLER, intent, at)  # the payment that settles the year
    assert stripe_standin.refunds == {}


def test_a_duplicate_is_recorded_before_its_refund_is_asked(
    api, world, stripe_standin, monkeypatch
):
    first = _pay_alice(api, world, stripe_standin)
    second = second_session_for_same_year(stripe_standin, first)
    # Given Stripe cannot be reached when the duplicate's refund is asked for
    with monkeypatch.context() as stripe_down:
        stripe_down.setattr(
            stripe_gateway,
            "refund",
            _raises(stripe_gateway.StripeUnavailable("APIConnectionError")),
        )
        # Then the webhook fails (API Gateway answers Stripe 502, so Stripe delivers again)
        with pytest.raises(stripe_gateway.StripeUnavailable):
            stripe_standin.pay(second)
    assert not stripe_standin.deliveries[-1].ok
    # But the duplicate is already recorded and flagged for staff
    duplicate = _payment_of(stripe_standin, second)
    assert duplicate.duplicate and duplicate.needs_staff_review
    # When Stripe is back and delivers the event again
    completed = stripe_standin.events_of_type("checkout.session.completed")[-1]
    assert stripe_standin.redeliver(completed).status == 200
    # Then the duplicate is refunded once
    assert len(stripe_standin.refunds) == 1
    assert _payment_of(stripe_standin, second).refunded
    assert _fee_status(api, world.students["alice"]) == "paid"


def _raises(error: Exception):
    def fail(*_args, **_kwargs):
        raise error

    return fail
