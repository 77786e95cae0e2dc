"""Paying the fee by card (Stripe Checkout and webhook), with the stand-in for Stripe."""

from __future__ import annotations

import random
import threading

import pytest

from dualcredit.dal import dynamo, keys
from tests.support.stripe import second_session_for_same_year
from tests.support.world import World, with_alice_registered

IN_WINDOW = "2027-01-15T10:00:00-08:00"


@pytest.fixture
def world(api, clock, stripe_standin) -> World:
    clock(IN_WINDOW)
    return with_alice_registered(api)


def _dashboard_year(api, student, year="2026-27"):
    years = {
        y["school_year"]: y for y in api("GET", "/students/me/dashboard", as_=student)[1]["years"]
    }
    return years[year]


def _payments(student_id: str, year: str = "2026-27") -> list[dict]:
    return [
        p
        for p in dynamo.query(index="GSI1", pk_name="GSI1PK", pk=keys.payments_gsi(year))
        if p["student_id"] == student_id
    ]


def _year_record(student_id: str, year: str = "2026-27") -> dict:
    return dynamo.get_item(keys.student_pk(student_id), keys.year_sk(year))


def test_student_pays_by_card_and_sees_paid_with_a_receipt(api, world, stripe_standin, sent_emails):
    alice = world.students["alice"]
    # When Alice presses Pay
    status, checkout = api("POST", "/students/me/checkout", as_=alice, body={})
    assert status == 201, checkout
    session = stripe_standin.sessions[checkout["session_id"]]
    # Then the session is for $50, names the year, carries her SERS ID and email
    assert checkout["amount_cents"] == 5000 and session["amount_total"] == 5000
    assert session["client_reference_id"] == alice.sers_id
    assert session["metadata"]["school_year"] == "2026-27"
    assert session["customer_email"] == "alice@example.org"
    assert "2026-27" in stripe_standin.line_items(session["id"])[0]["description"]
    assert session["success_url"].startswith("https://app.test/dashboard")
    # And once she pays, the webhook records it: Paid on the dashboard, and a receipt
    stripe_standin.pay(session["id"])
    year = _dashboard_year(api, alice)
    assert year["fee_status"] == "paid" and year["amount_due_cents"] == 0
    to, subject, html = sent_emails()[-1]
    assert to == "alice@example.org" and "Receipt" in subject
    assert alice.sers_id in html and "$50.00" in html and "2026-27" in html
    assert stripe_standin.webhook.answers == [200]


def test_checkout_expires_at_the_window_close_when_sooner(api, world, clock, stripe_standin):
    clock("2027-06-15T22:00:00-07:00")
    status, checkout = api("POST", "/students/me/checkout", as_=world.students["alice"], body={})
    assert status == 201
    assert checkout["expires_at"] == "2027-06-16T00:00:00-07:00"


