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


def html_list(lines: list[str]) -> str:
    """`<li>` items for a `*_html` template value; each line is escaped here."""
    return "".join(f"<li>{html.escape(line)}</li>" for line in lines)


def html_rows(rows: list[tuple[object, ...]]) -> str:
    """`<tr>` rows of `<td>` cells for a `*_html` template value; each cell is escaped here."""
    return "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )


def money(cents: int) -> str:
    """$50.00 style amounts for message bodies."""
    return f"${cents // 100:,}.{cents % 100:02d}"
