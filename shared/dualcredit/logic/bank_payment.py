"""Bank (ACH) payments through Stripe Checkout: the session completes unpaid, and the
money is confirmed, or not, up to four business days later. Meanwhile the year shows
the payment as processing and offers no new checkout; a failure emails the student how
to pay instead, and Pay is offered again."""

from __future__ import annotations

from typing import Any

from dualcredit import mail, rules
from dualcredit.dal import checkouts
from dualcredit.dal import payments as payment_data
from dualcredit.dal import students as student_data
from dualcredit.logic import family_mail
from dualcredit.observability import metrics
from dualcredit.settings import get_settings


def _student_year(session: dict[str, Any]) -> tuple[str, str] | None:
    meta = session.get("metadata") or {}
    if meta.get("student_id") and meta.get("school_year"):
        return meta["student_id"], meta["school_year"]
    return None


def settled(session: dict[str, Any]) -> None:
    """Stripe confirmed the bank payment (its settlement is the paid session's)."""
    named = _student_year(session)
    if named is not None:
        checkouts.end_bank_payment(*named, session["id"])


def failed(session: dict[str, Any]) -> None:
    """Stripe says the bank payment failed: the year waits for it no more, its checkout
    is closed, and the student is told how to pay (unless nothing is due any more)."""
    named = _student_year(session)
    if named is None:
        return
    student_id, school_year = named
    checkouts.clear_checkout(student_id, school_year, session["id"])
    checkouts.end_bank_payment(student_id, school_year, session["id"])
    metrics.add_metric(name="BankPaymentFailed", unit="Count", value=1)
    year = payment_data.student_year(student_id, school_year)
    profile = student_data.get_profile(student_id)
    due = rules.amount_due(year.fee_facts) if year else 0
    if profile is None or due == 0:
        return
    base = get_settings().app_base_url
    values = {
        "sers_id": profile.sers_id,
        "school_year": school_year,
        "amount": mail.money(due),
        "dashboard_url": f"{base}/dashboard",
        "pay_url": f"{base}/pay",
    }
    family_mail.send(profile, "bank_payment_failed", lambda _: values, kind="bank_payment_failed")
