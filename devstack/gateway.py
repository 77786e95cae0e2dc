"""A small stand-in for API Gateway (REST API, Lambda proxy integration, Cognito
authorizer) in front of the in-process Lambda handlers.

- ``/api/...``: matched against the template's routes; builds the REST proxy event
  API Gateway would build and hands it to the route's own function (ApiFunction,
  StripeWebhookFunction, ...); non-public routes need a valid Cognito ID token,
  verified against moto's JWKS; claims reach the handler as strings, like API
  Gateway's.
- ``/_dev/...`` and the web front end's static files: devstack/devpages.py.

The route table, the preflight answer and the proxy event and response are
devstack/restapi.py; the authorizer, devstack/authorizer.py; the functions behind it,
devstack/lambdas.py. This module is the HTTP server that puts them together.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from devstack.authorizer import CognitoAuthorizer, bearer_token
from devstack.devpages import DEV_PREFIX, Page, dev_page, json_page, static_page
from devstack.emails import EmailLog
from devstack.lambdas import LambdaFunction
from devstack.restapi import Match, RouteTable, cors_settings, proxy_event, proxy_response
from devstack.template import api_routes

log = logging.getLogger("devstack.gateway")

API_PREFIX = "/api"
MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit


@dataclass
class Backend:
    """What the gateway fronts, set once the stack has built it: the template's
    functions by logical id (each route goes to its own)."""

    functions: dict[str, LambdaFunction]
    authorizer: CognitoAuthorizer
    emails: EmailLog
    config: dict[str, Any]
    allowed_origin: str
    stage: str = "local"
    scheduler: Any = None  # devstack.jobs.Scheduler, once the jobs run
    pollers: list[Any] = field(default_factory=list)  # devstack.jobs.QueuePoller


# --------------------------------------------------------------------------- server


class Gateway:
    """A ThreadingHTTPServer bound at construction (so port 0 is known at once);
    ``attach`` the backend, then ``start``.

    Handler invocations are serialised, across functions too: Lambda runs one request
    at a time per instance, Powertools' resolver keeps the current event in module
    state, and the functions share one process here (and the logger and metrics
    objects of ``dualcredit.observability``). Static files and dev pages are not.

    A handler may call something that calls back into the gateway (the API calls the
    Stripe stand-in, whose webhook comes back to POST /stripe/webhook). That works
    as long as the call back arrives on another thread and does not have to finish
    before the handler returns: the stand-in answers the API call first and delivers
    afterwards, from its own thread, which waits here for the running handler. A
    call back on the handler's own thread could only deadlock (or, with a re-entrant
    lock, run a handler inside another), so it raises instead.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 3000,
        *,
        web_root: Path | None = None,
        quiet: bool = False,
    ) -> None:
        self.web_root = web_root
        self.quiet = quiet
        #: What CloudFront adds to the site's files (set by the stack once Cognito's
        #: local address is known: devpages.site_headers).
        self.site_headers: list[tuple[str, str]] = []
        self.backend: Backend | None = None
        self.routes = RouteTable(api_routes())
        self.cors = cors_settings()
        self.invocations = 0
        self.invocations_by_function: dict[str, int] = {}
        self._invoke_lock = threading.Lock()
        self._invoking_thread: int | None = None
        self._thread: threading.Thread | None = None
        self.server = ThreadingHTTPServer((host, port), _handler_class(self))
        self.server.daemon_threads = True

    @property
    def host(self) -> str:
        return str(self.server.server_address[0])

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def attach(self, backend: Backend) -> None:
        self.backend = backend

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self.server.serve_forever, name="devstack-gateway", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self.server.server_close()

    def invoke(self, function: str, event: dict[str, Any], request_id: str) -> dict[str, Any]:
        """Run `function`'s handler (a logical id of the template) on `event`."""
        backend = self.backend
        if backend is None:
            raise RuntimeError("no backend attached")
        target = backend.functions.get(function)
        if target is None:
            raise RuntimeError(f"{function} is not loaded (is it in infra/template.yaml?)")
        if self._invoking_thread == threading.get_ident():
            raise RuntimeError(
                f"{function} was invoked from inside a running handler on the same "
                "thread; deliver after the handler returns (or from another thread)"
            )
        with self._invoke_lock:
            self._invoking_thread = threading.get_ident()
            self.invocations += 1
            self.invocations_by_function[function] = (
                self.invocations_by_function.get(function, 0) + 1
            )
            try:
                return target.handler(event, target.context(request_id))
            finally:
                self._invoking_thread = None
                backend.emails.refresh()  # stamp what this call sent


