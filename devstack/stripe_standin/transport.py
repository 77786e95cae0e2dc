"""How the stand-in is reached: in-process through a `stripe.HTTPClient`, or over HTTP
(the API and the checkout pages) from the server `StripeStandIn.serve` starts; and
`python -m devstack.stripe_standin`, which serves it."""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import stripe

from devstack.stripe_standin.settings import DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET

if TYPE_CHECKING:
    from devstack.stripe_standin.standin import StripeStandIn


class StandInHTTPClient(stripe.HTTPClient):
    """A stripe library HTTP client that hands each request to a StripeStandIn in-process.

    Exceptions inside the stand-in propagate unchanged (no retries, no sleeps).
    """

    name = "stripe-standin"

    def __init__(self, standin: StripeStandIn):
        super().__init__()
        self.standin = standin

    # The base class says the body is a str; its own clients (RequestsClient) answer
    # bytes, as this one does, and the library decodes either.
    def request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[bytes, int, Mapping[str, str]]:
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        response = self.standin.handle(method, target, dict(headers or {}), post_data)
        return response.body, response.status, dict(response.headers)

    def request_stream(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[Any, int, Mapping[str, str]]:
        body, status, answer_headers = self.request(method, url, headers, post_data)
        return io.BytesIO(body), status, answer_headers

    async def request_async(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[bytes, int, Mapping[str, str]]:
        return self.request(method, url, headers, post_data)

    def close(self) -> None:
        pass

    async def close_async(self) -> None:
        pass


def handler_for(standin: StripeStandIn, *, quiet: bool) -> type[BaseHTTPRequestHandler]:
    """The request handler class of a server answering for `standin`."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "StripeStandIn/1.0"

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            self._answer("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._answer("POST")

        def do_DELETE(self) -> None:  # noqa: N802
            self._answer("DELETE")

        def _answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = urlsplit(self.path).path
            headers: Mapping[str, str]
            try:
                if path == "/checkout" or path.startswith("/checkout/"):
                    status, headers, payload = standin.answer_page(method, path)
                else:
                    response = standin.dispatch(method, self.path, dict(self.headers.items()), body)
                    status, headers, payload = response.status, response.headers, response.body
            except Exception as exc:  # noqa: BLE001 - a bug answers 500, the thread lives on
                status, headers = (
                    500,
                    {"Content-Type": "application/json", "Stripe-Should-Retry": "false"},
                )
                payload = json.dumps(
                    {"error": {"type": "api_error", "message": f"{type(exc).__name__}: {exc}"}}
                ).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()
            # Like Stripe, webhooks go out after the request that caused them has its answer.
            standin.after_operation()

        def log_message(self, format: str, *args: Any) -> None:
            if not quiet:
                super().log_message(format, *args)

    return Handler


def main(argv: list[str] | None = None) -> int:
    from devstack.stripe_standin.standin import StripeStandIn

    parser = argparse.ArgumentParser(
        prog="python -m devstack.stripe_standin",
        description="A local stand-in for Stripe Checkout.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    parser.add_argument("--webhook-secret", default=DEFAULT_WEBHOOK_SECRET)
    parser.add_argument("--webhook-url", default=None)
    parser.add_argument("--public-base-url", default=None)
    parser.add_argument("--verbose", action="store_true", help="log each request")
    args = parser.parse_args(argv)
    standin = StripeStandIn(
        api_key=args.api_key,
        webhook_secret=args.webhook_secret,
        webhook_url=args.webhook_url,
        public_base_url=args.public_base_url,
    )
    server, thread = standin.serve(args.host, args.port, quiet=not args.verbose)
    print(
        f"Stripe stand-in at {standin.base_url} (API key {args.api_key}, "
        f"webhook {args.webhook_url or 'none'})",
        flush=True,
    )
    try:
        thread.join()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0
