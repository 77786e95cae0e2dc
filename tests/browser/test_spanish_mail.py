"""Issue 11: the emails a family reads are in its language, in Chromium.

A Spanish-preferring browser signs up, registers, pays and gets a Spanish receipt; a
parent or guardian named on the profile page gets the copy of a receipt in their own
language, and stops the copies from its link (the page in both languages, axe clean)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import (
    DESKTOP,
    api_student,
    call_api,
    emails_to,
    wait_for_card_payment,
)
from tests.browser.journeys import sign_in
from tests.browser.test_accessibility import problems
from tests.support.students import a_student

pytestmark = pytest.mark.browser

WEB = Path(__file__).resolve().parents[2] / "web"
STOP_LINK = re.compile(r"https?://[^\s\"<]+/guardian-stop/#token=[A-Za-z0-9_-]+")


def es(key: str) -> str:
    """A catalog string's Spanish, as the page shows it ("profile.city")."""
    namespace, _, name = key.partition(".")
    catalog = json.loads((WEB / "i18n" / f"{namespace}.json").read_text(encoding="utf-8"))
    return str(catalog[name]["es"])


@pytest.fixture
def browser_in(browser: Browser, stack) -> Iterator[Callable[..., BrowserContext]]:
    """browser_in("es-MX") -> a fresh profile whose browser prefers that language."""
    made: list[BrowserContext] = []

    def new(locale: str) -> BrowserContext:
        context = browser.new_context(
            base_url=stack.site_url,
            viewport=DESKTOP,
            locale=locale,
            timezone_id="America/Los_Angeles",
        )
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield new
    for context in made:
        context.close()


def _pay_by_card(page: Page, stack, student_id: str, button: re.Pattern[str]) -> None:
    """From the dashboard, through the Stripe stand-in's checkout page."""
    page.goto("/dashboard/")
    year = page.locator("section.year[data-year='2026-27']")
    year.get_by_role("button", name=button).click()
    expect(page).to_have_url(re.compile(r"/checkout/"))
    page.get_by_role("button", name="Pay $50.00").click()
    expect(page).to_have_url(re.compile(r"/dashboard/?\?paid=1"))
    wait_for_card_payment(stack, student_id)


def _receipts(stack, address: str, start: str) -> list[dict[str, Any]]:
    return [m for m in emails_to(stack, address) if m["subject"].startswith(start)]


