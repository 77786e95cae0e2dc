"""rules.validate_received_on: a check or money order is not received after today, the
Pacific day."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualcredit.rules import PACIFIC, RuleError, pacific_date, validate_received_on
from tests.unit.rules.helpers import instants, pt, utc


@pytest.mark.parametrize("received_on", [date(2027, 1, 15), date(2027, 1, 14), date(2026, 7, 1)])
def test_today_and_earlier_days_are_accepted(received_on):
    # Given 10 am in Seattle on January 15, 2027
    # When a check received today or earlier is recorded
    # Then the date is accepted as it is
    assert validate_received_on(received_on, pt(2027, 1, 15, 10)) == received_on


def test_tomorrow_is_refused_in_words_that_follow_the_fields_name():
    # Given 10 am in Seattle on January 15, 2027
    # When a check dated tomorrow is recorded
    # Then it is refused, saying which day today is
    with pytest.raises(RuleError) as refused:
        validate_received_on(date(2027, 1, 16), pt(2027, 1, 15, 10))
    assert str(refused.value) == "cannot be after today (January 15, 2027, Pacific time)."


def test_the_day_is_the_pacific_one_not_utcs():
    # Given 5 pm in Seattle on January 15 (already January 16 in UTC)
    evening = pt(2027, 1, 15, 17)
    assert evening.astimezone(utc(2027, 1, 1).tzinfo).date() == date(2027, 1, 16)
    # Then a check dated the 16th is still in the future, and the 15th is today
    with pytest.raises(RuleError):
        validate_received_on(date(2027, 1, 16), evening)
    assert validate_received_on(date(2027, 1, 15), evening) == date(2027, 1, 15)
    # And just after midnight in Seattle (8 am UTC) the 16th is today
    assert validate_received_on(date(2027, 1, 16), utc(2027, 1, 16, 8, 0, 1))


def test_a_datetime_or_a_naive_now_is_not_a_day():
    with pytest.raises(TypeError):
        validate_received_on(datetime(2027, 1, 15, 10), pt(2027, 1, 15, 10))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        validate_received_on(date(2027, 1, 15), datetime(2027, 1, 15, 10))


@given(now=instants, days=st.integers(min_value=-4000, max_value=4000))
def test_a_day_is_refused_exactly_when_it_is_after_the_pacific_today(now, days):
    today = pacific_date(now)
    received_on = today + timedelta(days=days)
    if days > 0:
        with pytest.raises(RuleError):
            validate_received_on(received_on, now)
    else:
        assert validate_received_on(received_on, now) == received_on
    assert today == now.astimezone(PACIFIC).date()
