"""The staff review queue of payments (issue 9): every flagged payment listed with its
reason in words, student, amount and date; resolved with an audited note; a refund
Stripe refused retried from there. Stripe is the stand-in; the webhook Lambda answers it."""

from __future__ import annotations

import threading

import pytest

from dualcredit.dal import audit, keys, stripe_gateway
from dualcredit.dal import payments as payment_data
from tests.support.stripe import app_session, second_session_for_same_year
from tests.support.world import STAFF, World, with_alice_registered

IN_WINDOW = "2027-01-15T10:00:00-08:00"
GHOST = {"sers_id": "TP3-26-ZZZZ", "student_id": "student-nobody", "school_year": "2026-27"}


@pytest.fixture
def world(api, clock, stripe_standin) -> World:
    clock(IN_WINDOW)
    return with_alice_registered(api)


def _metadata(student) -> dict[str, str]:
    return {"sers_id": student.sers_id, "student_id": student.student_id, "school_year": "2026-27"}


def _intent(standin, session_id: str) -> str:
    return standin.sessions[session_id]["payment_intent"]


def _queue(api, url: str = "/payments/review") -> dict[str, dict]:
    status, answer = api("GET", url, as_=STAFF)
    assert status == 200, answer
    return {item["payment_id"]: item for item in answer}


def _pay_alice(api, world, standin) -> str:
    alice = world.students["alice"]
    session_id = api("POST", "/students/me/checkout", as_=alice, body={})[1]["session_id"]
    standin.pay(session_id)
    return session_id


def _refused_duplicate(api, world, standin, *, refusals: int = 1) -> str:
    """Alice's year paid, and a second payment for it whose refund Stripe refused."""
    standin.refuse_refunds(count=refusals, code="charge_disputed", message="Charged back.")
    second = second_session_for_same_year(standin, _pay_alice(api, world, standin))
    standin.pay(second)
    return _intent(standin, second)


# --------------------------------------------------------------------------- the queue


def test_staff_see_every_flagged_payment_with_its_reason_student_amount_and_date(
    api, world, stripe_standin, aws
):
    alice = world.students["alice"]
    # Given a $1 payment for Alice's $50 session, and a payment naming no student
    wrong = app_session(stripe_standin, _metadata(alice), amount=100)
    stripe_standin.pay(wrong)
    ghost = app_session(stripe_standin, GHOST)
    stripe_standin.pay(ghost)
    # When staff open the review queue
    aws.clear()
    queue = _queue(api)
    # Then it was read with one Query of the queue and one BatchGetItem of the names
    assert dict(aws) == {"Query": 1, "BatchGetItem": 1}
    # And both payments are listed: reason in words, student, amount, date
    held = queue[_intent(stripe_standin, wrong)]
    assert [r["code"] for r in held["reasons"]] == ["wrong_amount"]
    assert held["reasons"][0]["words"] == (
        "Paid $1.00, not the amount due; it was started for $50.00. It settles nothing."
    )
    assert held["student"] == {
        "student_id": alice.student_id,
        "sers_id": alice.sers_id,
        "name": f"{alice.first_name} Smith",
    }
    assert (held["amount_cents"], held["received_on"]) == (100, "2027-01-15")
    assert held["flagged_at"].startswith("2027-01-15T")
    unmatched = queue[_intent(stripe_standin, ghost)]
    assert [r["code"] for r in unmatched["reasons"]] == ["unmatched"]
    assert unmatched["student"] == {
        "student_id": "student-nobody",
        "sers_id": "TP3-26-ZZZZ",
        "name": None,
    }
    # And a payment that settled Alice's year properly is not on it
    settled = _intent(stripe_standin, _pay_alice(api, world, stripe_standin))
    assert settled not in _queue(api)


def test_a_students_page_asks_for_only_their_flagged_payments(api, world, stripe_standin):
    alice = world.students["alice"]
    stripe_standin.pay(app_session(stripe_standin, _metadata(alice), amount=100))
    stripe_standin.pay(app_session(stripe_standin, GHOST))
    # When staff ask for Alice's flagged payments only
    queue = _queue(api, f"/payments/review?student_id={alice.student_id}")
    # Then only hers are listed
    assert [item["student"]["student_id"] for item in queue.values()] == [alice.student_id]


# --------------------------------------------------------------------------- resolving


