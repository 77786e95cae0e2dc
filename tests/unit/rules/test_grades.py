"""Grade rules: the scale, the credit threshold, and when earned credit is sent."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dualcredit import rules
from dualcredit.rules import (
    GRADE_SCALE,
    FeeStatus,
    RuleError,
    normalize_grade,
    qualifies_for_credit,
)

grades = st.sampled_from(GRADE_SCALE)


@pytest.mark.parametrize("grade", ["A", "A-", "B+", "B"])
def test_qualifying_grades(grade):
    # Given a grade of B or better
    # When credit is decided with the default threshold
    # Then it qualifies
    assert qualifies_for_credit(grade) is True


@pytest.mark.parametrize("grade", ["B-", "C+", "C", "D", "F", None, "", "  "])
def test_non_qualifying_grades(grade):
    # Given a grade below B, or no grade
    # Then it does not qualify
    assert qualifies_for_credit(grade) is False


@pytest.mark.parametrize(
    ("earned", "fee", "sent"),
    [
        (True, FeeStatus.PAID, True),
        (True, FeeStatus.WAIVED, True),
        (True, FeeStatus.DUE, False),  # held back until the year's fee is settled
        (True, FeeStatus.WAIVER_PENDING, False),
        (False, FeeStatus.PAID, False),
        (False, FeeStatus.WAIVED, False),
    ],
)
def test_earned_credit_is_sent_only_for_a_paid_or_waived_year(earned, fee, sent):
    assert rules.credit_is_sent(earned, fee) is sent


@pytest.mark.parametrize(("in_class", "sent"), [(True, True), (None, True), (False, False)])
def test_no_credit_is_sent_for_a_student_the_school_says_is_not_in_the_class(in_class, sent):
    assert rules.credit_is_sent(True, FeeStatus.PAID, in_class) is sent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a", "A"),
        (" b+ ", "B+"),
        ("a-", "A-"),
        ("B\u2212", "B-"),  # unicode minus sign
        ("B\u2013", "B-"),  # en dash
        ("c -", "C-"),
        ("\uff21", "A"),  # fullwidth A
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_normalize_grade(text, expected):
    # Given a grade as typed or exported by a school system
    # When it is normalized
    # Then the canonical letter grade (or None for no grade) comes back
    assert normalize_grade(text) == expected


@pytest.mark.parametrize("text", ["E", "A+", "B++", "Pass", "4.0", "BB", "--"])
def test_unknown_grades_rejected_naming_the_allowed_ones(text):
    # Given a grade that is not on the scale
    # When it is normalized or used
    # Then a RuleError lists the allowed grades
    with pytest.raises(RuleError, match="A, A-, B\\+, B, B-"):
        normalize_grade(text)
    with pytest.raises(RuleError):
        qualifies_for_credit(text)


def test_other_thresholds():
    # Given courses with thresholds other than B
    # When credit is decided
    # Then the threshold itself qualifies and the next grade down does not
    assert (
        qualifies_for_credit("B", threshold=None) is True
    )  # no threshold recorded: the default, B
    assert qualifies_for_credit("B-", threshold=None) is False
    assert qualifies_for_credit("C", threshold="C") is True
    assert qualifies_for_credit("C-", threshold="C") is False
    assert qualifies_for_credit("B-", threshold="c+") is True
    assert qualifies_for_credit("A-", threshold="A") is False
    assert qualifies_for_credit("A", threshold="A") is True
    assert qualifies_for_credit("F", threshold="F") is True


def test_invalid_threshold_rejected():
    # Given an unknown or missing threshold setting
    # Then it is refused like a grade
    with pytest.raises(RuleError):
        qualifies_for_credit("A", threshold="Z")
    with pytest.raises(RuleError):
        qualifies_for_credit("A", threshold="")


# --------------------------------------------------------------------------- properties


@given(grades, grades, grades)
def test_qualifies_is_monotone_along_the_scale(better, worse, threshold):
    assume(GRADE_SCALE.index(better) <= GRADE_SCALE.index(worse))
    if qualifies_for_credit(worse, threshold):
        assert qualifies_for_credit(better, threshold)
    assert qualifies_for_credit(threshold, threshold)
    assert qualifies_for_credit(worse, threshold) == (
        GRADE_SCALE.index(worse) <= GRADE_SCALE.index(threshold)
    )


@given(grades)
def test_grade_case_does_not_change_the_decision(grade):
    assert qualifies_for_credit(grade.lower()) == qualifies_for_credit(grade)


@pytest.mark.parametrize("in_class", [True, None])
def test_a_grade_may_be_posted_for_a_student_in_the_class_or_not_answered_yet(in_class):
    # Given a registration the school confirmed, or has not answered for
    # When a grade is posted, Then the rule lets it through
    rules.grade_may_be_posted(in_class)


def test_a_grade_for_a_student_marked_not_in_the_class_is_a_conflict():
    # Given a registration the school marked not in the class
    # When a grade is posted for it, Then the rule refuses it, naming the conflict
    with pytest.raises(RuleError, match="marked this student not in this class"):
        rules.grade_may_be_posted(False)
