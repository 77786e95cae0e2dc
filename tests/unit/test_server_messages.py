"""The server's words in Spanish (issue 11): every message the API can answer with has
Spanish words in the server's catalog (dualcredit/messages/es.json), said with the
values the English one carries; English is unchanged. A message raised without Spanish
words fails here, not silently in English at a family's screen."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import dualcredit.models
from dualcredit import messages
from dualcredit.errors import InvalidInput, NotFound
from dualcredit.http import errors
from dualcredit.http.params import PARAMETER_LABELS
from dualcredit.models.common import ApiModel
from dualcredit.rules import FeeStatus
from tests.support.server_messages import VALUE, server_messages

CATALOG = Path(messages.__file__).with_name("es.json")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
#: Labels H1 adds to the profile (issue 11, a parent's copies; models/student.py).
GUARDIAN_LABELS = ["Language for emails", "Parent or guardian email", "Parent or guardian language"]
#: The words a fee's status is said in inside "Nothing is due for 2026-27 (paid)."
#: (logic.payments._status_words: the status's value, "_" as a space).
FEE_STATUS_WORDS = [status.value.replace("_", " ") for status in FeeStatus]
#: What a roster row's message is built of (logic.roster.Row.error): its place, the
#: file's column, and the problem.
ROW_SHAPES = ['{}, column "{}"', "{}: {}"]


def _shape(template: str) -> str:
    """A key with its values unnamed: "There is no {year} class." -> "There is no {} class."."""
    return PLACEHOLDER.sub(VALUE, template)


def _catalog() -> dict[str, dict[str, str]]:
    document: dict[str, dict[str, str]] = json.loads(CATALOG.read_text(encoding="utf-8"))
    return document


def _model_classes() -> Iterator[type[ApiModel]]:
    for info in pkgutil.iter_modules(dualcredit.models.__path__):
        importlib.import_module(f"dualcredit.models.{info.name}")
    pending = list(ApiModel.__subclasses__())
    while pending:
        model = pending.pop()
        pending += model.__subclasses__()
        yield model


def _labels() -> set[str]:
    labels = set(PARAMETER_LABELS.values()) | set(GUARDIAN_LABELS)
    for model in _model_classes():
        labels |= set(model.labels.values())
    return labels


def _words_about_a_field() -> set[str]:
    """Each phrase http/errors.py says about a field, bounds as templates."""
    bounded = {
        "must be at least {number}",
        "must be at most {number}",
        "must be more than {number}",
        "must be less than {number}",
        "must be at most {count} characters",
        "must have at most {count} entries",
        "must have at least {count} entries",
        "is not valid",
    }
    return set(errors.WORDS.values()) | bounded


def test_every_message_the_server_raises_has_spanish_words() -> None:
    # Given every message template raised in shared/dualcredit (read from its source)
    found = server_messages()
    assert len(found) > 100, "the source walk found too few messages to be right"
    # When each is looked up in the Spanish catalog by its shape
    shapes = {_shape(key) for key in _catalog()["messages"]}
    # Then each has Spanish words
    missing = sorted({f"{f.where}: {f.template!r}" for f in found if f.template not in shapes})
    assert not missing, (
        "messages without Spanish words; add each to shared/dualcredit/messages/es.json "
        "under its English text, values named in braces ({year}, see dualcredit.messages):\n"
        + "\n".join(missing)
    )


def test_every_label_and_phrase_about_a_field_has_spanish_words() -> None:
    # Given each field's label (models, parameters) and each phrase about a field
    wanted = _labels() | _words_about_a_field() | set(FEE_STATUS_WORDS)
    # Then the catalog has each, exactly
    entries = _catalog()["messages"]
    assert sorted(wanted - set(entries)) == []


def test_no_spanish_words_are_for_a_message_nobody_raises() -> None:
    # Given what the server raises and what the error edge says
    raised = {f.template for f in server_messages()}
    said = (
        {_shape(k) for k in _labels() | _words_about_a_field()}
        | set(FEE_STATUS_WORDS)
        | set(ROW_SHAPES)
    )
    # Then each catalog key is one of them (a changed English text leaves no stale entry)
    stale = sorted(k for k in _catalog()["messages"] if _shape(k) not in raised | said)
    assert stale == []


def test_each_spanish_text_carries_the_values_of_its_english_one() -> None:
    document = _catalog()
    for section in ("composed", "messages"):
        for key, words in document[section].items():
            # Then the Spanish names the same values as the English (no more, no fewer)
            assert sorted(PLACEHOLDER.findall(words)) == sorted(PLACEHOLDER.findall(key)), key
            assert words.strip() and words == words.strip(), key
            # And speaks to families as "usted": no "tú" forms ("tu perfil", "puedes")
            assert not re.search(r"\b(tu|tus|puedes|debes|tienes)\b", words, re.I), key


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("Complete your profile first.", "Primero complete su perfil."),
        # a value kept as it is, a date said in Spanish
        (
            "Payments for 2026-27 are taken from December 1, 2026 to June 15, 2027.",
            "Los pagos para 2026-27 se reciben del 1 de diciembre de 2026 al 15 de junio de 2027.",
        ),
        # a message inside a message: a row of a CSV file, its column as the file names it
        (
            'Line 4, column "Final Grade": "B++" is not a grade we know. Use one of: A, B.',
            "Línea 4, columna «Final Grade»: «B++» no es una calificación que conozcamos. "
            "Use una de estas: A, B.",
        ),
        (
            "2 of the rows cannot be saved; nothing was saved. First: grades[0].sers_id: "
            '"X" is not a SERS ID (like TP3-27-AB12).',
            "2 de las filas no se pueden guardar; no se guardó nada. La primera: "
            "grades[0].sers_id: «X» no es un SERS ID (como TP3-27-AB12).",
        ),
        # words the logic puts in the message (a fee's status, what a batch changes)
        (
            "Nothing is due for 2026-27 (waiver pending).",
            "No hay nada que pagar para 2026-27 (exención en revisión).",
        ),
        (
            "2026-28 is not a school year: the year after 2026 ends in 27. "
            "A school year looks like 2026-27.",
            "2026-28 no es un año escolar: el año después de 2026 termina en 27. "
            "Un año escolar se escribe así: 2026-27.",
        ),
    ],
)
def test_a_message_is_said_in_spanish_with_its_values(english: str, spanish: str) -> None:
    # When the English message is said in Spanish
    said = messages.say(english, "es")
    # Then it is the Spanish words with the same values
    assert said == spanish


def test_english_is_unchanged_and_a_message_without_words_is_not_hidden() -> None:
    # Given a message the catalog does not have
    unknown = "Line 4: something nobody wrote Spanish for."
    # Then English is as written, and the catalog does not claim to say it
    assert messages.say("Complete your profile first.", "en") == "Complete your profile first."
    assert not messages.has_words(unknown, "es")
    assert messages.say(unknown, "es") == unknown


def test_an_english_error_never_reads_the_catalog() -> None:
    # Given no catalog read yet
    messages.catalog.cache_clear()
    # When errors are answered in English
    errors._domain_error(NotFound("There is no such school."), "en")
    errors._domain_error(InvalidInput("Nothing to change.", field="school_id"), "en")
    # Then the catalog was not read (a cold start pays nothing for Spanish)
    assert messages.catalog.cache_info().currsize == 0
    # And the first Spanish answer reads it
    answer = errors._domain_error(NotFound("There is no such school."), "es")
    assert messages.catalog.cache_info().currsize == 1
    assert json.loads(answer.body)["message"] == "No existe esa escuela."
    assert answer.headers["Content-Language"] == "es"


def test_the_api_loads_the_spanish_words_only_for_a_spanish_answer() -> None:
    # Given a fresh interpreter with the API's error handling (as on a cold start)
    code = (
        "import sys\n"
        "from dualcredit.errors import NotFound\n"
        "from dualcredit.http import errors\n"
        "print('dualcredit.messages' in sys.modules)\n"
        "errors._domain_error(NotFound('There is no such school.'), 'en')\n"
        "print('dualcredit.messages' in sys.modules)\n"
        "errors._domain_error(NotFound('There is no such school.'), 'es')\n"
        "print('dualcredit.messages' in sys.modules)\n"
    )
    path = os.pathsep.join(p for p in sys.path if p)
    # When it answers an English error, then a Spanish one
    printed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": path},
    ).stdout.splitlines()
    printed = [line for line in printed if line in ("True", "False")]  # not the logs
    # Then the catalog's module is imported for the Spanish one only
    assert printed == ["False", "False", "True"]
