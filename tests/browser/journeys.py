"""Steps the journeys share, done the way a person does them: through the pages."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from devstack import totp
from tests.support.students import Student


def sign_up(page: Page, student: Student) -> None:
    """Create the student's account (tests.support.students), verify the email with a
    code, land on the profile form."""
    page.goto("/signup/")
    page.get_by_label("Email address").fill(student.email)
    page.get_by_label("Password", exact=True).fill(student.password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Step 2 of 3: check your email")).to_be_focused()
    page.get_by_label("Verification code").fill("123456")  # moto accepts any code
    page.get_by_role("button", name="Verify email").click()
    expect(page).to_have_url("/profile/")


def complete_profile(page: Page, student: Student, school: str) -> str:
    """Fill in the profile with the student's details, at `school` (its name); returns
    the SERS ID the dashboard shows."""
    expect(page.get_by_label("High school or skill center")).to_contain_text(school)
    page.get_by_label("Legal first name").fill(student.first_name)
    page.get_by_label("Legal last name").fill(student.last_name)
    if student.preferred_name is not None:
        page.get_by_label("Preferred name (optional)").fill(student.preferred_name)
    page.get_by_label("Date of birth").fill(student.birth_date)
    if student.phone is not None:
        page.get_by_label("Phone (optional)").fill(student.phone)
    page.get_by_label("Street address").fill(student.address.line1)
    page.get_by_label("City").fill(student.address.city)
    page.get_by_label("State").fill(student.address.state)
    page.get_by_label("ZIP code").fill(student.address.postal_code)
    page.get_by_label("High school or skill center").select_option(label=school)
    page.get_by_label("Year you expect to graduate").fill(str(student.expected_graduation_year))
    page.get_by_role("button", name="Save and get my SERS ID").click()
    expect(page).to_have_url("/dashboard/?welcome=1")
    sers = page.locator("#sers-id")
    expect(sers).to_have_text(re.compile(r"^TP3-\d{2}-[0-9A-Z]{4}$"))
    return sers.inner_text()


#: Authenticator secrets of the invited accounts (staff, school users) the tests sign in
#: as: the stack's demo accounts (tests/browser/conftest.py adds them) and any a test
#: enrols. Their sign-in asks for a TOTP code, which sign_in() types as the app shows it.
TOTP_SECRETS: dict[str, str] = {}


def sign_in(page: Page, email: str, password: str, *, lands_on: str | re.Pattern[str]) -> None:
    page.goto("/signin/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    secret = TOTP_SECRETS.get(email.lower())
    if secret is not None:
        expect(page.get_by_role("heading", name="Enter your authenticator code")).to_be_focused()
        page.get_by_label("Code from your authenticator app").fill(totp.code(secret))
        page.locator("#totp-form").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(lands_on)


def set_up_authenticator(page: Page, email: str) -> str:
    """The first sign-in's authenticator step: read the secret the page shows (as text
    and in the otpauth:// link), type the app's first code; returns the secret."""
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    expect(page.locator("#totp-uri")).to_have_attribute(
        "href", re.compile(rf"^otpauth://totp/.+\?secret={secret}&issuer=CTE%20Dual%20Credit$")
    )
    page.get_by_label("Code from the app").fill(totp.code(secret))
    page.get_by_role("button", name="Verify and sign in").click()
    TOTP_SECRETS[email.lower()] = secret
    return secret


def register_class(page: Page, high_school_course: str) -> None:
    page.goto("/classes/")
    page.get_by_label(high_school_course).check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="You are registered")).to_be_focused()


def open_student(page: Page, last_name: str, sers_id: str) -> None:
    """On the staff search page: find a student by last name and open their page."""
    page.get_by_label("Last name", exact=True).fill(last_name)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=sers_id).click()
