"""Journey (a): a student signs up, gets a SERS ID, registers a class and pays by card."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from devstack import seed
from tests.browser.conftest import emails_to
from tests.browser.journeys import complete_profile, register_class, sign_in, sign_up
from tests.support.students import a_student

pytestmark = pytest.mark.browser


def test_a_student_signs_up_registers_a_class_and_pays_by_card(page: Page, stack):
    # Given a new student and the seeded schools
    student = a_student("ana", unique=True)
    school = stack.seeded.schools[0]["name"]
    # When they sign up and complete their profile
    sign_up(page, student)
    sers_id = complete_profile(page, student, school)
    # Then the SERS ID is on screen and in the account-created email
    expect(page.get_by_role("status").filter(has_text="Your account is ready")).to_be_visible()
    welcome = [m for m in emails_to(stack, student.email) if "SERS ID" in m["subject"]]
    assert welcome and sers_id in welcome[0]["text"], welcome
    # When they register a class of their school
    register_class(page, "Welding 1")
    expect(page.get_by_role("region", name="Registered for 2026-27")).to_contain_text("WELD 101")
    # And pay from the dashboard through the Stripe stand-in's checkout page
    page.goto("/dashboard/")
    year = page.locator("section.year[data-year='2026-27']")
    expect(year.locator(".fee-status")).to_have_text("Due")
    year.get_by_role("button", name="Pay $50.00").click()
    expect(page).to_have_url(re.compile(r"/checkout/"))
    page.get_by_role("button", name="Pay $50.00").click()
    # Then the dashboard shows the year paid and a receipt is emailed
    expect(page).to_have_url(re.compile(r"/dashboard/?\?paid=1"))
    expect(year.locator(".fee-status")).to_have_text("Paid")
    expect(year.locator(".amount-due")).to_have_text("$0.00")
    receipts = [m for m in emails_to(stack, student.email) if m["subject"].startswith("Receipt")]
    assert len(receipts) == 1 and sers_id in receipts[0]["subject"], receipts


def test_the_registration_confirmation_prints_without_the_site_around_it(page: Page, stack):
    # Given the seeded student, registered for 2026-27
    sign_in(page, seed.STUDENT_EMAIL, seed.STUDENT_PASSWORD, lands_on="/dashboard/")
    page.get_by_role("link", name="Print your 2026-27 registration confirmation").click()
    confirmation = page.locator("#confirmation")
    expect(confirmation).to_contain_text(stack.seeded.student["sers_id"])
    expect(confirmation).to_contain_text("Maria Garcia")
    expect(page.get_by_role("table", name="Classes registered for 2026-27")).to_contain_text(
        "WELD 101"
    )
    # When it is printed, Then only the confirmation shows
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    expect(confirmation).to_be_visible()


def test_a_student_empties_their_phone_number_on_the_profile_page(page: Page, stack):
    # Given a student whose profile has a phone number
    student = a_student("bea", unique=True)
    sign_up(page, student)
    complete_profile(page, student, stack.seeded.schools[0]["name"])
    page.goto("/profile/")
    phone = page.get_by_label("Phone (optional)")
    expect(phone).to_have_value("425-555-0100")
    # When they empty it and save
    phone.fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").filter(has_text="Your changes are saved")).to_be_visible()
    # Then it stays empty after a reload
    page.reload()
    expect(page.get_by_label("Street address")).to_have_value("1 Pine St")
    expect(page.get_by_label("Phone (optional)")).to_have_value("")


def test_a_student_asks_for_a_new_verification_code(page: Page, stack):
    # Given a student who created an account but has not entered the emailed code
    student = a_student("cy", unique=True)
    page.goto("/signup/")
    page.get_by_label("Email address").fill(student.email)
    page.get_by_label("Password", exact=True).fill("Student-Pass-42")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Step 2 of 3: check your email")).to_be_focused()
    # When they ask for a new code
    page.get_by_role("button", name="Send a new code").click()
    # Then they are told it was sent, and the code still verifies the account
    expect(page.get_by_role("status").filter(has_text="We sent a new code")).to_have_text(
        f"We sent a new code to {student.email}."
    )
    page.get_by_label("Verification code").fill("123456")
    page.get_by_role("button", name="Verify email").click()
    expect(page).to_have_url("/profile/")
