"""SERS ID rules: the student's program ID, 'TP3-26-7KQ2' (prefix, two-digit year of
the account's creation, four Crockford base 32 characters)."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime

from dualcredit.rules._base import _DASH_TO_HYPHEN, RuleError, _pacific_date

__all__ = [
    "CROCKFORD_ALPHABET",
    "DEFAULT_SERS_PREFIX",
    "InvalidSersId",
    "format_sers_id",
    "new_sers_id",
    "parse_sers_id",
    "sers_id_year",
]

DEFAULT_SERS_PREFIX = "TP3"
# Crockford base 32: digits and letters without I, L, O and U, so IDs read aloud
# or copied by hand are not confused (and do not spell words).
CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


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
