"""Name and identity rules: names reduced for matching and search, the "one person,
one account" fingerprint, and names masked for strangers."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date

from dualcredit.rules._base import RuleError, _plain_date
from dualcredit.rules._confusables import fold_look_alikes, is_invisible

__all__ = [
    "identity_fingerprint",
    "last_name_index_key",
    "mask_name",
    "name_search_prefix",
    "name_sort_key",
    "normalize_person_name",
    "visible_name",
]

# Letters NFKD does not decompose but people type as a plain Latin letter.
_LETTER_FOLDS = str.maketrans(
    {"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)
_APOSTROPHES = "'\u2018\u2019\u02bc\u02bb`\u00b4\u2032"


def normalize_person_name(text: str) -> str:
    """A name reduced for identity matching and search, not for display.

    So that two names that render alike match: NFKC (fullwidth and other compatibility
    forms become plain letters), then every invisible character dropped (Unicode
    format characters, category Cf, such as a zero-width space, and the other
    default-ignorable code points), then each Cyrillic or Greek letter that renders
    like a Latin letter folded to it (rules._confusables: "Аlice" with a Cyrillic А
    matches "Alice"). Then NFKD with combining marks dropped (José -> jose),
    casefolded, a few letters without a decomposition folded (ø -> o, æ -> ae),
    apostrophes dropped (O'Brien -> obrien, so it matches OBrien), and hyphens and
    any other punctuation turned into single spaces (Smith-Jones -> smith jones, so
    it matches "Smith Jones"). Only letters, digits and single spaces remain.
    Example: "  José  O'Brien-Smith " -> "jose obrien smith".
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a name as str, got {type(text).__name__}")
    out: list[str] = []
    for ch in _strip_marks(_looks(text)).translate(_LETTER_FOLDS):
        if ch in _APOSTROPHES:
            continue
        out.append(ch if ch.isalnum() else " ")
    return " ".join("".join(out).split())


def visible_name(text: str) -> str:
    """A legal name as it is kept: NFKC (fullwidth and other compatibility forms become
    plain letters), the ends trimmed. A name with an invisible character in it (Unicode
    format characters, category Cf, such as a zero-width space or a bidirectional
    control, and the other default-ignorable code points) is refused: what renders must
    be what is stored, sent to the colleges and matched, and nobody's legal name on a
    school record holds a character that does not show."""
    if not isinstance(text, str):
        raise TypeError(f"expected a name as str, got {type(text).__name__}")
    normalized = unicodedata.normalize("NFKC", text)
    if any(is_invisible(c) for c in normalized):
        raise RuleError(
            "has a character that does not show (such as a zero-width space): "
            "please type the name again as it is on your school records."
        )
    return normalized.strip()


def _looks(text: str) -> str:
    """What `text` looks like, casefolded, in Latin letters where it looks Latin:
    compatibility forms composed away, invisible characters dropped, look-alike
    letters folded (after decomposing, so a Cyrillic ё folds like a Latin ë),
    combining marks dropped."""
    visible = "".join(c for c in unicodedata.normalize("NFKC", text) if not is_invisible(c))
    decomposed = unicodedata.normalize("NFKD", visible.casefold())
    return "".join(c for c in fold_look_alikes(decomposed) if not unicodedata.combining(c))


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
