"""Instants and school years shared by the rules tests."""

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import strategies as st

from dualcredit.rules import PACIFIC, SchoolYear

Y2026 = SchoolYear(2026)
TINY = timedelta(microseconds=1)


def pt(*args: int) -> datetime:
    """An aware Pacific datetime."""
    return datetime(*args, tzinfo=PACIFIC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Aware instants in 1950-2150 with arbitrary fixed offsets (up to +-14h) as well as
# UTC and Pacific, so DST transitions and date-line crossings are covered.
offsets = st.one_of(
    st.just(UTC),
    st.just(PACIFIC),
    st.integers(min_value=-14 * 60, max_value=14 * 60).map(
        lambda m: timezone(timedelta(minutes=m))
    ),
)
instants = st.datetimes(
    min_value=datetime(1950, 1, 1), max_value=datetime(2150, 12, 31), timezones=offsets
)
school_years = st.integers(min_value=1950, max_value=2150).map(SchoolYear)
