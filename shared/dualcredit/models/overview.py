"""The student's overview: every year's fee in its parts and deadline, each class's stage
and next step, pending requests, and how to pay by check (one request for the dashboard)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from dualcredit.models.catalog import WindowOut
from dualcredit.models.common import Model
from dualcredit.models.program import Program
from dualcredit.models.student import Registration, SettledPayment, VoidedPayment

Stage = Literal["registered", "not_in_class", "confirmed", "graded", "credit_sent", "credit_posted"]
Step = Literal[
    "school_confirms",
    "teacher_posts_grade",
    "pay_fee",
    "waiver_decision",
    "credit_to_be_sent",
    "college_posts",
    "no_credit",
    "ask_school",
    "none",
]


class ClassOverview(Registration):
    """A registered class with where it stands (the rules decide, the page words it)."""

    stage: Stage
    next_step: Step
    #: The date the next step is due by (the grading deadline, the fee's last day), if any.
    next_date: date | None = None
    #: The grade the class is held to (the course's, else B).
    threshold: str
    #: Whether the posted grade earns the credit; None before a grade is posted.
    earns_credit: bool | None = None
    #: The day staff sent the credit to the college (its transcript batch was closed).
    credit_sent_on: date | None = None
    #: The day the college's registrar posted it ("credit posted by <college> on <date>").
    credit_posted_on: date | None = None


class FeeBreakdown(Model):
    #: The year's $50 (0 once paid or waived).
    fee_cents: int
    #: The $15 late fee of approved prior-year credit (0: none, paid or waived).
    late_fee_cents: int
    #: What the year will owe if its pending waiver is not approved.
    if_not_waived_cents: int


class YearOverview(Model):
    school_year: str
    fee_status: Literal["due", "paid", "waived", "waiver_pending"]
    #: What to pay now (0 while a waiver is pending).
    amount_due_cents: int
    payments: list[SettledPayment] = []
    voided_payments: list[VoidedPayment] = []
    #: A bank payment is on its way (up to 4 business days): no Pay meanwhile.
    bank_payment_processing: bool = False
    #: The last day to register and pay for the year (the window's close, with extensions).
    deadline: date
    #: The last day schools post the year's grades.
    grading_deadline: date
    prior_year_credit: bool = False
    fee: FeeBreakdown
    classes: list[ClassOverview]


class RequestStatus(Model):
    """A waiver or prior-year credit request, as the student sees it."""

    kind: Literal["waiver", "prior_year"]
    school_year: str
    status: Literal["pending", "approved", "denied"]
    requested_at: datetime
    #: Prior-year requests: the class asked about.
    high_school_course: str | None = None


class Overview(Model):
    student_id: str
    sers_id: str
    #: The current school year's window (the card shown before anything is registered).
    window: WindowOut
    years: list[YearOverview]
    requests: list[RequestStatus]
    program: Program
