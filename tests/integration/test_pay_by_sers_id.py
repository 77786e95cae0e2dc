"""Parents paying by SERS ID: what Stripe is sent (no student email; the parent's own
email if given; back to /pay), the lockout that counts failed lookups only, and the
window on the pay page."""

from __future__ import annotations

import json

import pytest

from tests.support.world import STAFF, World

IN_WINDOW = "2027-01-15T10:00:00-08:00"
AFTER_CLOSE = "2027-06-20T10:00:00-07:00"
BIRTH_DATE = "2009-04-02"


@pytest.fixture
def world(api, clock, stripe_standin) -> World:
    clock(IN_WINDOW)
    built = World(api).build("2026-27")
    student = built.student("alice", last_name="Smith", birth_date=BIRTH_DATE)
    built.ok(
        "POST", "/students/me/registrations", as_=student, body={"offering_ids": [built.offering_x]}
    )
    return built


def _proof(world, **more):
    return {"sers_id": world.students["alice"].sers_id, "birth_date": BIRTH_DATE, **more}


def test_a_parents_session_carries_no_student_email_and_returns_to_pay(api, world, stripe_standin):
    alice = world.students["alice"]
    # When a parent pays by SERS ID without giving an email
    status, checkout = api("POST", "/pay/checkout", body=_proof(world))
    assert status == 201, checkout
    # Then the session Stripe received names the student by SERS ID only: no email at all
    session = stripe_standin.sessions[checkout["session_id"]]
    assert session["customer_email"] is None
    assert alice.email.lower() not in json.dumps(session).lower()
    assert session["client_reference_id"] == alice.sers_id
    # and both ways back from Stripe land on the pay page
    assert session["success_url"].endswith("/pay/?paid=1&session_id={CHECKOUT_SESSION_ID}")
    assert session["cancel_url"].endswith("/pay/?cancelled=1")


def test_the_parents_own_email_gets_stripes_receipt(api, world, stripe_standin):
    status, checkout = api(
        "POST", "/pay/checkout", body=_proof(world, receipt_email="Parent@Example.org")
    )
    assert status == 201, checkout
    session = stripe_standin.sessions[checkout["session_id"]]
    assert session["customer_email"].lower() == "parent@example.org"
    stripe_standin.pay(checkout["session_id"])
    status, years = api("GET", "/students/me/dashboard", as_=world.students["alice"])
    assert [y["fee_status"] for y in years["years"] if y["school_year"] == "2026-27"] == ["paid"]


def test_a_receipt_email_that_is_not_one_is_refused_and_nothing_is_sent_to_stripe(
    api, world, stripe_standin
):
    status, answer = api("POST", "/pay/checkout", body=_proof(world, receipt_email="parent@"))
    assert status == 422, answer
    assert [e["field"] for e in answer["errors"]] == ["receipt_email"]
    assert "email" in answer["errors"][0]["message"]
    assert stripe_standin.sessions == {}


def test_the_students_own_open_session_is_not_handed_to_a_parent(api, world, stripe_standin):
    alice = world.students["alice"]
    # Given the student opened a card payment on the dashboard (their email, back there)
    mine = api("POST", "/students/me/checkout", as_=alice, body={})[1]["session_id"]
    assert stripe_standin.sessions[mine]["customer_email"] == alice.email
    # When a parent pays by SERS ID
    status, checkout = api("POST", "/pay/checkout", body=_proof(world))
    assert status == 201, checkout
    # Then the parent gets a session of their own: no student email, back to /pay
    theirs = stripe_standin.sessions[checkout["session_id"]]
    assert checkout["session_id"] != mine
    assert theirs["customer_email"] is None and theirs["cancel_url"].endswith("/pay/?cancelled=1")
    # and the same parent, asking again, gets that same session back
    again = api("POST", "/pay/checkout", body=_proof(world))[1]
    assert again["session_id"] == checkout["session_id"]


def test_a_parent_who_looks_up_cancels_and_tries_again_is_not_locked_out(api, world):
    # When a parent looks up and opens checkout, cancels, and comes back, six times over
    # (from different networks, so only the per-SERS-ID limit is in play)
    answers = []
    for attempt in range(6):
        ip = f"198.51.100.{attempt + 1}"
        answers.append(api("POST", "/pay/lookup", body=_proof(world), source_ip=ip)[0])
        answers.append(api("POST", "/pay/checkout", body=_proof(world), source_ip=ip)[0])
    # Then every lookup and checkout is answered: successful tries count for nothing
    assert answers == [200, 201] * 6