def test_a_spanish_browser_signs_up_registers_pays_and_gets_a_spanish_receipt(browser_in, stack):
    # Given a new student whose browser prefers Spanish
    student = a_student("lucia", unique=True)
    school = stack.seeded.schools[0]["name"]
    page = browser_in("es-MX").new_page()
    # When she signs up through the Spanish pages
    page.goto("/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label(es("signup.email_address"), exact=True).fill(student.email)
    page.get_by_label(es("signup.password"), exact=True).fill(student.password)
    page.get_by_role("button", name=es("signup.create_account")).click()
    # moto accepts any code
    page.get_by_label(es("signup.verification_code"), exact=True).fill("123456")
    page.get_by_role("button", name=es("signup.verify_email")).click()
    expect(page).to_have_url("/profile/")
    # And completes her profile, whose email language starts as the page's
    expect(page.get_by_label(es("profile.language_for_emails"))).to_have_value("es")
    page.get_by_label(es("profile.legal_first_name")).fill(student.first_name)
    page.get_by_label(es("profile.legal_last_name")).fill(student.last_name)
    page.get_by_label(es("profile.date_of_birth")).fill(student.birth_date)
    page.get_by_label(es("profile.street_address")).fill(student.address.line1)
    page.get_by_label(es("profile.city")).fill(student.address.city)
    page.get_by_label(es("profile.state")).fill(student.address.state)
    page.get_by_label(es("profile.zip_code")).fill(student.address.postal_code)
    page.get_by_label(es("profile.high_school_or_skill_center")).select_option(label=school)
    page.get_by_label(es("profile.year_you_expect_to_graduate")).fill("2027")
    page.get_by_role("button", name=es("profile.save_and_get_my_sers")).click()
    expect(page).to_have_url("/dashboard/?welcome=1")
    sers_id = page.locator("#sers-id").inner_text()
    # Then her SERS ID email is in Spanish
    (welcome,) = emails_to(stack, student.email)
    assert welcome["subject"] == "Su SERS ID de CTE Dual Credit" and sers_id in welcome["text"]
    # When she registers a class and pays by card
    page.goto("/classes/")
    page.get_by_label("Welding 1").check()
    page.get_by_role("button", name=es("classes.register")).click()
    expect(page.get_by_role("heading", name=es("classes.you_are_registered"))).to_be_focused()
    confirmation = _receipts(stack, student.email, "Usted se inscribió")
    assert len(confirmation) == 1 and "15 de junio de 2027" in confirmation[0]["text"]
    _pay_by_card(page, stack, _student_id(stack, page), re.compile(r"^Pagar .+ con tarjeta$"))
    # Then her receipt is in Spanish: subject, words, date, paid by card, the amount as is
    (receipt,) = _receipts(stack, student.email, "Recibo: CTE Dual Credit 2026-27")
    assert sers_id in receipt["subject"]
    assert "Gracias. Recibimos su cuota de CTE Dual Credit." in receipt["text"]
    assert "tarjeta" in receipt["text"] and "$50.00" in receipt["text"]
    assert "de enero de 2027" in receipt["text"]
    assert '<html lang="es">' in receipt["html"]


def _student_id(stack, page: Page) -> str:
    """The signed-in student's id, as the API gives it to the page's own sign-in."""
    token = page.evaluate("() => sessionStorage.getItem('dualcredit.idToken')")
    return str(call_api(stack, "GET", "/students/me", token=token)["student_id"])


def test_a_parents_copy_of_a_receipt_goes_to_the_parent_in_the_parents_language(
    contexts, browser_in, stack
):
    # Given a registered student who reads English
    student = api_student(stack, first_name="Nora")
    parent = f"parent-{student.sers_id.lower()}@example.net"
    page = contexts().new_page()
    sign_in(page, student.email, student.password, lands_on=re.compile(r"/dashboard/"))
    # When she names her parent on the profile page, in Spanish
    page.goto("/profile/")
    page.get_by_label("Parent or guardian email (optional)").fill(parent)
    page.get_by_label("Parent or guardian language").select_option(label="Español")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_have_text("Your changes are saved.")
    # And pays by card
    _pay_by_card(page, stack, student.student_id, re.compile(r"^Pay .+ by card$"))
    # Then her receipt is in English, without a stop link
    (own,) = _receipts(stack, student.email, "Receipt: CTE Dual Credit 2026-27")
    assert not STOP_LINK.search(own["text"])
    # And the parent's copy is in Spanish, with the link that stops the copies
    (copy,) = emails_to(stack, parent)
    assert copy["subject"] == f"Recibo: CTE Dual Credit 2026-27 (SERS ID {student.sers_id})"
    assert "Dejar de recibir estas copias" in copy["text"]
    link = STOP_LINK.search(copy["text"])
    assert link, copy["text"]
    # When the parent opens the link in their Spanish browser and presses the button
    guardian = browser_in("es-US").new_page()
    address = urlsplit(link.group(0))
    guardian.goto(f"{address.path}#{address.fragment}")
    expect(guardian.locator("html")).to_have_attribute("lang", "es")
    assert problems(guardian, "guardian stop, es") == []
    guardian.get_by_role("button", name=es("guardian_stop.stop_the_copies")).click()
    # Then the page says the copies stopped, and the student's profile says so too
    expect(guardian.get_by_role("status")).to_have_text(es("guardian_stop.stopped"))
    page.goto("/profile/")
    expect(page.locator("#guardian-stopped")).to_be_visible()
    # And staff see, on the student's record, the parent who stopped the copies
    from devstack import seed

    staff = contexts().new_page()
    sign_in(staff, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    staff.goto(f"/staff/student/?id={student.student_id}")
    expect(staff.locator("#student-language")).to_have_text("English")
    expect(staff.locator("#student-guardian")).to_have_text(
        f"{parent} (Spanish) · stopped the copies"
    )


def test_the_stop_page_reads_in_english_and_says_when_a_link_is_no_longer_in_use(contexts):
    # Given the stop page opened with a token nobody holds, in English
    page = contexts().new_page()
    page.goto("/guardian-stop/#token=" + "x" * 43)
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop copies of a student's emails")
    assert problems(page, "guardian stop, en") == []
    # When the button is pressed
    page.get_by_role("button", name="Stop the copies").click()
    # Then the server's words say the link is no longer in use
    expect(page.get_by_role("alert")).to_contain_text("This link is no longer in use")
