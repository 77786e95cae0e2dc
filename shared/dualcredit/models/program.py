"""What the program publishes to families: the fee, what it covers, the grade rule, how to
pay by check or money order, and who to contact (from the rules and the settings)."""

from __future__ import annotations

from dualcredit.models.common import Model


class CheckPayment(Model):
    """How to pay by check or money order."""

    payee: str
    mailing_address: list[str]
    #: What to write on the check so the office can match it: the student's SERS ID.
    memo: str = "sers_id"


class Program(Model):
    consortium_name: str
    contact_email: str
    fee_cents: int
    late_fee_cents: int
    #: The grade a class needs, unless the course sets its own (B).
    grade_threshold: str
    check: CheckPayment
