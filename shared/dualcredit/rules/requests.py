"""Requests a student sends staff (prior-year credit): which two ask about the same class.

A student may have one prior-year credit request waiting for staff per class and school
year: a second one for the same class and year is refused until the first is decided.
Two requests ask about the same class when their class names match as a person reads
them: whatever the letter case, the spacing or the composition of accented letters
("Welding  1" and "welding 1", "Cocina Básica" typed with a combining accent or not).
"""

from __future__ import annotations

import unicodedata

__all__ = ["same_class_key"]


def same_class_key(high_school_course: str) -> str:
    """The class a request asks about, as two requests are compared: the name in NFKC,
    case-folded, its runs of white space one space, no space at either end."""
    if not isinstance(high_school_course, str):
        raise TypeError(f"expected a class name, got {type(high_school_course).__name__}")
    folded = unicodedata.normalize("NFKC", high_school_course).casefold()
    # casefold can undo NFKC (e.g. "ẞ" folds to "ss", fine; some fold to decomposed
    # forms), so normalize again: the key is stable under being computed twice.
    return " ".join(unicodedata.normalize("NFKC", folded).split())
