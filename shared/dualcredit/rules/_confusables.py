"""Letters that render like Latin letters, for the "one person, one account" match.

A small explicit table from Unicode's confusables.txt (UTS #39): the Cyrillic and Greek
letters whose prototype there is a single Latin letter, applied to casefolded text. Latin
look-alikes inside Latin (I and l, 0 and O) are left alone: folding them would join
different real names. Compatibility forms (fullwidth Ａ, mathematical 𝐀, ligatures) are
NFKC's job, not this table's.

And the characters that render as nothing: every format character (Unicode category Cf:
zero-width space and joiners, soft hyphen, bidirectional controls, tags, the BOM) plus
the other default-ignorable code points a name could hide (the combining grapheme
joiner, variation selectors, Hangul fillers, Mongolian free variation selectors).
"""

from __future__ import annotations

import unicodedata

__all__ = ["LATIN_LOOK_ALIKES", "fold_look_alikes", "is_invisible"]

#: Cyrillic or Greek small letter -> the Latin small letter that letter, in one of its
#: cases, renders as: the capital's look-alike first (Н looks like H, so н folds to h;
#: a name's capital initial is where a spoof shows most), else the small letter's (ρ
#: looks like p). One letter per pair keeps the match blind to case, as it must be
#: (ИВАН and Иван are one person).
LATIN_LOOK_ALIKES: dict[str, str] = {
    # Cyrillic
    "\u0430": "a",  # а А
    "\u0432": "b",  # в В
    "\u0441": "c",  # с С
    "\u0501": "d",  # ԁ
    "\u0435": "e",  # е Е
    "\u043d": "h",  # н Н
    "\u04bb": "h",  # һ Һ
    "\u0456": "i",  # і І
    "\u0458": "j",  # ј Ј
    "\u043a": "k",  # к К
    "\u04cf": "l",  # ӏ Ӏ (palochka; confusables.txt's prototype is l)
    "\u043c": "m",  # м М
    "\u043e": "o",  # о О
    "\u0440": "p",  # р Р
    "\u051b": "q",  # ԛ Ԛ
    "\u0455": "s",  # ѕ Ѕ
    "\u0442": "t",  # т Т
    "\u051d": "w",  # ԝ Ԝ
    "\u0445": "x",  # х Х
    "\u0443": "y",  # у У
    "\u04af": "y",  # ү Ү
    # Greek
    "\u03b1": "a",  # α Α
    "\u03b2": "b",  # β Β
    "\u03b5": "e",  # ε Ε
    "\u03b7": "h",  # η Η
    "\u03b9": "i",  # ι Ι
    "\u03ba": "k",  # κ Κ
    "\u03bc": "m",  # μ Μ
    "\u03bd": "n",  # ν Ν (its small letter looks like v: the capital wins)
    "\u03bf": "o",  # ο Ο
    "\u03c1": "p",  # ρ Ρ
    "\u03c4": "t",  # τ Τ
    "\u03c5": "y",  # υ Υ (its small letter looks like u: the capital wins)
    "\u03c7": "x",  # χ Χ
    "\u03b3": "y",  # γ (its capital Γ looks like no Latin letter)
    "\u03b6": "z",  # ζ Ζ
}

_FOLD = str.maketrans(LATIN_LOOK_ALIKES)

#: Default-ignorable code points that are not format characters (Cf).
_IGNORABLE_RANGES = (
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul choseong and jungseong fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian free variation selectors
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xE0100, 0xE01EF),  # variation selectors supplement
)


def is_invisible(ch: str) -> bool:
    """Whether `ch` renders as nothing: a format character or another default-ignorable
    code point."""
    if unicodedata.category(ch) == "Cf":
        return True
    code = ord(ch)
    return any(low <= code <= high for low, high in _IGNORABLE_RANGES)


def fold_look_alikes(text: str) -> str:
    """Casefolded `text` with each Cyrillic or Greek letter that renders like a Latin
    letter replaced by that letter ("аlice" with a Cyrillic а -> "alice")."""
    return text.translate(_FOLD)
