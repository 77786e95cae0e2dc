"""Staff follow the schools' grading and finalize a year after its deadline."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import api_student
from tests.browser.journeys import sign_in

pytestmark = pytest.mark.browser


def test_staff_see_each_schools_progress_and_finalize_a_past_year(page: Page, stack):
    from devstack import seed

    # Given a student registered at the first seeded school this year
    api_student(stack, first_name="Gina", last_name="Grades")
    school = stack.seeded.schools[0]["name"]
    # When staff open the grading page (the clock is in January 2027)
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Grading").click()
    expect(page).to_have_url("/staff/grading/")
    # Then 2026-27's deadline and each school's counts show, with the totals
    expect(page.locator("#grading-deadline")).to_have_text("June 25, 2027")
    progress = page.get_by_role("region", name="Each school's progress, 2026-27")
    row = progress.get_by_role("row").filter(has=page.get_by_role("rowheader", name=school))
    expect(row).to_be_visible()
    expect(progress.get_by_role("rowheader", name="All schools")).to_be_visible()
    registered = int(row.get_by_role("cell").first.inner_text())
    assert registered >= 1
    # And the year cannot be finalized before its deadline
    expect(page.get_by_role("button", name="Finalize grades")).to_be_disabled()

    # When staff show 2025-26, whose June 25, 2026 deadline has passed, and finalize it
    page.get_by_label("School year").select_option("2025-26")
    page.get_by_role("button", name="Show progress").click()
    expect(page.locator("#grading-status")).to_have_text(
        "The deadline has passed: ready to finalize"
    )
    page.get_by_role("button", name="Finalize grades").click()
    # Then the year says it is final, and neither the deadline nor finalizing is offered
    expect(page.locator("#grading-status")).to_contain_text("Final since")
    expect(page.get_by_role("heading", name="Grades for 2025-26")).to_be_focused()
    expect(page.get_by_role("button", name="Finalize grades")).to_be_hidden()
    expect(page.get_by_role("button", name="Set the deadline")).to_be_hidden()
