"""A college registrar's journey: invited by staff, signs in with an authenticator code,
downloads their college's transcript batch, marks a row posted, and the student's own
API then says the credit was posted by the college."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import api_student, call_api, dashboard_of, year_of
from tests.browser.journeys import set_up_authenticator, sign_in
from tests.browser.test_accessibility import problems

pytestmark = pytest.mark.browser

COLLEGE = "Bellevue College"  # the seeded Welding 1's articulated course


def test_a_registrar_is_invited_downloads_a_batch_and_marks_it_posted(page: Page, contexts, stack):
    from devstack import seed

    # Given a student of Welding 1 whose fee is paid and whose grade (A-) earns credit
    student = api_student(stack, first_name="Rae", last_name="Registrar")
    staff_token = stack.id_token(seed.STAFF_EMAIL, seed.STAFF_PASSWORD)
    call_api(
        stack,
        "POST",
        f"/students/{student.student_id}/payments",
        token=staff_token,
        body={
            "kind": "check",
            "school_year": "2026-27",
            "instrument_number": "4521",
            "amount_cents": 5000,
            "received_on": "2027-01-10",
            "payer_name": "Pat Registrar",
        },
    )
    offering = year_of(dashboard_of(stack, student))["registrations"][0]
    call_api(
        stack,
        "PUT",
        f"/schools/{offering['school_id']}/grades",
        token=staff_token,
        body={
            "school_year": "2026-27",
            "grades": [
                {
                    "sers_id": student.sers_id,
                    "offering_id": offering["offering_id"],
                    "grade": "A-",
                }
            ],
        },
    )
    # When staff invite the college's registrar and close its batch on the batches page
    email = "registrar@bellevuecollege.edu"
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Transcript batches").click()
    expect(page).to_have_url("/staff/batches/")
    invite = page.locator("#invite-form")
    invite.get_by_label("Email address").fill(email)
    invite.get_by_label("College").select_option(COLLEGE)
    invite.get_by_role("button", name="Send the invitation").click()
    expect(invite.get_by_role("status")).to_contain_text(f"{email} is invited as {COLLEGE}")
    registrars = page.get_by_role("region", name="College registrars")
    expect(registrars.get_by_role("row").filter(has_text=email)).to_contain_text("Active")
    page.get_by_role("button", name=f"Close the next batch for {COLLEGE}").click()
    expect(page.locator("#close-form").get_by_role("status")).to_contain_text(
        f"Batch 1 for {COLLEGE}"
    )
    colleges = page.get_by_role("region", name="Colleges, 2026-27")
    row = colleges.get_by_role("row").filter(has=page.get_by_role("rowheader", name=COLLEGE))
    exported = int(row.get_by_role("cell").nth(1).inner_text())
    assert exported >= 1

    # Then the registrar signs in with the temporary password, chooses their own, sets up
    # an authenticator app, and lands on their college's page
    stack.client("cognito-idp").admin_set_user_password(
        UserPoolId=stack.invited_user_pool_id,
        Username=email,
        Password="Temporary-Pass-1",
        Permanent=False,
    )
    registrar = contexts().new_page()
    registrar.goto("/signin/")
    registrar.get_by_label("Email address").fill(email)
    registrar.get_by_label("Password", exact=True).fill("Temporary-Pass-1")
    registrar.get_by_role("button", name="Sign in").click()
    expect(registrar.get_by_role("heading", name="Choose your own password")).to_be_focused()
    registrar.get_by_label("New password").fill("Registrar-Pass-27")
    registrar.get_by_role("button", name="Save password and sign in").click()
    set_up_authenticator(registrar, email)
    expect(registrar).to_have_url("/college/")
    expect(registrar.locator("#college-intro")).to_contain_text(COLLEGE)

    # When they download batch 1
    with registrar.expect_download() as download:
        registrar.get_by_role("button", name="Download batch 1 (CSV)").click()
    # Then the file is their college's, UTF-8 with a BOM, with the student's row
    assert download.value.suggested_filename == "transcript-bellevue-college-2026-27-batch-1.csv"
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    mine = next(r for r in rows if r["sers_id"] == student.sers_id)
    assert (mine["legal_last_name"], mine["grade"], mine["mark"]) == (
        student.last_name,
        "A-",
        "new",
    )
    assert mine["birth_date"] == student.birth_date
    assert mine["email"].lower() == student.email.lower()

    # When they open the batch's rows, select the student's and mark it posted
    registrar.get_by_role("button", name="Rows of batch 1").click()
    expect(registrar.get_by_role("heading", name="Batch 1: rows")).to_be_focused()
    registrar.get_by_label(f"Posted: {student.last_name}, {student.first_name}, WELD 101").check()
    registrar.get_by_role("button", name="Mark selected rows posted").click()
    # Then the page says so and the row shows its posting date
    expect(registrar.locator("#rows-form").get_by_role("status")).to_have_text(
        "1 rows marked posted."
    )
    rows_table = registrar.get_by_role("region", name="Rows of batch 1")
    posted_row = rows_table.get_by_role("row").filter(has_text=student.sers_id)
    expect(posted_row).to_contain_text("Posted ")
    # And the registrar's page, rows open, passes axe
    assert problems(registrar, "/college/ with a batch's rows") == []
    # And the student's own API says the credit was posted by the college
    (registration,) = year_of(dashboard_of(stack, student))["registrations"]
    assert registration["credit_posted"]["college"] == COLLEGE
    assert registration["credit_posted"]["batch_number"] == 1

    # When staff remove the registrar
    page.get_by_role("button", name=f"Remove {email}").click()
    expect(page.locator("#registrars-form").get_by_role("status")).to_have_text(
        f"{email} can no longer sign in."
    )
    expect(registrars.get_by_role("row").filter(has_text=email)).to_contain_text("Removed")
    # Then their open page, reloaded, is refused at once (their token is still valid)
    registrar.reload()
    expect(registrar.locator("#page-alert")).to_contain_text("This account was removed.")
