"""Emails about a payment after staff changed it: a voided check or money order entry."""

from __future__ import annotations

from datetime import date

from dualcredit import mail, rules
from dualcredit.dal import payments as payment_data
from dualcredit.dal import students as student_data
from dualcredit.dal.records import PaymentMethod, PaymentRecord
from dualcredit.logic import notify
from dualcredit.settings import get_settings

_KINDS = {PaymentMethod.CHECK: "Check", PaymentMethod.MONEY_ORDER: "Money order"}


def send_void_notice(payment: PaymentRecord, reason: str) -> bool:
    """Tell the family a recorded check or money order was voided, why, and what is due
    now (read after the void: the fee is usually due again). False if not sent."""
    if payment.student_id is None or payment.school_year is None:
        return False
    profile = student_data.get_profile(payment.student_id)
    if profile is None:
        return False
    year = payment_data.student_year(payment.student_id, payment.school_year)
    due = rules.amount_due(year.fee_facts) if year else 0
    fee_line = (
        f"The fee for {payment.school_year} is due again: {mail.money(due)}."
        if due
        else f"Nothing is due for {payment.school_year} now."
    )
    kind = _KINDS.get(payment.method, "Payment") if payment.method else "Payment"
    number = f" {payment.instrument_number}" if payment.instrument_number else ""
    base = get_settings().app_base_url
    message = mail.render(
        "payment_voided",
        f"Payment voided: CTE Dual Credit {payment.school_year} (SERS ID {profile.sers_id})",
        sers_id=profile.sers_id,
        school_year=payment.school_year,
        payment=f"{kind}{number}",
        amount=mail.money(payment.amount_cents),
        received_on=rules.long_date(date.fromisoformat(payment.received_on))
        if payment.received_on
        else "",
        reason=reason,
        fee_line=fee_line,
        pay_url=f"{base}/pay",
        dashboard_url=f"{base}/dashboard",
    )
    return notify.deliver(profile.email, message, kind="payment_voided")
