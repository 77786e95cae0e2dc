"""Paying the fee: Stripe Checkout (signed in, or by SERS ID and birth date), and the
staff entry and voiding of checks and money orders. Stripe's events are handled in
logic/stripe_events.py; settling a year with a payment in logic/settlement.py."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Literal

from dualcredit import mail, rules
from dualcredit.dal import checkouts, stripe_gateway, throttle
from dualcredit.dal import payments as payment_data
from dualcredit.dal import students as student_data
from dualcredit.dal.records import OpenCheckout, PaymentMethod, PaymentRecord, fee_facts
from dualcredit.errors import Conflict, InvalidInput, NotFound, TooManyRequests, Unavailable
from dualcredit.logic import payment_notices, review, stripe_events
from dualcredit.logic.caller import Caller, Role
from dualcredit.logic.settlement import Settlement, settle_check
from dualcredit.models.payments import CheckIn, Checkout, Payment, PaySummary, VoidRequest
from dualcredit.settings import get_settings

#: Sessions asked for within the same minute share an idempotency key and identical
#: parameters, so two tabs get one session from Stripe itself.
CHECKOUT_BUCKET = timedelta(minutes=1)
#: An open session is reused only if it has this long left.
REUSE_MARGIN = timedelta(minutes=5)
LOOKUP_LIMIT_PER_CLIENT = 10
LOOKUP_LIMIT_PER_SERS_ID = 5
LOOKUP_WINDOW = timedelta(hours=1)
#: The per-SERS-ID limit's counter: failed lookups only.
SERS_LIMIT = "pay-lookup-sers-failed"
#: Where checks and money orders go (program-info.md).
MAIL_CHECKS_TO = (
    "payable to PNW College Credit, mailed to Bellevue College, MS N-211, "
    "3000 Landerholm Circle SE, Bellevue WA 98007"
)
NO_MATCH = "We could not find a student with that SERS ID and date of birth."
BANK_PAYMENT_PROCESSING = (
    "A bank payment of this fee is processing: banks take up to "
    f"{rules.BANK_PAYMENT_BUSINESS_DAYS} business days. You do not need to pay again; "
    "we will email you if it does not go through."
)

# --------------------------------------------------------------------------- checkout


def checkout_for_student(caller: Caller, school_year: str | None, at: datetime) -> Checkout:
    """A signed-in student pays their own fee."""
    caller.require(Role.STUDENT)
    year = rules.school_year_or_current(school_year, at)
    return _checkout(
        caller.user,
        year,
        at,
        # Stripe puts the session's id in; the dashboard settles it from there.
        success_path="/dashboard?paid=1&session_id={CHECKOUT_SESSION_ID}",
        cancel_path="/dashboard",
    )


def _verified_student(sers_id: str, birth_date: date, client_address: str, at: datetime) -> str:
    """The student id behind a SERS ID and birth date pair; one generic answer for any
    mismatch, and throttled per client and per SERS ID."""
    try:
        canonical = rules.parse_sers_id(sers_id, prefix=get_settings().sers_prefix)
    except rules.InvalidSersId as error:
        raise InvalidInput(str(error), field="sers_id") from None
    # Every request counts per client; per SERS ID only failed ones do, so a parent who
    # looks up, cancels at Stripe and comes back is never locked out by their own tries.
    allowed = throttle.take(
        [("pay-lookup-client", client_address, LOOKUP_LIMIT_PER_CLIENT)],
        at=at,
        window=LOOKUP_WINDOW,
    )
    if not allowed or throttle.spent(
        SERS_LIMIT, canonical, LOOKUP_LIMIT_PER_SERS_ID, at=at, window=LOOKUP_WINDOW
    ):
        raise TooManyRequests(_locked_out())
    claim = student_data.claim_for_sers_id(canonical)
    profile = student_data.get_profile(claim.student_id) if claim else None
    if profile is None or profile.birth_date != birth_date:
        throttle.take(
            [(SERS_LIMIT, canonical, LOOKUP_LIMIT_PER_SERS_ID)], at=at, window=LOOKUP_WINDOW
        )
        raise NotFound(NO_MATCH, code="no_match")
    return profile.student_id


def _locked_out() -> str:
    return (
        "Too many tries. Please wait an hour and try again. Or email "
        f"{get_settings().staff_email} for help, or pay by check or money order: "
        f"{MAIL_CHECKS_TO}, with the SERS ID written on it."
    )


def pay_summary(
    sers_id: str, birth_date: date, school_year: str | None, client_address: str, at: datetime
) -> PaySummary:
    """What a parent sees before paying by SERS ID: masked name, year, amount due."""
    student_id = _verified_student(sers_id, birth_date, client_address, at)
    year = rules.school_year_or_current(school_year, at)
    profile, record, window_record = checkouts.load_for_checkout(student_id, year.name)
    if profile is None:
        raise NotFound(NO_MATCH, code="no_match")
    facts = fee_facts(record)
    window = window_record.window
    payable = rules.may_pay_now(
        window_open=window.is_open(at), prior_year_credit=rules.late_fee_applies(facts)
    )
    return PaySummary(
        sers_id=profile.sers_id,
        masked_name=rules.mask_name(profile.legal_first_name, profile.legal_last_name),
        school_year=year.name,
        fee_status=rules.fee_status(facts).value,
        amount_due_cents=rules.amount_due(facts) if record else 0,
        registered=record is not None,
        bank_payment_processing=rules.bank_payment_pending(facts),
        window_open=payable,
        window_message=None if payable else _pay_page_window(year.name, window, at),
    )


def checkout_by_sers_id(
    sers_id: str,
    birth_date: date,
    school_year: str | None,
    client_address: str,
    at: datetime,
    receipt_email: str | None = None,
) -> Checkout:
    """A parent pays by SERS ID. The session comes back to /pay, and carries no email of
    the student's: only the one the parent gave for Stripe's receipt, if any."""
    student_id = _verified_student(sers_id, birth_date, client_address, at)
    year = rules.school_year_or_current(school_year, at)
    return _checkout(
        student_id,
        year,
        at,
        success_path="/pay/?paid=1&session_id={CHECKOUT_SESSION_ID}",
        cancel_path="/pay/?cancelled=1",
        email=receipt_email,
    )


def _checkout(
    student_id: str,
    year: rules.SchoolYear,
    at: datetime,
    *,
    success_path: str,
    cancel_path: str,
    email: str | None | Literal["student"] = "student",
) -> Checkout:
    """`email`: the session's customer_email; "student" is the student's own address."""
    payer = "student" if email == "student" else _parent_payer(email)
    profile, record, window_record = checkouts.load_for_checkout(student_id, year.name)
    if profile is None:
        raise Conflict("Complete your profile first.", code="profile_missing")
    if record is None:
        raise Conflict(
            f"Register a {year.name} class before paying its fee.", code="not_registered"
        )
    facts = record.fee_facts
    amount = rules.amount_due(facts)
    if amount == 0:
        raise Conflict(
            f"Nothing is due for {year.name} ({_status_words(facts)}).", code="nothing_due"
        )
    if not rules.may_start_checkout(facts):
        raise Conflict(BANK_PAYMENT_PROCESSING, code="payment_processing")
    window = window_record.window
    late_fee = rules.late_fee_applies(facts)
    if not rules.may_pay_now(window_open=window.is_open(at), prior_year_credit=late_fee):
        raise Conflict(_window_closed(year.name, window), code="window_closed")
    existing = record.checkout
    if existing is not None and existing.payer == payer and _reusable(existing, amount, at):
        return _checkout_out(existing, amount)
    closes_at = None if late_fee else window.closes_at
    bucket = int(at.timestamp() // CHECKOUT_BUCKET.total_seconds())
    bucket_start = datetime.fromtimestamp(bucket * CHECKOUT_BUCKET.total_seconds(), at.tzinfo)
    expires_at = rules.checkout_expires_at(bucket_start, closes_at)
    base = get_settings().app_base_url
    try:
        session = stripe_gateway.create_checkout_session(
            amount_cents=amount,
            description=f"CTE Dual Credit fee {year.name}" + (" with late fee" if late_fee else ""),
            sers_id=profile.sers_id,
            student_id=student_id,
            school_year=year.name,
            email=profile.email if email == "student" else email,
            success_url=f"{base}{success_path}",
            cancel_url=f"{base}{cancel_path}",
            expires_at=expires_at,
            idempotency_key=(
                f"checkout:{student_id}:{year.name}:{amount}:{bucket}:"
                f"{record.checkout_generation}:{payer}"
            ),
        )
    except stripe_gateway.StripeUnavailable:
        raise Unavailable(
            "Card payment is not available right now. Please try again in a few minutes.",
            code="payments_unavailable",
        ) from None
    checkout = OpenCheckout(
        session_id=session["id"],
        url=session["url"],
        expires_at=session["expires_at"],
        amount_cents=amount,
        payer=payer,
    )
    if checkouts.store_checkout(student_id, year.name, checkout, at):
        return _checkout_out(checkout, amount)
    # Another request stored its session first: use that one, retire ours; unless it is
    # another payer's (it returns elsewhere, with another email): ours stays, unstored
    # (its payment is still checked against its record; a second payment is refunded).
    now = payment_data.student_year(student_id, year.name)
    stored = now.checkout if now else None
    if stored and stored.payer != payer:
        return _checkout_out(checkout, amount)
    if stored and stored.session_id != checkout.session_id:
        stripe_gateway.expire_checkout_session(checkout.session_id)
    return _checkout_out(stored or checkout, amount)


def _parent_payer(email: str | None) -> str:
    """The payer of a session by SERS ID: the parent's email, hashed (it is a key part)."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16] if email else ""
    return f"pay:{digest}"


