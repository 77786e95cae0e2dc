"""The payments report adds up: per-school rows sum to the totals in a year with every
kind of student-year and payment (card, check, waived, waiver pending, due, refunded,
disputed, duplicate), and it lists who owes and who waits on a waiver, on the page's
JSON and in the CSV."""

from __future__ import annotations

import csv
import io

import pytest

from tests.support.stripe import second_session_for_same_year
from tests.support.world import STAFF, World

IN_WINDOW = "2027-01-15T10:00:00-08:00"
COLUMNS = (
    "paid_card",
    "paid_check",
    "waived",
    "waiver_pending",
    "due",
    "refunded",
    "disputed",
    "duplicates_refunded",
)


@pytest.fixture
def world(api, clock, stripe_standin) -> World:
    """Eight students, one of each kind, over two schools."""
    clock(IN_WINDOW)
    built = World(api).build("2026-27")
    at_y = {"school_id": built.school_y}
    for name, details in (
        ("alice", {}),  # paid by card (X)
        ("bob", {}),  # paid by check (X)
        ("carol", at_y),  # waived (Y)
        ("dan", at_y),  # waiver pending (Y)
        ("erin", {}),  # due (X)
        ("frank", at_y),  # paid by card, refunded whole: due again (Y)
        ("gina", {}),  # paid by card, disputed (X)
        ("hank", at_y),  # paid by card twice: a duplicate (Y)
    ):
        student = built.student(name, last_name=name.title() + "son", **details)
        offering = built.offering_y if details else built.offering_x
        built.ok(
            "POST", "/students/me/registrations", as_=student, body={"offering_ids": [offering]}
        )
    s = built.students

    def card(name: str) -> str:
        session_id = built.ok("POST", "/students/me/checkout", as_=s[name], body={})["session_id"]
        stripe_standin.pay(session_id)
        return session_id

    card("alice")
    check = {
        "kind": "check",
        "school_year": "2026-27",
        "instrument_number": "1042",
        "amount_cents": 5000,
        "received_on": "2027-01-10",
        "payer_name": "Pat Bobson",
    }
    built.ok("POST", f"/students/{s['bob'].student_id}/payments", body=check)
    for name in ("carol", "dan"):
        built.ok("POST", "/students/me/waivers", as_=s[name], body={"reason": "free_reduced_lunch"})
    decision = {"student_id": s["carol"].student_id, "school_year": "2026-27", "approve": True}
    built.ok("POST", "/waivers/decisions", body={"decisions": [decision]})
    frank = card("frank")
    stripe_standin.refund(stripe_standin.sessions[frank]["payment_intent"])
    gina = card("gina")
    stripe_standin.dispute(stripe_standin.sessions[gina]["payment_intent"])
    first = built.ok("POST", "/students/me/checkout", as_=s["hank"], body={})["session_id"]
    second = second_session_for_same_year(stripe_standin, first)
    stripe_standin.pay(first)
    stripe_standin.pay(second)
    return built


def test_the_rows_add_up_to_the_totals_with_every_kind_of_payment(api, world):
    status, report = api("GET", "/payments/report?school_year=2026-27", as_=STAFF)
    assert status == 200, report
    rows = {row["school_name"]: row for row in report["rows"]}
    assert set(rows) == {"Lake High School", "Tech Skill Center"}
    # Every column of the rows sums to its total, the payments' columns too
    for column in COLUMNS:
        assert sum(row[column] for row in rows.values()) == report["totals"][column], column
    assert report["totals"] == {
        "paid_card": 3,  # alice, gina (disputed, still paid), hank (once)
        "paid_check": 1,
        "waived": 1,
        "waiver_pending": 1,
        "due": 2,  # erin, frank (refunded whole)
        "refunded": 1,
        "disputed": 1,
        "duplicates_refunded": 1,
    }
    # and each payment is counted at its student's school
    x, y = rows["Lake High School"], rows["Tech Skill Center"]
    assert (x["refunded"], x["disputed"], x["duplicates_refunded"]) == (0, 1, 0)
    assert (y["refunded"], y["disputed"], y["duplicates_refunded"]) == (1, 0, 1)
    # Collected: alice, bob, gina, hank (not frank's refunded payment, nor hank's duplicate)
    assert report["collected_cents"] == 4 * 5000
    assert report["outstanding_cents"] == 2 * 5000


def test_the_report_lists_who_owes_and_who_waits_on_a_waiver(api, world):
    s = world.students
    report = api("GET", "/payments/report?school_year=2026-27", as_=STAFF)[1]
    listed = [
        (st["legal_first_name"], st["sers_id"], st["school_name"], st["fee_status"])
        + (st["amount_due_cents"],)
        for st in report["students"]
    ]
    assert listed == [
        ("Erin", s["erin"].sers_id, "Lake High School", "due", 5000),
        ("Dan", s["dan"].sers_id, "Tech Skill Center", "waiver_pending", 5000),
        ("Frank", s["frank"].sers_id, "Tech Skill Center", "due", 5000),
    ]
    assert report["students"][0]["legal_last_name"] == "Erinson"


def test_the_csv_has_the_schools_the_totals_and_who_owes(api, world):
    s = world.students
    status, text = api("GET", "/payments/report/csv?school_year=2026-27", as_=STAFF)
    assert status == 200
    rows = list(csv.DictReader(io.StringIO(text)))
    schools = [r for r in rows if not r["sers_id"]]
    assert [r["school"] for r in schools] == [
        "Lake High School",
        "Tech Skill Center",
        "All schools",
    ]
    for column in COLUMNS:
        assert int(schools[0][column]) + int(schools[1][column]) == int(schools[2][column])
    owing = [
        (r["student"], r["sers_id"], r["school"], r["fee_status"], r["amount_due"])
        for r in rows
        if r["sers_id"]
    ]
    assert owing == [
        ("Erin Erinson", s["erin"].sers_id, "Lake High School", "due", "50.00"),
        ("Dan Danson", s["dan"].sers_id, "Tech Skill Center", "waiver_pending", "50.00"),
        ("Frank Frankson", s["frank"].sers_id, "Tech Skill Center", "due", "50.00"),
    ]
