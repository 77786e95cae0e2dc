"""The year's end for grades: the grading deadline (June 25, or a staff date), its
reminder days, where a registration stands for the school, finalizing the year, and the
refusal of a school's change once the year is final."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualcredit import rules
from dualcredit.rules import RosterState, RuleError, SchoolYear

Y2026 = SchoolYear(2026)
years = st.integers(min_value=1, max_value=9997).map(SchoolYear)


# --------------------------------------------------------------------------- deadline


def test_the_default_grading_deadline_is_june_25_of_the_years_second_calendar_year():
    # Given 2026-27 and no date set by staff, When its deadline is asked, Then June 25, 2027
    assert rules.grading_deadline(Y2026) == date(2027, 6, 25)


@given(years)
def test_the_default_deadline_falls_after_the_window_and_inside_the_year(year):
    # Given any school year, When its default grading deadline is asked
    deadline = rules.grading_deadline(year)
    # Then it is after the window's default close and no later than the year's last day
    assert rules.default_close_date(year) < deadline <= year.ends_on
    assert rules.validate_grading_deadline(year, deadline) == deadline


@pytest.mark.parametrize("override", [date(2027, 6, 16), date(2027, 6, 20), date(2027, 6, 30)])
def test_a_staff_deadline_from_june_16_to_june_30_is_kept(override):
    # Given staff set `override` for 2026-27, When the deadline is asked, Then it is that day
    assert rules.grading_deadline(Y2026, override) == override


@pytest.mark.parametrize(
    "override", [date(2027, 6, 15), date(2027, 1, 10), date(2027, 7, 1), date(2026, 6, 25)]
)
def test_a_deadline_before_june_16_or_after_june_30_is_refused_with_the_allowed_days(override):
    # Given a date outside June 16 .. June 30, 2027, When it is set as 2026-27's deadline
    with pytest.raises(RuleError) as refused:
        rules.validate_grading_deadline(Y2026, override)
    # Then the refusal names the allowed days in the words of messages
    assert "June 16, 2027" in str(refused.value)
    assert "June 30, 2027" in str(refused.value)


def test_a_datetime_is_not_a_deadline():
    # Given a datetime rather than a calendar date, Then it is refused (its date may not be
    # the Pacific one)
    from datetime import datetime

    with pytest.raises((RuleError, TypeError)):
        rules.validate_grading_deadline(Y2026, datetime(2027, 6, 20, 12))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- reminder days


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2027, 6, 11), 14),
        (date(2027, 6, 18), 7),
        (date(2027, 6, 24), 1),
        (date(2027, 6, 25), None),  # the deadline itself is not "before"
        (date(2027, 6, 17), None),
        (date(2027, 6, 26), None),
    ],
)
def test_grading_reminders_fall_14_7_and_1_days_before_june_25(today, due):
    # Given the default grading reminder days and 2026-27's deadline, When it is `today`
    deadline = rules.grading_deadline(Y2026)
    # Then the reminder due is `due`
    assert rules.reminder_days_due(today, deadline, rules.DEFAULT_GRADING_REMINDER_DAYS) == due


@given(
    years,
    st.integers(min_value=16, max_value=30),
    st.sets(st.integers(min_value=1, max_value=rules.MAX_REMINDER_DAYS), min_size=1),
    st.integers(min_value=0, max_value=80),
)
def test_each_grading_reminder_day_comes_once_and_only_before_the_deadline(year, day, days, back):
    # Given any deadline a year may have, any reminder days, and a day up to 80 days before
    deadline = rules.grading_deadline(year, date(year.start + 1, 6, day))
    today = deadline - timedelta(days=back)
    # When the reminder due that day is asked
    due = rules.reminder_days_due(today, deadline, days)
    # Then it is that day's lead when it is a configured one, and nothing otherwise
    assert due == (back if back in days else None)


# --------------------------------------------------------------------------- roster state


@pytest.mark.parametrize(
    ("in_class", "grade", "state"),
    [
        (None, None, RosterState.UNCONFIRMED),
        (True, None, RosterState.MISSING_GRADE),
        (True, "B", RosterState.GRADED),
        (None, "A", RosterState.GRADED),  # posting a grade confirms the student
        (False, None, RosterState.NOT_IN_CLASS),
    ],
)
def test_where_a_registration_stands_for_the_school(in_class, grade, state):
    # Given a registration's class answer and grade, Then its state is `state`
    assert rules.roster_state(in_class, grade) is state


@given(st.sampled_from([None, True, False]), st.sampled_from([None, *rules.GRADE_SCALE]))
def test_only_a_graded_or_excused_registration_asks_nothing_more_of_the_school(in_class, grade):
    # Given any answer and grade, When the state is asked
    state = rules.roster_state(in_class, grade)
    # Then the school still owes something exactly when no grade is posted for a student
    # it has not marked out of the class
    owes = state in (RosterState.UNCONFIRMED, RosterState.MISSING_GRADE)
    assert owes == (in_class is not False and grade is None)


# --------------------------------------------------------------------------- finalizing


def test_a_year_is_finalized_from_the_day_after_its_deadline():
    # Given 2026-27's June 25 deadline
    deadline = rules.grading_deadline(Y2026)
    # When staff finalize on June 26, Then it is allowed
    rules.may_finalize(deadline, date(2027, 6, 26))
    # When they try on the deadline itself, Then it is refused with the deadline in words
    with pytest.raises(RuleError, match="June 25, 2027"):
        rules.may_finalize(deadline, deadline)


@given(st.integers(min_value=-400, max_value=400))
def test_finalizing_is_allowed_exactly_after_the_deadline(offset):
    # Given any day around the deadline
    deadline = rules.grading_deadline(Y2026)
    today = deadline + timedelta(days=offset)
    # When finalizing is asked, Then it is allowed exactly when the deadline has passed
    try:
        rules.may_finalize(deadline, today)
        allowed = True
    except RuleError:
        allowed = False
    assert allowed == (today > deadline)


def test_a_school_may_change_grades_until_the_year_is_final():
    # Given a year not finalized, Then a school's change passes
    rules.school_may_change_grades(False)
    # Given a finalized year, Then it is refused in words that say what to do instead
    with pytest.raises(RuleError) as refused:
        rules.school_may_change_grades(True)
    assert "final" in str(refused.value)
    assert "email the office" in str(refused.value)
