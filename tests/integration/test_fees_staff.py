"""Paying by SERS ID, checks and money orders, waivers, prior-year credit, the report."""

from __future__ import annotations

import pytest

from tests.support.stripe import second_session_for_same_year
from tests.support.world import STAFF, World

IN_WINDOW = "2027-01-15T10:00:00-08:00"


@pytest.fixture
def world(api, clock, stripe_standin) -> World:
    clock(IN_WINDOW)
    built = World(api).build("2026-27")
    for name, last in (("alice", "Smith"), ("bob", "Jones")):
        student = built.student(name, last_name=last, birth_date="2009-04-02")
        built.ok(
            "POST",
            "/students/me/registrations",
            as_=student,
            body={"offering_ids": [built.offering_x]},
        )
    return built


def _year(api, student, year="2026-27"):
    return {
        y["school_year"]: y for y in api("GET", "/students/me/dashboard", as_=student)[1]["years"]
    }[year]


def _check(world, **overrides):
    return {
        "kind": "check",
        "school_year": "2026-27",
        "instrument_number": "1042",
        "amount_cents": 5000,
        "received_on": "2027-01-10",
        "payer_name": "Pat Smith",
        **overrides,
    }


# ------------------------------------------------------------------ pay by SERS ID


def test_parent_sees_masked_name_and_amount_then_pays(api, world, stripe_standin):
    alice = world.students["alice"]
    lookup = {"sers_id": alice.sers_id.lower().replace("-", ""), "birth_date": "2009-04-02"}
    status, summary = api("POST", "/pay/lookup", body=lookup)
    assert status == 200, summary
    assert summary == {
        "sers_id": alice.sers_id,
        "masked_name": "A*** S***",
        "school_year": "2026-27",
        "fee_status": "due",
        "amount_due_cents": 5000,
        "registered": True,
        "bank_payment_processing": False,
        "window_open": True,
        "window_message": None,
    }
    status, checkout = api("POST", "/pay/checkout", body=lookup)
    assert status == 201
    stripe_standin.pay(checkout["session_id"])
    assert _year(api, alice)["fee_status"] == "paid"


def test_wrong_pairs_get_one_generic_answer(api, world):
    alice = world.students["alice"]
    wrong_date = api(
        "POST", "/pay/lookup", body={"sers_id": alice.sers_id, "birth_date": "2009-04-03"}
    )
    unknown_id = api(
        "POST", "/pay/lookup", body={"sers_id": "TP3-26-ZZZZ", "birth_date": "2009-04-02"}
    )
    assert wrong_date == unknown_id
    assert wrong_date[0] == 404 and "SERS ID and date of birth" in wrong_date[1]["message"]


def test_repeated_tries_are_throttled(api, world):
    alice = world.students["alice"]
    statuses = [
        api(
            "POST",
            "/pay/lookup",
            body={"sers_id": alice.sers_id, "birth_date": f"2009-01-{d:02d}"},
            source_ip=f"203.0.113.{d}",
        )[0]
        for d in range(1, 8)
    ]
    assert statuses == [404] * 5 + [429, 429]


# ------------------------------------------------------------------ checks and money orders


def test_staff_record_a_check_and_a_receipt_goes_out(api, world, sent_emails):
    alice = world.students["alice"]
    status, payment = api(
        "POST", f"/students/{alice.student_id}/payments", as_=STAFF, body=_check(world)
    )
    assert status == 201, payment
    assert payment["method"] == "check" and payment["instrument_number"] == "1042"
    assert _year(api, alice)["fee_status"] == "paid"
    to, subject, html = sent_emails()[-1]
    assert to == "alice@example.org" and alice.sers_id in html and "check" in html
    # And a second entry for the same year is refused
    status, body = api(
        "POST",
        f"/students/{alice.student_id}/payments",
        as_=STAFF,
        body=_check(world, kind="money_order", instrument_number="MO-7"),
    )
    assert status == 409 and body["code"] == "nothing_due"


def test_check_amount_must_match_what_is_due(api, world):
    status, body = api(
        "POST",
        f"/students/{world.students['alice'].student_id}/payments",
        as_=STAFF,
        body=_check(world, amount_cents=4000),
    )
    assert status == 400 and body["errors"][0]["field"] == "amount_cents"


