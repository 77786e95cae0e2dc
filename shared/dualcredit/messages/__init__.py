"""The server's words in the family's language: English is written where each message is
raised; the other languages' words are a catalog per language (`es.json`), keyed by
the English text, that dualcredit.http.errors reads when it answers an error.

A catalog key is an English message, or a template of one whose values are named in
braces: "There is no {year} class with this id." A message the server built is matched
to its key (exactly, else to the template whose fixed words it fills) and said in the
key's words with the same values. A value is kept as it is (a SERS ID, a course title,
a number), except:

- a value whose name ends in `date` ("June 15, 2027") is said as the language says dates;
  one ending in `year` is a school year ("2026-27"), one ending in `id` a word without
  spaces (a SERS ID), one named `number`, `count` ... a whole number (_NUMBERS);
- a value named `message`, `problem`, `what` or `status`, or ending in `_words`, is
  itself a message (a row's refusal inside "Line 4: ..."), said through the catalog in
  turn (a template whose such value the catalog cannot say is not the text's);
- a value named `place` or `label` ("Line 4", or a SERS ID) is said through the
  catalog when it has it, else kept.

The catalog is read on the first message said in its language, never at import: an
English request never reads it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dualcredit.i18n import Language

_HERE = Path(__file__).resolve().parent
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
#: Values that are messages of their own (see the module's docstring), and names that are
#: said in the language when the catalog has them (a row's "Line 4"; a SERS ID is kept).
_MESSAGES = frozenset({"message", "problem", "what", "status"})
_NAMES = frozenset({"place", "label"})
#: Values that are whole numbers ("Line {number}" is not "Line 4: ...").
_NUMBERS = frozenset({"number", "count", "size", "days", "most", "more", "row"})
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_ENGLISH_DATE = re.compile(rf"(?:{'|'.join(_MONTHS)}) [0-9]{{1,2}}, [0-9]{{4}}")
#: How each language says a date ("15 de junio de 2027").
_DATES = {
    "es": (
        "{day} de {month} de {year}",
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
        "diciembre".split(),
    )
}


@dataclass(frozen=True)
class _Template:
    pattern: re.Pattern[str]
    names: tuple[str, ...]
    words: str  # the translation, with the same names in braces


@dataclass(frozen=True)
class Catalog:
    language: Language
    composed: dict[str, str]  # the shapes dualcredit.http.errors fills ("{label} {words}")
    exact: dict[str, str]
    templates: tuple[_Template, ...]

    def say(self, text: str, depth: int = 0) -> str | None:
        """`text` in the catalog's language, or None when no key is its words."""
        if text in self.exact:
            return self.exact[text]
        if depth > 4:
            return None
        for template in self.templates:
            match = template.pattern.fullmatch(text)
            if match is None:
                continue
            values = {name: self._value(name, match[name], depth) for name in template.names}
            if None not in values.values():
                return template.words.format_map(values)
        return None

    def _value(self, name: str, value: str, depth: int) -> str | None:
        """A template's value in the catalog's language; None when it is a message the
        catalog cannot say (then the template is not the text's)."""
        if name in _MESSAGES or name.endswith("_words"):
            return self.say(value, depth + 1)
        if name in _NAMES:
            return self.say(value, depth + 1) or value
        if name.endswith("date"):
            return _date(value, self.language)
        return value


def _date(text: str, language: Language) -> str:
    """The date "June 15, 2027" as `language` says it; any other text as it is."""
    if _ENGLISH_DATE.fullmatch(text) is None or language not in _DATES:
        return text
    month, day, year = text.replace(",", "").split()
    shape, months = _DATES[language]
    return shape.format(day=int(day), month=months[_MONTHS.index(month)], year=year)


def _compile(key: str, words: str) -> _Template:
    names = tuple(_PLACEHOLDER.findall(key))
    pieces = _PLACEHOLDER.split(key)
    # split gives fixed words and names alternately: "a {x} b" -> ["a ", "x", " b"]
    pattern = "".join(
        re.escape(piece) if i % 2 == 0 else f"(?P<{piece}>{_shape(piece)})"
        for i, piece in enumerate(pieces)
    )
    return _Template(re.compile(pattern, re.DOTALL), names, words)


def _shape(name: str) -> str:
    """What a value named `name` looks like, as a pattern."""
    if name in _NUMBERS:
        return r"-?[0-9]+(?:\.[0-9]+)?"
    if name.endswith("id"):
        return r"\S+"
    if name.endswith("year"):
        return "[0-9]{4}-[0-9]{2}"
    if name.endswith("date"):
        return _ENGLISH_DATE.pattern
    return ".+?"


def _fixed_length(key: str) -> int:
    return len(_PLACEHOLDER.sub("", key))


@cache
def catalog(language: Language) -> Catalog:
    """The catalog of `language` (not English), read once."""
    document = json.loads((_HERE / f"{language}.json").read_text("utf-8"))
    entries: dict[str, str] = document["messages"]
    exact = {key: words for key, words in entries.items() if not _PLACEHOLDER.search(key)}
    # The template with the most fixed words first: "{sers_id}: {problem}" is the last
    # resort of a text that has a colon.
    keys = sorted((k for k in entries if k not in exact), key=_fixed_length, reverse=True)
    templates = tuple(_compile(key, entries[key]) for key in keys)
    return Catalog(language, document["composed"], exact, templates)


def say(text: str, language: Language) -> str:
    """The English message `text` in `language`; as it is in English, or when the
    language's catalog has no words for it (tests/unit/test_server_messages.py fails for
    any message the server can raise without them)."""
    if language == "en":
        return text
    return catalog(language).say(text) or text


def has_words(text: str, language: Language) -> bool:
    """Whether `language`'s catalog says the English message `text`."""
    return language == "en" or catalog(language).say(text) is not None


def phrase(template: str, language: Language, **values: str) -> str:
    """The catalog's words for `template` (a key: "Check the form: {summary}.") in
    `language`, filled with `values` (already in that language)."""
    words = template if language == "en" else catalog(language).composed[template]
    return words.format_map(values)
