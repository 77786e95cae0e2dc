"""Calendar rules: the school year, the registration window, Pacific dates, the
reminder schedule and how long a Checkout Session may stay open.

Every day the program speaks of is a calendar day in America/Los_Angeles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from dualcredit.rules._base import PACIFIC, RuleError, _pacific_date, _plain_date, _require_aware

__all__ = [
    "CHECKOUT_MAX_LIFETIME",
    "CHECKOUT_MIN_LIFETIME",
    "DEFAULT_GRADING_REMINDER_DAYS",
    "DEFAULT_REMINDER_DAYS",
    "MAX_REMINDER_DAYS",
    "PACIFIC",
    "SchoolYear",
    "Window",
    "WindowStatus",
    "checkout_expires_at",
    "default_close_date",
    "grading_deadline",
    "latest_opened_year",
    "long_date",
    "next_reminder",
    "pacific_date",
    "parse_reminder_days",
    "reminder_date",
    "reminder_days_due",
    "school_year_of",
    "school_year_or_current",
    "still_in_school",
    "validate_close_extension",
    "validate_grading_deadline",
    "validate_received_on",
    "window_for",
]

# Window dates (month, day): opens December 1 of the school year's first calendar
# year, closes June 15 of its second, both days included.
_OPEN_MONTH_DAY = (12, 1)
_CLOSE_MONTH_DAY = (6, 15)


_SPANISH_MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
).split()


def long_date(d: date, language: str = "en") -> str:
    """'June 15, 2027' (English) or '15 de junio de 2027' (language "es"): how dates
    appear in messages for users. A calendar date only: a datetime is refused, since
    its own date need not be the Pacific one."""
    _plain_date(d, "d")
    if language == "es":
        return f"{d.day} de {_SPANISH_MONTHS[d.month - 1]} de {d.year}"
    return f"{d:%B} {d.day}, {d.year}"


# --------------------------------------------------------------------------- school year

_SCHOOL_YEAR_RE = re.compile(r"([0-9]{4})-([0-9]{2})")


@dataclass(frozen=True, order=True)
class SchoolYear:
    """A school year, July 1 to June 30, identified by the calendar year it starts in."""

    start: int  # 2026 means "2026-27": July 1 2026 .. June 30 2027

    def __post_init__(self) -> None:
        # bool is an int subclass; True would silently mean year 1.
        if isinstance(self.start, bool) or not isinstance(self.start, int):
            raise TypeError(f"SchoolYear.start must be an int, got {type(self.start).__name__}")
        if not 1 <= self.start <= 9998:  # both calendar years must fit in datetime.date
            raise RuleError(f"{self.start} is not a school year we can handle.")

    @property
    def name(self) -> str:
        """'2026-27'; the second part wraps at the century ('2099-00')."""
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def starts_on(self) -> date:
        return date(self.start, 7, 1)

    @property
    def ends_on(self) -> date:
        """Last day of the year, inclusive."""
        return date(self.start + 1, 6, 30)

    def previous(self) -> SchoolYear:
        return SchoolYear(self.start - 1)

    def next(self) -> SchoolYear:
        return SchoolYear(self.start + 1)

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        """Read '2026-27' (spaces ignored). The short part must follow the long one,
        so a typo like '2026-28' is refused rather than guessed at."""
        example = "A school year looks like 2026-27."
        if not isinstance(text, str):
            raise RuleError(example)
        compact = "".join(text.split())
        match = _SCHOOL_YEAR_RE.fullmatch(compact)
        if match is None:
            raise RuleError(example)
        start, short = int(match.group(1)), int(match.group(2))
        if short != (start + 1) % 100:
            raise RuleError(
                f"{text.strip()} is not a school year: the year after {start} "
                f"ends in {(start + 1) % 100:02d}. {example}"
            )
        return cls(start)

    def __str__(self) -> str:
        return self.name


def school_year_or_current(name: str | None, instant: datetime) -> SchoolYear:
    """The school year a request names, or the one `instant` falls in."""
    return SchoolYear.parse(name) if name else school_year_of(instant)


def school_year_of(instant: datetime) -> SchoolYear:
    """The school year an instant belongs to, by its Pacific calendar date.

    July 1 00:00 Pacific starts a new year, so 2026-07-01T06:59Z (still June 30
    in Washington) belongs to 2025-26.
    """
    d = _pacific_date(instant)
    return SchoolYear(d.year if d.month >= 7 else d.year - 1)


# --------------------------------------------------------------------------- window


class WindowStatus(StrEnum):
    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Window:
    """When registration and payment for one school year are accepted.

    Days are Pacific calendar days and both ends are included: the window is open
    from opens_on 00:00 through closes_on 23:59:59.999999 America/Los_Angeles.
    """

    school_year: SchoolYear
    opens_on: date  # Dec 1 of school_year.start
    closes_on: date  # inclusive last day, Pacific
    extended: bool  # True when staff moved closes_on past the default June 15

    @property
    def opens_at(self) -> datetime:
        """First instant of the window (aware, 00:00 Pacific, so -08:00 in December)."""
        return datetime.combine(self.opens_on, time.min, tzinfo=PACIFIC)

    @property
    def closes_at(self) -> datetime:
        """EXCLUSIVE end: 00:00 Pacific of the day after closes_on (-07:00 in June)."""
        return datetime.combine(self.closes_on + timedelta(days=1), time.min, tzinfo=PACIFIC)

    def status(self, instant: datetime) -> WindowStatus:
        # Judged on the Pacific calendar date; equivalent to opens_at <= instant <
        # closes_at because Pacific midnight is never skipped or repeated by DST.
        d = _pacific_date(instant)
        if d < self.opens_on:
            return WindowStatus.NOT_YET_OPEN
        if d <= self.closes_on:
            return WindowStatus.OPEN
        return WindowStatus.CLOSED

    def is_open(self, instant: datetime) -> bool:
        return self.status(instant) is WindowStatus.OPEN


def default_close_date(year: SchoolYear) -> date:
    """June 15 of the year's second calendar year, the published deadline."""
    return date(year.start + 1, *_CLOSE_MONTH_DAY)