def test_staff_resolve_a_flagged_payment_with_a_note_that_is_audited(
    api, world, stripe_standin, clock
):
    alice = world.students["alice"]
    wrong = app_session(stripe_standin, _metadata(alice), amount=100)
    stripe_standin.pay(wrong)
    intent = _intent(stripe_standin, wrong)
    # When staff resolve it with a note
    clock("2027-01-16T09:30:00-08:00")
    status, answer = api(
        "POST",
        f"/payments/{intent}/review",
        as_=STAFF,
        body={"note": "Refunded the $1 in Stripe; family paid again."},
    )
    # Then the answer says who resolved what, and the payment leaves the queue
    assert status == 200, answer
    assert answer["reasons"] == ["wrong_amount"]
    assert answer["resolved_by"] == "staff-1"
    assert intent not in _queue(api)
    # And the flag is cleared on the payment, which still settles nothing
    payment = payment_data.get_payment(intent)
    assert payment is not None and not payment.needs_staff_review and payment.held
    # And the note, who and when are in the payment's audit record
    (resolved,) = [
        e
        for e in audit.history(keys.payment_pk(intent))
        if e["action"] == "payment.review_resolved"
    ]
    assert (resolved["actor_id"], resolved["actor_role"]) == ("staff-1", "staff")
    assert resolved["at"] == "2027-01-16T09:30:00-08:00"
    assert resolved["after"]["note"] == "Refunded the $1 in Stripe; family paid again."
    assert resolved["before"]["review_reasons"] == ["wrong_amount"]


def test_a_payment_flagged_again_after_resolution_returns_with_only_the_new_reason(
    api, world, stripe_standin
):
    intent = _intent(stripe_standin, _pay_alice(api, world, stripe_standin))
    # Given a partial refund, flagged and resolved by staff
    stripe_standin.refund(intent, amount=1000)
    assert api("POST", f"/payments/{intent}/review", as_=STAFF, body={"note": "ok"})[0] == 200
    # When the cardholder then disputes the charge
    stripe_standin.dispute(intent)
    # Then the payment is back on the queue, for the dispute only
    assert [r["code"] for r in _queue(api)[intent]["reasons"]] == ["disputed"]


def test_resolving_a_payment_that_is_not_flagged_is_a_conflict(api, world, stripe_standin):
    settled = _intent(stripe_standin, _pay_alice(api, world, stripe_standin))
    status, answer = api("POST", f"/payments/{settled}/review", as_=STAFF, body={"note": "?"})
    assert (status, answer["code"]) == (409, "not_flagged")


def test_resolving_twice_is_a_conflict(api, world, stripe_standin):
    ghost = app_session(stripe_standin, GHOST)
    stripe_standin.pay(ghost)
    url = f"/payments/{_intent(stripe_standin, ghost)}/review"
    assert api("POST", url, as_=STAFF, body={"note": "Called the family."})[0] == 200
    assert api("POST", url, as_=STAFF, body={"note": "Again."})[0] == 409


