"""The staff request queues name who asks: the student and the school on each card."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import api_student, call_api
from tests.browser.journeys import sign_in

pytestmark = pytest.mark.browser


def test_a_waiver_card_names_the_student_and_the_school(page: Page, stack):
    from devstack import seed

    # Given a registered student who asked for a fee waiver
    student = api_student(stack, first_name="Cora", last_name="Cardholder")
    call_api(
        stack,
        "POST",
        "/students/me/waivers",
        token=student.token,
        body={"reason": "free_reduced_lunch"},
    )
    # When staff open the requests page
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    page.goto("/staff/requests/")
    # Then the student's card names her, links her SERS ID, and names her school
    card = page.locator("li.card.request").filter(has_text=student.sers_id)
    expect(card).to_contain_text("Cora Cardholder")
    expect(card.get_by_role("link", name=student.sers_id)).to_be_visible()
    expect(card).to_contain_text(stack.seeded.schools[0]["name"])