def _open_date(year: SchoolYear) -> date:
    return date(year.start, *_OPEN_MONTH_DAY)


def window_for(year: SchoolYear, close_override: date | None = None) -> Window:
    """The window of a school year; close_override is a staff extension kept as data.

    The override is checked again here so that a bad stored value cannot shorten
    the window or push it into the next school year.
    """
    default_close = default_close_date(year)
    closes_on = (
        default_close if close_override is None else validate_close_extension(year, close_override)
    )
    return Window(
        school_year=year,
        opens_on=_open_date(year),
        closes_on=closes_on,
        extended=closes_on > default_close,
    )


def validate_close_extension(year: SchoolYear, new_close: date) -> date:
    """Staff may only extend the window, and only within the same school year.

    Closing earlier than June 15 would break the published promise; closing after
    June 30 would let a student register a class in a year they are no longer
    taking it.
    """
    _plain_date(new_close, "new_close")
    default_close = default_close_date(year)
    if new_close < default_close:
        raise RuleError(
            f"The {year} window closes on {long_date(default_close)}. It can be "
            f"extended, but not closed earlier."
        )
    if new_close > year.ends_on:
        raise RuleError(
            f"The {year} window cannot stay open after {long_date(year.ends_on)}, "
            f"the last day of the {year} school year."
        )
    return new_close


def validate_received_on(received_on: date, now: datetime) -> date:
    """A check or money order cannot have been received after today, the Pacific day
    of `now` (the office's day: at 5 pm in Seattle it is already tomorrow in UTC). The
    refusal's words follow the field's name on the form ("Date received ...")."""
    _plain_date(received_on, "received_on")
    today = _pacific_date(now)
    if received_on > today:
        raise RuleError(f"cannot be after today ({long_date(today)}, Pacific time).")
    return received_on


# --------------------------------------------------------------------------- schedule

#: Deadline reminders go out this many Pacific days before the window's last day.
DEFAULT_REMINDER_DAYS: tuple[int, ...] = (30, 14, 7, 3, 1)
#: The reminder schedule runs daily in May and June; 45 days before June 15 is May 1,
#: so a longer lead would fall on a day the schedule does not run.
MAX_REMINDER_DAYS = 45


def pacific_date(instant: datetime) -> date:
    """The Pacific calendar date of an aware instant (the day the program's rules use)."""
    return _pacific_date(instant)


def parse_reminder_days(text: str | Sequence[int]) -> tuple[int, ...]:
    """Read a reminder setting such as "30,14,7,3,1": distinct whole days from 1 to
    MAX_REMINDER_DAYS, returned longest lead first. Anything else is refused, so a
    typo in the configuration fails the cold start rather than silencing reminders."""
    parts: Sequence[str | int] = text.split(",") if isinstance(text, str) else tuple(text)
    days: set[int] = set()
    for part in parts:
        value = part.strip() if isinstance(part, str) else part
        if isinstance(value, bool):
            raise RuleError(f"{part!r} is not a number of days.")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise RuleError(f"{part!r} is not a number of days.") from None
        if not 1 <= number <= MAX_REMINDER_DAYS:
            raise RuleError(f"Reminder days must be from 1 to {MAX_REMINDER_DAYS}, not {number}.")
        days.add(number)
    if not days:
        raise RuleError("At least one reminder day is needed.")
    return tuple(sorted(days, reverse=True))


