"""Journey (d): after the window closes, registration is refused with the API's message."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AFTER_WINDOW, api_student, clock_at
from tests.browser.journeys import sign_in

pytestmark = pytest.mark.browser


def test_registration_is_refused_after_the_window_closed(page: Page, stack):
    # Given a student with a profile and no class, and the app's clock after June 15, 2027
    student = api_student(stack, register=None)
    with clock_at(AFTER_WINDOW):
        sign_in(page, student.email, student.password, lands_on="/dashboard/")
        expect(page.locator("#years")).to_contain_text("Registration closed on June 15, 2027.")
        # When they still try to register a class
        page.goto("/classes/")
        expect(page.locator("#window-notice")).to_have_text(
            "Registration for 2026-27 closed on June 15, 2027."
        )
        page.get_by_label("Welding 1").check()
        page.get_by_role("button", name="Register").click()
        # Then the API refuses it, and its words are shown in the form's alert
        alert = page.locator("#register-form").get_by_role("alert")
        expect(alert).to_contain_text("Registration for 2026-27 closed on June 15, 2027.")
        expect(alert).to_contain_text("prior-year credit")
        expect(page.get_by_role("button", name="Register")).to_be_enabled()
        expect(page.get_by_role("heading", name="You are registered")).to_be_hidden()
