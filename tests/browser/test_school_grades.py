"""Journey: a school user answers for a student, posts a grade in the roster, and posts
grades from a CSV export."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from devstack import seed
from tests.browser.conftest import api_student
from tests.browser.journeys import sign_in

pytestmark = pytest.mark.browser


def test_a_school_user_posts_grades_in_the_roster_and_from_a_csv_file(page: Page, stack):
    # Given a student registered in Welding 1, and the school user of the student's school
    student = {"sers_id": api_student(stack, first_name="Lou").sers_id}
    sign_in(page, seed.SCHOOL_USER_EMAIL, seed.SCHOOL_USER_PASSWORD, lands_on="/school/")
    roster = page.get_by_role("table", name=re.compile(r"registrations? in 2026-27"))
    expect(roster).to_contain_text(student["sers_id"])
    row = roster.get_by_role("row").filter(has_text=student["sers_id"])
    status = page.locator("#roster-form").get_by_role("status")
    expect(row).to_contain_text("Not confirmed")
    # When they say the student is not really in the class
    row.get_by_role("button", name="Not in class").click()
    # Then the roster says so
    expect(status).to_contain_text("is marked not in")
    expect(row).to_contain_text("Not in the class")
    # When they type a B+ for the student in the roster and save
    grade = row.get_by_label(re.compile(r"^Grade for"))
    grade.fill("b+")
    page.get_by_role("button", name="Save grades").click()
    # Then the row says why the grade is not posted (the student is marked not in the class)
    expect(grade).to_have_attribute("aria-invalid", "true")
    expect(grade).to_have_accessible_description(
        re.compile(f"{student['sers_id']}: The school marked this student not in this class")
    )
    # When they confirm the student is in the class after all, and save the grade again
    row.get_by_role("button", name="Confirm").click()
    expect(row).to_contain_text("In the class")
    grade.fill("b+")
    page.get_by_role("button", name="Save grades").click()
    # Then it is posted, and the roster shows it with the credit it earns
    expect(status).to_have_text("1 grade posted, 0 unchanged, for 2026-27.")
    expect(grade).to_have_value("B+")
    expect(row).to_contain_text("earns credit")

    # When they upload a CSV export with a grade that is not a grade
    csv_form = page.locator("#grades-csv-form")
    _upload(csv_form, f"SERS ID,College course code,Grade\n{student['sers_id']},WELD 101,E\n")
    # Then the error names the line and the column as the file's header does; nothing changes
    expect(csv_form.get_by_role("alert")).to_contain_text('Line 2, column "Grade": "E"')
    expect(grade).to_have_value("B+")
    # When a file has two wrong lines, Then the alert lists each in the server's words
    _upload(
        csv_form,
        f"SERS ID,College course code,Grade\n{student['sers_id']},WELD 101,E\nnobody,WELD 101,A\n",
    )
    problems = csv_form.get_by_role("alert").get_by_role("listitem")
    expect(problems).to_have_text(
        [re.compile(r'^Line 2, column "Grade": "E"'), re.compile(r'^Line 3, column "SERS ID": ')]
    )
    # When they upload the corrected file, Then the grade is replaced
    _upload(csv_form, f"SERS ID,College course code,Grade\n{student['sers_id']},WELD 101,C\n")
    expect(csv_form.get_by_role("status")).to_have_text("1 grade posted, 0 unchanged, for 2026-27.")
    expect(grade).to_have_value("C")
    expect(row).to_contain_text("no credit")


def _upload(csv_form, text: str) -> None:
    """Choose a CSV file with `text` in the upload form and post it."""
    csv_form.get_by_label("CSV file of grades").set_input_files(
        files=[{"name": "grades.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    csv_form.get_by_role("button", name="Post the file's grades").click()
