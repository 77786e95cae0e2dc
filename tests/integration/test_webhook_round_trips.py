"""The webhook's DynamoDB requests for a paid session (issue 9): the paid-session check's
one consistent BatchGetItem is also the settle's read of the year and the receipt's
profile; a duplicate is flagged before Stripe is asked, and its refund is recorded by
its own charge.refunded. The same figures as bench/roundtrips.py's WEBHOOK_EXPECTED."""

from __future__ import annotations

from collections import Counter

import pytest
from moto.core.botocore_stubber import BotocoreStubber

from bench.roundtrips import WEBHOOK_EXPECTED
from dualcredit.dal import payments as payment_data
from dualcredit.dal.records import ReviewReason
from tests.support.stripe import second_session_for_same_year
from tests.support.world import World, with_alice_registered


@pytest.fixture
def world(api, clock, stripe_standin) -> World:
    clock("2027-01-15T10:00:00-08:00")
    return with_alice_registered(api)


@pytest.fixture
def requests_to_dynamodb(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """DynamoDB operations that reached moto, from any client (the idempotency
    utility keeps the client it was first set up with, which the `aws` fixture's
    recorder does not see after a process's first test)."""
    counted: Counter = Counter()
    process = BotocoreStubber.process_request

    def counting(self, request):
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else str(target)
        if target.startswith("DynamoDB_"):
            counted[target.rsplit(".", 1)[-1]] += 1
        return process(self, request)

    monkeypatch.setattr(BotocoreStubber, "process_request", counting)
    return counted


def _fee_status(api, student) -> str:
    years = api("GET", "/students/me/dashboard", as_=student)[1]["years"]
    return {y["school_year"]: y for y in years}["2026-27"]["fee_status"]


def _paid_but_not_delivered(standin, session_id: str) -> dict:
    """Stripe's checkout.session.completed for `session_id`, held back from the webhook."""
    standin.auto_deliver = False
    standin.pay(session_id)
    (completed,) = standin.discard_pending()
    return completed


def test_a_paid_sessions_first_delivery_reads_once(
    api, world, stripe_standin, requests_to_dynamodb, sent_emails
):
    aws = requests_to_dynamodb
    alice = world.students["alice"]
    session_id = api("POST", "/students/me/checkout", as_=alice, body={})[1]["session_id"]
    completed = _paid_but_not_delivered(stripe_standin, session_id)
    # When the webhook gets its first delivery
    aws.clear()
    assert stripe_standin.redeliver(completed).status == 200
    # Then it made the fewest requests: idempotency put and save, the payment's upsert,
    # one BatchGetItem (session record, profile, year) and the settling transaction
    assert dict(aws) == WEBHOOK_EXPECTED["completed"][0]
    assert dict(aws) == {"PutItem": 1, "UpdateItem": 2, "BatchGetItem": 1, "TransactWriteItems": 1}
    # And the year is paid and the receipt went to the address that batch read
    assert _fee_status(api, alice) == "paid"
    assert any(to == alice.email and "Receipt" in subject for to, subject, _ in sent_emails())


def test_a_duplicate_is_flagged_before_its_refund_and_the_refund_recorded_by_its_event(
    api, world, stripe_standin, requests_to_dynamodb
):
    aws = requests_to_dynamodb
    alice = world.students["alice"]
    first = api("POST", "/students/me/checkout", as_=alice, body={})[1]["session_id"]
    stripe_standin.pay(first)
    second = second_session_for_same_year(stripe_standin, first)
    completed = _paid_but_not_delivered(stripe_standin, second)
    intent = stripe_standin.sessions[second]["payment_intent"]
    # When the second payment's first delivery arrives
    aws.clear()
    assert stripe_standin.redeliver(completed).status == 200
    # Then the webhook made 5 requests, Stripe refunded it once, and the duplicate is
    # recorded and flagged (the refund itself not yet: its event has not arrived)
    assert dict(aws) == WEBHOOK_EXPECTED["duplicate"][0]
    assert dict(aws) == {"PutItem": 1, "UpdateItem": 2, "BatchGetItem": 1, "TransactWriteItems": 1}
    assert len(stripe_standin.refunds) == 1
    duplicate = payment_data.get_payment(intent)
    assert duplicate is not None and duplicate.duplicate and not duplicate.refunded
    assert duplicate.review_reasons == {ReviewReason.DUPLICATE}
    # When Stripe's charge.refunded for it arrives
    (refunded,) = stripe_standin.discard_pending()
    assert refunded["type"] == "charge.refunded"
    assert stripe_standin.redeliver(refunded).status == 200
    # Then the duplicate is refunded, and Alice's year stays paid by her first payment
    duplicate = payment_data.get_payment(intent)
    assert duplicate is not None and duplicate.refunded and duplicate.refunded_cents == 5000
    assert _fee_status(api, alice) == "paid"
