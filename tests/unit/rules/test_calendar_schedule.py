"""Calendar rules over time: which reminder is due on a Pacific day, who is still in
school, which year the closing job acts on, the reminder-days setting, and how long a
Checkout Session lives."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualcredit import rules
from dualcredit.rules import PACIFIC, SchoolYear

CLOSE = date(2027, 6, 15)


# --------------------------------------------------------------------------- reminders


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2027, 5, 16), 30),
        (date(2027, 6, 1), 14),
        (date(2027, 6, 8), 7),
        (date(2027, 6, 12), 3),
        (date(2027, 6, 14), 1),
        (date(2027, 6, 9), None),
        (date(2027, 6, 15), None),  # the last day itself is not "before"
        (date(2027, 6, 16), None),
        (date(2027, 5, 15), None),
    ],
)
def test_reminder_days_due_on_the_default_days(today, due):
    # Given the default reminder days and a June 15 close, When it is `today`, Then `due`
    assert rules.reminder_days_due(today, CLOSE, rules.DEFAULT_REMINDER_DAYS) == due


def test_reminder_follows_an_extended_close():
    # Given staff extended the close to June 22, Then the 7-day reminder moves to June 15
    assert rules.reminder_days_due(date(2027, 6, 15), date(2027, 6, 22), (7,)) == 7
    assert rules.reminder_days_due(date(2027, 6, 8), date(2027, 6, 22), (7,)) is None


def test_reminder_day_is_the_pacific_date_of_a_utc_instant():
    # Given 06:30 UTC on June 8 (23:30 PDT on June 7), When the Pacific date is used,
    # Then no reminder is due, although June 8 (UTC) is 7 days before June 15.
    instant = datetime(2027, 6, 8, 6, 30, tzinfo=UTC)
    assert rules.reminder_days_due(rules.pacific_date(instant), CLOSE, (7,)) is None
    assert rules.reminder_days_due(instant.date(), CLOSE, (7,)) == 7  # the UTC date would be wrong
    # And at 16:00 UTC on June 8 (09:00 PDT) it is due.
    later = datetime(2027, 6, 8, 16, 0, tzinfo=UTC)
    assert rules.reminder_days_due(rules.pacific_date(later), CLOSE, (7,)) == 7


def test_reminder_days_due_refuses_datetimes():
    with pytest.raises(TypeError):
        rules.reminder_days_due(datetime(2027, 6, 8, tzinfo=UTC), CLOSE, (7,))


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.sets(st.integers(min_value=1, max_value=45), min_size=1, max_size=6),
    st.integers(min_value=-60, max_value=60),
)
def test_a_reminder_is_due_exactly_on_its_lead_day(closes_on, days, offset):
    today = closes_on - timedelta(days=offset)
    due = rules.reminder_days_due(today, closes_on, days)
    assert due == (offset if offset in days else None)


@given(
    st.datetimes(
        min_value=datetime(2001, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)
    ),
    st.sets(st.integers(min_value=1, max_value=45), min_size=1, max_size=6),
)
def test_each_reminder_falls_on_exactly_one_pacific_day(instant, days):
    # Whatever the instant, at most one reminder is due, and it is the lead of its Pacific date.
    year = rules.school_year_of(instant)
    window = rules.window_for(year)
    today = rules.pacific_date(instant)
    due = rules.reminder_days_due(today, window.closes_on, days)
    if due is not None:
        assert today + timedelta(days=due) == window.closes_on
        assert window.is_open(instant)


def test_parse_reminder_days():
    assert rules.parse_reminder_days("30,14,7,3,1") == (30, 14, 7, 3, 1)
    assert rules.parse_reminder_days(" 1, 7 ,7,30") == (30, 7, 1)
    assert rules.parse_reminder_days([3, 1]) == (3, 1)


@pytest.mark.parametrize("text", ["", "0", "46", "7,x", "-1", "1.5", ","])
def test_parse_reminder_days_refuses_bad_settings(text):
    with pytest.raises(rules.RuleError):
        rules.parse_reminder_days(text)


def test_next_reminder_is_todays_then_the_next_to_come_then_the_last():
    from datetime import date

    from dualcredit import rules

    close = date(2027, 6, 15)
    days = (30, 14, 7, 3, 1)
    # Given the reminder days before June 15, When staff preview on various dates
    assert rules.next_reminder(date(2027, 6, 8), close, days) == 7  # Then: today's
    assert rules.next_reminder(date(2027, 6, 9), close, days) == 3  # the next to come
    assert rules.next_reminder(date(2027, 4, 1), close, days) == 30
    assert rules.next_reminder(date(2027, 6, 15), close, days) == 1  # none left: the last
    assert rules.reminder_date(close, 14) == date(2027, 6, 1)


# -------------------------------------------------------------- still in school, latest opened year


@pytest.mark.parametrize(
    ("graduation", "year", "in_school"),
    [
        (2027, SchoolYear(2026), True),  # graduates June 2027: in school in 2026-27
        (2027, SchoolYear(2027), False),  # ... and not in 2027-28
        (2028, SchoolYear(2027), True),
        (2030, SchoolYear(2027), True),
        (2026, SchoolYear(2027), False),
    ],
)
def test_still_in_school(graduation, year, in_school):
    assert rules.still_in_school(graduation, year) is in_school


@given(st.integers(min_value=1990, max_value=2100), st.integers(min_value=1990, max_value=2100))
def test_in_school_until_the_year_that_ends_in_the_graduation_june(graduation, start):
    year = SchoolYear(start)
    assert rules.still_in_school(graduation, year) is (year.ends_on <= date(graduation, 6, 30))
    if rules.still_in_school(graduation, year):
        assert rules.still_in_school(graduation, year.previous())


def test_still_in_school_refuses_non_integers():
    with pytest.raises(TypeError):
        rules.still_in_school("2027", SchoolYear(2026))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("instant", "year"),
    [
        (datetime(2027, 6, 16, 0, 5, tzinfo=PACIFIC), 2026),
        (
            datetime(2027, 7, 1, 0, 5, tzinfo=PACIFIC),
            2026,
        ),  # a new school year, window not open yet
        (datetime(2027, 11, 30, 23, 59, tzinfo=PACIFIC), 2026),
        (datetime(2027, 12, 1, 0, 0, tzinfo=PACIFIC), 2027),
        (datetime(2027, 12, 1, 7, 59, tzinfo=UTC), 2026),  # still Nov 30 in Washington
        (datetime(2028, 3, 1, 12, 0, tzinfo=PACIFIC), 2027),
    ],
)
def test_latest_opened_year(instant, year):
    assert rules.latest_opened_year(instant) == SchoolYear(year)


@given(
    st.datetimes(
        min_value=datetime(1951, 1, 1), max_value=datetime(2149, 1, 1), timezones=st.just(UTC)
    )
)
def test_latest_opened_year_has_opened(instant):
    year = rules.latest_opened_year(instant)
    assert rules.window_for(year).opens_at <= instant
    assert rules.window_for(year.next()).opens_at > instant


# --------------------------------------------------------------------------- checkout lifetime


def test_checkout_ends_at_the_close_when_it_comes_first():
    now = datetime(2027, 6, 15, 12, 0, tzinfo=rules.PACIFIC)
    close = rules.window_for(rules.SchoolYear(2026)).closes_at
    assert rules.checkout_expires_at(now, close) == close


def test_checkout_just_before_the_close_still_gets_stripes_minimum():
    now = datetime(2027, 6, 15, 23, 50, tzinfo=rules.PACIFIC)
    close = rules.window_for(rules.SchoolYear(2026)).closes_at
    assert rules.checkout_expires_at(now, close) == now + rules.CHECKOUT_MIN_LIFETIME


def test_prior_year_checkout_lasts_a_day():
    now = datetime(2027, 8, 1, 9, 0, tzinfo=UTC)
    assert rules.checkout_expires_at(now, None) == now + rules.CHECKOUT_MAX_LIFETIME


@given(
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
    ),
    st.one_of(
        st.none(), st.timedeltas(min_value=timedelta(days=-30), max_value=timedelta(days=300))
    ),
)
def test_checkout_expiry_is_always_within_stripes_limits(now, until_close):
    close = None if until_close is None else now + until_close
    expires = rules.checkout_expires_at(now, close)
    assert timedelta(minutes=30) < expires - now < timedelta(hours=24)
    if close is not None and close - now >= rules.CHECKOUT_MIN_LIFETIME:
        assert expires <= close