def test_a_mistaken_check_is_voided_with_a_reason(api, world):
    alice = world.students["alice"]
    payment = api("POST", f"/students/{alice.student_id}/payments", as_=STAFF, body=_check(world))[
        1
    ]
    status, voided = api(
        "POST",
        f"/payments/{payment['payment_id']}/void",
        as_=STAFF,
        body={"reason": "entered for the wrong student"},
    )
    assert (
        status == 200
        and voided["voided"]
        and voided["void_reason"] == "entered for the wrong student"
    )
    assert _year(api, alice)["fee_status"] == "due"
    assert (
        api("POST", f"/payments/{payment['payment_id']}/void", as_=STAFF, body={"reason": "again"})[
            0
        ]
        == 409
    )
    from dualcredit.dal import audit, keys

    actions = [entry["action"] for entry in audit.history(keys.student_pk(alice.student_id))]
    assert "payment.voided" in actions and "payment.settled.fee" in actions


def test_staff_find_a_years_payment_on_the_students_page_and_void_it(api, world, stripe_standin):
    alice, bob = world.students["alice"], world.students["bob"]
    # Given Alice's fee paid by check and Bob's by card
    api("POST", f"/students/{alice.student_id}/payments", as_=STAFF, body=_check(world))
    stripe_standin.pay(api("POST", "/students/me/checkout", as_=bob, body={})[1]["session_id"])
    # When staff open Alice's page (later, not right after recording)
    status, page = api("GET", f"/students/{alice.student_id}", as_=STAFF)
    assert status == 200, page
    (year,) = [y for y in page["years"] if y["school_year"] == "2026-27"]
    # Then the year lists the check that settles it, with what identifies it
    (payment,) = year["payments"]
    assert (
        payment["settles"],
        payment["method"],
        payment["amount_cents"],
        payment["instrument_number"],
    ) == ("fee", "check", 5000, _check(world)["instrument_number"])
    # And voiding it by that id makes the fee due again and empties the list
    assert (
        api(
            "POST", f"/payments/{payment['payment_id']}/void", as_=STAFF, body={"reason": "bounced"}
        )[0]
        == 200
    )
    assert _year(api, alice)["payments"] == [] and _year(api, alice)["fee_status"] == "due"
    # And a student sees their own card payment the same way
    (card,) = _year(api, bob)["payments"]
    assert (card["method"], card["amount_cents"], card["instrument_number"]) == ("card", 5000, None)


# ------------------------------------------------------------------ waivers


def test_waiver_request_pauses_payment_and_staff_approve_many_at_once(
    api, world, stripe_standin, sent_emails
):
    alice, bob = world.students["alice"], world.students["bob"]
    assert (
        api("POST", "/students/me/waivers", as_=alice, body={"reason": "free_reduced_lunch"})[0]
        == 201
    )
    assert (
        api(
            "POST",
            "/students/me/waivers",
            as_=bob,
            body={"reason": "hardship", "explanation": "Parent lost their job."},
        )[0]
        == 201
    )
    # While pending, nothing is asked for
    year = _year(api, alice)
    assert year["fee_status"] == "waiver_pending" and year["amount_due_cents"] == 0
    assert api("POST", "/students/me/checkout", as_=alice, body={})[1]["code"] == "nothing_due"
    # Staff see the queue and decide both at once
    queue = api("GET", "/waivers", as_=STAFF)[1]
    assert sorted(w["sers_id"] for w in queue) == sorted([alice.sers_id, bob.sers_id])
    decisions = [
        {"student_id": alice.student_id, "school_year": "2026-27", "approve": True},
        {
            "student_id": bob.student_id,
            "school_year": "2026-27",
            "approve": False,
            "note": "Call us.",
        },
    ]
    status, results = api("POST", "/waivers/decisions", as_=STAFF, body={"decisions": decisions})
    assert status == 200
    assert [r["outcome"] for r in results] == ["approved", "denied"]
    assert _year(api, alice)["fee_status"] == "waived"
    assert _year(api, bob)["fee_status"] == "due" and _year(api, bob)["amount_due_cents"] == 5000
    assert {m[0] for m in sent_emails()[-2:]} == {"alice@example.org", "bob@example.org"}
    assert api("GET", "/waivers", as_=STAFF)[1] == []
    # Deciding again changes nothing
    assert (
        api("POST", "/waivers/decisions", as_=STAFF, body={"decisions": decisions[:1]})[1][0][
            "outcome"
        ]
        == "not_pending"
    )


