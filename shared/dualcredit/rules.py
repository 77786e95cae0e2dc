"""Every program rule, once: pure functions with no I/O.

Handlers, the data layer and the scheduled jobs ask this module; none of them
restates a rule. Standard library only, so it is cheap to import on a cold start
and trivially unit and property tested.

The rules come from the public program page (program-info.md) and the way the
design brief reads its ambiguous points.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

__all__ = [
    "name_search_prefix",
    "school_year_or_current",
    "next_reminder",
    "reminder_date",
    "CHECKOUT_MAX_LIFETIME",
    "DEFAULT_REMINDER_DAYS",
    "MAX_REMINDER_DAYS",
    "latest_opened_year",
    "parse_reminder_days",
    "pacific_date",
    "reminder_days_due",
    "still_in_school",
    "CHECKOUT_MIN_LIFETIME",
    "PaymentSlot",
    "checkout_expires_at",
    "may_pay_now",
    "payment_slot",
    "BASE_FEE_CENTS",
    "CROCKFORD_ALPHABET",
    "DEFAULT_GRADE_THRESHOLD",
    "DEFAULT_SERS_PREFIX",
    "GRADE_SCALE",
    "LATE_FEE_CENTS",
    "PACIFIC",
    "FeeStatus",
    "InvalidSersId",
    "RuleError",
    "SchoolYear",
    "Window",
    "WindowStatus",
    "amount_due_cents",
    "default_close_date",
    "fee_status",
    "format_sers_id",
    "identity_fingerprint",
    "last_name_index_key",
    "mask_name",
    "name_sort_key",
    "new_sers_id",
    "normalize_grade",
    "credit_is_sent",
    "normalize_person_name",
    "parse_sers_id",
    "prior_year_cost_cents",
    "qualifies_for_credit",
    "school_year_of",
    "sers_id_year",
    "validate_close_extension",
    "window_for",
]

# The program's clock: every deadline is a calendar day in Washington State.
PACIFIC = ZoneInfo("America/Los_Angeles")

BASE_FEE_CENTS = 5000  # per student per school year, covering every class of that year
LATE_FEE_CENTS = 1500  # per approved prior school year
DEFAULT_GRADE_THRESHOLD = "B"
DEFAULT_SERS_PREFIX = "TP3"
# Crockford base 32: digits and letters without I, L, O and U, so IDs read aloud
# or copied by hand are not confused (and do not spell words).
CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

# Window dates (month, day): opens December 1 of the school year's first calendar
# year, closes June 15 of its second, both days included.
_OPEN_MONTH_DAY = (12, 1)
_CLOSE_MONTH_DAY = (6, 15)

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


def _long_date(d: date) -> str:
    """'June 15, 2027': how dates appear in messages for users."""
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
            f"The {year} window closes on {_long_date(default_close)}. It can be "
            f"extended, but not closed earlier."
        )
    if new_close > year.ends_on:
        raise RuleError(
            f"The {year} window cannot stay open after {_long_date(year.ends_on)}, "
            f"the last day of the {year} school year."
        )
    return new_close


# --------------------------------------------------------------------------- fees


class FeeStatus(StrEnum):
    DUE = "due"
    PAID = "paid"
    WAIVED = "waived"
    WAIVER_PENDING = "waiver_pending"


def fee_status(*, paid: bool, waiver_approved: bool, waiver_pending: bool) -> FeeStatus:
    """Status of one student-year's fee: paid > waived > waiver pending > due.

    The fee is non-refundable, so a paid year stays paid even if a waiver is
    approved later.
    """
    if paid:
        return FeeStatus.PAID
    if waiver_approved:
        return FeeStatus.WAIVED
    if waiver_pending:
        return FeeStatus.WAIVER_PENDING
    return FeeStatus.DUE


def amount_due_cents(
    *,
    paid: bool,
    waiver_approved: bool,
    waiver_pending: bool = False,
    late_fee_applies: bool = False,
    late_fee_paid: bool = False,
) -> int:
    """What to ask a student to pay now for one school year, in cents.

    A waiver covers the year's fee and its late fee, so an approved waiver asks
    for nothing; while a waiver is pending nothing is asked either (the student
    should not pay something that may be waived).
    """
    if waiver_approved or waiver_pending:
        return 0
    base = 0 if paid else BASE_FEE_CENTS
    late = LATE_FEE_CENTS if late_fee_applies and not late_fee_paid else 0
    return base + late


def prior_year_cost_cents(
    *,
    request_year: SchoolYear,
    current_year: SchoolYear,
    year_paid: bool,
    year_waived: bool,
) -> int:
    """Cost of ONE approved prior-year credit request, in cents.

    That year's $50 unless it is already paid or waived, plus one $15 late fee
    for the approved prior year ("$15 per year", one fee per year approved, not
    per year of delay). A waiver for that year covers both.
    """
    if not request_year < current_year:
        raise RuleError(
            f"A prior-year request must be for a school year before {current_year}; "
            f"{request_year} is not."
        )
    if year_waived:
        return 0
    return (0 if year_paid else BASE_FEE_CENTS) + LATE_FEE_CENTS


class PaymentSlot(StrEnum):
    FEE = "fee"  # the year's $50 (with the late fee when one applies and is unpaid)
    LATE_FEE = "late_fee"  # only the late fee, for a year whose $50 was already paid


def payment_slot(
    *, paid: bool, waiver_approved: bool, late_fee_applies: bool, late_fee_paid: bool
) -> PaymentSlot | None:
    """What a new payment for a student-year settles, or None when the year owes
    nothing and the payment is a duplicate (to be refunded: one payment per year)."""
    if waiver_approved:
        return None
    if not paid:
        return PaymentSlot.FEE
    if late_fee_applies and not late_fee_paid:
        return PaymentSlot.LATE_FEE
    return None


def may_pay_now(*, window_open: bool, prior_year_credit: bool) -> bool:
    """Card and check payments are taken while the window is open; approved
    prior-year credit can be paid at any time."""
    return window_open or prior_year_credit


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
    parts = text.split(",") if isinstance(text, str) else list(text)
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


# --------------------------------------------------------------------------- grades

# Best first: a lower index is a better grade.
GRADE_SCALE: tuple[str, ...] = ("A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F")
_GRADE_RANK = {grade: rank for rank, grade in enumerate(GRADE_SCALE)}


def normalize_grade(text: str | None) -> str | None:
    """Canonical letter grade, or None when no grade is posted.

    Accepts any case, surrounding or inner spaces, and typographic minus signs
    and dashes (from spreadsheets) as '-'. Anything else is refused rather than
    guessed, because a wrong grade decides college credit.
    """
    if text is None:
        return None
    if not isinstance(text, str):
        raise RuleError(_grade_message(repr(text)))
    compact = "".join(unicodedata.normalize("NFKC", text).translate(_DASH_TO_HYPHEN).split())
    if not compact:
        return None
    grade = compact.upper()
    if grade not in _GRADE_RANK:
        raise RuleError(_grade_message(text.strip()))
    return grade


def _grade_message(shown: str) -> str:
    return f'"{shown}" is not a grade we know. Use one of: {", ".join(GRADE_SCALE)}.'


def qualifies_for_credit(
    grade: str | None, threshold: str | None = DEFAULT_GRADE_THRESHOLD
) -> bool:
    """True when the grade is at or better than the course's threshold (None: the
    default, B).

    A missing grade does not qualify: no credit is sent before a grade is posted.
    """
    limit = normalize_grade(DEFAULT_GRADE_THRESHOLD if threshold is None else threshold)
    if limit is None:
        raise RuleError("A grade threshold is required, for example B.")
    normalized = normalize_grade(grade)
    if normalized is None:
        return False
    return _GRADE_RANK[normalized] <= _GRADE_RANK[limit]


def credit_is_sent(
    credit_earned: bool, fee_status: FeeStatus, in_class: bool | None = None
) -> bool:
    """Earned credit goes to the college only for a year whose fee is paid or waived, and
    never for a registration the school said is not really in its class (`in_class`
    False; None, not answered yet, does not hold it back)."""
    return (
        credit_earned and in_class is not False and fee_status in (FeeStatus.PAID, FeeStatus.WAIVED)
    )


# --------------------------------------------------------------------------- SERS ID


class InvalidSersId(RuleError):
    """Text that is not a SERS ID."""


_CROCKFORD_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_PREFIX_RE = re.compile(r"[A-Z0-9]+")
_YEAR_RE = re.compile(r"[0-9]{2}")


def _sers_example(prefix: str) -> str:
    return f"A SERS ID looks like {prefix}-26-7KQ2."


def _canonical_prefix(prefix: str) -> str:
    """Prefixes are a setting; refuse one that would make IDs unparseable."""
    if not isinstance(prefix, str) or not _PREFIX_RE.fullmatch(prefix.upper()):
        raise ValueError(f"SERS ID prefix must be ASCII letters and digits, got {prefix!r}")
    return prefix.upper()


def sers_id_year(instant: datetime) -> int:
    """Two-digit year of the account's creation, on the Pacific calendar."""
    return _pacific_date(instant).year % 100


