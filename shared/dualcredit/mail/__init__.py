"""Email bodies rendered from the templates kept beside this module."""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template


@dataclass(frozen=True)
class Message:
    subject: str
    html: str
    text: str


@cache
def _template(name: str) -> Template:
    return Template(resources.files(__package__).joinpath("templates", name).read_text("utf-8"))


def render(name: str, subject: str, **values: str) -> Message:
    """`name.html` gets HTML-escaped values (except `*_html` ones, already markup),
    `name.txt` the plain ones; the HTML sits inside `layout.html`."""
    escaped = {k: v if k.endswith("_html") else html.escape(v) for k, v in values.items()}
    return Message(
        subject=subject,
        html=_template("layout.html").substitute(
            subject=html.escape(subject), body=_template(f"{name}.html").substitute(escaped)
        ),
        text=_template(f"{name}.txt").substitute(values),
    )


def bulk_template(name: str, subject: str) -> Message:
    """`name` (and `subject`, a string.Template like the bodies) as an SES template for
    templated bulk sends: every value becomes the Handlebars tag `{{value}}`. SES fills
    the tags from `bulk_values`, so a send renders what `render` renders."""
    tags = {
        identifier: "{{" + identifier + "}}"
        for template in (Template(subject), _template(f"{name}.html"), _template(f"{name}.txt"))
        for identifier in template.get_identifiers()
    }
    if any(identifier.endswith("_html") for identifier in tags):
        raise ValueError(f"{name}: markup values cannot go through a bulk template")
    return render(name, Template(subject).substitute(tags), **tags)


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