def _handler_class(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(_RequestHandler):
        pass

    Handler.gateway = gateway
    return Handler


class _RequestHandler(BaseHTTPRequestHandler):
    gateway: Gateway
    protocol_version = "HTTP/1.1"
    server_version = "devstack"

    # ------------------------------------------------------------------ plumbing

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if not self.gateway.quiet:
            sys.stderr.write(f"[gateway] {self.address_string()} {format % args}\n")

    def _send(
        self,
        status: int,
        body: bytes,
        headers: list[tuple[str, str]] | None = None,
        content_type: str | None = None,
    ) -> None:
        self.send_response(status)
        names = set()
        for name, value in headers or []:
            if name.lower() in ("content-length", "transfer-encoding", "connection"):
                continue
            names.add(name.lower())
            self.send_header(name, value)
        if content_type and "content-type" not in names:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _page(self, page: Page) -> None:
        self._send(page.status, page.body, page.headers, page.content_type)

    def _json(self, status: int, value: Any, headers: list[tuple[str, str]] | None = None) -> None:
        self._page(json_page(status, value, headers))

    def _read_body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            return None
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:  # noqa: N802 - stdlib names
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        try:
            path = urlsplit(self.path).path
            if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
                self._api()
            elif path.startswith(DEV_PREFIX):
                content_type = self.headers.get("Content-Type")
                backend = self.gateway.backend
                self._page(dev_page(backend, self.command, path, content_type, self._read_body))
            elif self.command in ("GET", "HEAD"):
                self._page(static_page(self.gateway.web_root, path, self.gateway.site_headers))
            else:
                self._json(405, {"message": "Method Not Allowed"})
        except (BrokenPipeError, ConnectionResetError):
            pass

    # ------------------------------------------------------------------ API Gateway

    def _gateway_error(self, status: int, message: str, error_type: str) -> None:
        """API Gateway's own answers (DEFAULT_4XX gateway responses carry CORS headers)."""
        backend = self.gateway.backend
        headers = [("x-amzn-RequestId", str(uuid.uuid4())), ("x-amzn-ErrorType", error_type)]
        if backend:
            headers += [
                ("Access-Control-Allow-Origin", backend.allowed_origin),
                ("Access-Control-Allow-Headers", self.gateway.cors["Access-Control-Allow-Headers"]),
            ]
        self._json(status, {"message": message}, headers)

    def _api(self) -> None:
        backend = self.gateway.backend
        body = self._read_body()
        if backend is None:
            self._gateway_error(503, "Service Unavailable", "ServiceUnavailableException")
            return
        if body is None:
            self._gateway_error(413, "Request Too Long", "RequestEntityTooLargeException")
            return
        parts = urlsplit(self.path)
        api_path = unquote(parts.path[len(API_PREFIX) :]) or "/"
        if len(api_path) > 1:
            api_path = api_path.rstrip("/") or "/"
        match = self.gateway.routes.match(api_path)
        if match is None or (self.command not in match.methods and self.command != "OPTIONS"):
            self._gateway_error(
                403, "Missing Authentication Token", "MissingAuthenticationTokenException"
            )
            return
        if self.command == "OPTIONS":
            self._preflight(backend, match)
            return
        route = match.methods[self.command]
        claims: dict[str, Any] | None = None
        if not route.public:
            token = bearer_token(self.headers.get("Authorization"))
            claims = backend.authorizer.verify(token) if token else None
            if claims is None:
                self._gateway_error(401, "Unauthorized", "UnauthorizedException")
                return
        request_id = str(uuid.uuid4())
        event = proxy_event(
            method=self.command,
            headers=list(self.headers.items()),
            host=self.headers.get("Host") or f"{self.gateway.host}:{self.gateway.port}",
            user_agent=self.headers.get("User-Agent"),
            client_ip=self.client_address[0],
            port=self.gateway.port,
            protocol=self.request_version,
            stage=backend.stage,
            match=match,
            api_path=api_path,
            query=parts.query,
            body=body,
            claims=claims,
            request_id=request_id,
        )
        try:
            response = self.gateway.invoke(route.function, event, request_id)
        except Exception:  # noqa: BLE001 - a crashed Lambda is a 502 at API Gateway
            traceback.print_exc()
            self._gateway_error(502, "Internal server error", "InternalServerErrorException")
            return
        self._lambda_response(response, request_id)

    def _preflight(self, backend: Backend, match: Match) -> None:
        """SAM's CORS mock integration on every resource (no authorizer on OPTIONS)."""
        headers = [
            ("Access-Control-Allow-Origin", backend.allowed_origin),
            *self.gateway.cors.items(),
        ]
        self._send(200, b"", headers, "application/json")

    def _lambda_response(self, response: Any, request_id: str) -> None:
        answer = proxy_response(response)
        if answer is None:
            self._gateway_error(502, "Internal server error", "InternalServerErrorException")
            return
        status, headers, raw = answer
        headers.append(("x-amzn-RequestId", request_id))
        self._send(status, raw, headers, "application/json")
