"""The emails moto's SES recorded, read in-process, for the /_dev/emails pages.

SES v2 ``SendEmail`` lands in the SES v1 backend's ``sent_messages`` (moto's v2
backend delegates to v1), and moto keeps only one body part: the HTML when there is
one. The plain text shown here is derived from that HTML. moto stores no send time,
so each message is stamped when the stack first sees it (right after every API call).
"""

from __future__ import annotations

import email
import email.policy
import html
import json
import re
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any


@dataclass(frozen=True)
class SentEmail:
    id: str
    sent_at: str  # ISO 8601, UTC, when the stack first saw it
    sender: str
    to: list[str]
    subject: str
    text: str
    html: str | None = None
    kind: str = "simple"  # simple | raw | template
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class _TextOfHtml(HTMLParser):
    """A readable plain-text rendering of an HTML mail body."""

    _BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "table", "ul", "ol", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "head", "title"):
            self._skip += 1
        if tag in self._BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "head", "title"):
            self._skip = max(0, self._skip - 1)
        if tag == "a" and self._href:
            self.parts.append(f" <{self._href}>")
            self._href = None
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(markup: str) -> str:
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _looks_like_html(body: str) -> bool:
    return bool(re.search(r"<(html|body|p|div|br|table|a|h[1-6])\b", body, re.IGNORECASE))


def _addresses(destinations: Any) -> list[str]:
    if isinstance(destinations, dict):
        return [
            a
            for key in ("ToAddresses", "CcAddresses", "BccAddresses")
            for a in destinations.get(key) or []
        ]
    if isinstance(destinations, (list, tuple)):
        return [str(a) for a in destinations]
    return []


def _templated(message: Any, sent_at: str, templates: dict[str, dict[str, Any]]) -> list[SentEmail]:
    """A templated send (one destination) or bulk send (many, each with its own
    replacement data), rendered as SES renders it: with moto's Handlebars subset."""
    from moto.ses.template import parse_template

    template = templates.get(message.template)
    default = json.loads(message.template_data or "{}")
    destinations: list[tuple[dict[str, Any], dict[str, Any]]]
    if isinstance(message.destinations, dict):
        destinations = [(message.destinations, {})]
    else:
        destinations = [
            (d.get("Destination", {}), json.loads(d.get("ReplacementTemplateData") or "{}"))
            for d in message.destinations
        ]
    sender = str(getattr(message, "source", "") or "")
    out = []
    for i, (destination, replacement) in enumerate(destinations):
        message_id = f"{_key(message)}-{i}"
        if template is None:
            out.append(
                SentEmail(
                    message_id,
                    sent_at,
                    sender,
                    _addresses(destination),
                    f"(template {message.template})",
                    json.dumps({**default, **replacement}),
                    None,
                    "template",
                    {"template": message.template},
                )
            )
            continue
        data = {**default, **replacement}
        markup = parse_template(str(template.get("html_part") or ""), data)
        text = parse_template(str(template.get("text_part") or ""), data) or html_to_text(markup)
        out.append(
            SentEmail(
                message_id,
                sent_at,
                sender,
                _addresses(destination),
                parse_template(str(template["subject_part"]), data),
                text.strip(),
                markup or None,
                "template",
                {"template": message.template},
            )
        )
    return out


def _from_moto(message: Any, sent_at: str, templates: dict[str, dict[str, Any]]) -> list[SentEmail]:
    """One entry of moto's sent_messages (Message, RawMessage or a template message):
    the emails it stands for (a bulk send stands for one per destination)."""
    if hasattr(message, "template"):
        return _templated(message, sent_at, templates)
    return [_simple(message, sent_at)]