def test_failed_lookups_lock_the_sers_id_and_the_message_says_what_else_to_do(api, world):
    wrong = _proof(world, birth_date="2009-01-01")
    statuses = [
        api("POST", "/pay/lookup", body=wrong, source_ip=f"203.0.113.{n}")[0] for n in range(5)
    ]
    assert statuses == [404] * 5
    # Then even the right birth date is refused for the hour, with the other ways to pay
    status, answer = api("POST", "/pay/lookup", body=_proof(world), source_ip="203.0.113.99")
    assert status == 429, answer
    assert "wait an hour" in answer["message"]
    assert "info@pnwcollegecredit.org" in answer["message"]
    assert "check or money order" in answer["message"]
    assert "Bellevue WA 98007" in answer["message"]


def test_after_the_window_closes_the_pay_page_says_so_instead_of_offering_pay(
    api, world, clock, stripe_standin
):
    clock(AFTER_CLOSE)
    status, summary = api("POST", "/pay/lookup", body=_proof(world))
    assert status == 200, summary
    assert summary["amount_due_cents"] == 5000 and summary["window_open"] is False
    assert summary["window_message"] == "Payments for 2026-27 closed on June 15, 2027."
    status, answer = api("POST", "/pay/checkout", body=_proof(world))
    assert status == 409 and answer["code"] == "window_closed"
    assert stripe_standin.sessions == {}


def test_approved_prior_year_credit_may_still_be_paid_by_sers_id_after_the_close(
    api, world, clock, stripe_standin
):
    alice = world.students["alice"]
    request = {
        "school_year": "2025-26",
        "school_id": world.school_x,
        "high_school_course": "Welding 1",
        "teacher": "Ms. Rivera",
        "reason": "I did not know about the program last year.",
    }
    created = api("POST", "/students/me/prior-year-requests", as_=alice, body=request)[1]
    decision = {
        "student_id": alice.student_id,
        "school_year": "2025-26",
        "approve": True,
        "request_id": created["request_id"],
    }
    api("POST", "/prior-year-requests/decisions", as_=STAFF, body={"decisions": [decision]})
    clock(AFTER_CLOSE)
    proof = _proof(world, school_year="2025-26")
    summary = api("POST", "/pay/lookup", body=proof)[1]
    assert summary["window_open"] is True and summary["window_message"] is None
    assert summary["amount_due_cents"] == 6500
    status, checkout = api("POST", "/pay/checkout", body=proof)
    assert status == 201 and checkout["amount_cents"] == 6500


def test_back_on_pay_the_session_is_settled_at_once_when_the_webhook_is_late(
    api, world, stripe_standin, sent_emails
):
    alice = world.students["alice"]
    # Given a parent paid at Stripe and Stripe's webhook has not arrived
    stripe_standin.auto_deliver = False
    session_id = api("POST", "/pay/checkout", body=_proof(world))[1]["session_id"]
    stripe_standin.pay(session_id)
    assert stripe_standin.webhook.answers == []
    # When their browser comes back to /pay (not signed in)
    status, answer = api("POST", f"/pay/checkout/{session_id}/fulfil", body={})
    # Then the payment is recorded and the year is paid, with one receipt to the student
    assert status == 200, answer
    assert (answer["payment"], answer["fee_status"]) == ("recorded", "paid")
    receipts = [mail for mail in sent_emails() if "Receipt" in mail[1]]
    assert [mail[0] for mail in receipts] == [alice.email]
    # and the late webhook settles nothing again
    assert [d.status for d in stripe_standin.deliver_pending()] == [200]
    assert len([mail for mail in sent_emails() if "Receipt" in mail[1]]) == 1


def test_a_session_the_app_did_not_make_is_not_found_on_pay(api, world, stripe_standin):
    status, answer = api("POST", "/pay/checkout/cs_test_unknown/fulfil", body={})
    assert status == 404 and answer["code"] == "no_such_checkout"