def format_sers_id(year_two_digits: int, code: str, prefix: str = DEFAULT_SERS_PREFIX) -> str:
    """Canonical SERS ID, 'TP3-26-7KQ2'. The code must already be Crockford base 32."""
    canonical_prefix = _canonical_prefix(prefix)
    if (
        isinstance(year_two_digits, bool)
        or not isinstance(year_two_digits, int)
        or not 0 <= year_two_digits <= 99
    ):
        raise InvalidSersId(_sers_example(canonical_prefix))
    if not isinstance(code, str):
        raise InvalidSersId(_sers_example(canonical_prefix))
    upper = code.upper()
    if len(upper) != 4 or any(c not in CROCKFORD_ALPHABET for c in upper):
        raise InvalidSersId(_sers_example(canonical_prefix))
    return f"{canonical_prefix}-{year_two_digits:02d}-{upper}"


def new_sers_id(
    instant: datetime,
    prefix: str = DEFAULT_SERS_PREFIX,
    choose: Callable[[Sequence[str]], str] = secrets.choice,
) -> str:
    """A fresh random SERS ID candidate (32**4, about a million per year).

    Random, not counted, so there is no hot counter item; the caller claims it
    with a conditional write and draws again on a collision.
    """
    code = "".join(choose(CROCKFORD_ALPHABET) for _ in range(4))
    return format_sers_id(sers_id_year(instant), code, prefix)