@pytest.mark.parametrize(
    ("url", "body", "status", "field", "message"),
    [
        ("/payments/pi_nope/review", {"note": "x"}, 404, "payment_id", "There is no such payment."),
        ("/payments/pi_x/review", {"note": "  "}, 422, "note", "Note is required"),
        ("/payments/pi_x/review", {}, 422, "note", "Note is required"),
        ("/payments/pi_nope/refund", None, 404, "payment_id", "There is no such payment."),
        (
            "/payments/review?student_id=no%20such",
            None,
            422,
            "query.student_id",
            "Student is not a valid id (letters, digits, - and _ only)",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(api, world, url, body, status, field, message):
    method = "GET" if url.startswith("/payments/review") else "POST"
    answered, answer = api(method, url, as_=STAFF, body=body)
    assert answered == status, answer
    assert {"field": field, "message": message} in answer["errors"]


# --------------------------------------------------------------------------- refund retry


def test_staff_retry_a_refused_refund_from_the_queue(api, world, stripe_standin):
    # Given a duplicate whose refund Stripe refused, twice
    intent = _refused_duplicate(api, world, stripe_standin, refusals=2)
    flagged = _queue(api)[intent]
    assert flagged["refund_retryable"]
    assert flagged["refund_error"]["message"] == "Charged back."
    assert {r["code"] for r in flagged["reasons"]} == {"duplicate", "refund_failed"}
    # When staff retry while Stripe still refuses
    status, answer = api("POST", f"/payments/{intent}/refund", as_=STAFF)
    # Then the new refusal is shown, and the payment can be retried again
    assert status == 200, answer
    assert (answer["refunded"], answer["refund_attempts"]) == (False, 2)
    assert answer["refund_error"]["code"] == "charge_disputed"
    # When staff retry once Stripe accepts
    status, answer = api("POST", f"/payments/{intent}/refund", as_=STAFF)
    # Then it is refunded, and stays on the queue as a duplicate with nothing to retry
    assert (status, answer["refunded"]) == (200, True)
    assert answer["refund_id"] in stripe_standin.refunds
    flagged = _queue(api)[intent]
    assert [r["code"] for r in flagged["reasons"]] == ["duplicate"]
    assert not flagged["refund_retryable"]
    # And a further retry is a conflict: nothing is left to refund
    assert api("POST", f"/payments/{intent}/refund", as_=STAFF)[1]["code"] == "already_refunded"


def test_retrying_a_refund_that_did_not_fail_is_a_conflict(api, world, stripe_standin, monkeypatch):
    # Given a settled payment, and a duplicate whose refund could not be asked (Stripe down)
    first = _pay_alice(api, world, stripe_standin)
    settled = _intent(stripe_standin, first)
    second = second_session_for_same_year(stripe_standin, first)
    with monkeypatch.context() as stripe_down:
        stripe_down.setattr(stripe_gateway, "refund", _unreachable)
        with pytest.raises(stripe_gateway.StripeUnavailable):
            stripe_standin.pay(second)
    duplicate = _intent(stripe_standin, second)
    # When staff ask to retry either refund
    # Then both are conflicts, and Stripe is not asked
    status, answer = api("POST", f"/payments/{duplicate}/refund", as_=STAFF)
    assert (status, answer["code"]) == (409, "refund_not_failed")
    status, answer = api("POST", f"/payments/{settled}/refund", as_=STAFF)
    assert (status, answer["code"]) == (409, "not_refundable")
    assert stripe_standin.refunds == {}


def test_a_refund_made_in_stripe_clears_the_refusal(api, world, stripe_standin):
    # Given a duplicate whose refund Stripe refused
    intent = _refused_duplicate(api, world, stripe_standin)
    # When someone refunds it from Stripe's dashboard
    stripe_standin.refund(intent)
    # Then the refusal is cleared and there is nothing to retry
    flagged = _queue(api)[intent]
    assert not flagged["refund_retryable"] and flagged["refund_error"] is None
    assert api("POST", f"/payments/{intent}/refund", as_=STAFF)[0] == 409


def _unreachable(*_args, **_kwargs):
    raise stripe_gateway.StripeUnavailable("APIConnectionError")


def test_two_staff_resolving_at_once_get_one_resolution(
    api, world, stripe_standin, atomic_requests
):
    ghost = app_session(stripe_standin, GHOST)
    stripe_standin.pay(ghost)
    intent = _intent(stripe_standin, ghost)
    answers: list[int] = []

    def resolve(note: str) -> None:
        answers.append(api("POST", f"/payments/{intent}/review", as_=STAFF, body={"note": note})[0])

    # When two staff press Resolve at the same moment
    both = [threading.Thread(target=resolve, args=(n,)) for n in ("Called.", "Emailed.")]
    for staff in both:
        staff.start()
    for staff in both:
        staff.join()
    # Then one resolution is recorded and the other is told it was resolved meanwhile
    assert sorted(answers) == [200, 409]
    resolutions = [
        e
        for e in audit.history(keys.payment_pk(intent))
        if e["action"] == "payment.review_resolved"
    ]
    assert len(resolutions) == 1


def test_a_payment_whose_reasons_stripe_cleared_stays_until_staff_resolve_it(
    api, world, stripe_standin
):
    intent = _intent(stripe_standin, _pay_alice(api, world, stripe_standin))
    dispute = stripe_standin.dispute(intent)
    # When the consortium wins the dispute (its reason is cleared)
    stripe_standin.close_dispute(dispute["id"], status="won")
    # Then the payment is still on the queue, saying its reasons were cleared since
    (reason,) = _queue(api)[intent]["reasons"]
    assert reason == {
        "code": "cleared",
        "words": "Flagged earlier; what it was flagged for has been cleared since.",
    }
    # And staff resolve it like any other
    assert api("POST", f"/payments/{intent}/review", as_=STAFF, body={"note": "Won."})[0] == 200
    assert intent not in _queue(api)