def _pay_page_window(school_year: str, window: rules.Window, at: datetime) -> str:
    """Why the pay page offers no Pay: the window has closed, or not opened yet."""
    if window.status(at) is rules.WindowStatus.NOT_YET_OPEN:
        return f"Payments for {school_year} open on {rules.long_date(window.opens_on)}."
    return f"Payments for {school_year} closed on {rules.long_date(window.closes_on)}."


def _window_closed(school_year: str, window: rules.Window) -> str:
    return (
        f"Payments for {school_year} are taken from {rules.long_date(window.opens_on)} to "
        f"{rules.long_date(window.closes_on)}."
    )


def _status_words(facts: rules.FeeFacts) -> str:
    return rules.fee_status(facts).value.replace("_", " ")


def _reusable(checkout: OpenCheckout, amount: int, at: datetime) -> bool:
    return checkout.amount_cents == amount and (
        checkout.expires_at > (at + REUSE_MARGIN).timestamp()
    )


def _checkout_out(checkout: OpenCheckout, amount: int) -> Checkout:
    return Checkout(
        session_id=checkout.session_id,
        checkout_url=checkout.url,
        expires_at=datetime.fromtimestamp(checkout.expires_at).astimezone(rules.PACIFIC),
        amount_cents=amount,
    )


# --------------------------------------------------------------------------- checks