def test_paying_twice_from_two_tabs_reuses_one_open_session(
    api, world, stripe_standin, atomic_requests
):
    alice = world.students["alice"]
    answers: list = []

    def press_pay():
        answers.append(api("POST", "/students/me/checkout", as_=alice, body={}))

    tabs = [threading.Thread(target=press_pay) for _ in range(2)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join()
    assert [status for status, _ in answers] == [201, 201]
    assert answers[0][1]["session_id"] == answers[1][1]["session_id"]
    assert [s["status"] for s in stripe_standin.sessions.values()].count("open") == 1
    # And pressing Pay again later returns the same open session
    assert (
        api("POST", "/students/me/checkout", as_=alice, body={})[1]["session_id"]
        == answers[0][1]["session_id"]
    )


def _paid_events(api, world, stripe_standin, *, then: str | None = None) -> list[dict]:
    """Pay Alice's fee with delivery held back; optionally refund or dispute it."""
    stripe_standin.auto_deliver = False
    checkout = api("POST", "/students/me/checkout", as_=world.students["alice"], body={})[1]
    session = stripe_standin.pay(checkout["session_id"])
    if then == "refund":
        stripe_standin.refund(session["payment_intent"])
    if then == "partial refund":
        stripe_standin.refund(session["payment_intent"], amount=1000)
    if then and then.startswith("dispute"):
        dispute = stripe_standin.dispute(session["payment_intent"])
        if then != "dispute":
            stripe_standin.close_dispute(dispute["id"], status=then.removeprefix("dispute "))
    events = stripe_standin.pending
    stripe_standin.discard_pending()
    return events


@pytest.mark.parametrize(
    ("then", "paid", "flag"),
    [
        (None, True, None),
        ("dispute", True, "disputed"),
        ("refund", False, "refunded"),
        ("partial refund", True, "partly_refunded"),
        ("dispute won", True, "dispute_closed"),
        ("dispute lost", False, "dispute_lost"),
    ],
)
def test_every_event_delivered_five_times_in_any_order_leaves_one_payment(
    api, world, stripe_standin, then, paid, flag
):
    events = _paid_events(api, world, stripe_standin, then=then)
    deliveries = [event for event in events for _ in range(5)]
    random.Random(7).shuffle(deliveries)
    # When Stripe delivers each event five times, shuffled
    for event in deliveries:
        stripe_standin.redeliver(event)
    # Then there is one payment, and the year is in the same final state as in order
    alice = world.students["alice"]
    (payment,) = _payments(alice.student_id) or [
        dynamo.get_item(
            keys.payment_pk(events[0]["data"]["object"]["payment_intent"]), keys.META_SK
        )
    ]
    assert bool(_year_record(alice.student_id).get("fee_payment")) is paid
    assert _dashboard_year(api, alice)["fee_status"] == ("paid" if paid else "due")
    if flag:
        assert payment.get(flag) is True
    assert all(status == 200 for status in stripe_standin.webhook.answers)


def test_twenty_concurrent_deliveries_of_one_event_leave_one_payment(
    api, world, stripe_standin, atomic_requests, sent_emails
):
    (completed,) = _paid_events(api, world, stripe_standin)
    before = len(sent_emails())
    threads = [
        threading.Thread(target=stripe_standin.redeliver, args=(completed,)) for _ in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    alice = world.students["alice"]
    assert len(_payments(alice.student_id)) == 1
    assert (
        _year_record(alice.student_id)["fee_payment"]["payment_id"]
        == completed["data"]["object"]["payment_intent"]
    )
    assert len(sent_emails()) - before == 1  # one receipt
    assert set(stripe_standin.webhook.answers) <= {200, 409}


def test_two_paid_sessions_for_one_year_leave_one_payment_and_one_refund(
    api, world, stripe_standin
):
    alice = world.students["alice"]
    first = api("POST", "/students/me/checkout", as_=alice, body={})[1]["session_id"]
    # Given a second session for the same student-year (say, opened from an old link)
    second = second_session_for_same_year(stripe_standin, first)
    # When both are paid
    stripe_standin.pay(first)
    stripe_standin.pay(second)
    # Then the first settles the year and the second is refunded automatically, flagged for staff
    payments = {p["session_id"]: p for p in _payments(alice.student_id)}
    assert payments[first].get("settles") == "fee"
    duplicate = dynamo.get_item(
        keys.payment_pk(stripe_standin.sessions[second]["payment_intent"]), keys.META_SK
    )
    assert duplicate["duplicate"] and duplicate["needs_staff_review"] and duplicate["refunded"]
    assert len(stripe_standin.refunds) == 1
    assert _dashboard_year(api, alice)["fee_status"] == "paid"


@pytest.mark.parametrize(
    "tamper", ["forged", "wrong_secret", "stale", "future", "malformed", "missing"]
)
def test_bad_webhook_requests_get_400_and_write_nothing(api, world, stripe_standin, aws, tamper):
    (completed,) = _paid_events(api, world, stripe_standin)
    body, signature = stripe_standin.signed_delivery(completed)
    if tamper == "forged":
        body = body.replace(b'"amount_total": 5000', b'"amount_total": 1')
    elif tamper == "wrong_secret":
        body, signature = stripe_standin.signed_delivery(completed, secret="whsec_other")
    elif tamper == "stale":
        import time

        body, signature = stripe_standin.signed_delivery(
            completed, timestamp=int(time.time()) - 3600
        )
    elif tamper == "future":
        import time

        body, signature = stripe_standin.signed_delivery(
            completed, timestamp=int(time.time()) + 3600
        )
    elif tamper == "malformed":
        body, signature = b"{not json", stripe_standin.signed_delivery(completed)[1]
    elif tamper == "missing":
        signature = None
    aws.clear()
    response = stripe_standin.webhook(body, signature)
    assert response["statusCode"] == 400
    assert not {"PutItem", "UpdateItem", "TransactWriteItems", "DeleteItem"} & set(aws)
    assert dynamo.query(pk=keys.IDEMPOTENCY_PK) == []
    assert _payments(world.students["alice"].student_id) == []


def test_expired_session_is_forgotten_and_a_new_one_is_made(api, world, stripe_standin):
    alice = world.students["alice"]
    first = api("POST", "/students/me/checkout", as_=alice, body={})[1]["session_id"]
    stripe_standin.expire(first)
    assert "checkout" not in _year_record(alice.student_id)
    second = api("POST", "/students/me/checkout", as_=alice, body={})[1]["session_id"]
    assert second != first


def test_async_payment_settles_only_when_it_succeeds(api, world, stripe_standin):
    alice = world.students["alice"]
    session = api("POST", "/students/me/checkout", as_=alice, body={})[1]["session_id"]
    stripe_standin.pay(session, async_payment=True)
    assert _dashboard_year(api, alice)["fee_status"] == "due"
    stripe_standin.async_succeed(session)
    assert _dashboard_year(api, alice)["fee_status"] == "paid"


def test_nothing_due_means_no_checkout(api, world, stripe_standin):
    alice = world.students["alice"]
    stripe_standin.pay(api("POST", "/students/me/checkout", as_=alice, body={})[1]["session_id"])
    status, body = api("POST", "/students/me/checkout", as_=alice, body={})
    assert status == 409 and body["code"] == "nothing_due"


def test_no_checkout_outside_the_window(api, world, clock, stripe_standin):
    clock("2027-06-16T09:00:00-07:00")
    status, body = api("POST", "/students/me/checkout", as_=world.students["alice"], body={})
    assert status == 409 and body["code"] == "window_closed"


def test_unrelated_events_are_acknowledged_and_ignored(world, stripe_standin):
    event = {
        "id": "evt_other",
        "object": "event",
        "type": "customer.created",
        "data": {"object": {}},
    }
    body, signature = stripe_standin.signed_delivery(event)
    assert stripe_standin.webhook(body, signature)["statusCode"] == 200


def test_stripe_down_is_a_clear_503_and_nothing_is_stored(api, world, stripe_standin, monkeypatch):
    import stripe

    def unreachable(*_args, **_kwargs):
        raise stripe.APIConnectionError("connection refused")

    monkeypatch.setattr(stripe_standin, "handle", unreachable)
    monkeypatch.setattr(stripe_standin, "dispatch", unreachable)
    status, body = api("POST", "/students/me/checkout", as_=world.students["alice"], body={})
    assert status == 503 and body["code"] == "payments_unavailable"
    assert "checkout" not in _year_record(world.students["alice"].student_id)
