"""Issue 11, what a family sees: each class's stage with whether the grade earns the
credit, what is owed (a pending waiver's conditional amount, prior-year credit's parts),
how to pay by check; in English and Spanish, and on a slow connection."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from devstack import seed
from tests.browser.conftest import api_student, call_api, dashboard_of, year_of
from tests.browser.journeys import sign_in

pytestmark = pytest.mark.browser

DASHBOARD = re.compile(r"/dashboard/?$")


def _staff(stack) -> str:
    return stack.id_token(seed.STAFF_EMAIL, seed.STAFF_PASSWORD)


def _post_grade(stack, student, grade: str) -> None:
    registration = year_of(dashboard_of(stack, student))["registrations"][0]
    call_api(
        stack,
        "PUT",
        f"/schools/{registration['school_id']}/grades",
        token=_staff(stack),
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


def _in_spanish(page: Page) -> None:
    """The header's language switch (the choice is remembered, the page shown again)."""
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")


def _year(page: Page, school_year: str = "2026-27") -> Any:
    return page.locator(f"section.year[data-year='{school_year}']")


def test_a_b_plus_earns_credit_and_a_c_does_not(page: Page, contexts, stack):
    # Given two registered students whose fee is due: the school posts Bo's B+ and Cy's C
    bo = api_student(stack, first_name="Bo", last_name="Plus")
    cy = api_student(stack, first_name="Cy", last_name="Sea")
    _post_grade(stack, bo, "B+")
    _post_grade(stack, cy, "C")
    # When Bo opens the dashboard
    sign_in(page, bo.email, bo.password, lands_on=DASHBOARD)
    stage = _year(page).locator(".class-stage")
    # Then the class earns credit, held to a B, and credit waits for the fee, by its date
    expect(stage.locator(".stage")).to_have_text(
        "Grade B+: earns credit (a B or better is needed)."
    )
    expect(stage.locator(".next-step")).to_have_text(
        "Next: credit is sent when the fee is paid. Pay by June 15, 2027."
    )
    expect(_year(page).locator(".deadline")).to_have_text("June 15, 2027")
    # When Cy opens the dashboard (in Spanish)
    other = contexts().new_page()
    sign_in(other, cy.email, cy.password, lands_on=DASHBOARD)
    _in_spanish(other)
    # Then the class does not earn credit, in Spanish
    expect(_year(other).locator(".class-stage .stage")).to_have_text(
        "Calificación C: no obtiene el crédito (se necesita B o más)."
    )
    expect(other.locator("html")).to_have_attribute("lang", "es")


def test_an_ungraded_class_says_when_the_teacher_posts_grades(page: Page, stack):
    # Given a registered student the school has not answered about
    student = api_student(stack)
    # When they open the dashboard
    sign_in(page, student.email, student.password, lands_on=DASHBOARD)
    # Then the class is registered, and grades are posted by the grading deadline
    stage = _year(page).locator(".class-stage")
    expect(stage.locator(".stage")).to_contain_text("Registered")
    expect(stage.locator(".next-step")).to_contain_text("grades by June 25, 2027")


def test_a_pending_waiver_shows_the_conditional_amount_in_both_languages(page: Page, stack):
    # Given a student whose fee waiver is pending
    student = api_student(stack)
    call_api(
        stack,
        "POST",
        "/students/me/waivers",
        token=student.token,
        body={"reason": "free_reduced_lunch"},
    )
    # When they open the dashboard
    sign_in(page, student.email, student.password, lands_on=DASHBOARD)
    # Then nothing is due now, $50 if the waiver is not approved; the request is listed;
    # and how to pay by check, with the SERS ID to write on it
    expect(_year(page).locator(".amount-due")).to_have_text("$0.00")
    expect(_year(page).locator(".if-not-waived")).to_contain_text(
        "$50.00 if the waiver is not approved"
    )
    requests = page.get_by_role("region", name="Your requests")
    expect(requests).to_contain_text("Fee waiver for 2026-27: waiting for our office's decision")
    check = page.get_by_role("region", name="Pay by check or money order")
    expect(check).to_contain_text("PNW College Credit")
    expect(check).to_contain_text(f"Write the SERS ID {student.sers_id} on the check")
    # And in Spanish, the same
    _in_spanish(page)
    expect(_year(page).locator(".if-not-waived")).to_contain_text(
        re.compile(r"50\.00 si la exención no se aprueba")
    )