def record_check(caller: Caller, student_id: str, check: CheckIn, at: datetime) -> Payment:
    """Staff record a check or money order; the same one-payment rule applies. A date
    received after today (Pacific) is refused, naming the field as the form does."""
    caller.require(Role.STAFF)
    try:
        rules.validate_received_on(check.received_on, at)
    except rules.RuleError as error:
        label = CheckIn.labels["received_on"]
        raise InvalidInput(f"{label} {error}", field="received_on") from None
    record = payment_data.student_year(student_id, check.school_year)
    if record is None:
        raise Conflict(
            f"The student has no {check.school_year} registration or approved prior-year credit.",
            code="not_registered",
        )
    facts = record.fee_facts
    if rules.payment_slot(facts) is None:
        raise Conflict(
            f"Nothing is due for {check.school_year} ({_status_words(facts)}).",
            code="nothing_due",
        )
    due = rules.amount_due(facts)
    if rules.payment_mismatch(amount_cents=check.amount_cents, expected_cents=due) is not None:
        raise InvalidInput(f"The amount due is {mail.money(due)}.", field="amount_cents")
    payment = PaymentRecord(
        payment_id=f"{check.kind.replace('_', '-')}-{uuid.uuid4().hex[:12]}",
        method=PaymentMethod(check.kind),
        student_id=student_id,
        school_year=check.school_year,
        sers_id=record.sers_id,
        amount_cents=check.amount_cents,
        received_on=check.received_on.isoformat(),
        instrument_number=check.instrument_number,
        payer_name=check.payer_name,
        note=check.note,
        recorded_by=caller.user,
        recorded_at=at.isoformat(),
    )
    outcome = settle_check(payment, actor=caller.actor, at=at)
    if outcome is Settlement.DUPLICATE:
        raise Conflict("Another payment settled this fee first.", code="nothing_due")
    if outcome is Settlement.NO_STUDENT_YEAR:
        raise Conflict(f"The student has no {check.school_year} record.", code="not_registered")
    return Payment.model_validate(payment, from_attributes=True)


def retry_refund(caller: Caller, payment_id: str, at: datetime) -> PaymentRecord:
    """Staff ask Stripe again to refund a duplicate card payment whose refund Stripe
    refused. Returns the payment as it now stands: refunded (`duplicate_refund_id`), or
    with Stripe's new reason in `refund_error`. A refund that did not fail is a Conflict:
    one Stripe could not be reached for is asked again by Stripe's redelivery."""
    caller.require(Role.STAFF)
    payment = payment_data.get_payment(payment_id)
    if payment is None:
        raise NotFound("There is no such payment.", field="payment_id")
    if payment.method is not PaymentMethod.CARD or not payment.duplicate:
        raise Conflict(
            "Only a duplicate card payment is refunded from here.", code="not_refundable"
        )
    if payment.duplicate_refund_id or payment.refunded:
        raise Conflict("This payment is already refunded.", code="already_refunded")
    if not review.refund_failed(payment):
        raise Conflict("The refund of this payment did not fail.", code="refund_not_failed")
    try:
        stripe_events.refund_duplicate(payment, actor=caller.actor, at=at)
    except stripe_gateway.StripeUnavailable:
        raise Unavailable(
            "Stripe cannot be reached right now. Please try again in a few minutes.",
            code="payments_unavailable",
        ) from None
    return payment_data.get_payment(payment_id) or payment


def void_payment(caller: Caller, payment_id: str, request: VoidRequest, at: datetime) -> Payment:
    """Undo a mistaken check or money order entry; the fee is due again. The entry stays
    on the student's pages as voided with its reason, and the family is emailed."""
    caller.require(Role.STAFF)
    payment = payment_data.get_payment(payment_id)
    if payment is None:
        raise NotFound("There is no such payment.", field="payment_id")
    if payment.method is PaymentMethod.CARD:
        raise Conflict("Card payments are refunded in Stripe, not voided.", code="not_voidable")
    if payment.voided:
        raise Conflict("This entry is already void.", code="already_void")
    payment_data.void(payment, request.reason, actor=caller.actor, at=at)
    payment_notices.send_void_notice(payment, request.reason)
    return Payment.model_validate(
        replace(payment, voided=True, void_reason=request.reason), from_attributes=True
    )
