"""Staff read the payments report: the schools' rows with their totals, and who owes or
waits on a waiver."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import api_student, call_api
from tests.browser.journeys import sign_in

pytestmark = pytest.mark.browser


def test_staff_see_who_owes_and_who_waits_on_a_waiver(page: Page, stack):
    from devstack import seed

    # Given a student who owes the fee and one who asked for a waiver
    owes = api_student(stack, first_name="Odette", last_name="Owens")
    waiting = api_student(stack, first_name="Wanda", last_name="Waits")
    call_api(
        stack,
        "POST",
        "/students/me/waivers",
        token=waiting.token,
        body={"reason": "free_reduced_lunch"},
    )
    # When staff open the payments report
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    page.goto("/staff/report/")
    # Then the schools' table ends with its totals
    schools = page.get_by_role("region", name="Students by school, 2026-27")
    expect(schools.get_by_role("rowheader", name="All schools")).to_be_visible()
    # and each student is listed with SERS ID, school and amount
    owing = page.get_by_role("region", name="Students who owe or wait on a waiver, 2026-27")
    owes_row = owing.get_by_role("row").filter(has_text=owes.sers_id)
    expect(owes_row).to_contain_text("Odette Owens")
    expect(owes_row).to_contain_text("Due")
    expect(owes_row).to_contain_text("$50.00")
    expect(owes_row).to_contain_text(stack.seeded.schools[0]["name"])
    waiting_row = owing.get_by_role("row").filter(has_text=waiting.sers_id)
    expect(waiting_row).to_contain_text("Wanda Waits")
    expect(waiting_row).to_contain_text("Waiver pending")
