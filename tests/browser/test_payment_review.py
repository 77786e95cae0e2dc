"""Journeys (issue 9): staff work the payment review queue (a card payment through a
checkout the app did not start, and a duplicate whose refund Stripe refused: the refund
retried, each payment resolved with a note); a student sees a voided entry with its
reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from devstack import seed
from tests.browser.conftest import api_student, call_api, emails_to, wait_for_card_payment
from tests.browser.journeys import open_student, sign_in
from tests.browser.test_accessibility import problems
from tests.support.stripe import session_paying

pytestmark = pytest.mark.browser


def _metadata(student) -> dict[str, str]:
    return {"sers_id": student.sers_id, "student_id": student.student_id, "school_year": "2026-27"}


def test_staff_retry_a_refused_refund_and_resolve_flagged_payments(page, stack):
    standin = stack.stripe
    staff_token = stack.id_token(seed.STAFF_EMAIL, seed.STAFF_PASSWORD)
    # Given Eve's card payment arrives after staff recorded her check, and Stripe refuses
    # the duplicate's automatic refund
    eve = api_student(stack, first_name="Eve")
    session = call_api(stack, "POST", "/students/me/checkout", token=eve.token, body={})
    call_api(
        stack,
        "POST",
        f"/students/{eve.student_id}/payments",
        token=staff_token,
        body={
            "kind": "check",
            "school_year": "2026-27",
            "instrument_number": "2001",
            "amount_cents": 5000,
            "received_on": "2027-01-14",
            "payer_name": "Eve's parent",
        },
    )
    standin.refuse_refunds(count=2, code="charge_disputed", message="The charge is disputed.")
    standin.pay(session["session_id"])
    wait_for_card_payment(stack, eve.student_id)
    # And Finn paid through a checkout the app did not start
    finn = api_student(stack, first_name="Finn")
    standin.pay(session_paying(standin, _metadata(finn), client_reference_id=finn.sers_id))
    wait_for_card_payment(stack, finn.student_id)

    # When staff open the payment review from the navigation
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Payment review").click()
    expect(page).to_have_url("/staff/review/")
    # Then each payment is listed with its reasons in words, student, amount and date
    eves = page.locator("form.review").filter(has_text=eve.sers_id)
    expect(eves.get_by_role("heading")).to_have_text("Card payment of $50.00 for 2026-27")
    expect(eves).to_contain_text("A second payment for a year already paid")
    expect(eves).to_contain_text("Stripe refused to refund this duplicate: The charge is disputed.")
    expect(eves).to_contain_text("$50.00")
    expect(eves).to_contain_text("Paid January 15, 2027")
    finns = page.locator("form.review").filter(has_text=finn.sers_id)
    expect(finns).to_contain_text("Paid through a checkout the app did not start.")
    expect(finns.get_by_role("link", name=f"{finn.first_name} {finn.last_name}")).to_be_visible()
    # And the page, with its cards, has no serious accessibility problem
    assert problems(page, "/staff/review/ with flagged payments") == []

    # When staff retry Eve's refund while Stripe still refuses it
    eves.get_by_role("button", name="Retry refund").click()
    # Then the page says so, and the refund can be retried again
    expect(page.locator("#review-status")).to_have_text(
        "Card payment of $50.00 for 2026-27: Stripe refused the refund again."
        " The charge is disputed."
    )
    expect(eves.get_by_role("button", name="Retry refund")).to_be_visible()
    assert standin.refunds == {}

    # When staff resolve Finn's payment without a note, the field says what is missing
    finns.get_by_role("button", name="Resolve").click()
    expect(finns.get_by_label("Note (what was done)")).to_be_focused()
    expect(finns).to_contain_text("Note is required")
    # And with a note, it leaves the queue
    finns.get_by_label("Note (what was done)").fill("Refunded in Stripe; Finn pays again.")
    finns.get_by_role("button", name="Resolve").click()
    expect(page.locator("#review-status")).to_have_text(
        "Card payment of $50.00 for 2026-27: resolved."
    )
    expect(finns).to_have_count(0)
    # And Eve's student page is one click away, listing what is flagged for her
    eves.get_by_role("link", name=f"{eve.first_name} {eve.last_name}").click()
    flagged = page.get_by_role("region", name="Payments flagged for review")
    expect(flagged).to_contain_text("A second payment for a year already paid")
    assert problems(page, "/staff/student/ with a flagged payment") == []
    # When staff retry the refund from there, and Stripe accepts it
    flagged.get_by_role(
        "button", name="Retry the refund of Card payment of $50.00 for 2026-27"
    ).click()
    # Then it is refunded once, and nothing is left to retry; the year stays paid
    expect(flagged.get_by_role("status")).to_have_text(
        "Card payment of $50.00 for 2026-27: refunded."
    )
    expect(flagged.get_by_role("button")).to_have_count(0)
    expect(page.locator("section.year[data-year='2026-27'] .fee-status")).to_have_text("Paid")
    assert len(standin.refunds) == 1


def test_a_student_sees_a_voided_check_with_its_reason(page, stack):
    # Given staff recorded Gil's check and then voided it
    staff_token = stack.id_token(seed.STAFF_EMAIL, seed.STAFF_PASSWORD)
    gil = api_student(stack, first_name="Gil")
    check = call_api(
        stack,
        "POST",
        f"/students/{gil.student_id}/payments",
        token=staff_token,
        body={
            "kind": "money_order",
            "school_year": "2026-27",
            "instrument_number": "MO-77",
            "amount_cents": 5000,
            "received_on": "2027-01-12",
            "payer_name": "Gil's parent",
        },
    )
    call_api(
        stack,
        "POST",
        f"/payments/{check['payment_id']}/void",
        token=staff_token,
        body={"reason": "Entered for the wrong student"},
    )
    # And the family was emailed about it
    assert any(m["subject"].startswith("Payment voided") for m in emails_to(stack, gil.email))
    # When Gil opens the dashboard
    sign_in(page, gil.email, gil.password, lands_on="/dashboard/")
    # Then the year is due again, and the voided money order is listed with its reason
    year = page.locator("section.year[data-year='2026-27']")
    expect(year.locator(".fee-status")).to_have_text("Due")
    expect(year.get_by_role("list", name="Voided checks and money orders, 2026-27")).to_have_text(
        "Money order MO-77 for $50.00, received January 12, 2027: voided"
        " (Entered for the wrong student)"
    )


def test_a_check_dated_after_today_is_refused_next_to_its_field(page, stack):
    # Given staff on Hal's page, recording a check dated tomorrow (the stack's today is
    # January 15, 2027, Pacific time)
    hal = api_student(stack, first_name="Hal")
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    open_student(page, hal.last_name, hal.sers_id)
    # (the page has loaded, and set its defaults, once the name is shown)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{hal.first_name} {hal.last_name}")
    form = page.locator("#check-form")
    form.get_by_label("Check or money order number").fill("3001")
    form.get_by_label("Payer's name").fill("Hal's parent")
    form.get_by_label("Date received").fill("2027-01-16")
    # When they record it
    form.get_by_role("button", name="Record payment").click()
    # Then the date is refused next to its field, in the form's words, and nothing is paid
    received = form.get_by_label("Date received")
    expect(received).to_be_focused()
    expect(received).to_have_attribute("aria-invalid", "true")
    expect(form).to_contain_text(
        "Date received cannot be after today (January 15, 2027, Pacific time)."
    )
    expect(page.locator("section.year[data-year='2026-27'] .fee-status")).to_have_text("Due")