def reminder_days_due(today: date, closes_on: date, days: Iterable[int]) -> int | None:
    """Which reminder, if any, is due on the Pacific date `today`: N when today is N
    days before the window's last day `closes_on` and N is one of `days`.

    Pass the Pacific date (rules.pacific_date), never a UTC date: at 06:30 UTC on
    June 8 it is still June 7 in Washington.
    """
    _plain_date(today, "today")
    _plain_date(closes_on, "closes_on")
    lead = (closes_on - today).days
    return lead if lead >= 1 and lead in set(days) else None


def reminder_date(closes_on: date, days_before: int) -> date:
    """The Pacific date on which the reminder `days_before` the last day goes out."""
    return _plain_date(closes_on, "closes_on") - timedelta(days=days_before)


def next_reminder(today: date, closes_on: date, days: Iterable[int]) -> int:
    """The reminder due today, else the next one to come, else the last one (for a
    staff preview of who a reminder would reach)."""
    days = tuple(days)
    due = reminder_days_due(today, closes_on, days)
    if due is not None:
        return due
    ahead = [n for n in days if reminder_date(closes_on, n) > today]
    return max(ahead) if ahead else min(days)


def still_in_school(expected_graduation_year: int, school_year: SchoolYear) -> bool:
    """True while the student is in high school during `school_year`.

    Students graduate in June: one expected to graduate in June of Y is in school
    during the school year that ends that June (Y-1 to Y), and not after it.
    """
    if isinstance(expected_graduation_year, bool) or not isinstance(expected_graduation_year, int):
        raise TypeError("expected_graduation_year must be an int")
    return school_year.ends_on.year <= expected_graduation_year


def latest_opened_year(instant: datetime) -> SchoolYear:
    """The most recent school year whose window has opened by `instant`: the year the
    window-closing job acts on. From December 1 it is the current school year; from
    July 1 to November 30 it is still the one before (its window may close as late as
    June 30, and the job runs on July 1 too)."""
    year = school_year_of(instant)
    return year if _pacific_date(instant) >= _open_date(year) else year.previous()


# --------------------------------------------------------------------------- grading

#: The consortium's published grading deadline: June 25 of the year's second calendar year.
_GRADING_MONTH_DAY = (6, 25)
#: School users whose roster is not done hear this many Pacific days before the deadline.
DEFAULT_GRADING_REMINDER_DAYS: tuple[int, ...] = (14, 7, 1)


def grading_deadline(year: SchoolYear, override: date | None = None) -> date:
    """The last Pacific day schools post grades for `year` (inclusive): June 25, or the
    date staff set for that year (checked again, as a stored value may be bad)."""
    if override is None:
        return date(year.start + 1, *_GRADING_MONTH_DAY)
    return validate_grading_deadline(year, override)


def validate_grading_deadline(year: SchoolYear, deadline: date) -> date:
    """A year's grading deadline falls after its window's default close (June 15: grades
    come after registration) and by the year's last day (June 30)."""
    _plain_date(deadline, "deadline")
    earliest = default_close_date(year) + timedelta(days=1)
    if not earliest <= deadline <= year.ends_on:
        raise RuleError(
            f"The {year} grading deadline must be from {long_date(earliest)} to "
            f"{long_date(year.ends_on)}."
        )
    return deadline


# --------------------------------------------------------------------------- checkout

CHECKOUT_MIN_LIFETIME = timedelta(minutes=31)  # Stripe: at least 30 minutes
CHECKOUT_MAX_LIFETIME = timedelta(hours=23, minutes=59)  # Stripe: at most 24 hours


def checkout_expires_at(now: datetime, window_closes_at: datetime | None) -> datetime:
    """When a Checkout Session should expire: at the window's close when that comes
    first, but never sooner than Stripe allows; a session opened before the close
    and paid just after it is honoured."""
    _require_aware(now)
    latest = now + CHECKOUT_MAX_LIFETIME
    if window_closes_at is not None:
        latest = min(latest, window_closes_at)
    return max(latest, now + CHECKOUT_MIN_LIFETIME)
