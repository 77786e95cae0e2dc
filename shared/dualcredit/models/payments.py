from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from dualcredit.models.common import (
    ApiModel,
    Email,
    Model,
    OptionalText,
    SchoolYearName,
    Text,
)


class CheckoutRequest(ApiModel):
    school_year: SchoolYearName | None = None


class Checkout(Model):
    session_id: str
    checkout_url: str
    expires_at: datetime
    amount_cents: int


class Fulfilment(Model):
    """A Checkout Session the student came back from, as the app now has it.

    `payment`: `recorded` (it settles the year, now or earlier), `under_review` (received
    but held for staff), `processing` (a bank payment Stripe has not confirmed yet),
    `confirming` (Stripe's own notice of it is being applied right now: ask again in a
    moment), `not_paid` (the session is open or expired)."""

    session_id: str
    school_year: str
    payment: Literal["recorded", "under_review", "processing", "confirming", "not_paid"]
    fee_status: Literal["due", "paid", "waived", "waiver_pending"]
    amount_due_cents: int


class ReconciliationRunOut(Model):
    """One daily reconciliation with Stripe: what it read and what became of it."""

    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    since: datetime
    days: int
    pages: int
    events_read: int
    #: Events the webhook had missed, applied by this run.
    applied: int
    already_applied: int
    in_progress: int
    failed: int
    outcomes: dict[str, int]


class PayLookup(ApiModel):
    """A parent proves they know the student: SERS ID and date of birth."""

    labels = {"sers_id": "SERS ID", "birth_date": "Student's date of birth"}

    sers_id: Text
    birth_date: date
    school_year: SchoolYearName | None = None


class PayCheckoutRequest(PayLookup):
    """Paying by SERS ID: the lookup's proof, and the payer's own email if they want
    Stripe's receipt (the student's email is never sent to Stripe on this path)."""

    labels = {**PayLookup.labels, "receipt_email": "Your email for the receipt"}

    receipt_email: Email | None = None


class PaySummary(Model):
    sers_id: str
    masked_name: str
    school_year: str
    fee_status: Literal["due", "paid", "waived", "waiver_pending"]
    amount_due_cents: int
    registered: bool
    #: A bank payment is on its way (up to 4 business days): no Pay meanwhile.
    bank_payment_processing: bool = False
    #: Whether Pay may be offered now: the window is open, or the year's approved
    #: prior-year credit may be paid outside it (rules.may_pay_now).
    window_open: bool = True
    #: When it may not: when payments for the year are taken.
    window_message: str | None = None


class CheckIn(ApiModel):
    labels = {
        "kind": "Kind of payment",
        "school_year": "School year it pays for",
        "instrument_number": "Check or money order number",
        "amount_cents": "Amount in dollars",
        "received_on": "Date received",
        "payer_name": "Payer's name",
        "note": "Note",
    }

    kind: Literal["check", "money_order"]
    school_year: SchoolYearName
    instrument_number: Text
    amount_cents: int = Field(gt=0, le=100_000)
    received_on: date
    payer_name: Text
    note: OptionalText | None = None


class VoidRequest(ApiModel):
    labels = {"reason": "Reason for voiding the payment"}

    reason: Text


class Payment(Model):
    payment_id: str
    method: Literal["card", "check", "money_order"]
    student_id: str
    school_year: str
    amount_cents: int
    received_on: date
    instrument_number: str | None = None
    payer_name: str | None = None
    note: str | None = None
    voided: bool = False
    void_reason: str | None = None


class WaiverRequest(ApiModel):
    labels = {
        "school_year": "School year",
        "reason": "Reason",
        "explanation": "Anything staff should know",
    }

    school_year: SchoolYearName | None = None
    reason: Literal["free_reduced_lunch", "hardship"]
    explanation: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None
    ) = None


class Decision(ApiModel):
    student_id: Text
    school_year: SchoolYearName
    approve: bool
    note: OptionalText | None = None
    request_id: Text | None = None  # prior-year requests only


class Decisions(ApiModel):
    decisions: list[Decision] = Field(min_length=1, max_length=100)


class DecisionResult(Model):
    student_id: str
    school_year: str
    request_id: str | None = None
    outcome: Literal["approved", "denied", "not_pending", "not_found"]


class PendingWaiver(Model):
    student_id: str
    sers_id: str
    school_year: str
    school_id: str | None = None
    reason: str
    explanation: str | None = None
    requested_at: datetime
    #: Who asks, for the staff card: the student's legal name and their school.
    student_name: str | None = None
    school_name: str | None = None


class PriorYearRequestIn(ApiModel):
    labels = {
        "school_year": "School year you took the class",
        "school_id": "School where you took it",
        "high_school_course": "High-school class name",
        "teacher": "Teacher",
        "reason": "Why it was not registered that year",
    }

    school_year: SchoolYearName
    school_id: Text
    high_school_course: Text
    teacher: Text
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class PriorYearRequest(Model):
    request_id: str
    student_id: str
    sers_id: str
    school_year: str
    school_id: str
    high_school_course: str
    teacher: str
    reason: str
    status: Literal["pending", "approved", "denied"]
    cost_if_approved_cents: int
    requested_at: datetime
    #: For the staff card: the student's legal name, and the school the class was taken at.
    student_name: str | None = None
    school_name: str | None = None


class ReportRow(Model):
    school_id: str
    school_name: str
    paid_card: int = 0
    paid_check: int = 0
    waived: int = 0
    waiver_pending: int = 0
    due: int = 0
    refunded: int = 0
    disputed: int = 0
    duplicates_refunded: int = 0


class ReportStudent(Model):
    """A student who owes the year's fee, or waits on a waiver: `amount_due_cents` is what
    is due, or for a pending waiver what a denial would leave due."""

    student_id: str
    sers_id: str
    legal_first_name: str
    legal_last_name: str
    school_id: str
    school_name: str
    fee_status: Literal["due", "waiver_pending"]
    amount_due_cents: int


class PaymentsReport(Model):
    """`rows` per school add up to `totals`, column by column: student-years by status,
    and the refunded, disputed and duplicate payments of each school's student-years
    (a payment naming no student-year of the year is in the "-" row)."""

    school_year: str
    rows: list[ReportRow]
    totals: dict[str, int]
    collected_cents: int
    outstanding_cents: int
    #: Who owes or waits on a waiver, by school and name (the staff report only).
    students: list[ReportStudent] = []
