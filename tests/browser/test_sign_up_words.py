"""Issue 11: sign-up tells the student to use a personal email and the legal name on the
school's records, and why (the college transcript, and finding the SERS ID again after
graduating), in English and Spanish."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journeys import sign_up
from tests.support.students import a_student

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "language,personal,legal",
    [
        (
            "en",
            re.compile(r"personal email.*not a school one.*transcript.*SERS ID back", re.S),
            re.compile(r"legal name as it is on your school's records.*transcript.*SERS ID", re.S),
        ),
        (
            "es",
            re.compile(r"correo electrónico personal.*no el de la escuela.*expediente.*SERS ID"),
            re.compile(r"nombre legal tal como aparece en los registros de su escuela.*SERS ID"),
        ),
    ],
    ids=["en", "es"],
)
def test_sign_up_asks_for_a_personal_email_and_the_legal_name_and_says_why(
    page: Page, stack, language, personal, legal
):
    # Given a visitor on the sign-up page, in the language
    page.goto("/signup/")
    if language == "es":
        page.get_by_role("button", name="Español").click()
        expect(page.locator("html")).to_have_attribute("lang", "es")
    # Then the email field's description asks for a personal email, and says why
    expect(page.locator("#email")).to_have_accessible_description(personal)
    # And the page says the legal name on the school's records comes in step 3, and why
    expect(page.locator("#legal-name-note")).to_have_text(legal)


def test_the_profile_step_asks_for_the_legal_name_on_school_records(page: Page, stack):
    # Given a new student who signed up and verified their email
    sign_up(page, a_student("lee", unique=True))
    # Then the profile's name fields say to use the legal name on school records, and why
    expect(page.get_by_role("group", name="Your name")).to_have_accessible_description(
        re.compile(r"legal name as it is on your school's records.*transcript", re.S)
    )
