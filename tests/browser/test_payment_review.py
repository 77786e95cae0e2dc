"""Journey: staff work the payment review queue (issue 9): a card payment through a
checkout the app did not start, and a duplicate whose refund Stripe refused; the refund
is retried and each payment resolved with a note."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from devstack import seed
from tests.browser.conftest import api_student, call_api, wait_for_card_payment
from tests.browser.journeys import sign_in
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
