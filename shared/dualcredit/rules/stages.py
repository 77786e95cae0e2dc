"""Where a family stands: each class's stage and next step with its date, and what a year
owes broken into its parts (the $50 fee, the $15 late fee of approved prior-year credit).

The dashboard shows these; the web page words them and never decides any of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dualcredit.rules.fees import (
    BASE_FEE_CENTS,
    LATE_FEE_CENTS,
    FeeFacts,
    FeeStatus,
    amount_due,
    amount_if_not_waived,
    fee_status,
    late_fee_applies,
)
from dualcredit.rules.grades import (
    DEFAULT_GRADE_THRESHOLD,
    credit_is_sent,
    normalize_grade,
    qualifies_for_credit,
)

__all__ = ["ClassProgress", "ClassStage", "FeeParts", "NextStep", "class_progress", "fee_parts"]


class ClassStage(StrEnum):
    """The furthest stage one registered class has reached."""

    REGISTERED = "registered"  # the school has not answered yet
    NOT_IN_CLASS = "not_in_class"  # the school said the student is not in the class
    CONFIRMED = "confirmed"  # the school confirmed the student is in the class
    GRADED = "graded"  # the school posted the grade
    CREDIT_SENT = "credit_sent"  # staff sent the credit to the college (a transcript batch)
    CREDIT_POSTED = "credit_posted"  # the college's registrar posted it to the transcript


class NextStep(StrEnum):
    """What happens next for one class, said in plain words on the dashboard."""

    SCHOOL_CONFIRMS = "school_confirms"  # the school confirms the class (by the grading date)
    TEACHER_POSTS_GRADE = "teacher_posts_grade"  # by the grading deadline
    PAY_FEE = "pay_fee"  # credit is sent when the fee is paid (by the window's close)
    WAIVER_DECISION = "waiver_decision"  # credit is sent once the waiver is approved
    CREDIT_TO_BE_SENT = "credit_to_be_sent"  # the office sends it to the college
    COLLEGE_POSTS = "college_posts"  # the college posts the credit it was sent
    NO_CREDIT = "no_credit"  # the grade is below the threshold: no credit for this class
    ASK_SCHOOL = "ask_school"  # not in the class: the student asks the school if wrong
    NONE = "none"  # the college posted the credit: nothing more to do


@dataclass(frozen=True)
class ClassProgress:
    stage: ClassStage
    next_step: NextStep
    #: The date the next step is due by (None when it has no date).
    next_date: date | None
    #: The threshold the grade is held to (the course's, else B).
    threshold: str
    #: Whether the posted grade earns the credit (None before a grade is posted).
    earns_credit: bool | None
    #: The day the credit went to the college (CREDIT_SENT and CREDIT_POSTED).
    credit_sent_on: date | None = None
    #: The day the college posted it (CREDIT_POSTED only).
    credit_posted_on: date | None = None


def class_progress(
    *,
    in_class: bool | None,
    grade: str | None,
    threshold: str | None,
    facts: FeeFacts,
    grading_deadline: date,
    pay_by: date,
    credit_sent_on: date | None = None,
    credit_posted_on: date | None = None,
) -> ClassProgress:
    """One class's stage and next step. A posted grade means the student is in the class
    (posting confirms them); credit is sent only when the grade earns it, the school did
    not say the student is out of the class, and the fee is paid or waived.
    `credit_sent_on` is the day staff's transcript batch sent it to the college, and
    `credit_posted_on` the day the college's registrar posted it (None for a credit
    withdrawn since); each counts only while the credit is still to be sent."""
    held_to = normalize_grade(threshold) or DEFAULT_GRADE_THRESHOLD
    status = fee_status(facts)
    graded = grade is not None and in_class is not False
    earns = qualifies_for_credit(grade, held_to) if graded else None

    def progress(stage: ClassStage, step: NextStep, on: date | None = None) -> ClassProgress:
        return ClassProgress(stage, step, on, held_to, earns)

    if in_class is False:
        return progress(ClassStage.NOT_IN_CLASS, NextStep.ASK_SCHOOL)
    if not graded:
        if in_class is None:
            return progress(ClassStage.REGISTERED, NextStep.SCHOOL_CONFIRMS, grading_deadline)
        return progress(ClassStage.CONFIRMED, NextStep.TEACHER_POSTS_GRADE, grading_deadline)
    if not earns:
        return progress(ClassStage.GRADED, NextStep.NO_CREDIT)
    if credit_is_sent(True, status, in_class):
        if credit_posted_on is not None:
            return ClassProgress(
                ClassStage.CREDIT_POSTED,
                NextStep.NONE,
                None,
                held_to,
                earns,
                credit_sent_on=credit_sent_on or credit_posted_on,
                credit_posted_on=credit_posted_on,
            )
        if credit_sent_on is not None:
            return ClassProgress(
                ClassStage.CREDIT_SENT,
                NextStep.COLLEGE_POSTS,
                None,
                held_to,
                earns,
                credit_sent_on=credit_sent_on,
            )
        return progress(ClassStage.GRADED, NextStep.CREDIT_TO_BE_SENT)
    if status is FeeStatus.WAIVER_PENDING:
        return progress(ClassStage.GRADED, NextStep.WAIVER_DECISION)
    return progress(ClassStage.GRADED, NextStep.PAY_FEE, pay_by)


@dataclass(frozen=True)
class FeeParts:
    """A year's fee in its parts, as the dashboard lists them."""

    #: The year's $50, or 0 once paid or waived.
    fee_cents: int
    #: The $15 late fee of approved prior-year credit, or 0 (none, paid or waived).
    late_fee_cents: int
    #: What to pay now (the parts' sum; 0 while a waiver is pending).
    due_cents: int
    #: What the year will owe if its pending waiver is not approved (else `due_cents`).
    if_not_waived_cents: int


def fee_parts(facts: FeeFacts) -> FeeParts:
    """The parts of what a year owes, or would owe without its pending waiver."""
    owing = amount_if_not_waived(facts)
    if facts.waiver_approved or owing == 0:
        return FeeParts(0, 0, amount_due(facts), owing)
    fee = 0 if facts.paid else BASE_FEE_CENTS
    late = LATE_FEE_CENTS if late_fee_applies(facts) and not facts.late_fee_paid else 0
    return FeeParts(fee, late, amount_due(facts), owing)
