"""The languages the program speaks to families in, and how a request names its own."""

from __future__ import annotations

from typing import Literal, cast

Language = Literal["en", "es"]
LANGUAGES: tuple[Language, ...] = ("en", "es")
DEFAULT: Language = "en"


def language_of(accept_language: str | None) -> Language:
    """The language an `Accept-Language` header asks for: Spanish when its most preferred
    language we speak is Spanish ("es", "es-MX", "es;q=0.9, en;q=0.8"), otherwise English."""
    best: tuple[float, int, Language] | None = None
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, parameters = part.strip().partition(";")
        primary = tag.strip().lower().split("-", 1)[0]
        if primary not in LANGUAGES:
            continue
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        candidate = (-quality, position, cast("Language", primary))
        best = candidate if best is None or candidate < best else best
    return best[2] if best else DEFAULT
