"""Staff see which school users have not signed in yet, and send them the invitation again
from the list."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.journeys import sign_in

pytestmark = pytest.mark.browser


def test_the_users_list_shows_a_pending_invitation_and_sends_it_again(page: Page, stack):
    from devstack import seed

    school = "Lake Washington High School"
    email = "pending.teacher@example.org"
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    page.goto("/staff/catalog/")
    page.locator("body[data-ready]").wait_for(state="attached")
    page.locator("#offerings-filter").get_by_label("School", exact=True).select_option(label=school)
    # Given staff invite a teacher at the school
    invite = page.locator("#invite-form")
    invite.get_by_label("Email address").fill(email)
    invite.get_by_label("School").select_option(label=school)
    invite.get_by_role("button", name="Send invitation").click()
    expect(invite.get_by_role("status")).to_have_text(f"We emailed an invitation to {email}.")
    # Then the school's list says their invitation is pending, with a way to send it again
    row = (
        page.get_by_role("table", name=f"Users at {school}")
        .get_by_role("row")
        .filter(has_text=email)
    )
    expect(row).to_contain_text("Invitation pending")
    # When staff send it again from the list
    row.get_by_role("button", name=f"Send the invitation again to {email}").click()
    # Then the page says it went, and the row says when
    expect(page.locator("#users-status")).to_have_text(f"The invitation is sent again to {email}.")
    expect(row).to_contain_text("sent again")
