"""Paying the fee: Stripe Checkout (signed in, or by SERS ID and birth date), and the
staff entry and voiding of checks and money orders. Stripe's events are handled in
logic/stripe_events.py; settling a year with a payment in logic/settlement.py."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from dualcredit import mail, rules
from dualcredit.dal import payments as payment_data
from dualcredit.dal import stripe_gateway, throttle
from dualcredit.dal import students as student_data
from dualcredit.errors import Conflict, InvalidInput, NotFound, TooManyRequests, Unavailable
from dualcredit.logic.caller import Caller, Role
from dualcredit.logic.fees import FeeFacts
from dualcredit.logic.settlement import settle_payment
from dualcredit.logic.windows import window_from_record
from dualcredit.models.payments import CheckIn, Checkout, PaySummary, VoidRequest
from dualcredit.settings import get_settings

#: Sessions asked for within the same minute share an idempotency key and identical
#: parameters, so two tabs get one session from Stripe itself.
CHECKOUT_BUCKET = timedelta(minutes=1)
#: An open session is reused only if it has this long left.
REUSE_MARGIN = timedelta(minutes=5)
LOOKUP_LIMIT_PER_CLIENT = 10
LOOKUP_LIMIT_PER_SERS_ID = 5
LOOKUP_WINDOW = timedelta(hours=1)
NO_MATCH = "We could not find a student with that SERS ID and date of birth."

# --------------------------------------------------------------------------- checkout


def checkout_for_student(caller: Caller, school_year: str | None, at: datetime) -> Checkout:
    """A signed-in student pays their own fee."""
    caller.require(Role.STUDENT)
    year = rules.school_year_or_current(school_year, at)
    return _checkout(
        caller.user_id, year, at, success_path="/dashboard?paid=1", cancel_path="/dashboard"
    )


def _verified_student(sers_id: str, birth_date: date, client_address: str, at: datetime) -> str:
    """The student id behind a SERS ID and birth date pair; one generic answer for any
    mismatch, and throttled per client and per SERS ID."""
    try:
        canonical = rules.parse_sers_id(sers_id, prefix=get_settings().sers_prefix)
    except rules.InvalidSersId as error:
        raise InvalidInput(str(error), field="sers_id") from None
    allowed = throttle.take(
        [
            ("pay-lookup-client", client_address, LOOKUP_LIMIT_PER_CLIENT),
            ("pay-lookup-sers", canonical, LOOKUP_LIMIT_PER_SERS_ID),
        ],
        at=at,
        window=LOOKUP_WINDOW,
    )
    if not allowed:
        raise TooManyRequests("Too many tries. Please wait an hour and try again.")
    claim = student_data.claim_for_sers_id(canonical)
    profile = student_data.get_profile(claim["student_id"]) if claim else None
    if profile is None or profile["birth_date"] != birth_date.isoformat():
        raise NotFound(NO_MATCH, code="no_match")
    return profile["student_id"]


def pay_summary(
    sers_id: str, birth_date: date, school_year: str | None, client_address: str, at: datetime
) -> PaySummary:
    """What a parent sees before paying by SERS ID: masked name, year, amount due."""
    student_id = _verified_student(sers_id, birth_date, client_address, at)
    year = rules.school_year_or_current(school_year, at)
    profile, record, _ = payment_data.load_for_checkout(student_id, year.name)
    facts = FeeFacts.of(record)
    return PaySummary(
        sers_id=profile["sers_id"],
        masked_name=rules.mask_name(profile["legal_first_name"], profile["legal_last_name"]),
        school_year=year.name,
        fee_status=facts.status().value,
        amount_due_cents=facts.amount_due() if record else 0,
        registered=record is not None,
    )


def checkout_by_sers_id(
    sers_id: str, birth_date: date, school_year: str | None, client_address: str, at: datetime
) -> Checkout:
    student_id = _verified_student(sers_id, birth_date, client_address, at)
    year = rules.school_year_or_current(school_year, at)
    return _checkout(student_id, year, at, success_path="/pay?paid=1", cancel_path="/pay")


def _checkout(
    student_id: str, year: rules.SchoolYear, at: datetime, *, success_path: str, cancel_path: str
) -> Checkout:
    profile, record, window_record = payment_data.load_for_checkout(student_id, year.name)
    if profile is None:
        raise Conflict("Complete your profile first.", code="profile_missing")
    if record is None:
        raise Conflict(
            f"Register a {year.name} class before paying its fee.", code="not_registered"
        )
    facts = FeeFacts.of(record)
    amount = facts.amount_due()
    if amount == 0:
        raise Conflict(
            f"Nothing is due for {year.name} ({facts.status().value.replace('_', ' ')}).",
            code="nothing_due",
        )
    window = window_from_record(year, window_record)
    if not rules.may_pay_now(
        window_open=window.is_open(at), prior_year_credit=facts.late_fee_applies
    ):
        raise Conflict(
            f"Payments for {year.name} are taken from {window.opens_on:%B %-d, %Y} to "
            f"{window.closes_on:%B %-d, %Y}.",
            code="window_closed",
        )
    existing = record.get("checkout")
    if _reusable(existing, amount, at):
        return _checkout_out(existing, amount)
    closes_at = None if facts.late_fee_applies else window.closes_at
    bucket = int(at.timestamp() // CHECKOUT_BUCKET.total_seconds())
    bucket_start = datetime.fromtimestamp(bucket * CHECKOUT_BUCKET.total_seconds(), at.tzinfo)
    expires_at = rules.checkout_expires_at(bucket_start, closes_at)
    base = get_settings().app_base_url
    try:
        session = stripe_gateway.create_checkout_session(
            amount_cents=amount,
            description=f"CTE Dual Credit fee {year.name}"
            + (" with late fee" if facts.late_fee_applies else ""),
            sers_id=profile["sers_id"],
            student_id=student_id,
            school_year=year.name,
            email=profile["email"],
            success_url=f"{base}{success_path}",
            cancel_url=f"{base}{cancel_path}",
            expires_at=expires_at,
            idempotency_key=(
                f"checkout:{student_id}:{year.name}:{amount}:{bucket}:"
                f"{record.get('checkout_generation', 0)}"
            ),
        )
    except stripe_gateway.StripeUnavailable:
        raise Unavailable(
            "Card payment is not available right now. Please try again in a few minutes.",
            code="payments_unavailable",
        ) from None
    checkout = {
        "session_id": session["id"],
        "url": session["url"],
        "expires_at": session["expires_at"],
        "amount_cents": amount,
    }
    if payment_data.store_checkout(student_id, year.name, checkout, at):
        return _checkout_out(checkout, amount)
    # Another request stored its session first: use that one, retire ours.
    stored = (payment_data.student_year(student_id, year.name) or {}).get("checkout")
    if stored and stored["session_id"] != session["id"]:
        stripe_gateway.expire_checkout_session(session["id"])
    return _checkout_out(stored or checkout, amount)


def _reusable(checkout: dict | None, amount: int, at: datetime) -> bool:
    return (
        bool(checkout)
        and checkout["amount_cents"] == amount
        and (checkout["expires_at"] > (at + REUSE_MARGIN).timestamp())
    )


def _checkout_out(checkout: dict[str, Any], amount: int) -> Checkout:
    return Checkout(
        session_id=checkout["session_id"],
        checkout_url=checkout["url"],
        expires_at=datetime.fromtimestamp(checkout["expires_at"]).astimezone(rules.PACIFIC),
        amount_cents=amount,
    )


# --------------------------------------------------------------------------- checks


def record_check(caller: Caller, student_id: str, check: CheckIn, at: datetime) -> dict[str, Any]:
    """Staff record a check or money order; the same one-payment rule applies."""
    caller.require(Role.STAFF)
    record = payment_data.student_year(student_id, check.school_year)
    if record is None:
        raise Conflict(
            f"The student has no {check.school_year} registration or approved prior-year credit.",
            code="not_registered",
        )
    facts = FeeFacts.of(record)
    if facts.slot() is None:
        raise Conflict(
            f"Nothing is due for {check.school_year} ({facts.status().value.replace('_', ' ')}).",
            code="nothing_due",
        )
    if check.amount_cents != facts.amount_due():
        raise InvalidInput(
            f"The amount due is {mail.money(facts.amount_due())}.", field="amount_cents"
        )
    payment = {
        "payment_id": f"{check.kind.replace('_', '-')}-{uuid.uuid4().hex[:12]}",
        "method": check.kind,
        "student_id": student_id,
        "school_year": check.school_year,
        "sers_id": record.get("sers_id", ""),
        "amount_cents": check.amount_cents,
        "received_on": check.received_on.isoformat(),
        "instrument_number": check.instrument_number,
        "payer_name": check.payer_name,
        "note": check.note,
        "recorded_by": caller.user_id,
        "recorded_at": at.isoformat(),
    }
    outcome = settle_payment(payment, actor=caller.actor, at=at, new_payment=True)
    if outcome == "duplicate":
        raise Conflict("Another payment settled this fee first.", code="nothing_due")
    return payment


def void_payment(
    caller: Caller, payment_id: str, request: VoidRequest, at: datetime
) -> dict[str, Any]:
    """Undo a mistaken check or money order entry; the fee is due again."""
    caller.require(Role.STAFF)
    payment = payment_data.get_payment(payment_id)
    if payment is None:
        raise NotFound("There is no such payment.", field="payment_id")
    if payment["method"] == "card":
        raise Conflict("Card payments are refunded in Stripe, not voided.", code="not_voidable")
    if payment.get("voided"):
        raise Conflict("This entry is already void.", code="already_void")
    status = {
        "voided": True,
        "void_reason": request.reason,
        "voided_by": caller.user_id,
        "voided_at": at.isoformat(),
    }
    payment_data.unsettle(
        payment, reason="payment.voided", actor=caller.actor, at=at, status=status
    )
    return {**payment, **status}
