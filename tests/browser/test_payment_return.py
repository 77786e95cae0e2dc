"""Back from Stripe Checkout: the dashboard settles the session itself (the webhook may be
late), and a bank payment shows as processing until the bank decides."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import api_student, emails_to
from tests.browser.journeys import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def late_webhook(stack) -> Iterator[None]:
    """Stripe's deliveries wait until the test has looked (then they go out)."""
    stack.stripe.auto_deliver = False
    try:
        yield
    finally:
        stack.stripe.auto_deliver = True
        stack.stripe.deliver_pending()


def _pay_from_dashboard(page: Page, student, button: str) -> None:
    sign_in(page, student.email, student.password, lands_on=re.compile(r"/dashboard/?$"))
    year = page.locator("section.year[data-year='2026-27']")
    expect(year.locator(".fee-status")).to_have_text("Due")
    year.get_by_role("button", name="Pay $50.00").click()
    expect(page).to_have_url(re.compile(r"/checkout/"))
    page.get_by_role("button", name=button, exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard/?\?paid=1&session_id=cs_"))


def test_paid_shows_at_once_when_the_webhook_is_late(page: Page, stack, late_webhook):
    # Given a registered student, and Stripe's webhook delivery held back
    student = api_student(stack)
    # When they pay by card and come back to the dashboard
    _pay_from_dashboard(page, student, "Pay $50.00")
    # Then the year is paid at once, with the receipt, before any delivery
    year = page.locator("section.year[data-year='2026-27']")
    expect(year.locator(".fee-status")).to_have_text("Paid")
    expect(page.get_by_role("status").filter(has_text="Your payment is recorded")).to_be_visible()
    assert stack.stripe.pending, "the webhook was not late"
    receipts = [m for m in emails_to(stack, student.email) if m["subject"].startswith("Receipt")]
    assert len(receipts) == 1


def test_a_bank_payment_shows_processing_then_pay_again_when_the_bank_refuses(page: Page, stack):
    student = api_student(stack)
    # When they pay from a bank account on Stripe's page and come back
    _pay_from_dashboard(page, student, "Use a bank account")
    # Then the dashboard says the bank payment is processing, and offers no Pay
    year = page.locator("section.year[data-year='2026-27']")
    expect(year.locator(".bank-processing")).to_contain_text("up to 4 business days")
    expect(year.get_by_role("button", name="Pay $50.00")).to_have_count(0)
    # When the bank refuses (Stripe's test mode decides it on the session's page)
    session_id = re.search(r"session_id=(cs_[A-Za-z0-9_]+)", page.url).group(1)
    page.goto(f"{stack.stripe.base_url}/checkout/{session_id}")
    delivered = len(stack.stripe.deliveries)
    page.get_by_role("button", name="The bank refuses").click()
    assert stack.stripe.wait_for_deliveries(delivered + 1)  # Stripe's notice, answered
    # Then they are emailed how to pay, and the dashboard offers Pay again
    failed = [m for m in emails_to(stack, student.email) if "did not go through" in m["subject"]]
    assert len(failed) == 1 and student.sers_id in failed[0]["subject"]
    page.goto("/dashboard/")
    expect(year.get_by_role("button", name="Pay $50.00")).to_be_visible()
    expect(year.locator(".bank-processing")).to_have_count(0)


def test_staff_see_the_nightly_check_against_stripe_on_the_report_page(page: Page, stack):
    from urllib.request import Request

    from devstack import seed
    from tests.browser.conftest import _LOCAL

    # Given a reconciliation ran (from the dev stack's schedules page)
    request = Request(  # noqa: S310 - the local stack's URL
        f"{stack.base_url}/_dev/schedules/ReconcileDaily", data=b"{}", method="POST"
    )
    request.add_header("Content-Type", "application/json")
    with _LOCAL.open(request, timeout=60) as answer:
        assert answer.status == 200
    # When staff open the payments report
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    page.goto("/staff/report/")
    # Then the runs are listed with what each read and applied
    runs = page.get_by_role("region", name="Daily check against Stripe")
    expect(runs.get_by_role("table")).to_be_visible()
    expect(runs.get_by_role("columnheader", name="Events read")).to_be_visible()
    expect(runs.get_by_role("columnheader", name="Already applied")).to_be_visible()
