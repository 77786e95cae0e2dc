"""Journey (c): staff record a check for one student and approve another's waiver."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from devstack import seed
from tests.browser.conftest import api_student, call_api, dashboard_of, emails_to, year_of
from tests.browser.journeys import open_student, set_up_authenticator, sign_in
from tests.support.students import Student

pytestmark = pytest.mark.browser


def test_staff_record_a_check_and_approve_a_waiver(contexts, stack):
    # Given a student whose fee is due, and another who asks for a waiver in the browser
    payer = api_student(stack, first_name="Chen")
    asker = api_student(stack, first_name="Dana")
    student_page = contexts().new_page()
    sign_in(student_page, asker.email, asker.password, lands_on="/dashboard/")
    student_page.get_by_role("link", name="Ask for a fee waiver").first.click()
    student_page.get_by_label("I get free or reduced-price lunch").check()
    student_page.get_by_role("button", name="Send request").click()
    expect(student_page.get_by_role("status")).to_contain_text(
        "Your waiver request for 2026-27 is sent"
    )

    # When staff sign in and find the first student by last name
    page = contexts().new_page()
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    open_student(page, payer.last_name, payer.sers_id)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{payer.first_name} {payer.last_name}"
    )
    # And record a check for the current year's fee
    form = page.locator("#check-form")
    form.get_by_label("School year it pays for").select_option("2026-27")
    form.get_by_label("Check or money order number").fill("1042")
    form.get_by_label("Payer's name").fill("Pat Parent")
    expect(form.get_by_label("Amount in dollars")).to_have_value("50.00")
    form.get_by_role("button", name="Record payment").click()
    # Then the page and the student's dashboard show the year paid, and a receipt is emailed
    expect(form.get_by_role("status")).to_have_text(
        "Check 1042 for $50.00 is recorded for 2026-27."
    )
    expect(page.locator("section.year[data-year='2026-27'] .fee-status")).to_have_text("Paid")
    assert year_of(dashboard_of(stack, payer))["fee_status"] == "paid"
    assert any(m["subject"].startswith("Receipt") for m in emails_to(stack, payer.email))
    # And an entry made by mistake can be voided, which makes the fee due again
    void = page.locator("#void-form")
    void.get_by_label("Reason for voiding the payment").fill("Check returned by the bank")
    void.get_by_role("button", name="Void this payment").click()
    expect(void.get_by_role("status")).to_have_text("Check 1042 for $50.00 (2026-27) is void.")
    expect(page.locator("section.year[data-year='2026-27'] .fee-status")).to_have_text("Due")
    form.get_by_label("Check or money order number").fill("1043")
    form.get_by_role("button", name="Record payment").click()
    expect(page.locator("section.year[data-year='2026-27'] .fee-status")).to_have_text("Paid")
    # And a payment recorded earlier is listed with its year, and can be voided from there
    page.reload()
    payments = page.get_by_role("list", name="Payments for 2026-27")
    expect(payments).to_contain_text("Check 1043 for $50.00 (2026-27), received")
    payments.get_by_role("button", name="Void Check 1043 for $50.00 (2026-27)").click()
    expect(void.get_by_label("Reason for voiding the payment")).to_be_focused()
    void.get_by_label("Reason for voiding the payment").fill("Entered twice")
    void.get_by_role("button", name="Void this payment").click()
    expect(void.get_by_role("status")).to_have_text("Check 1043 for $50.00 (2026-27) is void.")
    expect(page.locator("section.year[data-year='2026-27'] .fee-status")).to_have_text("Due")
    expect(payments).to_have_count(0)
    # And both voided entries stay listed with their reasons
    voided = page.get_by_role("list", name="Voided checks and money orders, 2026-27")
    expect(voided.get_by_role("listitem")).to_have_text(
        [
            re.compile(
                r"^Check 1042 for \$50\.00, received .*: voided \(Check returned by the bank\)$"
            ),
            re.compile(r"^Check 1043 for \$50\.00, received .*: voided \(Entered twice\)$"),
        ]
    )
    form.get_by_label("Check or money order number").fill("1044")
    form.get_by_label("Payer's name").fill("Pat Parent")
    form.get_by_role("button", name="Record payment").click()
    expect(page.locator("section.year[data-year='2026-27'] .fee-status")).to_have_text("Paid")

    # When staff open the requests and approve the waiver
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requests").click()
    card = page.locator("li.request").filter(has_text=asker.sers_id)
    expect(card).to_contain_text("Free or reduced-price lunch")
    card.get_by_label("Note to the student (optional)").fill("Approved for 2026-27.")
    card.get_by_role("button", name="Approve").click()
    # Then it is confirmed on screen, gone from the queue, and the student's year is waived
    expect(page.locator("#waivers-form").get_by_role("status")).to_have_text(
        re.compile(rf"Waiver for {asker.sers_id}, 2026-27: approved")
    )
    expect(card).to_have_count(0)
    assert year_of(dashboard_of(stack, asker))["fee_status"] == "waived"


def school_id(page, name: str) -> str:
    """The id behind a school's name in the catalog's school picker."""
    return (
        page.locator("#offerings-filter")
        .get_by_label("School", exact=True)
        .locator("option", has_text=name)
        .get_attribute("value")
    )


def ask_for_waiver(stack, first_name: str) -> Student:
    student = api_student(stack, first_name=first_name)
    call_api(
        stack,
        "POST",
        "/students/me/waivers",
        token=student.token,
        body={"reason": "free_reduced_lunch"},
    )
    return student


def test_staff_decide_waivers_in_bulk(page, stack):
    # Given three students who asked for a waiver
    ida, jo, kim = (ask_for_waiver(stack, name) for name in ("Ida", "Jo", "Kim"))
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    page.goto("/staff/requests/")
    form = page.locator("#waivers-form")

    def card(student):
        return page.locator("li.request").filter(has_text=f"Waiver for {student.sers_id}")

    # When staff press "Approve selected" with nothing selected, Then the buttons say why
    form.get_by_role("button", name="Approve selected").click()
    expect(form.locator(".bulk-actions + .field-error")).to_have_text(
        "Select at least one waiver first."
    )
    # When they select two, one of which someone else decides meanwhile, and approve them
    for student in (ida, jo):
        card(student).get_by_label("Select").check()
    card(ida).get_by_label("Note to the student (optional)").fill("Approved in bulk.")
    staff_token = stack.id_token(seed.STAFF_EMAIL, seed.STAFF_PASSWORD)
    call_api(
        stack,
        "POST",
        "/waivers/decisions",
        token=staff_token,
        body={
            "decisions": [{"student_id": jo.student_id, "school_year": "2026-27", "approve": False}]
        },
    )
    with page.expect_request(
        lambda r: r.url.endswith("/waivers/decisions") and r.method == "POST"
    ) as sent:
        form.get_by_role("button", name="Approve selected").click()
    # Then one request carried both decisions, and each result is shown
    body = sent.value.post_data_json
    assert sorted(
        (d["student_id"], d["approve"], d.get("note")) for d in body["decisions"]
    ) == sorted([(ida.student_id, True, "Approved in bulk."), (jo.student_id, True, None)])
    status = form.get_by_role("status")
    expect(status).to_contain_text(f"Waiver for {ida.sers_id}, 2026-27: approved.")
    expect(status).to_contain_text(
        f"Waiver for {jo.sers_id}, 2026-27: already decided by someone else."
    )
    expect(page.get_by_role("heading", name="Fee waivers waiting for a decision")).to_be_focused()
    expect(card(ida)).to_have_count(0)
    expect(card(jo)).to_have_count(0)
    assert year_of(dashboard_of(stack, ida))["fee_status"] == "waived"
    assert year_of(dashboard_of(stack, jo))["fee_status"] == "due"
    # When they select the third with the keyboard and deny it, Then it is denied
    card(kim).get_by_label("Select").focus()
    page.keyboard.press("Space")
    form.get_by_role("button", name="Deny selected").focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text(f"Waiver for {kim.sers_id}, 2026-27: denied.")
    expect(card(kim)).to_have_count(0)
    assert year_of(dashboard_of(stack, kim))["fee_status"] == "due"


def test_staff_see_the_report_download_its_csv_and_extend_a_window(page, stack):
    # Given staff signed in, and a school with a student whose fee is due
    api_student(stack, first_name="Gil", school_index=1, register="ProStart Culinary")
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    # When they open the payments report, Then each school has a bar and a row
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Payments report").click()
    expect(page.locator("#report-chart")).to_contain_text("Sammamish High School")
    expect(page.get_by_role("table", name="Students by school, 2026-27")).to_contain_text(
        "Sammamish High School"
    )
    # And the CSV downloads with the staff member's token
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == "payments-2026-27.csv"
    # And the transcript of earned credit for the colleges
    with page.expect_download() as transcript:
        page.get_by_role("button", name="Transcript for the colleges (CSV)").click()
    assert transcript.value.suggested_filename == "transcript-2026-27.csv"
    text = Path(download.value.path()).read_text()
    assert "Sammamish High School" in text, text
    # When they set next year's close date earlier than June 15, Then the field says why
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Window").click()
    page.get_by_label("School year").select_option("2027-28")
    page.get_by_role("button", name="Show window").click()
    expect(page.get_by_role("heading", name="Window for 2027-28")).to_be_visible()
    page.get_by_label("New last day").fill("2028-06-01")
    page.get_by_role("button", name="Extend the window").click()
    expect(page.get_by_label("New last day")).to_have_attribute("aria-invalid", "true")
    # And a later date extends it
    page.get_by_label("New last day").fill("2028-06-22")
    page.get_by_role("button", name="Extend the window").click()
    expect(page.locator("#window-closes")).to_have_text("June 22, 2028 (extended)")


def test_a_student_asks_for_prior_year_credit_and_staff_deny_it(contexts, stack):
    # Given a student who asks, in the browser, for credit for 2025-26
    student = api_student(stack, first_name="Hal")
    student_page = contexts().new_page()
    sign_in(student_page, student.email, student.password, lands_on="/dashboard/")
    student_page.get_by_role("link", name="Ask for credit for an earlier school year").click()
    student_page.get_by_label("School year you took the class").select_option("2025-26")
    student_page.get_by_label("High-school class name").fill("Welding 1")
    student_page.get_by_label("Teacher").fill("Ms. Rivera")
    student_page.get_by_label("Why it was not registered that year").fill(
        "I did not know about it."
    )
    student_page.get_by_role("button", name="Send request").click()
    expect(student_page.get_by_role("status")).to_contain_text(
        "If staff approve it, $65.00 will be due."
    )
    # When staff deny it with a note
    page = contexts().new_page()
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    page.goto("/staff/requests/")
    card = page.locator("li.request").filter(has_text=f"Prior-year credit for {student.sers_id}")
    expect(card).to_contain_text("$65.00")
    card.get_by_label("Note to the student (optional)").fill("No record of the class that year.")
    card.get_by_role("button", name="Deny").click()
    # Then it leaves the queue, and the student is told by email
    expect(page.locator("#prior-form").get_by_role("status")).to_have_text(
        f"Prior-year credit for {student.sers_id}, 2025-26: denied."
    )
    expect(card).to_have_count(0)
    assert any("denied" in m["subject"] for m in emails_to(stack, student.email))


def test_staff_set_up_a_school_and_its_invited_user_signs_in(contexts, stack):
    tag = uuid.uuid4().hex[:4].upper()
    school, teacher_email = f"Evergreen High School {tag}", f"director-{tag.lower()}@example.org"
    page = contexts().new_page()
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catalog").click()
    # When staff add a school, an articulated college course and a class there
    schools = page.locator("#school-form")
    schools.get_by_label("Name").fill(school)
    schools.get_by_label("District (optional)").fill("Evergreen School District")
    schools.get_by_role("button", name="Add school").click()
    expect(schools.get_by_role("status")).to_have_text(f"{school} is added.")
    expect(page.get_by_role("table", name="Schools")).to_contain_text(school)
    courses = page.locator("#course-form")
    courses.get_by_label("College").fill("Bellevue College")
    courses.get_by_label("Course code").fill(f"ELEC {tag}")
    courses.get_by_label("Title").fill("Electrical Basics")
    courses.get_by_label("Credits").fill("4")
    courses.get_by_role("button", name="Add course").click()
    expect(courses.get_by_role("status")).to_have_text(f"ELEC {tag} Electrical Basics is added.")
    page.locator("#offerings-filter").get_by_label("School", exact=True).select_option(label=school)
    expect(page.locator("#offerings-body")).to_contain_text(
        f"No class is offered at {school} for 2026-27 yet."
    )
    offering = page.locator("#offering-form")
    offering.get_by_label("High-school class name").fill("Electricity 1")
    offering.get_by_label("Teacher").fill("Mr. Volta")
    offering.get_by_label("Articulated college course").select_option(
        label=f"ELEC {tag} Electrical Basics (Bellevue College)"
    )
    offering.get_by_role("button", name="Add class").click()
    classes = page.get_by_role("table", name=f"Classes at {school}, 2026-27")
    expect(classes).to_contain_text("Electricity 1")
    # And change that class: a cleared name is marked next to its field, then the changes are saved
    classes.get_by_role("button", name="Edit Electricity 1").click()
    edit = page.locator("#offering-edit-form")
    expect(edit.get_by_label("High-school class name")).to_be_focused()
    expect(edit.get_by_label("Teacher")).to_have_value("Mr. Volta")
    expect(edit.get_by_label("Lowest grade that earns credit")).to_have_value("B")
    edit.get_by_label("High-school class name").fill("")
    edit.get_by_role("button", name="Save changes").click()
    expect(edit.get_by_label("High-school class name")).to_have_attribute("aria-invalid", "true")
    expect(edit.locator(".field-error")).to_have_text("High-school class name is required")
    edit.get_by_label("High-school class name").fill("Electricity 2")
    edit.get_by_label("Teacher").fill("Ms. Ampere")
    edit.get_by_label("Lowest grade that earns credit").select_option("C+")
    edit.get_by_role("button", name="Save changes").click()
    expect(page.locator("#offerings-status")).to_have_text(
        "Electricity 2 with Ms. Ampere is saved."
    )
    expect(edit).to_be_hidden()
    row = classes.get_by_role("row").filter(has_text="Electricity 2")
    expect(row).to_contain_text("Ms. Ampere")
    expect(row).to_contain_text("C+")
    expect(classes.get_by_role("button", name="Edit Electricity 2")).to_be_focused()
    saved = call_api(
        stack, "GET", f"/schools/{school_id(page, school)}/offerings?school_year=2026-27"
    )
    assert [(o["high_school_course"], o["teacher"], o["grade_threshold"]) for o in saved] == [
        ("Electricity 2", "Ms. Ampere", "C+")
    ]
    # And Escape closes the form without saving, back on the row's Edit button
    classes.get_by_role("button", name="Edit Electricity 2").click()
    edit.get_by_label("Teacher").fill("Nobody")
    page.keyboard.press("Escape")
    expect(edit).to_be_hidden()
    expect(classes.get_by_role("button", name="Edit Electricity 2")).to_be_focused()
    expect(classes).not_to_contain_text("Nobody")
    # And invite a school user there
    invite = page.locator("#invite-form")
    invite.get_by_label("Email address").fill(teacher_email)
    invite.get_by_label("School").select_option(label=school)
    invite.get_by_role("button", name="Send invitation").click()
    expect(invite.get_by_role("status")).to_have_text(
        f"We emailed an invitation to {teacher_email}."
    )
    expect(page.get_by_role("table", name=f"Users at {school}")).to_contain_text(teacher_email)
    # Then the invited user signs in with the temporary password, chooses their own,
    # sets up an authenticator app, and sees their school's (empty) roster
    stack.client("cognito-idp").admin_set_user_password(
        UserPoolId=stack.invited_user_pool_id,
        Username=teacher_email,
        Password="Temporary-Pass-1",
        Permanent=False,
    )
    teacher = contexts().new_page()
    teacher.goto("/signin/")
    teacher.get_by_label("Email address").fill(teacher_email)
    teacher.get_by_label("Password", exact=True).fill("Temporary-Pass-1")
    teacher.get_by_role("button", name="Sign in").click()
    expect(teacher.get_by_role("heading", name="Choose your own password")).to_be_focused()
    teacher.get_by_label("New password").fill("Director-Pass-42")
    teacher.get_by_role("button", name="Save password and sign in").click()
    set_up_authenticator(teacher, teacher_email)
    expect(teacher).to_have_url("/school/")
    expect(teacher.locator("#school-line")).to_contain_text(school)
    expect(teacher.locator("#roster")).to_have_text(
        "No student of your school is registered for 2026-27 yet."
    )


def test_staff_correct_a_students_legal_name(page, stack):
    # Given a student whose last name was mistyped at sign-up
    student = api_student(stack, first_name="Eli")
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    open_student(page, student.last_name, student.sers_id)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Eli {student.last_name}")
    # When staff correct it with a reason
    form = page.locator("#identity-form")
    form.get_by_label("Legal last name").fill(f"{student.last_name}-Ortiz")
    form.get_by_role("button", name="Save correction").click()
    # Then the reason is asked for, next to its field
    expect(form.get_by_label("Reason for the correction")).to_have_attribute("aria-invalid", "true")
    form.get_by_label("Reason for the correction").fill("Hyphenated name on the birth certificate")
    form.get_by_role("button", name="Save correction").click()
    # Then the page shows the corrected name
    expect(form.get_by_role("status")).to_contain_text(f"Saved: Eli {student.last_name}-Ortiz")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Eli {student.last_name}-Ortiz")
