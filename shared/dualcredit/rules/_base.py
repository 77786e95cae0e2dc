"""What every rules module shares: the error type, the program's clock and a few
input guards. Private to the rules package except RuleError and PACIFIC, which the
package re-exports."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

__all__ = ["PACIFIC", "RuleError"]

# The program's clock: every deadline is a calendar day in Washington State.
PACIFIC = ZoneInfo("America/Los_Angeles")

# Dash look-alikes that people paste from word processors and phones.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_TO_HYPHEN = str.maketrans({c: "-" for c in _DASHES})


class RuleError(ValueError):
    """Input that breaks a rule; str() is a plain-words message for users."""


def _require_aware(instant: datetime) -> datetime:
    """Reject naive datetimes: a naive time cannot be placed on the Pacific calendar."""
    if not isinstance(instant, datetime):
        raise TypeError(f"expected a datetime, got {type(instant).__name__}")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instant must be timezone-aware (naive datetimes are ambiguous)")
    return instant


def _pacific_date(instant: datetime) -> date:
    """The calendar date in America/Los_Angeles; the program's days are Pacific days."""
    return _require_aware(instant).astimezone(PACIFIC).date()


def _plain_date(value: date, what: str) -> date:
    """Accept a date but not a datetime (a datetime is a date subclass and would slip by)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a date, got {type(value).__name__}")
    return value
