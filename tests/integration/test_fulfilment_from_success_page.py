"""Fulfilment from the success page: back from Stripe Checkout, the dashboard asks the API
for its session, which is retrieved from Stripe and settled through the same
once-per-session function as the session's events. The stand-in plays Stripe; its events
are held back (a late webhook) unless a test delivers them."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from dualcredit.dal import payments as payment_data
from dualcredit.logic import stripe_events
from tests.support.world import STAFF, World, with_alice_registered

IN_WINDOW = "2027-01-15T10:00:00-08:00"
#: How long a test thread waits for another before the test fails (never a sleep).
STUCK = 20


@pytest.fixture
def world(api, clock, stripe_standin) -> World:
    clock(IN_WINDOW)
    stripe_standin.auto_deliver = False  # the webhook is late until a test delivers
    return with_alice_registered(api)


def _paid_checkout(api, student, standin) -> str:
    """The student presses Pay and pays at Stripe; the session id (its events queued)."""
    session_id = api("POST", "/students/me/checkout", as_=student, body={})[1]["session_id"]
    standin.pay(session_id)
    return session_id


def _fulfil(api, student, session_id: str) -> tuple[int, Any]:
    return api("POST", f"/students/me/checkout/{session_id}/fulfil", as_=student, body={})


def _receipts(sent_emails) -> list:
    return [mail for mail in sent_emails() if "Receipt" in mail[1]]


def _fee_payments(student, year: str = "2026-27") -> str | None:
    """The payment that settles the student's year, if any."""
    record = payment_data.student_year(student.student_id, year)
    assert record is not None
    return record.fee_payment.payment_id if record.fee_payment else None


def test_the_success_url_carries_the_session_id_for_stripe_to_fill_in(api, world, stripe_standin):
    session_id = api("POST", "/students/me/checkout", as_=world.students["alice"], body={})[1][
        "session_id"
    ]
    assert stripe_standin.sessions[session_id]["success_url"].endswith(
        "/dashboard?paid=1&session_id={CHECKOUT_SESSION_ID}"
    )


def test_paid_shows_at_once_when_the_webhook_is_late(api, world, stripe_standin, sent_emails):
    alice = world.students["alice"]
    # Given Alice paid at Stripe and Stripe's webhook has not arrived
    session_id = _paid_checkout(api, alice, stripe_standin)
    assert stripe_standin.webhook.answers == []
    # When her browser comes back to the success page
    status, answer = _fulfil(api, alice, session_id)
    # Then the payment is recorded and her year is paid, with one receipt
    assert status == 200
    assert (answer["payment"], answer["fee_status"], answer["amount_due_cents"]) == (
        "recorded",
        "paid",
        0,
    )
    assert _fee_payments(alice) == stripe_standin.sessions[session_id]["payment_intent"]
    assert len(_receipts(sent_emails)) == 1
    # And when the webhook comes at last it settles nothing again
    deliveries = stripe_standin.deliver_pending()
    assert [d.status for d in deliveries] == [200]
    assert len(_receipts(sent_emails)) == 1


def test_after_the_webhook_the_success_page_finds_it_recorded(
    api, world, stripe_standin, sent_emails
):
    alice = world.students["alice"]
    session_id = _paid_checkout(api, alice, stripe_standin)
    # Given the webhook came first
    stripe_standin.deliver_pending()
    # When the success page asks, twice (a reload)
    first, second = _fulfil(api, alice, session_id), _fulfil(api, alice, session_id)
    # Then both say recorded and still one receipt went out
    assert first == second
    assert first[1]["payment"] == "recorded" and first[1]["fee_status"] == "paid"
    assert len(_receipts(sent_emails)) == 1


def test_a_student_cannot_settle_another_students_session(api, world, stripe_standin):
    alice = world.students["alice"]
    bob = world.student("bob", last_name="Jones")
    world.ok(
        "POST", "/students/me/registrations", as_=bob, body={"offering_ids": [world.offering_x]}
    )
    # Given Bob paid and his webhook is late
    session_id = _paid_checkout(api, bob, stripe_standin)
    # When Alice sends Bob's session id
    status, answer = _fulfil(api, alice, session_id)
    # Then it is a 404 that does not say whether the session exists, and nothing settles
    assert (status, answer["code"]) == (404, "no_such_checkout")
    assert _fee_payments(bob) is None
    # And a made-up session id is the same 404
    assert _fulfil(api, alice, "cs_test_" + "x" * 58)[0] == 404


