"""Settling a student-year's fee with a payment, whoever recorded it (Stripe or staff).

A student-year ends with at most one payment settling its fee (and one its late
fee): `dal.payments.settle` writes the slot with `attribute_not_exists`, and a
payment that finds nothing left to settle is reported as a duplicate.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from dualcredit import mail
from dualcredit.dal import payments as payment_data
from dualcredit.dal import students as student_data
from dualcredit.dal.audit import Actor
from dualcredit.logic import notify
from dualcredit.logic.fees import FeeFacts
from dualcredit.observability import metrics
from dualcredit.settings import get_settings


def settle_payment(
    payment: dict[str, Any], *, actor: Actor, at: datetime, new_payment: bool
) -> str:
    """Settle the student-year with `payment`, or mark it a duplicate. Returns the outcome."""
    for _ in range(3):
        record = payment_data.student_year(payment["student_id"], payment["school_year"])
        facts = FeeFacts.of(record)
        slot = facts.slot()
        if slot is None:
            return "duplicate"
        profile_school = (record or {}).get("school_id")
        try:
            payment_data.settle(
                payment=payment,
                slot=slot,
                covers_late_fee=facts.covers_late_fee(payment["amount_cents"]),
                profile_school_id=profile_school,
                actor=actor,
                at=at,
                new_payment=new_payment,
            )
        except payment_data.SlotTaken:
            if new_payment or _already_settled(payment):
                return "duplicate" if new_payment else "already settled"
            continue
        metrics.add_metric(name="PaymentSettled", unit="Count", value=1)
        _send_receipt(payment, at)
        return f"settled {slot.value}"
    return "duplicate"


def _already_settled(payment: dict[str, Any]) -> bool:
    current = payment_data.get_payment(payment["payment_id"]) or {}
    return bool(current.get("settles") or current.get("refunded") or current.get("duplicate"))


def _send_receipt(payment: dict[str, Any], at: datetime) -> None:
    profile = student_data.get_profile(payment["student_id"])
    if profile is None:
        return
    method = {"card": "card", "check": "check", "money_order": "money order"}[payment["method"]]
    message = mail.render(
        "payment_receipt",
        f"Receipt: CTE Dual Credit {payment['school_year']} (SERS ID {profile['sers_id']})",
        sers_id=profile["sers_id"],
        amount=mail.money(payment["amount_cents"]),
        school_year=payment["school_year"],
        paid_on=f"{date.fromisoformat(payment['received_on']):%B %-d, %Y}",
        method=method,
        reference=payment["payment_id"],
        dashboard_url=f"{get_settings().app_base_url}/dashboard",
    )
    notify.deliver(profile["email"], message, kind="payment_receipt")
