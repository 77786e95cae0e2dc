"""Calendar rules: the school year, the registration window and long dates."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualcredit import rules
from dualcredit.rules import (
    PACIFIC,
    RuleError,
    SchoolYear,
    WindowStatus,
    default_close_date,
    school_year_of,
    validate_close_extension,
    window_for,
)
from tests.unit.rules.helpers import TINY, Y2026, instants, pt, school_years, utc

# --------------------------------------------------------------------------- school year


def test_school_year_name_dates_and_neighbours():
    # Given the school year starting in 2026
    year = SchoolYear(2026)
    # When its properties are read
    # Then it is named 2026-27 and runs July 1 2026 to June 30 2027
    assert year.name == "2026-27"
    assert str(year) == "2026-27"
    assert year.starts_on == date(2026, 7, 1)
    assert year.ends_on == date(2027, 6, 30)
    assert year.previous() == SchoolYear(2025)
    assert year.next() == SchoolYear(2027)


def test_school_year_name_wraps_at_the_century():
    # Given years whose second part crosses a century
    # When they are named
    # Then the two-digit part wraps to 00 (and 1999 to 00)
    assert SchoolYear(2099).name == "2099-00"
    assert SchoolYear(1999).name == "1999-00"
    assert SchoolYear(2009).name == "2009-10"


def test_school_years_order_by_start():
    # Given three school years out of order
    # When they are sorted
    # Then they follow their start year
    assert sorted([SchoolYear(2027), SchoolYear(2025), SchoolYear(2026)]) == [
        SchoolYear(2025),
        SchoolYear(2026),
        SchoolYear(2027),
    ]
    assert SchoolYear(2025) < SchoolYear(2026)


@pytest.mark.parametrize(
    ("text", "start"),
    [("2026-27", 2026), (" 2026-27 ", 2026), ("2026 - 27", 2026), ("2099-00", 2099)],
)
def test_school_year_parse_accepts_the_named_form(text, start):
    # Given a school year written as people write it
    # When it is parsed
    # Then the right year comes back
    assert SchoolYear.parse(text) == SchoolYear(start)


@pytest.mark.parametrize(
    "text",
    ["2026-28", "2026-26", "2026", "26-27", "2026/27", "2026-2027", "", "abcd-ef", "2026-27x"],
)
def test_school_year_parse_rejects_other_forms(text):
    # Given text that is not a well-formed, consistent school year
    # When it is parsed
    # Then a RuleError explains the expected form
    with pytest.raises(RuleError, match="2026-27"):
        SchoolYear.parse(text)


def test_school_year_rejects_non_int_start():
    # Given a start that is not an integer year
    # When a SchoolYear is built
    # Then it is refused
    with pytest.raises(TypeError):
        SchoolYear("2026")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        SchoolYear(True)  # type: ignore[arg-type]


def test_school_year_starts_at_july_first_midnight_pacific():
    # Given the first instant of July 1 2026 in Pacific time (PDT, -07:00)
    start = pt(2026, 7, 1, 0, 0)
    # When its school year is asked, and the one a microsecond before
    # Then July 1 00:00 PT is 2026-27 and the instant before is 2025-26
    assert school_year_of(start) == SchoolYear(2026)
    assert school_year_of(start - TINY) == SchoolYear(2025)


def test_school_year_of_utc_instant_uses_pacific_date():
    # Given 2026-07-01 06:59 UTC, which is still June 30 23:59 in Washington
    # When its school year is asked
    # Then it is 2025-26; 07:00 UTC (00:00 PDT) is 2026-27
    assert school_year_of(utc(2026, 7, 1, 6, 59, 59, 999999)) == SchoolYear(2025)
    assert school_year_of(utc(2026, 7, 1, 7, 0)) == SchoolYear(2026)


def test_school_year_of_other_offsets():
    # Given an instant in a far-east offset that is already July 1 there but June 30 in PT
    tokyo = timezone(timedelta(hours=9))
    # When its school year is asked
    # Then the Pacific date decides
    assert school_year_of(datetime(2026, 7, 1, 10, 0, tzinfo=tokyo)) == SchoolYear(2025)


def test_school_year_of_rejects_naive_datetime():
    # Given a naive datetime
    # When its school year is asked
    # Then a ValueError is raised instead of guessing a zone
    with pytest.raises(ValueError):
        school_year_of(datetime(2026, 7, 1))


def test_a_request_means_the_named_school_year_or_the_current_one():
    # Given an instant in January 2027, When no year is named, Then it is 2026-27
    now = datetime(2027, 1, 15, 10, 0, tzinfo=rules.PACIFIC)
    assert rules.school_year_or_current(None, now) == rules.SchoolYear(2026)
    assert rules.school_year_or_current("2025-26", now) == rules.SchoolYear(2025)
    with pytest.raises(rules.RuleError):
        rules.school_year_or_current("2025-27", now)


@given(instants)
def test_every_instant_lies_in_exactly_one_school_year(instant):
    year = school_year_of(instant)
    pacific_date = instant.astimezone(PACIFIC).date()
    assert year.starts_on <= pacific_date <= year.ends_on
    for neighbour in (year.previous(), year.next()):
        assert not neighbour.starts_on <= pacific_date <= neighbour.ends_on


@given(school_years)
def test_school_years_tile_the_calendar(year):
    assert year.next().starts_on == year.ends_on + timedelta(days=1)
    assert school_year_of(datetime.combine(year.starts_on, datetime.min.time(), PACIFIC)) == year
    assert SchoolYear.parse(year.name) == year


# --------------------------------------------------------------------------- window


def test_default_window_dates():
    # Given 2026-27 with no staff extension
    window = window_for(Y2026)
    # When its dates are read
    # Then it opens Dec 1 2026 and closes June 15 2027, not extended
    assert window.school_year == Y2026
    assert window.opens_on == date(2026, 12, 1)
    assert window.closes_on == date(2027, 6, 15)
    assert default_close_date(Y2026) == date(2027, 6, 15)
    assert window.extended is False


def test_window_instants_in_pst_and_pdt():
    # Given the 2026-27 window
    window = window_for(Y2026)
    # When its instants are read
    # Then Dec 1 00:00 PT is PST (-08:00, 08:00 UTC) and the exclusive end,
    # June 16 00:00 PT, is PDT (-07:00, 07:00 UTC)
    assert window.opens_at.utcoffset() == timedelta(hours=-8)
    assert window.opens_at.astimezone(UTC) == utc(2026, 12, 1, 8, 0)
    assert window.closes_at.utcoffset() == timedelta(hours=-7)
    assert window.closes_at.astimezone(UTC) == utc(2027, 6, 16, 7, 0)


def test_window_opens_exactly_at_december_first_midnight_pacific():
    # Given the 2026-27 window
    window = window_for(Y2026)
    # When the status is asked at Dec 1 00:00 PT and a microsecond before
    # Then it is open at the first instant and not yet open just before
    assert window.status(pt(2026, 12, 1)) is WindowStatus.OPEN
    assert window.status(pt(2026, 12, 1) - TINY) is WindowStatus.NOT_YET_OPEN
    assert window.is_open(pt(2026, 12, 1))
    assert not window.is_open(pt(2026, 11, 30, 23, 59, 59, 999999))


def test_window_open_through_june_fifteenth_last_microsecond():
    # Given the 2026-27 window
    window = window_for(Y2026)
    # When the status is asked on June 15 23:59:59.999999 PT and June 16 00:00 PT
    # Then the last microsecond of June 15 is open and June 16 is closed
    assert window.status(pt(2027, 6, 15, 23, 59, 59, 999999)) is WindowStatus.OPEN
    assert window.status(pt(2027, 6, 16)) is WindowStatus.CLOSED
    assert window.status(window.closes_at) is WindowStatus.CLOSED
    assert window.status(window.closes_at - TINY) is WindowStatus.OPEN


def test_window_judges_utc_instants_by_pacific_date():
    # Given the 2026-27 window and instants written in UTC
    window = window_for(Y2026)
    # When the status is asked
    # Then Dec 1 07:59 UTC (Nov 30 PST) is not yet open, 08:00 UTC is open,
    # June 16 06:59 UTC (June 15 PDT) is open, 07:00 UTC is closed
    assert window.status(utc(2026, 12, 1, 7, 59, 59)) is WindowStatus.NOT_YET_OPEN
    assert window.status(utc(2026, 12, 1, 8, 0)) is WindowStatus.OPEN
    assert window.status(utc(2027, 6, 16, 6, 59, 59)) is WindowStatus.OPEN
    assert window.status(utc(2027, 6, 16, 7, 0)) is WindowStatus.CLOSED


def test_window_status_rejects_naive_datetime():
    # Given a naive datetime
    # When the window status is asked
    # Then a ValueError is raised
    with pytest.raises(ValueError):
        window_for(Y2026).status(datetime(2027, 1, 1))


def test_extended_window_closes_on_the_new_day():
    # Given staff extended 2026-27 to June 30 2027
    window = window_for(Y2026, date(2027, 6, 30))
    # When the status is asked on June 20 and June 30 late, and July 1
    # Then it is open until the end of June 30 PT and marked extended
    assert window.extended is True
    assert window.closes_on == date(2027, 6, 30)
    assert window.is_open(pt(2027, 6, 20, 12))
    assert window.is_open(pt(2027, 6, 30, 23, 59, 59, 999999))
    assert window.status(pt(2027, 7, 1)) is WindowStatus.CLOSED


def test_override_equal_to_default_is_not_an_extension():
    # Given an "extension" that is the default June 15
    window = window_for(Y2026, date(2027, 6, 15))
    # When the window is built
    # Then it is the default window
    assert window == window_for(Y2026)
    assert window.extended is False


@pytest.mark.parametrize("new_close", [date(2027, 6, 15), date(2027, 6, 16), date(2027, 6, 30)])
def test_close_extension_accepted_within_june_15_to_30(new_close):
    # Given a new close date from June 15 to June 30 of the school year
    # When staff validate it
    # Then it is accepted and returned
    assert validate_close_extension(Y2026, new_close) == new_close


def test_close_extension_before_june_15_refused():
    # Given a new close date of June 14, earlier than the published deadline
    # When staff validate it
    # Then it is refused in plain words
    with pytest.raises(RuleError, match="not closed earlier"):
        validate_close_extension(Y2026, date(2027, 6, 14))


@pytest.mark.parametrize("new_close", [date(2027, 7, 1), date(2027, 12, 31)])
def test_close_extension_after_june_30_refused(new_close):
    # Given a new close date after June 30, in the next school year
    # When staff validate it
    # Then it is refused, naming the last day of the school year
    with pytest.raises(RuleError, match="June 30, 2027"):
        validate_close_extension(Y2026, new_close)


def test_close_extension_in_wrong_school_year_refused():
    # Given a June 20 date of a different school year
    # When staff validate it for 2026-27
    # Then it is refused
    with pytest.raises(RuleError):
        validate_close_extension(Y2026, date(2026, 6, 20))
    with pytest.raises(RuleError):
        validate_close_extension(Y2026, date(2028, 6, 20))


def test_window_for_rechecks_a_stored_override():
    # Given a stored override that would shorten the window
    # When the window is built from it
    # Then it is refused rather than used
    with pytest.raises(RuleError):
        window_for(Y2026, date(2027, 5, 1))


def test_close_extension_rejects_datetime():
    # Given a datetime (a date subclass) instead of a calendar date
    # When staff validate it
    # Then it is refused with a TypeError
    with pytest.raises(TypeError):
        validate_close_extension(Y2026, datetime(2027, 6, 20, tzinfo=PACIFIC))


@given(school_years, st.integers(min_value=0, max_value=15), instants)
def test_window_status_matches_its_instants(year, extra_days, instant):
    window = window_for(year, default_close_date(year) + timedelta(days=extra_days))
    status = window.status(instant)
    if instant < window.opens_at:
        assert status is WindowStatus.NOT_YET_OPEN
    elif instant < window.closes_at:
        assert status is WindowStatus.OPEN
    else:
        assert status is WindowStatus.CLOSED
    assert window.is_open(instant) == (status is WindowStatus.OPEN)


@given(school_years, st.integers(min_value=0, max_value=15), st.integers(0, 10**6))
def test_window_edges_to_the_microsecond(year, extra_days, micros):
    window = window_for(year, default_close_date(year) + timedelta(days=extra_days))
    step = timedelta(microseconds=micros + 1)
    assert window.status(window.opens_at - step) is WindowStatus.NOT_YET_OPEN
    assert window.status(window.opens_at) is WindowStatus.OPEN
    assert window.status(window.closes_at - timedelta(microseconds=1)) is WindowStatus.OPEN
    assert window.status(window.closes_at) is WindowStatus.CLOSED
    assert window.status(window.closes_at + step) is WindowStatus.CLOSED
    assert window.opens_at.astimezone(PACIFIC).time() == datetime.min.time()
    assert window.closes_at.astimezone(PACIFIC).date() == window.closes_on + timedelta(days=1)
    assert window.opens_at.utcoffset() == timedelta(hours=-8)  # December: PST
    assert window.closes_at.utcoffset() == timedelta(hours=-7)  # June: PDT
    assert year.starts_on < window.opens_on < window.closes_on <= year.ends_on
