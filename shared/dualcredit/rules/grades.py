"""Grade rules: the letter-grade scale, the credit threshold, and when earned credit
goes to the college."""

from __future__ import annotations

import unicodedata
from datetime import date
from enum import StrEnum

from dualcredit.rules._base import _DASH_TO_HYPHEN, RuleError
from dualcredit.rules.fees import FeeStatus

__all__ = [
    "DEFAULT_GRADE_THRESHOLD",
    "GRADE_SCALE",
    "RosterState",
    "credit_is_sent",
    "grade_may_be_posted",
    "may_finalize",
    "roster_state",
    "school_may_change_grades",
    "normalize_grade",
    "qualifies_for_credit",
]

DEFAULT_GRADE_THRESHOLD = "B"

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


def grade_may_be_posted(in_class: bool | None) -> None:
    """A grade is posted only for a registration the school has not said is out of its
    class (`in_class` True, or None: not answered yet). A grade for a student the school
    marked not in the class is a conflict between two of the school's answers: it is
    refused, never taken as putting the student back in the class. The school confirms
    the student first if the mark was a mistake."""
    if in_class is False:
        raise RuleError(
            "The school marked this student not in this class, so a grade for it is not "
            "posted. If the student is in the class after all, confirm them on the roster "
            "first, then post the grade."
        )


# --------------------------------------------------------------------------- the year's end


class RosterState(StrEnum):
    """Where one registration stands for the school before the grading deadline."""

    UNCONFIRMED = "unconfirmed"  # the school has not said whether the student is in the class
    MISSING_GRADE = "missing_grade"  # in the class, no grade yet
    GRADED = "graded"
    NOT_IN_CLASS = "not_in_class"  # nothing more is asked of the school


def roster_state(in_class: bool | None, grade: str | None) -> RosterState:
    """A posted grade confirms the student (posting marks them in the class), so a graded
    registration is never unconfirmed."""
    if in_class is False:
        return RosterState.NOT_IN_CLASS
    if grade is not None:
        return RosterState.GRADED
    return RosterState.UNCONFIRMED if in_class is None else RosterState.MISSING_GRADE


def may_finalize(deadline: date, today: date) -> None:
    """Staff finalize a year's grades once its grading deadline (inclusive, Pacific) is
    over: schools may post grades through the deadline's last minute."""
    if today <= deadline:
        raise RuleError(
            f"Grades are due by {_long(deadline)}; the year can be finalized from the day after."
        )


def school_may_change_grades(finalized: bool) -> None:
    """Once staff finalize a year, its grades and class answers change only as a staff
    correction with a reason; a school's change is refused."""
    if finalized:
        raise RuleError(
            "This school year's grades are final: the consortium office finalized them after "
            "the grading deadline, so they can no longer be changed here. To correct a grade, "
            "email the office with the student's SERS ID, the class and the right grade."
        )


def _long(d: date) -> str:
    return f"{d:%B} {d.day}, {d.year}"