def test_approved_prior_year_credit_shows_its_parts(page: Page, stack):
    # Given a student whose 2025-26 prior-year credit staff approved
    student = api_student(stack)
    created = call_api(
        stack,
        "POST",
        "/students/me/prior-year-requests",
        token=student.token,
        body={
            "school_year": "2025-26",
            "school_id": stack.seeded.schools[0]["school_id"],
            "high_school_course": "Welding 1",
            "teacher": "Ms. Rivera",
            "reason": "I did not know about the program last year.",
        },
    )
    call_api(
        stack,
        "POST",
        "/prior-year-requests/decisions",
        token=_staff(stack),
        body={
            "decisions": [
                {
                    "student_id": student.student_id,
                    "school_year": "2025-26",
                    "approve": True,
                    "request_id": created["request_id"],
                }
            ]
        },
    )
    # When they open the dashboard
    sign_in(page, student.email, student.password, lands_on=DASHBOARD)
    # Then the year shows its parts: $50 plus the $15 late fee, and the request is approved
    expect(_year(page, "2025-26").locator(".fee-parts")).to_have_text(
        "$50.00 fee plus $15.00 late fee for approved prior-year credit: $65.00."
    )
    expect(page.get_by_role("region", name="Your requests")).to_contain_text(
        "Prior-year credit for 2025-26 (Welding 1): approved"
    )


def test_a_slow_connection_shows_the_dashboard_is_loading(page: Page, stack):
    # Given a signed-in student on a slow connection (Chromium's network throttling)
    student = api_student(stack)
    sign_in(page, student.email, student.password, lands_on=DASHBOARD)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 1500,
            "downloadThroughput": 50_000,
            "uploadThroughput": 20_000,
        },
    )
    # When the dashboard loads
    page.reload(wait_until="domcontentloaded")
    # Then it says it is loading, and stops saying so once the classes are shown
    expect(page.locator("#loading")).to_be_visible()
    expect(page.locator("#loading")).to_contain_text("Loading")
    expect(_year(page)).to_be_visible(timeout=30_000)
    expect(page.locator("#loading")).to_be_hidden()


def test_the_pay_page_says_how_to_pay_by_check_in_both_languages(page: Page, stack):
    # Given a registered student whose fee is due
    student = api_student(stack)
    # When a parent opens the pay page
    page.goto("/pay/")
    check = page.get_by_role("region", name="Pay by check or money order")
    # Then it gives the payee and the mailing address before any lookup
    expect(check.locator(".check-payee")).to_have_text("PNW College Credit")
    expect(check.locator(".check-address")).to_contain_text("Bellevue WA 98007")
    expect(check).to_contain_text("Write the student's SERS ID on the check or money order.")
    # When they look the fee up, Then it names the SERS ID to write on the check
    page.get_by_label("SERS ID").fill(student.sers_id)
    page.get_by_label("Student's date of birth").fill(student.birth_date)
    page.get_by_role("button", name="Look up the fee").click()
    expect(check).to_contain_text(f"Write the SERS ID {student.sers_id} on the check")
    # And in Spanish, the same
    _in_spanish(page)
    check = page.get_by_role("region", name="Pagar con cheque o giro postal")
    expect(check.locator(".check-payee")).to_have_text("PNW College Credit")
    expect(check).to_contain_text("Escriba el SERS ID del estudiante en el cheque o giro postal.")


def test_the_printable_confirmation_carries_the_consortium_and_how_to_pay_by_check(
    page: Page, stack
):
    # Given a registered student whose fee is due
    student = api_student(stack)
    sign_in(page, student.email, student.password, lands_on=DASHBOARD)
    # When they open the year's printable confirmation
    page.get_by_role("link", name="Print your 2026-27 registration confirmation").click()
    confirmation = page.locator("#confirmation")
    # Then it names the consortium and its contact, and how to pay by check with the SERS ID
    expect(confirmation.locator(".consortium")).to_contain_text("PNW College Credit")
    expect(confirmation.locator(".consortium")).to_contain_text("info@pnwcollegecredit.org")
    check = page.get_by_role("region", name="Pay by check or money order")
    expect(check.locator(".check-address")).to_contain_text("3000 Landerholm Circle SE")
    expect(check).to_contain_text(f"Write the SERS ID {student.sers_id} on the check")
    expect(page.locator("#loading")).to_be_hidden()
    # And in Spanish, the same page in Spanish
    _in_spanish(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmación de registro")
    expect(page.get_by_role("region", name="Pagar con cheque o giro postal")).to_contain_text(
        f"Escriba el SERS ID {student.sers_id} en el cheque"
    )


def test_the_fee_and_the_grade_rule_are_stated_before_registering(page: Page, stack):
    # When a visitor opens the home page
    page.goto("/")
    statement = page.get_by_role("region", name="The fee and the grade you need")
    # Then the fee, what it covers and the grade rule are stated, from the program's facts
    expect(statement).to_contain_text("The fee is $50.00 per student per school year")
    expect(statement).to_contain_text("covers every class you register that year")
    expect(statement).to_contain_text("a grade of B or better")
    # And in Spanish
    _in_spanish(page)
    expect(
        page.get_by_role("region", name="La cuota y la calificación que necesita")
    ).to_contain_text("una calificación de B o más")
    # When a signed-in student opens the class page, Then it is stated there too
    student = api_student(stack, register=None)
    page.evaluate("localStorage.setItem('language', 'en')")
    sign_in(page, student.email, student.password, lands_on=DASHBOARD)
    page.goto("/classes/")
    expect(page.get_by_role("region", name="The fee and the grade you need")).to_contain_text(
        "The fee is $50.00 per student per school year"
    )
