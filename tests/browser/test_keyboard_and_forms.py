"""Every page works with the keyboard alone; API and Cognito errors appear next to
their fields; buttons show progress; password reset and sign-out work."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

from devstack import seed
from tests.browser.conftest import PHONE
from tests.browser.journeys import sign_up
from tests.support.students import PASSWORD, a_student

pytestmark = pytest.mark.browser


def test_a_student_signs_in_with_the_keyboard_alone(page: Page, stack):
    # Given the sign-in page
    page.goto("/signin/")
    page.locator("body[data-ready]").wait_for(state="attached")
    # When the first Tab lands on the skip link, visibly, and Enter follows it
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    assert skip.evaluate("e => getComputedStyle(e).top") != "-64px", (
        "the focused skip link is on screen"
    )
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # And the form is filled and sent with Tab, typing and Enter
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type(seed.STUDENT_EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(seed.STUDENT_PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Sign in")
    expect(button).to_be_focused()
    outline = button.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none", "focus is visible"
    page.keyboard.press("Enter")
    # Then the student is on their dashboard, where Tab reaches the copy button
    expect(page).to_have_url("/dashboard/")
    expect(page.locator("#sers-id")).to_have_text(stack.seeded.student["sers_id"])
    copy = page.get_by_role("button", name="Copy SERS ID")
    copy.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#copy-status")).to_contain_text(stack.seeded.student["sers_id"])


def test_api_errors_appear_next_to_their_fields(contexts, stack):
    # Given a new student on the profile form, on a phone
    page = contexts(PHONE).new_page()
    sign_up(page, a_student("ana", unique=True))
    # When they send it with a bad ZIP code and state, and no name
    page.get_by_label("Date of birth").fill("2009-01-02")
    page.get_by_label("Street address").fill("1 Pine St")
    page.get_by_label("City").fill("Redmond")
    page.get_by_label("State").fill("W1")
    page.get_by_label("ZIP code").fill("98O52")
    page.get_by_label("High school or skill center").select_option(index=1)
    page.get_by_label("Year you expect to graduate").fill("2027")
    page.get_by_role("button", name="Save and get my SERS ID").click()
    # Then each API error is next to its field, described by it, and the form says so
    zip_code = page.get_by_label("ZIP code")
    expect(zip_code).to_have_attribute("aria-invalid", "true")
    expect(zip_code).to_have_accessible_description(re.compile("Enter a ZIP code of 5 digits"))
    expect(page.get_by_label("State")).to_have_accessible_description(
        re.compile("two letters, like WA")
    )
    expect(page.get_by_label("Legal first name")).to_have_accessible_description(
        "Legal first name is required"
    )
    expect(page.get_by_label("Legal first name")).to_be_focused()
    expect(page.get_by_role("alert")).to_have_text(
        re.compile(r"Please correct the \d fields marked below.")
    )
    # When they correct them, the errors go and they get their SERS ID
    page.get_by_label("Legal first name").fill("Gus")
    page.get_by_label("Legal last name").fill(f"Ng{a_student(unique=True).last_name}")
    page.get_by_label("State").fill("WA")
    zip_code.fill("98052")
    page.get_by_role("button", name="Save and get my SERS ID").click()
    expect(page).to_have_url("/dashboard/?welcome=1")


def test_cognito_errors_appear_next_to_their_fields(page: Page, stack):
    # Given an email that already has an account
    page.goto("/signup/")
    # When someone signs up with it
    page.get_by_label("Email address").fill(seed.STUDENT_EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # Then the email field says so, and says what to do
    expect(page.get_by_label("Email address")).to_have_accessible_description(
        re.compile("An account already uses this email address. Sign in, or reset your password.")
    )
    # And a wrong password on the sign-in page is a form-level alert
    sign_in_page = page
    sign_in_page.goto("/signin/")
    sign_in_page.get_by_label("Email address").fill(seed.STUDENT_EMAIL)
    sign_in_page.get_by_label("Password", exact=True).fill("Wrong-Password-1")
    sign_in_page.get_by_role("button", name="Sign in").click()
    expect(sign_in_page.get_by_role("alert")).to_have_text(
        "The email address or password is not right."
    )


def test_a_button_shows_progress_while_its_request_runs(page: Page, stack):
    # Given the SERS ID recovery form, and the API held while we look
    held: list[Route] = []
    page.route("**/api/sers-id/recovery", lambda route: held.append(route))
    page.goto("/recover/")
    page.get_by_label("Email address").fill(seed.STUDENT_EMAIL)
    # When the form is sent
    with page.expect_request("**/api/sers-id/recovery"):
        page.get_by_role("button", name="Email the SERS ID").click()
    # Then the button is busy and disabled until the answer comes
    busy = page.get_by_role("button", name="Sending…")
    expect(busy).to_be_disabled()
    expect(busy).to_have_attribute("aria-busy", "true")
    assert len(held) == 1, "the request is held by the route"
    held[0].continue_()
    expect(page.get_by_role("status")).to_contain_text("we have emailed its SERS ID")
    expect(page.get_by_role("button", name="Email the SERS ID")).to_be_enabled()


def test_a_forgotten_password_is_reset_and_sign_out_ends_the_session(page: Page, stack):
    # Given a student who forgot their password
    student = a_student("ana", unique=True)
    sign_up(page, student)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url("/")
    # When they ask for a code and choose a new password (moto accepts any code)
    page.goto("/forgot-password/")
    page.get_by_label("Email address").fill(student.email)
    page.get_by_role("button", name="Email me a code").click()
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_focused()
    page.get_by_label("Code from the email").fill("123456")
    page.get_by_label("New password", exact=True).fill("Another-Pass-77")
    page.get_by_role("button", name="Save new password").click()
    # Then they sign in with it
    expect(page.get_by_role("status")).to_have_text(
        "Your password is changed. Sign in with the new one."
    )
    page.get_by_label("Password", exact=True).fill("Another-Pass-77")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url("/profile/")
    # And after signing out, a student page sends them to sign in
    page.get_by_role("button", name="Sign out").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")
    ).to_be_visible()
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/signin/\?next=%2Fdashboard%2F"))
