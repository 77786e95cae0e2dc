"""Journey: a school user posts grades, one by one and from a CSV export."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from devstack import seed
from tests.browser.journeys import sign_in

pytestmark = pytest.mark.browser


def test_a_school_user_posts_grades_one_by_one_and_from_a_csv_file(page: Page, stack):
    # Given the school user of the seeded student's school
    student = stack.seeded.student
    sign_in(page, seed.SCHOOL_USER_EMAIL, seed.SCHOOL_USER_PASSWORD, lands_on="/school/")
    roster = page.get_by_role("table", name=re.compile(r"registrations? in 2026-27"))
    expect(roster).to_contain_text(student["sers_id"])
    row = roster.get_by_role("row").filter(has_text=student["sers_id"])
    expect(row).to_contain_text("Not confirmed")
    # When they say the student is not really in the class
    row.get_by_role("button", name="Not in class").click()
    # Then the roster says so
    expect(page.locator("#roster-status")).to_contain_text("is marked not in")
    expect(row).to_contain_text("Not in the class")
    # When they post a B+ for the student's class (a grade confirms the student is in it)
    grade_form = page.locator("#grade-form")
    choice = grade_form.locator("option", has_text=student["sers_id"]).first.get_attribute("value")
    grade_form.get_by_label("Student and class").select_option(value=choice)
    grade_form.get_by_label("Grade").fill("b+")
    grade_form.get_by_role("button", name="Post grade").click()
    # Then it is confirmed, and the roster shows it with the credit it earns
    expect(grade_form.get_by_role("status")).to_have_text(
        "1 grade posted, 0 unchanged, for 2026-27."
    )
    expect(row).to_contain_text("B+ (earns credit)")
    expect(row).to_contain_text("In the class")

    # When they upload a CSV export with a grade that is not a grade
    csv_form = page.locator("#grades-csv-form")
    _upload(csv_form, f"SERS ID,College course code,Grade\n{student['sers_id']},WELD 101,E\n")
    # Then the error names the line and nothing changes
    expect(csv_form.get_by_role("alert")).to_contain_text("line 2")
    expect(row).to_contain_text("B+ (earns credit)")
    # When they upload the corrected file, Then the grade is replaced
    _upload(csv_form, f"SERS ID,College course code,Grade\n{student['sers_id']},WELD 101,C\n")
    expect(csv_form.get_by_role("status")).to_have_text("1 grade posted, 0 unchanged, for 2026-27.")
    expect(row).to_contain_text("C (no credit)")


def _upload(csv_form, text: str) -> None:
    """Choose a CSV file with `text` in the upload form and post it."""
    csv_form.get_by_label("CSV file of grades").set_input_files(
        files=[{"name": "grades.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    csv_form.get_by_role("button", name="Post the file's grades").click()
