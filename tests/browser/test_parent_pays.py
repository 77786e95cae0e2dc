"""Journey (b): a parent pays the fee with the SERS ID and date of birth, on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    AFTER_WINDOW,
    api_student,
    clock_at,
    dashboard_of,
    emails_to,
    year_of,
)

pytestmark = pytest.mark.browser


def test_a_parent_pays_by_sers_id_on_a_phone(phone_page: Page, stack):
    # Given a registered student whose 2026-27 fee is due
    student = api_student(stack)
    page = phone_page
    # When a parent, not signed in, looks the fee up by SERS ID (typed loosely) and birth date
    page.goto("/pay/")
    page.get_by_label("SERS ID").fill(student.sers_id.lower().replace("-", " "))
    page.get_by_label("Student's date of birth").fill(student.birth_date)
    page.get_by_role("button", name="Look up the fee").click()
    # Then they see the masked name, the year and the amount, never the full name
    summary = page.get_by_role("region", name="Fee for 2026-27")
    expect(summary).to_contain_text(student.sers_id)
    expect(summary).to_contain_text("$50.00")
    expect(summary).not_to_contain_text(student.last_name)
    # When they give their own email for the receipt and pay through the Stripe
    # stand-in's checkout page
    summary.get_by_label("Your email for the receipt (optional)").fill("parent@example.org")
    summary.get_by_role("button", name="Pay $50.00 by card").click()
    expect(page).to_have_url(re.compile(r"/checkout/"))
    # Stripe was given the parent's email, not the student's
    session = _session_of(stack, page.url)
    assert session["customer_email"] == "parent@example.org"
    # (and Stripe's webhook is late: held back until the page has settled the payment)
    stack.stripe.auto_deliver = False
    try:
        page.get_by_role("button", name="Pay $50.00").click()
        # Then they land back on the pay page, thanked, and the year is paid at once
        expect(page).to_have_url(re.compile(r"/pay/\?paid=1&session_id=cs_\w+$"))
        expect(page.get_by_role("status")).to_contain_text("Thank you. The payment is recorded")
        assert "checkout.session.completed" in [e["type"] for e in stack.stripe.pending]
        assert year_of(dashboard_of(stack, student))["fee_status"] == "paid"
    finally:
        stack.stripe.auto_deliver = True
        late = stack.stripe.deliver_pending()
    # and when the webhook comes it settles nothing again: one receipt to the student
    assert late and all(d.status == 200 for d in late)
    receipts = [m for m in emails_to(stack, student.email) if m["subject"].startswith("Receipt")]
    assert len(receipts) == 1


def _session_of(stack, checkout_url: str) -> dict:
    """The stand-in's Checkout Session behind its checkout page's address."""
    assert stack.stripe is not None
    return stack.stripe.sessions[checkout_url.rstrip("/").rsplit("/", 1)[-1]]


def test_a_parent_who_cancels_is_back_on_the_pay_page_not_charged(phone_page: Page, stack):
    # Given a parent who looked up a due fee and opened Stripe's checkout page
    student = api_student(stack)
    page = phone_page
    page.goto("/pay/")
    page.get_by_label("SERS ID").fill(student.sers_id)
    page.get_by_label("Student's date of birth").fill(student.birth_date)
    page.get_by_role("button", name="Look up the fee").click()
    page.get_by_role("region", name="Fee for 2026-27").get_by_role(
        "button", name="Pay $50.00 by card"
    ).click()
    expect(page).to_have_url(re.compile(r"/checkout/"))
    session = _session_of(stack, page.url)
    assert session["customer_email"] is None  # no student email on this path
    # When they cancel there
    page.get_by_role("button", name="Cancel").click()
    # Then they are back on the pay page, told they were not charged, the student still
    # looked up, and they can pay again
    expect(page).to_have_url(re.compile(r"/pay/\?cancelled=1$"))
    expect(page.get_by_role("status")).to_contain_text("You were not charged")
    summary = page.get_by_role("region", name="Fee for 2026-27")
    expect(summary).to_contain_text(student.sers_id)
    expect(summary).to_contain_text("Due")
    expect(summary.get_by_role("button", name="Pay $50.00 by card")).to_be_visible()
    assert year_of(dashboard_of(stack, student))["fee_status"] == "due"


def test_a_wrong_birth_date_is_told_plainly(phone_page: Page, stack):
    # Given a student's SERS ID with the wrong birth date
    student = api_student(stack, register=None)
    page = phone_page
    page.goto("/pay/")
    page.get_by_label("SERS ID").fill(student.sers_id)
    page.get_by_label("Student's date of birth").fill("2001-01-01")
    # When the parent looks it up
    page.get_by_role("button", name="Look up the fee").click()
    # Then the API's answer is shown as an alert, and nothing can be paid
    expect(page.get_by_role("alert")).to_contain_text(
        "could not find a student with that SERS ID and date of birth"
    )
    expect(page.get_by_role("region", name="Fee for 2026-27")).to_be_hidden()


def test_after_the_window_closes_the_pay_page_says_so_instead_of_offering_pay(
    phone_page: Page, stack
):
    # Given a student whose 2026-27 fee is due, and the app's clock after June 15, 2027
    student = api_student(stack)
    page = phone_page
    with clock_at(AFTER_WINDOW):
        # When a parent looks the fee up
        page.goto("/pay/")
        page.get_by_label("SERS ID").fill(student.sers_id)
        page.get_by_label("Student's date of birth").fill(student.birth_date)
        page.get_by_role("button", name="Look up the fee").click()
        # Then the page says payments closed, and offers no Pay
        summary = page.get_by_role("region", name="Fee for 2026-27")
        expect(summary).to_contain_text("$50.00")
        expect(summary).to_contain_text("Payments for 2026-27 closed on June 15, 2027.")
        expect(summary.get_by_role("button", name=re.compile("^Pay"))).to_be_hidden()
