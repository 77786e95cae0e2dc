"""The program's public facts, from the rules and the settings (never from the pages)."""

from __future__ import annotations

from dualcredit import rules
from dualcredit.models.program import CheckPayment, Program
from dualcredit.settings import get_settings


def program() -> Program:
    settings = get_settings()
    return Program(
        consortium_name=settings.consortium_name,
        contact_email=settings.staff_email,
        fee_cents=rules.BASE_FEE_CENTS,
        late_fee_cents=rules.LATE_FEE_CENTS,
        grade_threshold=rules.DEFAULT_GRADE_THRESHOLD,
        check=CheckPayment(
            payee=settings.check_payee, mailing_address=list(settings.check_mailing_address)
        ),
    )
