"""Email bodies rendered from the templates kept beside this module, in the reader's
language: `templates/<name>.html|txt` in English, `templates/es/<name>.html|txt` in
Spanish, each language's subjects in its `subjects.json` (string.Template values like
the bodies). Every template exists in both languages with the same values
(tests/unit/test_mail.py)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template

from dualcredit.i18n import DEFAULT, LANGUAGES, Language
from dualcredit.mail.phrases import phrase

__all__ = [
    "GUARDIAN_NOTE",
    "Message",
    "bulk_name",
    "bulk_template",
    "bulk_values",
    "html_list",
    "html_rows",
    "language",
    "money",
    "phrase",
    "render",
    "subjects",
]

#: The note a parent's or guardian's copy carries, with the link that stops the copies.
GUARDIAN_NOTE = "guardian_note"


@dataclass(frozen=True)
class Message:
    subject: str
    html: str
    text: str


def language(value: str | None) -> Language:
    """A stored language as a Language: one we speak, otherwise the default."""
    for known in LANGUAGES:
        if value == known:
            return known
    return DEFAULT


def _folder(language: Language) -> tuple[str, ...]:
    return ("templates",) if language == DEFAULT else ("templates", language)


@cache
def _template(name: str, language: Language = DEFAULT) -> Template:
    path = resources.files(__package__).joinpath(*_folder(language), name)
    return Template(path.read_text("utf-8"))


@cache
def subjects(language: Language) -> dict[str, Template]:
    """Each email's subject in `language`, by template name."""
    path = resources.files(__package__).joinpath(*_folder(language), "subjects.json")
    return {name: Template(text) for name, text in json.loads(path.read_text("utf-8")).items()}


def render(
    name: str, language: Language = DEFAULT, *, stop_url: str | None = None, **values: str
) -> Message:
    """`name.html` gets HTML-escaped values (except `*_html` ones, already markup),
    `name.txt` the plain ones; the HTML sits inside `layout.html`. With `stop_url`, the
    message is a parent's or guardian's copy: it ends with the note saying why they get
    it and the link that stops the copies."""
    escaped = {k: v if k.endswith("_html") else html.escape(v) for k, v in values.items()}
    body = _template(f"{name}.html", language).substitute(escaped)
    text = _template(f"{name}.txt", language).substitute(values)
    if stop_url is not None:
        body += _template(f"{GUARDIAN_NOTE}.html", language).substitute(
            stop_url=html.escape(stop_url)
        )
        text += "\n" + _template(f"{GUARDIAN_NOTE}.txt", language).substitute(stop_url=stop_url)
    subject = subjects(language)[name].substitute(values)
    return Message(
        subject=subject,
        html=_template("layout.html").substitute(
            lang=language, subject=html.escape(subject), body=body
        ),
        text=text,
    )


def bulk_template(name: str, language: Language = DEFAULT, *, guardian: bool = False) -> Message:
    """`name` in `language` (a guardian's copy with `guardian`, its link the value
    `stop_url`) as an SES template for templated bulk sends: every value becomes the
    Handlebars tag `{{value}}`. SES fills the tags from `bulk_values`, so a send renders
    what `render` renders."""
    sources = (
        subjects(language)[name],
        _template(f"{name}.html", language),
        _template(f"{name}.txt", language),
    )
    tags = {
        identifier: "{{" + identifier + "}}"
        for template in sources
        for identifier in template.get_identifiers()
    }
    if any(identifier.endswith("_html") for identifier in tags):
        raise ValueError(f"{name}: markup values cannot go through a bulk template")
    return render(name, language, stop_url="{{stop_url}}" if guardian else None, **tags)


def bulk_name(name: str, language: Language, *, guardian: bool = False) -> str:
    """The stored SES template's name of `name` in `language`: "reminder" (English, the
    student's), "reminder-es", "reminder-guardian-es"."""
    parts = (
        [name] + (["guardian"] if guardian else []) + ([language] if language != DEFAULT else [])
    )
    return "-".join(parts)


def bulk_values(**values: str) -> dict[str, str]:
    """One destination's values for a `bulk_template`. The HTML and text parts share them,
    so each must read the same escaped or not (SERS IDs, amounts, dates, links): a value
    that would need escaping is refused rather than sent raw into the HTML."""
    for key, value in values.items():
        if html.escape(value) != value or "{{" in value or "}}" in value:
            raise ValueError(f"{key} cannot go into a bulk template unescaped")
    return values


def html_list(lines: list[str]) -> str:
    """`<li>` items for a `*_html` template value; each line is escaped here."""
    return "".join(f"<li>{html.escape(line)}</li>" for line in lines)


def html_rows(rows: list[tuple[object, ...]]) -> str:
    """`<tr>` rows of `<td>` cells for a `*_html` template value; each cell is escaped here."""
    return "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in rows
    )


def money(cents: int) -> str:
    """$50.00 style amounts for message bodies."""
    return f"${cents // 100:,}.{cents % 100:02d}"