def test_hardship_needs_an_explanation(api, world):
    status, body = api(
        "POST", "/students/me/waivers", as_=world.students["alice"], body={"reason": "hardship"}
    )
    assert status == 400 and body["errors"][0]["field"] == "explanation"


def test_a_card_payment_after_a_waiver_is_refunded(api, world, stripe_standin):
    alice = world.students["alice"]
    checkout = api("POST", "/students/me/checkout", as_=alice, body={})[1]
    api("POST", "/students/me/waivers", as_=alice, body={"reason": "free_reduced_lunch"})
    api(
        "POST",
        "/waivers/decisions",
        as_=STAFF,
        body={
            "decisions": [
                {"student_id": alice.student_id, "school_year": "2026-27", "approve": True}
            ]
        },
    )
    stripe_standin.pay(checkout["session_id"])
    assert len(stripe_standin.refunds) == 1
    assert _year(api, alice)["fee_status"] == "waived"


# ------------------------------------------------------------------ prior-year credit


def test_prior_year_credit_is_priced_by_the_rules_and_payable_outside_the_window(
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
    status, created = api("POST", "/students/me/prior-year-requests", as_=alice, body=request)
    assert status == 201 and created["cost_if_approved_cents"] == 6500
    queue = api("GET", "/prior-year-requests", as_=STAFF)[1]
    assert [r["request_id"] for r in queue] == [created["request_id"]]
    decision = {
        "student_id": alice.student_id,
        "school_year": "2025-26",
        "approve": True,
        "request_id": created["request_id"],
    }
    assert (
        api("POST", "/prior-year-requests/decisions", as_=STAFF, body={"decisions": [decision]})[1][
            0
        ]["outcome"]
        == "approved"
    )
    assert _year(api, alice, "2025-26")["amount_due_cents"] == 6500
    # In August, outside the window, the approved credit can still be paid by card
    clock("2027-08-01T10:00:00-07:00")
    status, checkout = api(
        "POST", "/students/me/checkout", as_=alice, body={"school_year": "2025-26"}
    )
    assert status == 201 and checkout["amount_cents"] == 6500
    stripe_standin.pay(checkout["session_id"])
    assert _year(api, alice, "2025-26")["fee_status"] == "paid"
    assert _year(api, alice, "2025-26")["amount_due_cents"] == 0


def test_prior_year_request_must_be_for_an_earlier_year(api, world):
    request = {
        "school_year": "2026-27",
        "school_id": world.school_x,
        "high_school_course": "Welding 1",
        "teacher": "Ms. Rivera",
        "reason": "x",
    }
    status, body = api(
        "POST", "/students/me/prior-year-requests", as_=world.students["alice"], body=request
    )
    assert status == 400 and body["errors"][0]["field"] == "school_year"


# ------------------------------------------------------------------ report


def test_payments_report_counts_and_exports_csv(api, world, stripe_standin):
    alice, bob = world.students["alice"], world.students["bob"]
    stripe_standin.pay(api("POST", "/students/me/checkout", as_=alice, body={})[1]["session_id"])
    api("POST", "/students/me/waivers", as_=bob, body={"reason": "free_reduced_lunch"})
    status, report = api("GET", "/payments/report?school_year=2026-27", as_=STAFF)
    assert status == 200, report
    assert report["totals"]["paid_card"] == 1 and report["totals"]["waiver_pending"] == 1
    assert report["collected_cents"] == 5000 and report["outstanding_cents"] == 0
    assert report["rows"][0]["school_name"] == "Lake High School"
    from tests.support.events import LambdaContext, api_event

    event = api_event("GET", "/payments/report/csv?school_year=2026-27", claims=STAFF)
    origin = "https://pnwcollegecredit.org"  # the staff page's origin (ALLOWED_ORIGIN)
    event["headers"]["Origin"], event["multiValueHeaders"]["Origin"] = origin, [origin]
    response = api.module.lambda_handler(event, LambdaContext())
    assert response["statusCode"] == 200
    headers = {k: ",".join(v) for k, v in (response.get("multiValueHeaders") or {}).items()}
    headers |= response.get("headers") or {}
    # The page, on another origin, may read the file name
    assert headers["Content-Disposition"] == 'attachment; filename="payments-2026-27.csv"'
    assert "Content-Disposition" in headers["Access-Control-Expose-Headers"]
    lines = response["body"].splitlines()
    assert lines[0].startswith("school_year,school_id,school,paid_card")
    assert "2026-27,,All schools,1,0,0,1,0,0,0,0,,,," in lines


def test_report_counts_an_automatically_refunded_duplicate(api, world, stripe_standin):
    alice = world.students["alice"]
    first = api("POST", "/students/me/checkout", as_=alice, body={})[1]["session_id"]
    second = second_session_for_same_year(stripe_standin, first)
    stripe_standin.pay(first)
    stripe_standin.pay(second)
    report = api("GET", "/payments/report?school_year=2026-27", as_=STAFF)[1]
    assert report["totals"]["paid_card"] == 1
    assert report["totals"]["duplicates_refunded"] == 1 and report["totals"]["refunded"] == 0
    assert report["collected_cents"] == 5000


def _prior_year_request(api, student, world) -> dict:
    status, created = api(
        "POST",
        "/students/me/prior-year-requests",
        as_=student,
        body={
            "school_year": "2025-26",
            "school_id": world.school_x,
            "high_school_course": "Welding 1",
            "teacher": "Ms. Rivera",
            "reason": "I did not know about the program last year.",
        },
    )
    assert status == 201, created
    return created


def test_a_decision_batch_with_an_unknown_request_decides_the_others_and_says_which(
    api, world, sent_emails
):
    # Given a real pending request, and a batch naming it and one that does not exist
    alice = world.students["alice"]
    created = _prior_year_request(api, alice, world)
    real = {
        "student_id": alice.student_id,
        "school_year": "2025-26",
        "approve": True,
        "request_id": created["request_id"],
    }
    unknown = real | {"request_id": "nosuchrequest"}
    sent = len(sent_emails())
    # When staff decide the batch
    status, results = api(
        "POST", "/prior-year-requests/decisions", as_=STAFF, body={"decisions": [real, unknown]}
    )
    # Then it is a 200 with an outcome per item: no 4xx after the first was approved
    assert status == 200, results
    assert [r["outcome"] for r in results] == ["approved", "not_found"]
    decisions = [m for m in sent_emails()[sent:] if "prior-year credit" in m[1]]
    assert len(decisions) == 1  # Alice's decision email, once
    # And a batch missing a request id is refused before anything is written
    again = _prior_year_request(api, world.students["bob"], world)
    named = (
        real
        | {"student_id": world.students["bob"].student_id}
        | {"request_id": again["request_id"]}
    )
    unnamed = {k: v for k, v in real.items() if k != "request_id"}
    status, body = api(
        "POST", "/prior-year-requests/decisions", as_=STAFF, body={"decisions": [named, unnamed]}
    )
    assert status == 400 and body["errors"][0]["field"] == "decisions.1.request_id"
    pending = [r["request_id"] for r in api("GET", "/prior-year-requests", as_=STAFF)[1]]
    assert again["request_id"] in pending


def test_a_prior_year_request_names_an_existing_school(api, world):
    # Given a prior-year request whose school id is free text (a formula, say)
    body = {
        "school_year": "2025-26",
        "school_id": '=HYPERLINK("https://evil.example","x")',
        "high_school_course": "Welding 1",
        "teacher": "Ms. Rivera",
        "reason": "x",
    }
    # When the student sends it
    status, answer = api(
        "POST", "/students/me/prior-year-requests", as_=world.students["alice"], body=body
    )
    # Then it is a 422 naming the field, and nothing is pending
    assert status == 422, answer
    assert answer["errors"][0]["field"] == "school_id"
    assert "school where you took the class" in answer["message"]
    assert api("GET", "/prior-year-requests", as_=STAFF)[1] == []
