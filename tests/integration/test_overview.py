"""The student's overview (GET /students/me/overview): each class's stage and next step,
each year's fee in its parts with its deadline, the requests, how to pay by check."""

from __future__ import annotations

import pytest

from tests.support.events import claims
from tests.support.world import STAFF, World

PRIOR_YEAR = {
    "school_year": "2025-26",
    "high_school_course": "Welding 1",
    "teacher": "Ms. Rivera",
    "reason": "I did not know about the program last year.",
}


@pytest.fixture
def world(api, clock) -> World:
    """2026-27 at school X: Ann (fee paid by check), Bea (fee due, a waiver pending)."""
    clock("2027-01-15T10:00:00-08:00")
    built = World(api).build("2026-27")
    for name in ("ann", "bea"):
        built.ok(
            "POST",
            "/students/me/registrations",
            as_=built.student(name),
            body={"offering_ids": [built.offering_x]},
        )
    built.ok(
        "POST",
        f"/students/{built.students['ann'].student_id}/payments",
        body={
            "kind": "check",
            "school_year": "2026-27",
            "instrument_number": "7",
            "amount_cents": 5000,
            "received_on": "2027-01-14",
            "payer_name": "Pat",
        },
    )
    built.ok(
        "POST",
        "/students/me/waivers",
        as_=built.students["bea"],
        body={"reason": "hardship", "explanation": "Rent."},
    )
    return built


def _overview(api, world: World, name: str) -> dict:
    status, body = api("GET", "/students/me/overview", as_=world.students[name])
    assert status == 200, body
    return body


def _year(overview: dict, name: str = "2026-27") -> dict:
    return next(y for y in overview["years"] if y["school_year"] == name)


def test_a_registered_class_waits_for_the_school_by_the_grading_deadline(api, world):
    # Given Ann registered and paid, and the school has not answered
    # When she opens her overview
    year = _year(_overview(api, world, "ann"))
    # Then the class is registered; the next step is the school's, by June 25; the year's
    # deadline is the window's June 15
    (course,) = year["classes"]
    assert (course["stage"], course["next_step"], course["next_date"]) == (
        "registered",
        "school_confirms",
        "2027-06-25",
    )
    assert (year["deadline"], year["grading_deadline"]) == ("2027-06-15", "2027-06-25")
    assert (course["threshold"], course["earns_credit"]) == ("B", None)


def test_a_b_plus_earns_credit_and_a_c_does_not(api, grades_api, world):
    # Given the teacher posts Ann's B+ and Bea's C
    teacher = claims("teacher-x", groups=["school"], school_id=world.school_x)
    grades = [
        {"sers_id": world.students[name].sers_id, "offering_id": world.offering_x, "grade": grade}
        for name, grade in (("ann", "B+"), ("bea", "C"))
    ]
    status, posted = grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=teacher,
        body={"school_year": "2026-27", "grades": grades},
    )
    assert status == 200, posted
    # When each opens the overview
    ann = _year(_overview(api, world, "ann"))["classes"][0]
    bea = _year(_overview(api, world, "bea"))["classes"][0]
    # Then Ann's B+ earns the credit, to be sent (her fee is paid); Bea's C does not; both
    # were held to B
    assert (ann["stage"], ann["earns_credit"], ann["next_step"], ann["threshold"]) == (
        "graded",
        True,
        "credit_to_be_sent",
        "B",
    )
    assert (bea["earns_credit"], bea["next_step"], bea["threshold"]) == (False, "no_credit", "B")


def test_a_pending_waiver_shows_what_is_owed_if_it_is_not_approved(api, world):
    # Given Bea's waiver is pending
    overview = _overview(api, world, "bea")
    year = _year(overview)
    # Then nothing is due now, $50 if the waiver is not approved, and the request is listed
    assert (year["fee_status"], year["amount_due_cents"]) == ("waiver_pending", 0)
    assert year["fee"] == {"fee_cents": 5000, "late_fee_cents": 0, "if_not_waived_cents": 5000}
    assert [(r["kind"], r["school_year"], r["status"]) for r in overview["requests"]] == [
        ("waiver", "2026-27", "pending")
    ]


def test_approved_prior_year_credit_shows_its_parts(api, world):
    # Given Ann asks for 2025-26 credit, and staff approve it
    ann = world.students["ann"]
    status, created = api(
        "POST",
        "/students/me/prior-year-requests",
        as_=ann,
        body={**PRIOR_YEAR, "school_id": world.school_x},
    )
    assert status == 201, created
    pending = _overview(api, world, "ann")["requests"]
    assert [(r["kind"], r["status"], r["high_school_course"]) for r in pending] == [
        ("prior_year", "pending", "Welding 1")
    ]
    decision = {
        "student_id": ann.student_id,
        "school_year": "2025-26",
        "approve": True,
        "request_id": created["request_id"],
    }
    world.ok("POST", "/prior-year-requests/decisions", as_=STAFF, body={"decisions": [decision]})
    # When she opens the overview
    overview = _overview(api, world, "ann")
    year = _year(overview, "2025-26")
    # Then the year owes $50 plus the $15 late fee, by its own window's close
    assert year["prior_year_credit"] is True
    assert year["fee"] == {"fee_cents": 5000, "late_fee_cents": 1500, "if_not_waived_cents": 6500}
    assert (year["amount_due_cents"], year["deadline"]) == (6500, "2026-06-15")
    assert overview["requests"][0]["status"] == "approved"


def test_the_overview_says_how_to_pay_by_check_as_the_program_does(api, world):
    # When Ann opens the overview, and anyone asks for the program
    program = _overview(api, world, "ann")["program"]
    status, public = api("GET", "/program")
    # Then both give the payee, the mailing address and the SERS ID memo from the settings
    assert status == 200 and public == program
    assert program["check"]["payee"] == "PNW College Credit"
    assert program["check"]["mailing_address"][-1] == "Bellevue WA 98007"
    assert program["check"]["memo"] == "sers_id"
    assert (program["fee_cents"], program["late_fee_cents"], program["grade_threshold"]) == (
        5000,
        1500,
        "B",
    )


def test_a_student_without_a_profile_gets_a_404(api, world):
    # Given a signed-in student who has not completed the profile
    stranger = claims("new-student", groups=["student"])
    # When the overview is asked
    status, body = api("GET", "/students/me/overview", as_=stranger)
    # Then it says there is no profile yet
    assert status == 404 and body["code"] == "profile_missing"
