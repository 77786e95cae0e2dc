"""Issue 11 with issue 12, on the dashboard: earned credit sent to the college with its
date, then "credit posted by <college> on <date>" once the college's registrar marks it;
and a dashboard full of data (a grade, a pending waiver, a waiting prior-year request)
shows only its language's words, its data marked translate="no", in both languages, and
axe is clean on it in Spanish."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from devstack import seed
from tests.browser.conftest import PHONE, api_student, call_api, dashboard_of, year_of
from tests.browser.test_accessibility import problems
from tests.browser.test_languages import browser_in, foreign_strings, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

COLLEGE = "Bellevue College"  # the seeded Welding 1's articulated course


def _staff(stack) -> str:
    return stack.id_token(seed.STAFF_EMAIL, seed.STAFF_PASSWORD)


def _paid_and_graded(stack, student, grade: str, *, pay: bool = True) -> None:
    staff = _staff(stack)
    if pay:
        call_api(
            stack,
            "POST",
            f"/students/{student.student_id}/payments",
            token=staff,
            body={
                "kind": "check",
                "school_year": "2026-27",
                "instrument_number": f"9{student.sers_id[-4:]}",
                "amount_cents": 5000,
                "received_on": "2027-01-10",
                "payer_name": "Pat Parent",
            },
        )
    registration = year_of(dashboard_of(stack, student))["registrations"][0]
    call_api(
        stack,
        "PUT",
        f"/schools/{registration['school_id']}/grades",
        token=staff,
        body={
            "school_year": "2026-27",
            "grades": [
                {
                    "sers_id": student.sers_id,
                    "offering_id": registration["offering_id"],
                    "grade": grade,
                }
            ],
        },
    )


def _stage(page: Page):
    return page.locator("section.year[data-year='2026-27'] .class-stage")


def test_credit_sent_then_posted_by_the_college_in_both_languages(browser_in, stack):  # noqa: F811
    # Given a student whose paid class earns credit (A-), and staff close the college's batch
    student = api_student(stack, first_name="Poe", last_name="Posted")
    _paid_and_graded(stack, student, "A-")
    batch = call_api(
        stack,
        "POST",
        "/transcript-batches",
        token=_staff(stack),
        body={"college": COLLEGE, "school_year": "2026-27"},
    )
    # When the student opens the dashboard
    page = browser_in("en-US").new_page()
    sign_in(page, student.email, student.password)
    page.goto("/dashboard/")
    # Then the class says the credit was sent to the college that day, and what comes next
    expect(_stage(page).locator(".stage")).to_have_text(
        f"Grade A-: earns credit. Credit sent to {COLLEGE} on January 15, 2027."
    )
    expect(_stage(page).locator(".next-step")).to_have_text(
        f"Next: {COLLEGE} posts the credit to your college transcript."
    )
    assert foreign_strings(page, "en") == []
    # When the college's registrar marks the batch posted
    registrar = stack.id_token(seed.REGISTRAR_EMAIL, seed.REGISTRAR_PASSWORD)
    call_api(
        stack, "POST", f"/transcript-batches/{batch['batch_id']}/posted", token=registrar, body={}
    )
    page.reload()
    # Then the class says the college posted it, on which day, and no next step is left
    expect(_stage(page).locator(".stage")).to_have_text(
        f"Grade A-: earns credit. Credit posted by {COLLEGE} on January 15, 2027."
    )
    expect(_stage(page).locator(".next-step")).to_have_count(0)
    assert foreign_strings(page, "en") == []
    # And in Spanish, the same, with the Spanish date
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(_stage(page).locator(".stage")).to_have_text(
        f"Calificación A-: obtiene el crédito. {COLLEGE} registró el crédito "
        "el 15 de enero de 2027."
    )
    assert foreign_strings(page, "es") == []


@pytest.mark.parametrize("locale,language", [("en-US", "en"), ("es-ES", "es")])
def test_a_dashboard_full_of_data_shows_only_its_languages_words(
    browser_in,  # noqa: F811
    stack,
    locale,
    language,
):
    # Given a student with a B+ posted, a fee waiver pending and a prior-year request waiting
    student = api_student(stack, first_name="Dee", last_name="Data")
    _paid_and_graded(stack, student, "B+", pay=False)
    call_api(
        stack,
        "POST",
        "/students/me/waivers",
        token=student.token,
        body={"reason": "free_reduced_lunch"},
    )
    call_api(
        stack,
        "POST",
        "/students/me/prior-year-requests",
        token=student.token,
        body={
            "school_year": "2025-26",
            "school_id": stack.seeded.schools[0]["school_id"],
            "high_school_course": "Auto Shop",
            "teacher": "Mr. Diaz",
            "reason": "I did not know about the program.",
        },
    )
    # When they open the dashboard and the printable confirmation in the language
    page = browser_in(locale).new_page()
    sign_in(page, student.email, student.password)
    found = []
    for path in ("/dashboard/", "/confirmation/"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        found += [f"{path}: {text!r}" for text in foreign_strings(page, language)]
    # Then every string shown is that language's, or data marked translate="no"
    assert not found, "\n".join(found)
    page.goto("/dashboard/")
    requests = page.locator("#requests-list li")
    expect(requests).to_have_count(2)
    expect(page.locator(".if-not-waived")).to_be_visible()


def test_axe_is_clean_on_a_full_dashboard_in_spanish(browser_in, stack):  # noqa: F811
    # Given a student with a B+ posted and a fee waiver pending, on a phone in Spanish
    student = api_student(stack, first_name="Axe", last_name="Lleno")
    _paid_and_graded(stack, student, "B+", pay=False)
    call_api(
        stack,
        "POST",
        "/students/me/waivers",
        token=student.token,
        body={"reason": "free_reduced_lunch"},
    )
    page = browser_in("es-ES", PHONE).new_page()
    sign_in(page, student.email, student.password)
    # When axe runs on the dashboard and the confirmation / Then it finds nothing serious
    found = []
    for path in ("/dashboard/", "/confirmation/"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        page.locator("body[data-ready]").wait_for(state="attached")
        found += problems(page, f"{path} (es)")
    assert not found, "\n".join(found)
