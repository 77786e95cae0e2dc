"""Checks and money orders (issue 9): a date received in the future is refused; a void
keeps the entry on the student's pages as voided with its reason, and emails the family."""

from __future__ import annotations

import pytest

from dualcredit.dal import payments as payment_data
from tests.support.world import STAFF, World, with_alice_registered

IN_WINDOW = "2027-01-15T10:00:00-08:00"


@pytest.fixture
def world(api, clock, stripe_standin) -> World:
    clock(IN_WINDOW)
    return with_alice_registered(api)


def _check(**overrides) -> dict:
    return {
        "kind": "check",
        "school_year": "2026-27",
        "instrument_number": "1042",
        "amount_cents": 5000,
        "received_on": "2027-01-14",
        "payer_name": "Pat Smith",
        **overrides,
    }


def _record(api, student, **overrides):
    return api(
        "POST", f"/students/{student.student_id}/payments", as_=STAFF, body=_check(**overrides)
    )


def _year(years: list[dict], name: str = "2026-27") -> dict:
    return {y["school_year"]: y for y in years}[name]


# --------------------------------------------------------------------------- received date


@pytest.mark.parametrize("kind", ["check", "money_order"])
def test_a_date_received_in_the_future_is_refused_naming_the_field(api, world, kind):
    alice = world.students["alice"]
    # When staff record a check or money order dated tomorrow
    status, answer = _record(api, alice, kind=kind, received_on="2027-01-16")
    # Then it is refused with the field named as the form names it
    assert (status, answer["code"]) == (400, "invalid_input")
    assert answer["errors"] == [
        {
            "field": "received_on",
            "message": "Date received cannot be after today (January 15, 2027, Pacific time).",
        }
    ]
    # And nothing is written: the fee is still due, no payment is listed
    year = _year(api("GET", "/students/me/dashboard", as_=alice)[1]["years"])
    assert (year["fee_status"], year["payments"]) == ("due", [])
    assert payment_data.payments_of_year("2026-27") == []


def test_today_is_the_pacific_day(api, world, clock):
    alice = world.students["alice"]
    # Given 5 pm in Seattle on January 15 (already January 16 in UTC)
    clock("2027-01-15T17:00:00-08:00")
    # When staff record a check dated January 16, then one dated January 15
    tomorrow, _ = _record(api, alice, received_on="2027-01-16")
    today, payment = _record(api, alice, received_on="2027-01-15")
    # Then the first is refused and the second recorded
    assert (tomorrow, today) == (400, 201)
    assert payment["received_on"] == "2027-01-15"


# --------------------------------------------------------------------------- void


def test_a_voided_check_stays_on_the_students_pages_with_its_reason(api, world, clock, sent_emails):
    alice = world.students["alice"]
    status, payment = _record(api, alice, instrument_number="1042")
    assert status == 201, payment
    # When staff void it
    clock("2027-01-16T09:00:00-08:00")
    status, voided = api(
        "POST",
        f"/payments/{payment['payment_id']}/void",
        as_=STAFF,
        body={"reason": "Returned by the bank"},
    )
    assert status == 200, voided
    # Then the student's dashboard and the staff page both list it as voided, with the
    # reason, and the fee is due again
    for years in (
        api("GET", "/students/me/dashboard", as_=alice)[1]["years"],
        api("GET", f"/students/{alice.student_id}", as_=STAFF)[1]["years"],
    ):
        year = _year(years)
        assert (year["fee_status"], year["payments"]) == ("due", [])
        (kept,) = year["voided_payments"]
        assert kept["payment_id"] == payment["payment_id"]
        assert (kept["method"], kept["instrument_number"], kept["amount_cents"]) == (
            "check",
            "1042",
            5000,
        )
        assert (kept["received_on"], kept["void_reason"]) == ("2027-01-14", "Returned by the bank")
        assert kept["voided_at"].startswith("2027-01-16T09:00:00")
    # And the family is emailed: which payment, why, and that the fee is due again
    (to, subject, body) = [m for m in sent_emails() if m[1].startswith("Payment voided")][-1]
    assert to == alice.email
    assert subject == f"Payment voided: CTE Dual Credit 2026-27 (SERS ID {alice.sers_id})"
    assert "Check 1042" in body and "Returned by the bank" in body
    assert "The fee for 2026-27 is due again: $50.00." in body


def test_a_second_entry_after_a_void_settles_and_both_are_listed(api, world):
    alice = world.students["alice"]
    first = _record(api, alice, instrument_number="1042")[1]
    api("POST", f"/payments/{first['payment_id']}/void", as_=STAFF, body={"reason": "Typo"})
    # When staff record the right check and void nothing more
    assert _record(api, alice, instrument_number="1043")[0] == 201
    # Then the year is paid by the new check, and the voided one is still listed
    year = _year(api("GET", "/students/me/dashboard", as_=alice)[1]["years"])
    assert year["fee_status"] == "paid"
    assert [p["instrument_number"] for p in year["payments"]] == ["1043"]
    assert [v["instrument_number"] for v in year["voided_payments"]] == ["1042"]
