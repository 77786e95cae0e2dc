"""Settling a student-year's fee with a payment: a card payment (from Stripe's events)
or a check or money order (recorded by staff), two entry points over one core.

A student-year ends with at most one payment settling its fee (and one its late
fee): the data layer writes the slot with `attribute_not_exists`, and a payment that
finds nothing left to settle is a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Protocol

from dualcredit import mail, rules
from dualcredit.dal import payments as payment_data
from dualcredit.dal import settling
from dualcredit.dal import students as student_data
from dualcredit.dal.audit import Actor
from dualcredit.dal.records import PaymentMethod, PaymentRecord, ProfileRecord, StudentYear
from dualcredit.i18n import Language
from dualcredit.logic import family_mail
from dualcredit.observability import metrics
from dualcredit.settings import get_settings

#: Reads of the year before giving up: each retry follows a write that raced ahead.
ATTEMPTS = 3


class Settlement(Enum):
    """What became of a payment offered to its student-year."""

    SETTLED_FEE = "settled fee"
    SETTLED_LATE_FEE = "settled late_fee"
    #: The year owed nothing (or another payment settled it first): one payment a year.
    DUPLICATE = "duplicate"
    #: This payment settled, was refunded or was found a duplicate by an earlier delivery.
    ALREADY_SETTLED = "already settled"
    #: The payment names a student-year that does not exist: a payment never creates one.
    NO_STUDENT_YEAR = "no student-year"

    @classmethod
    def of_slot(cls, slot: rules.PaymentSlot) -> Settlement:
        return cls.SETTLED_FEE if slot is rules.PaymentSlot.FEE else cls.SETTLED_LATE_FEE


class _WriteSettlement(Protocol):
    """The data layer's write of a settlement: `settle_new` or `settle_recorded`."""

    def __call__(
        self,
        payment: PaymentRecord,
        *,
        slot: rules.PaymentSlot,
        covers_late_fee: bool,
        school_id: str | None,
        actor: Actor,
        at: datetime,
    ) -> None: ...


def settle_check(payment: PaymentRecord, *, actor: Actor, at: datetime) -> Settlement:
    """A new check or money order entry: written only if it settles something."""
    return _settle(payment, settling.settle_new, actor=actor, at=at, when_taken=_duplicate)


def settle_card(
    payment: PaymentRecord,
    *,
    at: datetime,
    year: StudentYear | None = None,
    profile: ProfileRecord | None = None,
) -> Settlement:
    """A card payment its event recorded. `year` and `profile`, when the caller has just
    read them (consistently), are used instead of reading them again: the year for the
    first attempt, the profile for the receipt. When another write raced ahead, the year
    is read again, unless the payment itself was settled meanwhile (a redelivery)."""
    return _settle(
        payment,
        settling.settle_recorded,
        actor=payment_data.STRIPE,
        at=at,
        when_taken=lambda: _closed_meanwhile(payment),
        first_year=year,
        profile=profile,
    )


def _duplicate() -> Settlement:
    return Settlement.DUPLICATE


def _closed_meanwhile(payment: PaymentRecord) -> Settlement | None:
    current = payment_data.get_payment(payment.payment_id)
    return Settlement.ALREADY_SETTLED if current and current.closed else None


def _settle(
    payment: PaymentRecord,
    write: _WriteSettlement,
    *,
    actor: Actor,
    at: datetime,
    when_taken: Callable[[], Settlement | None],
    first_year: StudentYear | None = None,
    profile: ProfileRecord | None = None,
) -> Settlement:
    if payment.student_id is None or payment.school_year is None:
        raise ValueError(f"payment {payment.payment_id} names no student-year")
    known = first_year
    for _ in range(ATTEMPTS):
        year = known or payment_data.student_year(payment.student_id, payment.school_year)
        known = None  # a retry follows a write that raced ahead: read the year again
        if year is None:
            return Settlement.NO_STUDENT_YEAR
        facts = year.fee_facts
        slot = rules.payment_slot(facts)
        if slot is None:
            return Settlement.DUPLICATE
        try:
            write(
                payment,
                slot=slot,
                covers_late_fee=rules.covers_late_fee(facts, payment.amount_cents),
                school_id=year.school_id,
                actor=actor,
                at=at,
            )
        except settling.SlotTaken:
            outcome = when_taken()
            if outcome is not None:
                return outcome
            continue
        metrics.add_metric(name="PaymentSettled", unit="Count", value=1)
        _send_receipt(payment, profile)
        return Settlement.of_slot(slot)
    return Settlement.DUPLICATE


_METHOD_PHRASES = {
    PaymentMethod.CARD: "method.card",
    PaymentMethod.CHECK: "method.check",
    PaymentMethod.MONEY_ORDER: "method.money_order",
}


def _send_receipt(payment: PaymentRecord, profile: ProfileRecord | None = None) -> None:
    if profile is None or profile.student_id != payment.student_id:
        profile = student_data.get_profile(str(payment.student_id))
    if profile is None or payment.method is None or payment.received_on is None:
        return
    method, received_on = payment.method, date.fromisoformat(payment.received_on)
    sers_id = profile.sers_id

    def values(language: Language) -> dict[str, str]:
        return {
            "sers_id": sers_id,
            "amount": mail.money(payment.amount_cents),
            "school_year": str(payment.school_year),
            "paid_on": rules.long_date(received_on, language),
            "method": mail.phrase(_METHOD_PHRASES[method], language),
            "reference": payment.payment_id,
            "dashboard_url": f"{get_settings().app_base_url}/dashboard",
        }

    family_mail.send(profile, "payment_receipt", values, kind="payment_receipt")