def test_staff_cannot_fulfil_a_students_session(api, world, stripe_standin):
    session_id = _paid_checkout(api, world.students["alice"], stripe_standin)
    assert _fulfil(api, STAFF, session_id)[0] == 403


def test_a_session_not_paid_yet_settles_nothing(api, world, stripe_standin):
    alice = world.students["alice"]
    # Given Alice opened Stripe's page and came back without paying
    session_id = api("POST", "/students/me/checkout", as_=alice, body={})[1]["session_id"]
    status, answer = _fulfil(api, alice, session_id)
    assert status == 200
    assert (answer["payment"], answer["fee_status"]) == ("not_paid", "due")


@pytest.mark.parametrize("session_id", ["cs_" + "a" * 300, "pi_123", "cs_bad$id"])
def test_a_malformed_session_id_is_refused_before_anything_runs(api, world, session_id):
    status, _ = _fulfil(api, world.students["alice"], session_id)
    assert status == 422


# --------------------------------------------------------------------------- races


def test_the_page_meeting_the_webhook_mid_settlement_waits_and_it_settles_once(
    api, world, stripe_standin, sent_emails, atomic_requests, monkeypatch
):
    """Interleaved at the settlement write: the webhook is inside it when the page asks."""
    alice = world.students["alice"]
    session_id = _paid_checkout(api, alice, stripe_standin)
    inside, release = threading.Event(), threading.Event()
    settle = stripe_events.settle_card

    def held_at_the_write(*args, **kwargs):
        inside.set()
        assert release.wait(STUCK), "the test never released the webhook"
        return settle(*args, **kwargs)

    monkeypatch.setattr(stripe_events, "settle_card", held_at_the_write)
    # Given the webhook's delivery is inside the settlement of Alice's session
    webhook = threading.Thread(target=stripe_standin.deliver_pending)
    webhook.start()
    assert inside.wait(STUCK)
    # When the success page asks meanwhile
    status, answer = _fulfil(api, alice, session_id)
    # Then it is told the payment is being confirmed, and it settled nothing itself
    assert (status, answer["payment"], answer["fee_status"]) == (200, "confirming", "due")
    # And when the webhook finishes, the page's next ask finds it recorded
    release.set()
    webhook.join(STUCK)
    assert stripe_standin.webhook.answers == [200]
    assert _fulfil(api, alice, session_id)[1]["payment"] == "recorded"
    assert _fee_payments(alice) == stripe_standin.sessions[session_id]["payment_intent"]
    assert len(_receipts(sent_emails)) == 1


def test_the_page_and_the_webhook_racing_settle_once(
    api, world, stripe_standin, sent_emails, atomic_requests
):
    """Started together at a barrier; whichever loses is answered 'confirming' (the page)
    or 409 (the webhook) and asks again, as the page and Stripe do."""
    alice = world.students["alice"]
    session_id = _paid_checkout(api, alice, stripe_standin)
    (completed,) = stripe_standin.discard_pending()
    start = threading.Barrier(2, timeout=STUCK)
    answers: dict[str, Any] = {}

    def webhook() -> None:
        start.wait()
        answers["webhook"] = [stripe_standin.redeliver(completed).status]
        while answers["webhook"][-1] == 409:
            answers["webhook"].append(stripe_standin.redeliver(completed).status)

    def page() -> None:
        start.wait()
        answers["page"] = [_fulfil(api, alice, session_id)[1]["payment"]]
        while answers["page"][-1] == "confirming":
            answers["page"].append(_fulfil(api, alice, session_id)[1]["payment"])

    threads = [threading.Thread(target=webhook), threading.Thread(target=page)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(STUCK)
    # Then both end satisfied: Stripe got a 2xx and the page says recorded
    assert answers["webhook"][-1] == 200 and answers["page"][-1] == "recorded"
    # And the year was settled once, by this payment, with one receipt
    assert _fee_payments(alice) == stripe_standin.sessions[session_id]["payment_intent"]
    assert len(_receipts(sent_emails)) == 1
    payment = payment_data.get_payment(stripe_standin.sessions[session_id]["payment_intent"])
    assert payment is not None and not payment.duplicate and not payment.needs_staff_review