def parse_sers_id(text: str, prefix: str = DEFAULT_SERS_PREFIX) -> str:
    """Read a SERS ID as people type it and return the canonical form.

    Any case, with or without dashes or spaces. In the four-character code the
    Crockford look-alikes I and L read as 1 and O as 0; U is never used, so it
    is refused.
    """
    canonical_prefix = _canonical_prefix(prefix)
    example = _sers_example(canonical_prefix)
    if not isinstance(text, str):
        raise InvalidSersId(example)
    compact = (
        "".join(unicodedata.normalize("NFKC", text).translate(_DASH_TO_HYPHEN).split())
        .replace("-", "")
        .upper()
    )
    if not compact:
        raise InvalidSersId(f"Please enter a SERS ID. {example}")
    if not compact.startswith(canonical_prefix):
        raise InvalidSersId(f"A SERS ID starts with {canonical_prefix}. {example}")
    rest = compact[len(canonical_prefix) :]
    if len(rest) != 6:
        raise InvalidSersId(
            f"A SERS ID has {canonical_prefix}, a two-digit year and four characters. {example}"
        )
    year, code = rest[:2], rest[2:].translate(_CROCKFORD_ALIASES)
    if not _YEAR_RE.fullmatch(year) or any(c not in CROCKFORD_ALPHABET for c in code):
        raise InvalidSersId(example)
    return f"{canonical_prefix}-{year}-{code}"


# --------------------------------------------------------------------------- names & identity

# Letters NFKD does not decompose but people type as a plain Latin letter.
_LETTER_FOLDS = str.maketrans(
    {"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)
_APOSTROPHES = "'\u2018\u2019\u02bc\u02bb`\u00b4\u2032"


def normalize_person_name(text: str) -> str:
    """A name reduced for identity matching and search, not for display.

    NFKD with combining marks dropped (José -> jose), casefolded, a few letters
    without a decomposition folded (ø -> o, æ -> ae), apostrophes dropped
    (O'Brien -> obrien, so it matches OBrien), and hyphens and any other
    punctuation turned into single spaces (Smith-Jones -> smith jones, so it
    matches "Smith Jones"). Only letters, digits and single spaces remain.
    Example: "  José  O'Brien-Smith " -> "jose obrien smith".
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a name as str, got {type(text).__name__}")
    out: list[str] = []
    for ch in _strip_marks(_strip_marks(text).casefold()).translate(_LETTER_FOLDS):
        if ch in _APOSTROPHES:
            continue
        out.append(ch if ch.isalnum() else " ")
    return " ".join("".join(out).split())


def _strip_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def identity_fingerprint(legal_first: str, legal_last: str, birth_date: date) -> str:
    """The "one person, one account" match key: sha256 hex of the normalized legal
    names and ISO birth date. Hashed so the key itself carries no personal data;
    normalized so case, accents and spacing differences still match.
    """
    _plain_date(birth_date, "birth_date")
    first = normalize_person_name(legal_first)
    last = normalize_person_name(legal_last)
    if not first and not last:
        raise RuleError("Please enter your legal name.")
    # "|" cannot occur in a normalized name, so the fields cannot run together.
    material = f"{last}|{first}|{birth_date.isoformat()}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def mask_name(first: str, last: str) -> str:
    """'Jane', 'Smith' -> 'J*** S***': enough to recognise yourself, not to learn a
    stranger's name. Always three stars so the length is not revealed."""

    def mask(part: str) -> str:
        stripped = unicodedata.normalize("NFC", part or "").strip()
        return f"{stripped[0]}***" if stripped else "***"

    return f"{mask(first)} {mask(last)}"


def last_name_index_key(legal_last: str) -> str:
    """Partition key of the staff name-search index: first character of the
    normalized last name, or '#' when there is none."""
    normalized = normalize_person_name(legal_last)
    return normalized[0] if normalized else "#"


def name_sort_key(legal_first: str, legal_last: str) -> str:
    """Sort key 'last|first' (normalized) so staff can search by a last-name prefix."""
    return f"{normalize_person_name(legal_last)}|{normalize_person_name(legal_first)}"


def name_search_prefix(legal_last: str, legal_first: str | None = None) -> str:
    """The name_sort_key prefix that finds a last name (start), or a full last name and
    the start of a first name."""
    if not legal_first:
        return normalize_person_name(legal_last)
    return name_sort_key(legal_first, legal_last)