def _simple(message: Any, sent_at: str) -> SentEmail:
    message_id = _key(message)
    sender = str(getattr(message, "source", "") or "")
    if hasattr(message, "raw_data"):
        parsed = email.message_from_string(message.raw_data, policy=email.policy.default)
        html_part = parsed.get_body(preferencelist=("html",))
        text_part = parsed.get_body(preferencelist=("plain",))
        markup = html_part.get_content() if html_part is not None else None
        text = text_part.get_content() if text_part is not None else html_to_text(markup or "")
        to = _addresses(message.destinations) or [str(parsed.get("To", ""))]
        return SentEmail(
            message_id,
            sent_at,
            sender or str(parsed.get("From", "")),
            to,
            str(parsed.get("Subject", "")),
            text.strip(),
            markup,
            "raw",
        )
    body = str(getattr(message, "body", "") or "")
    if _looks_like_html(body):
        return SentEmail(
            message_id,
            sent_at,
            sender,
            _addresses(message.destinations),
            str(message.subject),
            html_to_text(body),
            body,
        )
    return SentEmail(
        message_id,
        sent_at,
        sender,
        _addresses(message.destinations),
        str(message.subject),
        body,
        None,
    )


def _key(message: Any) -> str:
    ids = getattr(message, "id", None) or getattr(message, "ids", None)
    return str(ids) if ids else f"object-{id(message)}"


class EmailLog:
    """Reads moto's SES backend for one account and region, stamping new messages."""

    def __init__(self, region: str, account_id: str | None = None) -> None:
        from moto.core.models import DEFAULT_ACCOUNT_ID

        self.region = region
        self.account_id = account_id or DEFAULT_ACCOUNT_ID
        self._stamps: dict[str, str] = {}
        self._lock = threading.Lock()

    def _backend(self) -> Any:
        from moto.ses.models import ses_backends

        return ses_backends[self.account_id][self.region]

    def _backend_messages(self) -> list[Any]:
        return list(self._backend().sent_messages)

    def refresh(self) -> list[tuple[Any, str]]:
        """Stamp messages not seen before; returns (message, stamp) oldest first."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock:
            messages = self._backend_messages()
            for message in messages:
                self._stamps.setdefault(_key(message), now)
            return [(m, self._stamps[_key(m)]) for m in messages]

    def messages(self) -> list[SentEmail]:
        """Every recorded email, newest first."""
        templates = dict(self._backend().templates)
        return [
            email
            for m, stamp in reversed(self.refresh())
            for email in reversed(_from_moto(m, stamp, templates))
        ]


def render_page(messages: list[SentEmail]) -> str:
    """The /_dev/emails page."""
    rows = []
    for m in messages:
        rows.append(
            "<article>"
            f"<header><strong>{html.escape(m.subject)}</strong>"
            f"<span class=meta>to {html.escape(', '.join(m.to))} · from {html.escape(m.sender)}"
            f' · <time datetime="{html.escape(m.sent_at)}">{html.escape(m.sent_at)}</time></span>'
            "</header>"
            f"<pre>{html.escape(m.text)}</pre>"
            + (
                f'<details><summary>HTML</summary><iframe sandbox srcdoc="{html.escape(m.html)}">'
                "</iframe></details>"
                if m.html
                else ""
            )
            + "</article>"
        )
    body = "\n".join(rows) or "<p>No email has been sent yet.</p>"
    return f"""<!doctype html>
<html lang=en><head><meta charset=utf-8><title>Dev emails ({len(messages)})</title>
<meta name=viewport content="width=device-width, initial-scale=1">
<style>
body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}
article{{border:1px solid #ccc;border-radius:6px;margin:1rem 0;padding:.75rem 1rem}}
header{{display:flex;flex-direction:column;gap:.25rem}}
.meta{{color:#555;font-size:.9rem}}
pre{{white-space:pre-wrap;font-family:ui-monospace,monospace;background:#f7f7f7;padding:.75rem}}
iframe{{width:100%;height:28rem;border:1px solid #ddd}}
</style></head>
<body><h1>Emails sent through the local SES ({len(messages)})</h1>
<p>Newest first. <a href="/_dev/emails">Reload</a> · <a href="/_dev/emails.json">JSON</a> ·
<a href="/">Site</a></p>
{body}
</body></html>
"""
