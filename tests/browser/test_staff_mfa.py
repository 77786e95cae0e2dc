"""Staff and school accounts sign in with a second factor: an authenticator app (TOTP),
set up at the first sign-in, its code asked at every sign-in after."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from devstack import totp
from tests.browser import journeys
from tests.browser.journeys import set_up_authenticator, sign_in

pytestmark = pytest.mark.browser


def _new_staff_account(stack, email: str, temporary: str) -> None:
    """An account as staff invite a colleague: a temporary password, the staff group."""
    cognito = stack.client("cognito-idp")
    pool = stack.invited_user_pool_id
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=email,
        TemporaryPassword=temporary,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName="staff")


def test_staff_first_sign_in_sets_up_an_authenticator_and_later_ones_ask_for_its_code(
    contexts, stack
):
    email = "new.staff@pnwcollegecredit.org"
    _new_staff_account(stack, email, "Temporary-Pass-1")
    page = contexts().new_page()
    # Given a new staff member at their first sign-in, who chose their own password
    page.goto("/signin/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill("Temporary-Pass-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Choose your own password")).to_be_focused()
    page.get_by_label("New password").fill("Office-Pass-2026")
    page.get_by_role("button", name="Save password and sign in").click()
    # When the page shows the authenticator secret and a wrong first code is typed
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_focused()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code from the app").fill(totp.wrong_code(secret))
    page.get_by_role("button", name="Verify and sign in").click()
    # Then it is refused next to the field, and nothing is signed in
    code_field = page.get_by_label("Code from the app")
    expect(code_field).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_url("/signin/")
    # And with the app's real code, they reach the staff pages
    set_up_authenticator(page, email)
    expect(page).to_have_url("/staff/")
    # And a later sign-in asks for the code before the staff pages
    later = contexts().new_page()
    sign_in(later, email, "Office-Pass-2026", lands_on="/staff/")


def test_a_wrong_authenticator_code_does_not_sign_in(contexts, stack):
    page = contexts().new_page()
    page.goto("/signin/")
    page.get_by_label("Email address").fill("staff@example.org")
    page.get_by_label("Password", exact=True).fill("Staff-Dev-Pass-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your authenticator code")).to_be_focused()
    page.get_by_label("Code from your authenticator app").fill(
        totp.wrong_code(stack.totp_secrets["staff@example.org"])
    )
    page.locator("#totp-form").get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Code from your authenticator app")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page).to_have_url("/signin/")


def test_staff_move_a_school_user_to_another_school_and_remove_another(contexts, stack):
    page = contexts().new_page()
    sign_in(page, "staff@example.org", "Staff-Dev-Pass-1", lands_on="/staff/")
    page.goto("/staff/catalog/")
    page.locator("body[data-ready]").wait_for(state="attached")
    school, other = "Lake Washington High School", "Tech Skill Center"
    # Given the page lists this school's classes and users (not the first school by name,
    # which earlier journeys may have added)
    page.locator("#offerings-filter").get_by_label("School", exact=True).select_option(label=school)
    expect(
        page.get_by_role("table", name=f"Users at {school}").or_(
            page.get_by_text(f"No user is invited at {school} yet.")
        )
    ).to_be_visible()
    invite = page.locator("#invite-form")
    users = page.locator("#school-user-form")
    for email in ("mover@example.org", "leaver@example.org"):
        invite.get_by_label("Email address").fill(email)
        invite.get_by_label("School").select_option(label=school)
        invite.get_by_role("button", name="Send invitation").click()
        expect(invite.get_by_role("status")).to_have_text(f"We emailed an invitation to {email}.")
    listed = page.get_by_role("table", name=f"Users at {school}")
    # When staff move one to another school
    users.get_by_label("School user").select_option(label="mover@example.org")
    users.get_by_label("Move to school").select_option(label=other)
    users.get_by_role("button", name="Move", exact=True).click()
    # Then they leave this school's list
    expect(users.get_by_role("status")).to_have_text(f"mover@example.org is moved to {other}.")
    expect(listed).not_to_contain_text("mover@example.org")
    # When staff remove the other, Then the list says so, and they cannot sign in
    users.get_by_label("School user").select_option(label="leaver@example.org")
    users.get_by_role("button", name="Remove").click()
    expect(users.get_by_role("status")).to_have_text(
        "leaver@example.org is removed and can no longer sign in."
    )
    expect(listed.get_by_role("row").filter(has_text="leaver@example.org")).to_contain_text(
        "Removed"
    )
    cognito = stack.client("cognito-idp")
    pool = stack.invited_user_pool_id
    assert (
        cognito.admin_get_user(UserPoolId=pool, Username="leaver@example.org")["Enabled"] is False
    )
    moved = cognito.admin_get_user(UserPoolId=pool, Username="mover@example.org")
    tech = next(s["school_id"] for s in stack.seeded.schools if s["name"] == other)
    assert {a["Name"]: a["Value"] for a in moved["UserAttributes"]}["custom:school_id"] == tech
    # And the invitation can be sent again to someone who has not signed in yet
    invite.get_by_label("Email address").fill("mover@example.org")
    invite.get_by_label("School").select_option(label=other)
    invite.get_by_role("button", name="Send the invitation again").click()
    expect(invite.get_by_role("status")).to_have_text(
        "We emailed mover@example.org a new temporary password."
    )


def test_an_invited_user_resets_a_forgotten_password_and_still_signs_in_with_a_code(
    contexts, stack
):
    # Given a staff member with an authenticator, who forgot their password
    email = "forgetful.staff@example.org"
    _new_staff_account(stack, email, "Temporary-Pass-1")
    stack.client("cognito-idp").admin_set_user_password(
        UserPoolId=stack.invited_user_pool_id,
        Username=email,
        Password="Teacher-Pass-2026",
        Permanent=True,
    )
    journeys.TOTP_SECRETS[email] = stack.enrol_totp(email, "Teacher-Pass-2026")
    page = contexts().new_page()
    # When they ask for a code and choose a new password (moto accepts any code)
    page.goto("/forgot-password/")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Email me a code").click()
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_focused()
    page.get_by_label("Code from the email").fill("123456")
    page.get_by_label("New password", exact=True).fill("Teacher-Pass-2027")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("status")).to_have_text(
        "Your password is changed. Sign in with the new one."
    )
    # Then the new password and the authenticator's code sign them in
    sign_in(page, email, "Teacher-Pass-2027", lands_on="/staff/")
