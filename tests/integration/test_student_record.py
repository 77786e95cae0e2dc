"""The whole student on one page, for staff: identity and contact, every class with the
school's answer, grade and credit, payments (voided ones too), waivers and prior-year
requests, and the audit history as a timeline."""

from __future__ import annotations

import pytest

from tests.support.events import claims
from tests.support.world import STAFF, World


@pytest.fixture
def world(api, clock) -> World:
    """2026-27: Alice in Welding 1 at school X."""
    clock("2027-01-15T10:00:00-08:00")
    built = World(api).build("2026-27")
    alice = built.student("alice", last_name="Smith")
    built.ok(
        "POST", "/students/me/registrations", as_=alice, body={"offering_ids": [built.offering_x]}
    )
    return built


def test_staff_see_the_whole_student_with_every_class_payment_request_and_change(
    api, grades_api, world, clock
):
    alice = world.students["alice"]
    teacher = claims("teacher-x", groups=["school"], school_id=world.school_x)
    # Given the school posted Alice's grade and staff corrected it with a reason
    grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=teacher,
        body={
            "school_year": "2026-27",
            "grades": [{"sers_id": alice.sers_id, "offering_id": world.offering_x, "grade": "C"}],
        },
    )
    clock("2027-01-16T10:00:00-08:00")
    world.ok(
        "POST",
        f"/students/{alice.student_id}/grades/correction",
        body={
            "school_year": "2026-27",
            "offering_id": world.offering_x,
            "grade": "B",
            "reason": "Gradebook said B",
        },
    )
    # And a check recorded, then voided; a waiver asked; prior-year credit asked
    check = world.ok(
        "POST",
        f"/students/{alice.student_id}/payments",
        body={
            "kind": "check",
            "school_year": "2026-27",
            "instrument_number": "1042",
            "amount_cents": 5000,
            "received_on": "2027-01-15",
            "payer_name": "Pat Smith",
        },
    )
    clock("2027-01-17T10:00:00-08:00")
    world.ok("POST", f"/payments/{check['payment_id']}/void", body={"reason": "Bounced"})
    world.ok(
        "POST",
        "/students/me/waivers",
        as_=alice,
        body={"reason": "free_reduced_lunch"},
    )
    world.ok(
        "POST",
        "/students/me/prior-year-requests",
        as_=alice,
        body={
            "school_year": "2025-26",
            "school_id": world.school_x,
            "high_school_course": "Welding 1",
            "teacher": "Ms. Rivera",
            "reason": "Did not know about the program",
        },
    )
    # When staff open her record
    status, record = api("GET", f"/students/{alice.student_id}/record", as_=STAFF)
    assert status == 200, record
    # Then it has her birth date, school and contact
    profile = record["profile"]
    assert (profile["sers_id"], profile["birth_date"], profile["school_name"]) == (
        alice.sers_id,
        alice.birth_date,
        "Lake High School",
    )
    assert profile["email"] == alice.email and profile["mailing_address"]["city"]
    # And the class with the school's answer, the corrected grade and the credit
    (welding,) = record["classes"]
    assert (welding["school_name"], welding["in_class"], welding["grade"]) == (
        "Lake High School",
        True,
        "B",
    )
    assert welding["credit_earned"] is True and welding["batch"] is None
    # And the voided check with its reason
    (year,) = [y for y in record["years"] if y["school_year"] == "2026-27"]
    assert [(v["instrument_number"], v["void_reason"]) for v in year["voided_payments"]] == [
        ("1042", "Bounced")
    ]
    # And the waiver and the prior-year request
    assert {(r["kind"], r["school_year"], r["status"]) for r in record["requests"]} == {
        ("waiver", "2026-27", "pending"),
        ("prior_year", "2025-26", "pending"),
    }
    # And the history, newest first, names each change, who made it, and the correction's
    # reason
    actions = [entry["action"] for entry in record["history"]]
    assert actions.index("prior_year.requested") < actions.index("grade.corrected")
    assert actions.index("grade.corrected") < actions.index("grade.posted")
    corrected = next(e for e in record["history"] if e["action"] == "grade.corrected")
    assert (corrected["actor_role"], corrected["after"]["reason"]) == ("staff", "Gradebook said B")
    assert [e["at"] for e in record["history"]] == sorted(
        (e["at"] for e in record["history"]), reverse=True
    )


def test_a_student_without_a_profile_is_a_404(api, world):
    # When staff ask for the record of an id that is no student, Then a 404
    status, answer = api("GET", "/students/nobody-here/record", as_=STAFF)
    assert status == 404, answer
