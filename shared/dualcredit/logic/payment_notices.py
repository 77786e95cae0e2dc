"""Emails about a payment after staff changed it: a voided check or money order entry."""

from __future__ import annotations

from datetime import date

from dualcredit import mail, rules
from dualcredit.dal import payments as payment_data
from dualcredit.dal import students as student_data
from dualcredit.dal.records import PaymentMethod, PaymentRecord
from dualcredit.i18n import Language
from dualcredit.logic import family_mail
from dualcredit.settings import get_settings

_KINDS = {PaymentMethod.CHECK: "method.Check", PaymentMethod.MONEY_ORDER: "method.Money order"}


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
    base = get_settings().app_base_url

    def values(language: Language) -> dict[str, str]:
        fee_line = (
            mail.phrase(
                "voided.due_again", language, year=payment.school_year, amount=mail.money(due)
            )
            if due
            else mail.phrase("voided.nothing_due", language, year=payment.school_year)
        )
        kind = _KINDS.get(payment.method, "method.payment") if payment.method else "method.payment"
        number = f" {payment.instrument_number}" if payment.instrument_number else ""
        return {
            "sers_id": profile.sers_id,
            "school_year": str(payment.school_year),
            "payment": f"{mail.phrase(kind, language)}{number}",
            "amount": mail.money(payment.amount_cents),
            "received_on": rules.long_date(date.fromisoformat(payment.received_on), language)
            if payment.received_on
            else "",
            "reason": reason,
            "fee_line": fee_line,
            "pay_url": f"{base}/pay",
            "dashboard_url": f"{base}/dashboard",
        }

    return family_mail.send(profile, "payment_voided", values, kind="payment_voided")
