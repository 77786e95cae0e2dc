"""Where a family stands: each class's stage and next step, a year's fee in its parts."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualcredit.rules import (
    BASE_FEE_CENTS,
    GRADE_SCALE,
    LATE_FEE_CENTS,
    ClassStage,
    FeeFacts,
    NextStep,
    amount_due,
    amount_if_not_waived,
    class_progress,
    fee_parts,
    qualifies_for_credit,
)

GRADING = date(2026, 6, 25)
PAY_BY = date(2026, 6, 15)
PAID = FeeFacts(paid=True)
DUE = FeeFacts()


def progress(**given_facts):
    facts = {"in_class": True, "grade": None, "threshold": None, "facts": PAID}
    facts.update(given_facts)
    return class_progress(grading_deadline=GRADING, pay_by=PAY_BY, **facts)


def test_a_class_the_school_has_not_answered_waits_for_the_school_by_the_grading_date():
    # Given a registered class the school has not confirmed
    # When its progress is asked
    result = progress(in_class=None)
    # Then it is registered, and the school confirms it by the grading deadline
    assert (result.stage, result.next_step, result.next_date) == (
        ClassStage.REGISTERED,
        NextStep.SCHOOL_CONFIRMS,
        GRADING,
    )
    assert result.earns_credit is None


def test_a_confirmed_class_waits_for_the_teacher_by_the_grading_deadline():
    # Given a confirmed class with no grade
    result = progress(in_class=True)
    # Then the teacher posts grades by the grading deadline
    assert (result.stage, result.next_step, result.next_date) == (
        ClassStage.CONFIRMED,
        NextStep.TEACHER_POSTS_GRADE,
        GRADING,
    )


def test_not_in_the_class_ends_there_even_with_a_stray_grade():
    # Given the school said the student is not in the class
    result = progress(in_class=False, grade="A")
    # Then nothing is earned and the student is told to ask the school
    assert (result.stage, result.next_step, result.earns_credit) == (
        ClassStage.NOT_IN_CLASS,
        NextStep.ASK_SCHOOL,
        None,
    )


def test_a_b_plus_earns_credit_and_a_c_does_not():
    # Given a paid year, one class graded B+ and one graded C
    b_plus, c = progress(grade="B+"), progress(grade="C")
    # Then the B+ earns credit (to be sent), the C does not; both held to B
    assert (b_plus.earns_credit, b_plus.next_step, b_plus.threshold) == (
        True,
        NextStep.CREDIT_TO_BE_SENT,
        "B",
    )
    assert (c.earns_credit, c.next_step, c.threshold) == (False, NextStep.NO_CREDIT, "B")


def test_the_course_threshold_is_the_one_held_to():
    # Given a course whose threshold is B- (given in lower case)
    result = progress(grade="B-", threshold="b-")
    # Then a B- earns it, and the threshold is shown as the scale writes it
    assert (result.earns_credit, result.threshold) == (True, "B-")


def test_earned_credit_of_an_unpaid_year_waits_for_the_fee_by_the_close_date():
    # Given an earned grade in a year whose fee is due
    result = progress(grade="A", facts=DUE)
    # Then credit is sent when the fee is paid, paid by the window's close
    assert (result.stage, result.next_step, result.next_date) == (
        ClassStage.GRADED,
        NextStep.PAY_FEE,
        PAY_BY,
    )


def test_earned_credit_with_a_pending_waiver_waits_for_the_decision():
    # Given an earned grade in a year whose waiver is pending
    result = progress(grade="A", facts=FeeFacts(waiver_pending=True))
    # Then credit waits for the waiver decision
    assert result.next_step is NextStep.WAIVER_DECISION


def test_sent_credit_carries_its_date_and_waits_for_the_college():
    # Given credit staff sent to the college in a transcript batch on June 30
    result = progress(grade="A", credit_sent_on=date(2026, 6, 30))
    # Then the class's stage is credit sent, with that date, and the college posts it next
    assert (result.stage, result.next_step, result.credit_sent_on) == (
        ClassStage.CREDIT_SENT,
        NextStep.COLLEGE_POSTS,
        date(2026, 6, 30),
    )
    assert result.credit_posted_on is None


def test_posted_credit_carries_both_dates_and_nothing_is_left_to_do():
    # Given credit sent on June 30 and posted by the college on July 8
    result = progress(
        grade="B", credit_sent_on=date(2026, 6, 30), credit_posted_on=date(2026, 7, 8)
    )
    # Then the class's stage is credit posted, with both dates, and nothing is left to do
    assert (result.stage, result.next_step) == (ClassStage.CREDIT_POSTED, NextStep.NONE)
    assert (result.credit_sent_on, result.credit_posted_on) == (date(2026, 6, 30), date(2026, 7, 8))


@pytest.mark.parametrize(
    "changed",
    [
        {"grade": "C"},  # the grade was corrected below the threshold
        {"facts": DUE},  # the fee's payment was voided
        {"in_class": False},  # the school said the student is not in the class
    ],
)
def test_a_credit_no_longer_to_send_is_not_shown_as_sent_or_posted(changed):
    # Given a class whose credit was sent and posted, then changed so it is not to send
    facts = {
        "grade": "A",
        "credit_sent_on": date(2026, 6, 30),
        "credit_posted_on": date(2026, 7, 8),
    }
    result = progress(**(facts | changed))
    # Then the class says where it stands now, not that its credit is with the college
    assert result.stage not in (ClassStage.CREDIT_SENT, ClassStage.CREDIT_POSTED)
    assert result.next_step is not NextStep.NONE


fee_facts = st.builds(
    FeeFacts,
    paid=st.booleans(),
    waiver_approved=st.booleans(),
    waiver_pending=st.booleans(),
    prior_year_credit=st.booleans(),
    late_fee_paid=st.booleans(),
)


@given(
    in_class=st.sampled_from([None, True, False]),
    grade=st.one_of(st.none(), st.sampled_from(GRADE_SCALE)),
    threshold=st.sampled_from(["B", "B-", "A", None]),
    facts=fee_facts,
    sent=st.one_of(st.none(), st.just(date(2026, 6, 30))),
    posted=st.one_of(st.none(), st.just(date(2026, 7, 8))),
)
def test_only_a_qualifying_grade_of_a_student_in_the_class_earns_credit(
    in_class, grade, threshold, facts, sent, posted
):
    # Given any class, grade, threshold, fee, and day sent to or posted by the college
    result = progress(
        in_class=in_class,
        grade=grade,
        threshold=threshold,
        facts=facts,
        credit_sent_on=sent,
        credit_posted_on=posted,
    )
    # Then credit is earned exactly when the grade qualifies for a student in the class
    expected = (
        None if grade is None or in_class is False else qualifies_for_credit(grade, threshold)
    )
    assert result.earns_credit == expected
    # And a dated next step is always one of the deadlines
    assert result.next_date in (None, GRADING, PAY_BY)
    assert (result.next_step is NextStep.NONE) == (result.stage is ClassStage.CREDIT_POSTED)
    # And a credit is with the college only when it earns credit and is to be sent
    if result.stage in (ClassStage.CREDIT_SENT, ClassStage.CREDIT_POSTED):
        assert result.earns_credit and result.credit_sent_on is not None
    assert (result.credit_posted_on is not None) == (result.stage is ClassStage.CREDIT_POSTED)


@given(fee_facts)
def test_the_parts_add_up_to_what_is_asked(facts):
    # Given any year's fee facts
    parts = fee_parts(facts)
    # Then what is due is the rules' amount, and without the waiver the parts sum up
    assert parts.due_cents == amount_due(facts)
    assert parts.if_not_waived_cents == amount_if_not_waived(facts)
    assert parts.fee_cents + parts.late_fee_cents == parts.if_not_waived_cents
    assert parts.fee_cents in (0, BASE_FEE_CENTS)
    assert parts.late_fee_cents in (0, LATE_FEE_CENTS)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (FeeFacts(), (5000, 0, 5000, 5000)),
        (FeeFacts(waiver_pending=True), (5000, 0, 0, 5000)),
        (FeeFacts(prior_year_credit=True), (5000, 1500, 6500, 6500)),
        (FeeFacts(prior_year_credit=True, paid=True), (0, 1500, 1500, 1500)),
        (FeeFacts(prior_year_credit=True, waiver_approved=True), (0, 0, 0, 0)),
        (FeeFacts(paid=True), (0, 0, 0, 0)),
    ],
)
def test_the_parts_of_known_years(facts, expected):
    # Given a year (due, waiver pending, prior-year credit, paid, waived)
    parts = fee_parts(facts)
    # Then its parts are the program page's $50 and $15
    assert (
        parts.fee_cents,
        parts.late_fee_cents,
        parts.due_cents,
        parts.if_not_waived_cents,
    ) == expected
