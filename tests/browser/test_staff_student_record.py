"""Staff see the whole student on one page, and correct a grade there with its reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import api_student, call_api
from tests.browser.journeys import sign_in

pytestmark = pytest.mark.browser


def test_staff_see_the_whole_student_and_correct_a_grade_with_its_reason(page: Page, stack):
    from devstack import seed

    # Given a student registered in Welding 1 who asked for a fee waiver
    student = api_student(stack, first_name="Rhea", last_name="Record")
    call_api(
        stack,
        "POST",
        "/students/me/waivers",
        token=student.token,
        body={"reason": "free_reduced_lunch"},
    )
    # When staff open the student's page
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    page.goto(f"/staff/student/?id={student.student_id}")
    # Then it shows the birth date, the school and the contact
    expect(page.get_by_role("heading", name="Rhea Record", level=1)).to_be_visible()
    expect(page.locator("#student-sers-id")).to_have_text(student.sers_id)
    expect(page.locator("#student-school")).to_have_text(stack.seeded.schools[0]["name"])
    expect(page.locator("#student-email")).to_have_text(student.email)
    expect(page.locator("#student-birth-date")).not_to_be_empty()
    # And the class with the school's answer, no grade yet, and no batch
    classes = page.get_by_role("region", name="Classes in 2026-27")
    welding = classes.get_by_role("row").filter(has_text="Welding 1")
    expect(welding).to_contain_text("Not answered yet")
    expect(welding).to_contain_text("Not graded yet")
    expect(welding).to_contain_text("Not sent yet")
    # And the waiver request, and the history of what happened
    requests = page.get_by_role("region", name="Waivers and prior-year requests")
    expect(requests.get_by_role("row").filter(has_text="Fee waiver")).to_contain_text("Pending")
    history = page.get_by_role("list", name="Changes, newest first")
    expect(history.locator("li[data-action='waiver.requested']")).to_have_count(1)

    # When staff correct the grade to A, with a reason
    form = page.locator("#grade-form")
    form.get_by_label("Class").select_option(index=0)
    form.get_by_label("Corrected grade").fill("a")
    form.get_by_label("Reason for the correction").fill("Teacher's email of June 26")
    form.get_by_role("button", name="Correct the grade").click()
    # Then the page says so, the class shows the grade and the credit, and the history
    # keeps the correction with its reason
    expect(form.get_by_role("status")).to_contain_text("corrected to A")
    expect(welding).to_contain_text("Earned")
    corrected = history.locator("li[data-action='grade.corrected']")
    expect(corrected).to_contain_text("by staff")
    expect(corrected).to_contain_text("Teacher's email of June 26")


def test_a_correction_without_a_reason_is_named_on_the_form(page: Page, stack):
    from devstack import seed

    # Given a registered student's page
    student = api_student(stack, first_name="Nia", last_name="Noreason")
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    page.goto(f"/staff/student/?id={student.student_id}")
    form = page.locator("#grade-form")
    # When staff send a corrected grade with no reason
    form.get_by_label("Corrected grade").fill("B")
    form.get_by_role("button", name="Correct the grade").click()
    # Then the reason's field says what is missing, and nothing changed
    reason = form.get_by_label("Reason for the correction")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_accessible_description("Say why the grade is corrected.")
    welding = page.get_by_role("region", name="Classes in 2026-27").get_by_role("row")
    expect(welding.filter(has_text="Welding 1")).to_contain_text("Not graded yet")
