"""The dev stack's own pages, served by the gateway next to the API:

- ``/_dev/emails`` (HTML) and ``/_dev/emails.json``: what moto's SES sent.
- ``/_dev/schedules`` (HTML) and ``/_dev/schedules.json``: the scheduled jobs and
  their runs; POST ``/_dev/schedules/<name>`` runs one now.
- ``/_dev/config.json``: what the front end needs to find the API and Cognito.
- anything else (GET): files from ``web/`` (``index.html`` fallback), or a small page.

Each answer is a `Page`; the gateway's request handler sends it.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from devstack.emails import render_page

if TYPE_CHECKING:
    from devstack.gateway import Backend

DEV_PREFIX = "/_dev/"
_NO_STORE = [("Cache-Control", "no-store")]
_HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Page:
    """An answer: status, body, headers, and the Content-Type unless a header has one."""

    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str | None = None


def json_page(status: int, value: Any, headers: list[tuple[str, str]] | None = None) -> Page:
    return Page(status, json.dumps(value, indent=None).encode(), headers or [], "application/json")


def html_page(text: str, headers: list[tuple[str, str]] | None = None) -> Page:
    return Page(200, text.encode(), headers or [], _HTML)


def dev_page(
    backend: Backend | None,
    method: str,
    path: str,
    content_type: str | None,
    read_body: Callable[[], object],
) -> Page:
    """The answer at a /_dev/ path; `read_body` consumes the request's body."""
    if backend is not None and path.startswith("/_dev/schedules"):
        return _schedules(backend, method, path, content_type, read_body)
    if method not in ("GET", "HEAD"):
        return json_page(405, {"message": "Method Not Allowed"})
    if backend is None:
        return json_page(503, {"message": "The stack is starting"})
    if path == "/_dev/emails.json":
        return json_page(200, [m.as_json() for m in backend.emails.messages()], _NO_STORE)
    if path in ("/_dev/emails", "/_dev/emails/"):
        return html_page(render_page(backend.emails.messages()), _NO_STORE)
    if path == "/_dev/config.json":
        return json_page(200, backend.config, _NO_STORE)
    return json_page(404, {"message": "Not Found"})


def _schedules(
    backend: Backend,
    method: str,
    path: str,
    content_type: str | None,
    read_body: Callable[[], object],
) -> Page:
    """GET /_dev/schedules(.json): the schedules and their runs; POST
    /_dev/schedules/<name>: run one now (a form post is sent back to the page)."""
    from devstack.jobs import render_page as render_schedules

    scheduler = backend.scheduler
    if scheduler is None:
        return json_page(404, {"message": "The stack runs without its scheduled jobs"})
    if method == "POST" and path.count("/") == 3:
        read_body()
        try:
            run = scheduler.run_now(path.rsplit("/", 1)[-1])
        except KeyError:
            return json_page(404, {"message": "No such schedule in infra/template.yaml"})
        if "form" in (content_type or ""):
            return Page(303, b"", [("Location", "/_dev/schedules")])
        return json_page(200 if run.ok else 500, asdict(run))
    if method not in ("GET", "HEAD"):
        return json_page(405, {"message": "Method Not Allowed"})
    if path == "/_dev/schedules.json":
        runs = {
            "schedules": [asdict(s) for s in scheduler.schedules],
            "runs": [asdict(r) for r in scheduler.history],
        }
        return json_page(200, runs, _NO_STORE)
    if path in ("/_dev/schedules", "/_dev/schedules/"):
        return html_page(render_schedules(scheduler, backend.pollers), _NO_STORE)
    return json_page(404, {"message": "Not Found"})


def site_headers(
    api_origin: str, cognito_origin: str, grade_files_origin: str | None = None
) -> list[tuple[str, str]]:
    """The headers CloudFront adds to the site's files (the template's
    SiteResponseHeadersPolicy), with this stack's API, Cognito and grade-files bucket
    origins (moto serves both of the latter locally): the pages run here under the
    Content-Security-Policy that ships. HSTS is left out (plain http)."""
    from devstack.template import resources

    config = resources()["SiteResponseHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    security = config["SecurityHeadersConfig"]
    policy, origins = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    local = {
        "ApiOrigin": api_origin,
        "CognitoOrigin": cognito_origin,
        "GradeFilesOrigin": grade_files_origin or cognito_origin,
    }
    if set(origins) != set(local):
        raise ValueError(
            f"the site's CSP names origins {sorted(origins)}; the dev stack knows {sorted(local)}"
        )
    for name, origin in local.items():
        policy = policy.replace("${" + name + "}", origin)
    headers = [
        ("Content-Security-Policy", policy),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", security["FrameOptions"]["FrameOption"]),
        ("Referrer-Policy", security["ReferrerPolicy"]["ReferrerPolicy"]),
    ]
    return headers + [(h["Header"], h["Value"]) for h in config["CustomHeadersConfig"]["Items"]]


def static_page(
    web_root: Path | None, path: str, headers: list[tuple[str, str]] | None = None
) -> Page:
    """A file of the web front end (a GET that is neither the API nor a dev page), with
    the site's headers."""
    if web_root is None or not web_root.is_dir():
        return html_page(PLACEHOLDER, _NO_STORE)
    root = web_root.resolve()
    target = (root / unquote(path).lstrip("/")).resolve()
    if not target.is_relative_to(root):
        return json_page(404, {"message": "Not Found"})
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        if Path(path).suffix:  # a missing asset, not a page route
            return json_page(404, {"message": "Not Found"})
        target = root / "index.html"  # single-page app fallback
        if not target.is_file():
            return html_page(PLACEHOLDER)
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in (
        "application/javascript",
        "application/json",
    ):
        content_type += "; charset=utf-8"
    return Page(
        200, target.read_bytes(), [("Cache-Control", "no-cache"), *(headers or [])], content_type
    )


PLACEHOLDER = """<!doctype html>
<html lang=en><head><meta charset=utf-8><title>CTE Dual Credit (local)</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto">
<h1>CTE Dual Credit, running locally</h1>
<p>There is no <code>web/</code> folder yet, so there is no site to show.</p>
<ul>
<li><a href="/_dev/emails">Emails sent</a> (<a href="/_dev/emails.json">JSON</a>)</li>
<li><a href="/_dev/schedules">Schedules</a> (run the scheduled jobs now)</li>
<li><a href="/_dev/config.json">Front-end configuration</a></li>
<li><a href="/api/schools">GET /api/schools</a> (public)</li>
<li><a href="/api/window">GET /api/window</a> (public)</li>
</ul>
</body></html>
"""
