"""A local stand-in for the few Stripe endpoints the app calls.

Stripe's API cannot be reached from this machine, so `make dev` and the tests talk
to this instead. It keeps Checkout Sessions, payment intents, charges, refunds and
disputes in memory, emits Stripe-shaped events signed the way Stripe signs them
(`Stripe-Signature: t=<unix>,v1=<HMAC-SHA256(secret, f"{t}.{body}")>`), and
delivers them to a webhook URL or to an injected function.

API (what `stripe.StripeClient` calls; `Authorization: Bearer <api_key>` required):

    POST /v1/checkout/sessions                  create (mode=payment, price_data line items)
    GET  /v1/checkout/sessions/{id}             retrieve (expand[]=line_items|payment_intent)
    GET  /v1/checkout/sessions/{id}/line_items  list the line items
    POST /v1/checkout/sessions/{id}/expire      expire an open session
    POST /v1/refunds                            refund a payment intent (or charge)
    GET  /v1/{payment_intents,charges,refunds,disputes,events}/{id}

POSTs honour `Idempotency-Key` as Stripe does: the same key and parameters replay
the first answer; the same key with other parameters is a 400 `idempotency_error`.

Test checkout page (server mode only): GET /checkout/{id}, POST /checkout/{id}/pay
(completes the session, 303 to success_url), POST /checkout/{id}/cancel (303 to
cancel_url).

In tests, without a socket::

    standin = StripeStandIn(api_key="sk_test_x", webhook_secret="whsec_x", deliver=call_webhook)
    client = standin.client()            # a stripe.StripeClient wired to the stand-in
    session = client.v1.checkout.sessions.create({...})
    standin.pay(session.id)              # emits checkout.session.completed, delivers it

As a server: `python -m devstack.stripe_standin --port 12111 --webhook-url URL`.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import hmac
import html
import io
import json
import re
import secrets
import string
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl, urlsplit
from urllib.request import ProxyHandler, Request, build_opener

import stripe

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_WEBHOOK_SECRET",
    "Delivery",
    "Response",
    "StandInError",
    "StandInHTTPClient",
    "StripeStandIn",
    "decode_form",
    "format_amount",
    "main",
]

DEFAULT_API_KEY = "sk_test_standin"
DEFAULT_WEBHOOK_SECRET = "whsec_standin"  # noqa: S105 - a fixed local test secret
#: Stripe's limits on a Checkout Session's `expires_at`, in seconds after creation.
MIN_EXPIRY = 30 * 60
MAX_EXPIRY = 24 * 60 * 60
IN_PROCESS_BASE_URL = "http://stripe-standin.test"

_ALPHABET = string.ascii_letters + string.digits
_HTTP = build_opener(ProxyHandler({}))  # webhook deliveries are local: never through a proxy

# What the stand-in accepts; anything else is "Received unknown parameter", as at Stripe.
_SESSION_PARAMS = {
    "mode",
    "line_items",
    "client_reference_id",
    "customer_email",
    "metadata",
    "success_url",
    "cancel_url",
    "expires_at",
    "payment_intent_data",
    "payment_method_types",
    "expand",
    "locale",
    "submit_type",
    "ui_mode",
}
_PAYMENT_INTENT_DATA_PARAMS = {
    "metadata",
    "description",
    "receipt_email",
    "statement_descriptor",
    "statement_descriptor_suffix",
}
_LINE_ITEM_PARAMS = {"price_data", "quantity", "price"}
_PRICE_DATA_PARAMS = {"currency", "unit_amount", "product_data", "tax_behavior"}
_PRODUCT_DATA_PARAMS = {"name", "description", "metadata", "images"}
_REFUND_PARAMS = {"payment_intent", "charge", "amount", "reason", "metadata", "expand"}
_REFUND_REASONS = ("duplicate", "fraudulent", "requested_by_customer")


# --------------------------------------------------------------------------- errors


class StandInError(Exception):
    """A Stripe-shaped API error: `status` and `body` ({"error": {...}})."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code

    @property
    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.param is not None:
            error["param"] = self.param
        if self.code is not None:
            error["code"] = self.code
        return {"error": error}


def _missing(param: str) -> StandInError:
    return StandInError(
        400, f"Missing required param: {param}.", param=param, code="parameter_missing"
    )


def _unknown(param: str) -> StandInError:
    return StandInError(
        400, f"Received unknown parameter: {param}", param=param, code="parameter_unknown"
    )


def _no_such(kind: str, object_id: str, param: str) -> StandInError:
    return StandInError(404, f"No such {kind}: '{object_id}'", param=param, code="resource_missing")


# --------------------------------------------------------------------------- form bodies

_KEY = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")
_KEEP_AS_DICT = {"metadata"}  # user keys, even if they look like list indexes


def decode_form(pairs: str | bytes | Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding back into nested dicts and lists.

    `line_items[0][price_data][unit_amount]=5000&metadata[sers_id]=X&expand[]=a` becomes
    {"line_items": [{"price_data": {"unit_amount": "5000"}}], "metadata": {...},
    "expand": ["a"]}. Values stay strings, as the form carries them.
    """
    if isinstance(pairs, bytes):
        pairs = pairs.decode("utf-8")
    if isinstance(pairs, str):
        pairs = parse_qsl(pairs, keep_blank_values=True)
    root: dict[str, Any] = {}
    for key, value in pairs:
        match = _KEY.fullmatch(key)
        parts = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))] if match else [key]
        node = root
        for depth, part in enumerate(parts):
            if part == "":  # `name[]` appends
                part = str(len(node))
            last = depth == len(parts) - 1
            if last:
                if isinstance(node.get(part), dict):
                    raise StandInError(400, f"Invalid value for {key}: expected a hash.", param=key)
                node[part] = value
            else:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    raise StandInError(400, f"Invalid value for {key}.", param=key)
                node = child
    return _listify(root, None)


def _listify(node: Any, name: str | None) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {key: _listify(value, key) for key, value in node.items()}
    if name not in _KEEP_AS_DICT and converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def _int(value: Any, param: str, *, minimum: int | None = None) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise StandInError(
            400, f"Invalid integer: {value}", param=param, code="parameter_invalid_integer"
        ) from None
    if minimum is not None and number < minimum:
        raise StandInError(
            400,
            f"This value must be greater than or equal to {minimum}.",
            param=param,
            code="parameter_invalid_integer",
        )
    return number


def _str(value: Any, param: str, *, max_length: int | None = None) -> str:
    if not isinstance(value, str):
        raise StandInError(
            400, f"Invalid string: {value!r}", param=param, code="parameter_invalid_string"
        )
    if max_length is not None and len(value) > max_length:
        raise StandInError(
            400,
            f"Invalid string: must be at most {max_length} characters",
            param=param,
            code="parameter_invalid_string_too_long",
        )
    return value


def _hash(value: Any, param: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise StandInError(
            400,
            f"Invalid object: {param} must be a hash.",
            param=param,
            code="parameter_invalid_object",
        )
    for key in value:
        if key not in allowed:
            raise _unknown(f"{param}[{key}]")
    return value


def _metadata(value: Any, param: str) -> dict[str, str]:
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise StandInError(400, "Invalid object: metadata must be a hash of strings.", param=param)
    if len(value) > 50:
        raise StandInError(400, "You can have at most 50 metadata keys.", param=param)
    cleaned: dict[str, str] = {}
    for key, item in value.items():
        if len(key) > 40:
            raise StandInError(
                400,
                f"Metadata keys must be at most 40 characters: {key!r}",
                param=f"{param}[{key}]",
            )
        item = _str(item, f"{param}[{key}]", max_length=500)
        if item != "":  # an empty value unsets the key
            cleaned[key] = item
    return cleaned


def _url(value: Any, param: str) -> str:
    text = _str(value, param, max_length=5000)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StandInError(400, "Not a valid URL", param=param, code="url_invalid")
    return text


def format_amount(amount: int, currency: str) -> str:
    """5000, "usd" -> "$50.00"; other currencies -> "50.00 EUR"."""
    if currency.lower() == "usd":
        return f"${amount / 100:,.2f}"
    return f"{amount / 100:,.2f} {currency.upper()}"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Response:
    """An API answer: status, headers and the exact body bytes."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Delivery:
    """One attempt to deliver an event to the webhook."""

    event_id: str
    event_type: str
    target: str  # the webhook URL, or "callable" for an injected `deliver`
    status: int | None  # HTTP status (or what `deliver` answered); None if it never answered
    error: str | None  # connection error or exception text
    body: bytes = field(repr=False)
    signature: str = field(repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300


def _new_id(prefix: str, length: int = 24) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def _status_of(answer: Any) -> int:
    """What an injected `deliver` returned, as an HTTP status."""
    if isinstance(answer, bool) or answer is None:
        return 200
    if isinstance(answer, int):
        return answer
    if isinstance(answer, Mapping) and isinstance(answer.get("statusCode"), int):
        return answer["statusCode"]  # a Lambda proxy response
    status = getattr(answer, "status", None) or getattr(answer, "status_code", None)
    return status if isinstance(status, int) else 200


# --------------------------------------------------------------------------- the stand-in


class StripeStandIn:
    """In-memory Stripe: Checkout Sessions, payment intents, charges, refunds, disputes, events.

    `deliver(body: bytes, signature_header: str)` replaces HTTP delivery when given;
    its return value is recorded as the status (an int, a Lambda proxy response's
    statusCode, or 200 for None), and an exception it raises is recorded and re-raised.
    `clock` (unix seconds) dates objects and checks `expires_at`; signatures always use
    real time, because `stripe.Webhook.construct_event` checks them against real time.
    With `auto_deliver` (the default) events are delivered as soon as the operation that
    emitted them has finished; events emitted while a delivery is in progress (the
    webhook handler called the API) queue behind it, never re-entering the handler.
    With `auto_deliver=False` they wait for `deliver_pending()`.
    """

    def __init__(
        self,
        *,
        api_key: str = DEFAULT_API_KEY,
        webhook_secret: str = DEFAULT_WEBHOOK_SECRET,
        webhook_url: str | None = None,
        deliver: Callable[[bytes, str], Any] | None = None,
        public_base_url: str | None = None,
        clock: Callable[[], float] = time.time,
        api_version: str = stripe.api_version,
        auto_deliver: bool = True,
        webhook_timeout: float = 30.0,
    ):
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.webhook_url = webhook_url
        self.deliver = deliver
        self.public_base_url = public_base_url.rstrip("/") if public_base_url else None
        self.clock = clock
        self.api_version = api_version
        self.auto_deliver = auto_deliver
        self.webhook_timeout = webhook_timeout

        self.sessions: dict[str, dict[str, Any]] = {}
        self.payment_intents: dict[str, dict[str, Any]] = {}
        self.charges: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.disputes: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.deliveries: list[Delivery] = []

        self._line_items: dict[str, list[dict[str, Any]]] = {}
        self._intent_data: dict[str, dict[str, Any]] = {}  # payment_intent_data per session
        self._idempotency: dict[tuple[str, str], tuple[Any, Response]] = {}
        self._lock = threading.RLock()
        self._delivered = threading.Condition(self._lock)
        self._pending: deque[dict[str, Any]] = deque()
        self._draining = False
        self._request: dict[str, Any] | None = None  # the API request being handled, for events
        self._server: ThreadingHTTPServer | None = None
        self._server_url: str | None = None

    # ----------------------------------------------------------------- wiring

    @property
    def base_url(self) -> str:
        """Where the API and checkout pages are: public_base_url, the served URL, or a
        placeholder for in-process use."""
        return self.public_base_url or self._server_url or IN_PROCESS_BASE_URL

    def http_client(self) -> StandInHTTPClient:
        """A `stripe.HTTPClient` that answers from this stand-in, without a socket."""
        return StandInHTTPClient(self)

    def client(self, api_key: str | None = None) -> stripe.StripeClient:
        """A `stripe.StripeClient` wired to this stand-in in-process (no retries)."""
        return stripe.StripeClient(
            api_key or self.api_key,
            base_addresses={"api": self.base_url},
            http_client=self.http_client(),
            max_network_retries=0,
        )

    def serve(
        self, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True
    ) -> tuple[ThreadingHTTPServer, threading.Thread]:
        """Serve the API and the checkout pages on a daemon thread; port 0 = any free port.

        Stop with `server.shutdown(); server.server_close()` (or `stop()`).
        """
        server = ThreadingHTTPServer((host, port), _handler_for(self, quiet=quiet))
        server.daemon_threads = True
        url_host = "127.0.0.1" if host in ("", "0.0.0.0") else host  # noqa: S104 - a comparison
        self._server = server
        self._server_url = f"http://{url_host}:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, name="stripe-standin", daemon=True)
        thread.start()
        return server, thread

    def stop(self) -> None:
        """Stop the server `serve()` started, if any."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # ----------------------------------------------------------------- test API

    def pay(self, session_id: str, *, async_payment: bool = False) -> dict[str, Any]:
        """Complete an open session as a customer paying would; returns the session.

        Creates the payment intent and charge and emits checkout.session.completed
        (payment_status "paid", or "unpaid" with async_payment=True until
        `async_succeed`/`async_fail`). Raises StandInError if the session is not open.
        """
        session = self._locked(self._pay, session_id, async_payment)
        self._after_operation()
        return session

    def async_succeed(self, session_id: str) -> dict[str, Any]:
        """Settle a delayed payment: emits checkout.session.async_payment_succeeded."""
        session = self._locked(self._async_settle, session_id, True)
        self._after_operation()
        return session

    def async_fail(self, session_id: str) -> dict[str, Any]:
        """Fail a delayed payment: emits checkout.session.async_payment_failed."""
        session = self._locked(self._async_settle, session_id, False)
        self._after_operation()
        return session

    def expire(self, session_id: str) -> dict[str, Any]:
        """Expire an open session (as the API's expire does): emits checkout.session.expired."""
        session = self._locked(self._expire, session_id)
        self._after_operation()
        return session

    def expire_due(self) -> list[str]:
        """Expire every open session whose expires_at has passed by `clock`, as Stripe does
        on its own; returns their ids. (A session is also expired when next touched.)"""
        with self._lock:
            due = [
                session["id"] for session in list(self.sessions.values()) if self._lapse(session)
            ]
        self._after_operation()
        return due

    def refund(
        self, payment_intent: str, *, amount: int | None = None, reason: str | None = None
    ) -> dict[str, Any]:
        """Refund as staff would in the dashboard; emits charge.refunded. Returns the refund."""
        refund = self._locked(self._refund, payment_intent, None, amount, reason, {})
        self._after_operation()
        return refund

    def dispute(self, payment_intent: str, *, reason: str = "fraudulent") -> dict[str, Any]:
        """The cardholder disputes the charge: emits charge.dispute.created. Returns the dispute."""
        dispute = self._locked(self._dispute, payment_intent, reason)
        self._after_operation()
        return dispute

    def line_items(self, session_id: str) -> list[dict[str, Any]]:
        """The session's line items (Stripe `item` objects)."""
        with self._lock:
            self._session(session_id)
            return copy.deepcopy(self._line_items[session_id])

    def events_of_type(self, event_type: str) -> list[dict[str, Any]]:
        with self._lock:
            return [event for event in self.events if event["type"] == event_type]

    def signed_delivery(
        self,
        event: Mapping[str, Any] | str,
        *,
        secret: str | None = None,
        timestamp: int | None = None,
    ) -> tuple[bytes, str]:
        """(body bytes, Stripe-Signature header) for an event (or event id), signed now
        (or at `timestamp`) with the webhook secret (or `secret`)."""
        if isinstance(event, str):
            event = self._event(event)
        body = json.dumps(event, indent=2).encode("utf-8")
        stamp = int(time.time()) if timestamp is None else int(timestamp)
        key = (self.webhook_secret if secret is None else secret).encode("utf-8")
        signature = hmac.new(key, f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
        return body, f"t={stamp},v1={signature}"

    def redeliver(self, event: Mapping[str, Any] | str) -> Delivery:
        """Deliver an event again now (freshly signed), as Stripe's retries and 'Resend' do."""
        if isinstance(event, str):
            event = self._event(event)
        return self._deliver(event)

    def deliver_pending(self) -> list[Delivery]:
        """Deliver the queued events (only needed with auto_deliver=False)."""
        return self._drain()

    def wait_for_deliveries(self, count: int, timeout: float = 10.0) -> bool:
        """Block until at least `count` deliveries are recorded (server mode delivers on
        its own threads); False if `timeout` seconds pass first."""
        with self._delivered:
            return self._delivered.wait_for(lambda: len(self.deliveries) >= count, timeout)

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Events emitted but not delivered yet."""
        with self._lock:
            return list(self._pending)

    # ----------------------------------------------------------------- API entry points

    def handle(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str] | None = None,
        body: bytes | str | None = None,
    ) -> Response:
        """Answer one API request (`target` is the path with its query string), then
        deliver what it emitted (see auto_deliver)."""
        response = self.dispatch(method, target, headers, body)
        self._after_operation()
        return response

    def dispatch(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str] | None = None,
        body: bytes | str | None = None,
    ) -> Response:
        """Answer one API request without delivering the events it emitted."""
        request_id = _new_id("req_", 14)
        method = method.upper()
        lowered = {name.lower(): value for name, value in (headers or {}).items()}
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        body = body or ""
        parts = urlsplit(target)
        path = parts.path.rstrip("/") or "/"
        idempotency_key = lowered.get("idempotency-key") if method == "POST" else None
        try:
            if path != "/v1" and not path.startswith("/v1/"):
                raise self._unrecognized(method, path)
            self._authenticate(lowered.get("authorization"))
            raw = body if method == "POST" else parts.query
            fingerprint = (method, path, tuple(sorted(parse_qsl(raw, keep_blank_values=True))))
            with self._lock:
                if idempotency_key:
                    saved = self._idempotency.get((self.api_key, idempotency_key))
                    if saved is not None:
                        if saved[0] != fingerprint:
                            raise StandInError(
                                400,
                                "Keys for idempotent requests can only be used with the same "
                                "parameters they were first used with. Try using a key other "
                                f"than '{idempotency_key}' if you meant to execute a different "
                                "request.",
                                type="idempotency_error",
                            )
                        replay = saved[1]
                        return Response(
                            replay.status,
                            {**replay.headers, "Idempotent-Replayed": "true"},
                            replay.body,
                        )
                self._request = {"id": request_id, "idempotency_key": idempotency_key}
                try:
                    result = self._route(method, path, decode_form(raw))
                finally:
                    self._request = None
                response = self._json_response(200, result, request_id, idempotency_key)
                if idempotency_key:
                    self._idempotency[(self.api_key, idempotency_key)] = (fingerprint, response)
                return response
        except StandInError as error:
            return self._json_response(error.status, error.body, request_id, idempotency_key)

    # ----------------------------------------------------------------- routing

    def _route(self, method: str, path: str, params: dict[str, Any]) -> dict[str, Any]:
        segments = path.split("/")[2:]  # after "", "v1"
        match method, segments:
            case "POST", ["checkout", "sessions"]:
                return self._create_session(params)
            case "GET", ["checkout", "sessions", session_id]:
                return self._session_view(self._retrieve_session(session_id), self._expand(params))
            case "GET", ["checkout", "sessions", session_id, "line_items"]:
                self._only(params, set())
                self._retrieve_session(session_id)
                items = copy.deepcopy(self._line_items[session_id])
                return {
                    "object": "list",
                    "data": items,
                    "has_more": False,
                    "url": f"/v1/checkout/sessions/{session_id}/line_items",
                }
            case "POST", ["checkout", "sessions", session_id, "expire"]:
                self._only(params, {"expand"})
                return self._session_view(self._expire(session_id), self._expand(params))
            case "POST", ["refunds"]:
                self._only(params, _REFUND_PARAMS)
                amount = params.get("amount")
                return self._refund(
                    params.get("payment_intent"),
                    params.get("charge"),
                    None if amount is None else _int(amount, "amount", minimum=1),
                    params.get("reason"),
                    _metadata(params.get("metadata"), "metadata"),
                )
            case "GET", [collection, object_id] if collection in _COLLECTIONS:
                self._only(params, {"expand"})
                kind, attribute = _COLLECTIONS[collection]
                if attribute == "events":
                    found = next((e for e in self.events if e["id"] == object_id), None)
                else:
                    found = getattr(self, attribute).get(object_id)
                if found is None:
                    raise _no_such(kind, object_id, "id")
                return copy.deepcopy(found)
        raise self._unrecognized(method, path)

    @staticmethod
    def _unrecognized(method: str, path: str) -> StandInError:
        return StandInError(
            404,
            f"Unrecognized request URL ({method}: {path}). Please see "
            "https://stripe.com/docs or we can help at "
            "https://support.stripe.com/.",
        )

    def _authenticate(self, authorization: str | None) -> None:
        if not authorization:
            raise StandInError(
                401,
                "You did not provide an API key. You need to provide your "
                "API key in the Authorization header, using Bearer auth "
                "(e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
            )
        scheme, _, key = authorization.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(key.strip(), self.api_key):
            shown = key.strip()
            masked = (
                shown[:8] + "*" * (len(shown) - 12) + shown[-4:]
                if len(shown) > 12
                else shown[:8] + "****"
            )
            raise StandInError(401, f"Invalid API Key provided: {masked}")

    @staticmethod
    def _only(params: Mapping[str, Any], allowed: set[str]) -> None:
        for name in params:
            if name not in allowed:
                raise _unknown(name)

    @staticmethod
    def _expand(params: Mapping[str, Any]) -> set[str]:
        expand = params.get("expand") or []
        if isinstance(expand, str):
            expand = [expand]
        return set(expand)

    def _json_response(
        self, status: int, payload: Any, request_id: str, idempotency_key: str | None
    ) -> Response:
        headers = {
            "Content-Type": "application/json",
            "Request-Id": request_id,
            "Stripe-Version": self.api_version,
        }
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        return Response(status, headers, json.dumps(payload, indent=2).encode("utf-8"))

    # ----------------------------------------------------------------- sessions

    def _now(self) -> int:
        return int(self.clock())

    def _create_session(self, params: dict[str, Any]) -> dict[str, Any]:
        self._only(params, _SESSION_PARAMS)
        now = self._now()
        mode = params.get("mode")
        if mode is None:
            raise _missing("mode")
        if mode != "payment":
            raise StandInError(
                400,
                f"Invalid mode: the stand-in supports mode=payment, not {mode!r}.",
                param="mode",
            )
        if params.get("ui_mode", "hosted") != "hosted":
            raise StandInError(400, "The stand-in supports ui_mode=hosted only.", param="ui_mode")
        raw_items = params.get("line_items")
        if not raw_items:
            raise StandInError(
                400,
                "`line_items` is required in `payment` mode.",
                param="line_items",
                code="parameter_missing",
            )
        if not isinstance(raw_items, list):
            raise StandInError(400, "Invalid array", param="line_items")
        items = [self._line_item(raw, f"line_items[{i}]") for i, raw in enumerate(raw_items)]
        currencies = {item["currency"] for item in items}
        if len(currencies) > 1:
            raise StandInError(
                400, "All line items must use the same currency.", param="line_items"
            )
        currency = currencies.pop()
        total = sum(item["amount_total"] for item in items)
        if currency == "usd" and total < 50:
            raise StandInError(
                400,
                "The Checkout Session's total amount due must add up to at least $0.50 usd",
                param="line_items",
            )

        expires_at = now + MAX_EXPIRY
        if params.get("expires_at") is not None:
            expires_at = _int(params["expires_at"], "expires_at")
            if expires_at < now + MIN_EXPIRY:
                raise StandInError(
                    400,
                    "The `expires_at` timestamp must be at least 30 minutes "
                    "after the Checkout Session is created.",
                    param="expires_at",
                )
            if expires_at > now + MAX_EXPIRY:
                raise StandInError(
                    400,
                    "The `expires_at` timestamp must be less than 24 hours "
                    "after the Checkout Session is created.",
                    param="expires_at",
                )

        customer_email = params.get("customer_email")
        if customer_email is not None:
            customer_email = _str(customer_email, "customer_email", max_length=800)
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", customer_email):
                raise StandInError(
                    400,
                    f"Invalid email address: {customer_email}",
                    param="customer_email",
                    code="email_invalid",
                )
        reference = params.get("client_reference_id")
        if reference is not None:
            reference = _str(reference, "client_reference_id", max_length=200)
        success_url = params.get("success_url")
        if success_url is not None:
            success_url = _url(success_url, "success_url")
        cancel_url = params.get("cancel_url")
        if cancel_url is not None:
            cancel_url = _url(cancel_url, "cancel_url")
        metadata = _metadata(params.get("metadata"), "metadata")
        intent_data = params.get("payment_intent_data") or {}
        if intent_data:
            intent_data = _hash(intent_data, "payment_intent_data", _PAYMENT_INTENT_DATA_PARAMS)
        intent_metadata = _metadata(intent_data.get("metadata"), "payment_intent_data[metadata]")
        methods = params.get("payment_method_types") or ["card"]
        if not isinstance(methods, list):
            raise StandInError(400, "Invalid array", param="payment_method_types")

        session_id = _new_id("cs_test_", 58)
        self._line_items[session_id] = items
        session = {
            "id": session_id,
            "object": "checkout.session",
            "after_expiration": None,
            "allow_promotion_codes": None,
            "amount_subtotal": total,
            "amount_total": total,
            "billing_address_collection": None,
            "cancel_url": cancel_url,
            "client_reference_id": reference,
            "created": now,
            "currency": currency,
            "customer": None,
            "customer_creation": "if_required",
            "customer_details": None,
            "customer_email": customer_email,
            "expires_at": expires_at,
            "livemode": False,
            "locale": params.get("locale"),
            "metadata": metadata,
            "mode": "payment",
            "payment_intent": None,
            "payment_method_types": methods,
            "payment_status": "unpaid",
            "status": "open",
            "submit_type": params.get("submit_type"),
            "success_url": success_url,
            "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
            "ui_mode": "hosted",
            "url": f"{self.base_url}/checkout/{session_id}",
        }
        self.sessions[session_id] = session
        self._intent_data[session_id] = {**intent_data, "metadata": intent_metadata}
        return self._session_view(session, self._expand(params))

    def _line_item(self, raw: Any, param: str) -> dict[str, Any]:
        item = _hash(raw, param, _LINE_ITEM_PARAMS)
        if "price" in item:
            raise StandInError(
                400,
                f"No such price: '{item['price']}' (the stand-in supports price_data only)",
                param=f"{param}[price]",
                code="resource_missing",
            )
        if "price_data" not in item:
            raise _missing(f"{param}[price_data]")
        price = _hash(item["price_data"], f"{param}[price_data]", _PRICE_DATA_PARAMS)
        if "currency" not in price:
            raise _missing(f"{param}[price_data][currency]")
        currency = _str(price["currency"], f"{param}[price_data][currency]").lower()
        if not re.fullmatch(r"[a-z]{3}", currency):
            raise StandInError(
                400, f"Invalid currency: {currency}", param=f"{param}[price_data][currency]"
            )
        if "unit_amount" not in price:
            raise _missing(f"{param}[price_data][unit_amount]")
        unit_amount = _int(price["unit_amount"], f"{param}[price_data][unit_amount]", minimum=0)
        if "product_data" not in price:
            raise _missing(f"{param}[price_data][product_data]")
        product = _hash(
            price["product_data"], f"{param}[price_data][product_data]", _PRODUCT_DATA_PARAMS
        )
        if not product.get("name"):
            raise _missing(f"{param}[price_data][product_data][name]")
        name = _str(product["name"], f"{param}[price_data][product_data][name]", max_length=250)
        if "quantity" not in item:
            raise StandInError(
                400,
                f"Quantity is required. Add `quantity` to `{param}`",
                param=f"{param}[quantity]",
                code="parameter_missing",
            )
        quantity = _int(item["quantity"], f"{param}[quantity]", minimum=1)
        return {
            "id": _new_id("li_"),
            "object": "item",
            "amount_discount": 0,
            "amount_subtotal": unit_amount * quantity,
            "amount_tax": 0,
            "amount_total": unit_amount * quantity,
            "currency": currency,
            "description": name,
            "price": {
                "id": _new_id("price_"),
                "object": "price",
                "active": False,
                "currency": currency,
                "livemode": False,
                "product": _new_id("prod_", 14),
                "type": "one_time",
                "unit_amount": unit_amount,
            },
            "quantity": quantity,
        }

    def _session_view(self, session: dict[str, Any], expand: set[str]) -> dict[str, Any]:
        view = copy.deepcopy(session)
        for name in expand:
            if name == "line_items":
                view["line_items"] = {
                    "object": "list",
                    "data": copy.deepcopy(self._line_items[session["id"]]),
                    "has_more": False,
                    "url": f"/v1/checkout/sessions/{session['id']}/line_items",
                }
            elif name == "payment_intent":
                if session["payment_intent"]:
                    view["payment_intent"] = copy.deepcopy(
                        self.payment_intents[session["payment_intent"]]
                    )
            else:
                raise StandInError(
                    400, f"This property cannot be expanded ({name}).", param="expand"
                )
        return view

    def _session(self, session_id: str) -> dict[str, Any]:
        session = self.sessions.get(session_id)
        if session is None:
            raise _no_such("checkout.session", session_id, "session")
        return session

    def _retrieve_session(self, session_id: str) -> dict[str, Any]:
        session = self._session(session_id)
        self._lapse(session)
        return session

    def _lapse(self, session: dict[str, Any]) -> bool:
        """Expire an open session whose expires_at has passed; True if it did."""
        if session["status"] == "open" and self._now() >= session["expires_at"]:
            request, self._request = self._request, None  # Stripe's own doing, not a request's
            try:
                self._mark_expired(session)
            finally:
                self._request = request
            return True
        return False

    def _mark_expired(self, session: dict[str, Any]) -> None:
        session["status"] = "expired"
        session["url"] = None
        self._emit("checkout.session.expired", session)

    def _expire(self, session_id: str) -> dict[str, Any]:
        session = self._retrieve_session(session_id)
        if session["status"] != "open":
            raise StandInError(
                400,
                'Only Checkout Sessions with a status in ["open"] can be '
                f"expired. This session's status is {session['status']!r}.",
                param="session",
            )
        self._mark_expired(session)
        return session

    def _pay(self, session_id: str, async_payment: bool) -> dict[str, Any]:
        session = self._retrieve_session(session_id)
        if session["status"] != "open":
            raise StandInError(
                400,
                f"This Checkout Session is {session['status']}, not open; it cannot be paid.",
                param="session",
            )
        now = self._now()
        amount, currency = session["amount_total"], session["currency"]
        email = session["customer_email"] or "payer@example.com"
        intent_data = self._intent_data.get(session_id, {})
        intent_id, charge_id = _new_id("pi_3"), _new_id("ch_3")
        method_type = "us_bank_account" if async_payment else "card"
        self.payment_intents[intent_id] = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_received": 0 if async_payment else amount,
            "canceled_at": None,
            "created": now,
            "currency": currency,
            "customer": None,
            "description": intent_data.get("description"),
            "last_payment_error": None,
            "latest_charge": charge_id,
            "livemode": False,
            "metadata": dict(intent_data.get("metadata") or {}),
            "payment_method_types": [method_type],
            "receipt_email": intent_data.get("receipt_email"),
            "status": "processing" if async_payment else "succeeded",
        }
        self.charges[charge_id] = {
            "id": charge_id,
            "object": "charge",
            "amount": amount,
            "amount_captured": amount,
            "amount_refunded": 0,
            "balance_transaction": None if async_payment else _new_id("txn_3"),
            "billing_details": {
                "email": email,
                "name": "Test Payer",
                "phone": None,
                "address": None,
            },
            "captured": True,
            "created": now,
            "currency": currency,
            "customer": None,
            "description": intent_data.get("description"),
            "disputed": False,
            "failure_code": None,
            "failure_message": None,
            "livemode": False,
            "metadata": dict(intent_data.get("metadata") or {}),
            "paid": not async_payment,
            "payment_intent": intent_id,
            "payment_method_details": {"type": method_type},
            "receipt_email": session["customer_email"],
            "refunded": False,
            "status": "pending" if async_payment else "succeeded",
        }
        session.update(
            {
                "status": "complete",
                "payment_status": "unpaid" if async_payment else "paid",
                "payment_intent": intent_id,
                "customer_details": {
                    "email": email,
                    "name": "Test Payer",
                    "phone": None,
                    "address": None,
                    "tax_exempt": "none",
                    "tax_ids": [],
                },
                "url": None,
            }
        )
        self._emit("checkout.session.completed", session)
        return copy.deepcopy(session)

    def _async_settle(self, session_id: str, succeeded: bool) -> dict[str, Any]:
        session = self._session(session_id)
        intent = self.payment_intents.get(session["payment_intent"] or "")
        if session["status"] != "complete" or intent is None or intent["status"] != "processing":
            raise StandInError(
                400,
                f"Checkout Session {session_id} has no payment waiting to "
                "settle (pay it with async_payment=True first).",
                param="session",
            )
        charge = self.charges[intent["latest_charge"]]
        if succeeded:
            intent.update(status="succeeded", amount_received=intent["amount"])
            charge.update(status="succeeded", paid=True, balance_transaction=_new_id("txn_3"))
            session["payment_status"] = "paid"
            self._emit("checkout.session.async_payment_succeeded", session)
        else:
            charge.update(
                status="failed",
                paid=False,
                amount_captured=0,
                failure_code="insufficient_funds",
                failure_message="The account has insufficient funds.",
            )
            intent.update(
                status="requires_payment_method",
                last_payment_error={
                    "code": "insufficient_funds",
                    "message": "The account has insufficient funds.",
                    "type": "card_error",
                },
            )
            self._emit("checkout.session.async_payment_failed", session)
        return copy.deepcopy(session)

    # ----------------------------------------------------------------- refunds, disputes

    def _paid_charge(self, payment_intent: str | None, charge_id: str | None) -> dict[str, Any]:
        if payment_intent is not None:
            intent = self.payment_intents.get(payment_intent)
            if intent is None:
                raise _no_such("payment_intent", payment_intent, "payment_intent")
            charge = self.charges.get(intent["latest_charge"] or "")
            if charge is None or not charge["paid"]:
                raise StandInError(
                    400,
                    f"This PaymentIntent ({payment_intent}) does not have a "
                    "successful charge to refund.",
                    param="payment_intent",
                )
            return charge
        if charge_id is None:
            raise StandInError(
                400,
                "One of the following params should be provided for this "
                "request: payment_intent or charge.",
                code="parameter_missing",
            )
        charge = self.charges.get(charge_id)
        if charge is None:
            raise _no_such("charge", charge_id, "charge")
        if not charge["paid"]:
            raise StandInError(
                400, f"Charge {charge_id} has not succeeded; it cannot be refunded.", param="charge"
            )
        return charge

    def _refund(
        self,
        payment_intent: str | None,
        charge_id: str | None,
        amount: int | None,
        reason: str | None,
        metadata: dict[str, str],
    ) -> dict[str, Any]:
        if payment_intent is not None and charge_id is not None:
            raise StandInError(
                400, "You can only specify one of payment_intent and charge.", param="charge"
            )
        charge = self._paid_charge(payment_intent, charge_id)
        if reason is not None and reason not in _REFUND_REASONS:
            raise StandInError(
                400,
                "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer",
                param="reason",
            )
        if charge["disputed"]:
            raise StandInError(
                400,
                f"Charge {charge['id']} has been charged back; cannot issue a refund.",
                code="charge_disputed",
            )
        remaining = charge["amount"] - charge["amount_refunded"]
        if remaining <= 0:
            raise StandInError(
                400,
                f"Charge {charge['id']} has already been refunded.",
                code="charge_already_refunded",
            )
        amount = remaining if amount is None else amount
        if amount > remaining:
            raise StandInError(
                400,
                f"Refund amount ({format_amount(amount, charge['currency'])}) "
                "is greater than unrefunded amount on charge "
                f"({format_amount(remaining, charge['currency'])})",
                param="amount",
            )
        refund_id = _new_id("re_3")
        refund = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "balance_transaction": _new_id("txn_3"),
            "charge": charge["id"],
            "created": self._now(),
            "currency": charge["currency"],
            "metadata": metadata,
            "payment_intent": charge["payment_intent"],
            "reason": reason,
            "receipt_number": None,
            "source_transfer_reversal": None,
            "status": "succeeded",
            "transfer_reversal": None,
        }
        self.refunds[refund_id] = refund
        previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        self._emit("charge.refunded", charge, previous_attributes=previous)
        return copy.deepcopy(refund)

    def _dispute(self, payment_intent: str, reason: str) -> dict[str, Any]:
        charge = self._paid_charge(payment_intent, None)
        if charge["disputed"]:
            raise StandInError(400, f"Charge {charge['id']} is already disputed.")
        now = self._now()
        dispute_id = _new_id("dp_1")
        dispute = {
            "id": dispute_id,
            "object": "dispute",
            "amount": charge["amount"] - charge["amount_refunded"],
            "balance_transactions": [],
            "charge": charge["id"],
            "created": now,
            "currency": charge["currency"],
            "evidence_details": {
                "due_by": now + 7 * 86400,
                "has_evidence": False,
                "past_due": False,
                "submission_count": 0,
            },
            "is_charge_refundable": False,
            "livemode": False,
            "metadata": {},
            "payment_intent": charge["payment_intent"],
            "reason": reason,
            "status": "needs_response",
        }
        self.disputes[dispute_id] = dispute
        charge["disputed"] = True
        self._emit("charge.dispute.created", dispute)
        return copy.deepcopy(dispute)

    # ----------------------------------------------------------------- events and delivery

    def _locked(self, operation: Callable[..., Any], *args: Any) -> Any:
        with self._lock:
            return operation(*args)

    def _event(self, event_id: str) -> dict[str, Any]:
        with self._lock:
            for event in self.events:
                if event["id"] == event_id:
                    return event
        raise KeyError(event_id)

    def _emit(
        self,
        event_type: str,
        obj: Mapping[str, Any],
        *,
        previous_attributes: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"object": copy.deepcopy(dict(obj))}
        if previous_attributes is not None:
            data["previous_attributes"] = dict(previous_attributes)
        request = self._request or {"id": None, "idempotency_key": None}
        event = {
            "id": _new_id("evt_3"),
            "object": "event",
            "api_version": self.api_version,
            "created": self._now(),
            "data": data,
            "livemode": False,
            "pending_webhooks": 1 if self._has_target() else 0,
            "request": dict(request),
            "type": event_type,
        }
        self.events.append(event)
        if self._has_target():
            self._pending.append(event)
        return event

    def _has_target(self) -> bool:
        return self.deliver is not None or bool(self.webhook_url)

    def _after_operation(self) -> None:
        if self.auto_deliver:
            self._drain()

    def _drain(self) -> list[Delivery]:
        """Deliver queued events in order. One drainer at a time: events queued while a
        delivery runs (its handler called the API) are delivered after it returns."""
        delivered: list[Delivery] = []
        with self._lock:
            if self._draining:
                return delivered
            self._draining = True
        try:
            while True:
                with self._lock:
                    if not self._pending:
                        self._draining = False
                        return delivered
                    event = self._pending.popleft()
                delivered.append(self._deliver(event))
        except BaseException:
            with self._lock:
                self._draining = False
            raise

    def _deliver(self, event: Mapping[str, Any]) -> Delivery:
        body, signature = self.signed_delivery(event)
        deliver, url = self.deliver, self.webhook_url
        status: int | None = None
        error: str | None = None
        if deliver is not None:
            try:
                status = _status_of(deliver(body, signature))
            except Exception as exc:
                self._record(
                    Delivery(
                        event["id"],
                        event["type"],
                        "callable",
                        None,
                        f"{type(exc).__name__}: {exc}",
                        body,
                        signature,
                    )
                )
                raise
            target = "callable"
        elif url:
            target = url
            request = Request(  # noqa: S310 - local URL
                url,
                data=body,
                method="POST",
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "Stripe-Signature": signature,
                    "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                },
            )
            try:
                with _HTTP.open(request, timeout=self.webhook_timeout) as answer:
                    status = answer.status
                    answer.read()
            except HTTPError as exc:
                status = exc.code
                error = None if 200 <= exc.code < 300 else f"HTTP {exc.code}"
            except (URLError, OSError) as exc:
                error = f"{type(exc).__name__}: {exc}"
        else:
            target, error = "none", "no webhook_url or deliver configured"
        delivery = Delivery(event["id"], event["type"], target, status, error, body, signature)
        self._record(delivery)
        return delivery

    def _record(self, delivery: Delivery) -> None:
        with self._delivered:
            self.deliveries.append(delivery)
            self._delivered.notify_all()

    # ----------------------------------------------------------------- checkout pages

    def _page(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        """The test checkout page: (status, headers, body)."""
        match method, path.strip("/").split("/"):
            case "GET", ["checkout", session_id]:
                with self._lock:
                    session = self.sessions.get(session_id)
                    if session is None:
                        return _html(
                            404,
                            "Checkout not found",
                            "<p>There is no checkout session with this address.</p>",
                        )
                    self._lapse(session)
                    return _checkout_page(session, self._line_items[session_id])
            case "POST", ["checkout", session_id, "pay"]:
                with self._lock:
                    session = self.sessions.get(session_id)
                    if session is None:
                        return _html(
                            404,
                            "Checkout not found",
                            "<p>There is no checkout session with this address.</p>",
                        )
                    self._lapse(session)
                    if session["status"] != "open":
                        status, headers, body = _checkout_page(session, [])
                        return 409, headers, body
                    self._pay(session_id, False)
                    target = session["success_url"]
                if target:
                    return (
                        303,
                        {"Location": target.replace("{CHECKOUT_SESSION_ID}", session_id)},
                        b"",
                    )
                return _html(
                    200,
                    "Payment complete",
                    "<p>Your payment is complete. You can close this page.</p>",
                )
            case "POST", ["checkout", session_id, "cancel"]:
                with self._lock:
                    session = self.sessions.get(session_id)
                    if session is None:
                        return _html(
                            404,
                            "Checkout not found",
                            "<p>There is no checkout session with this address.</p>",
                        )
                    target = session["cancel_url"]
                if target:
                    return (
                        303,
                        {"Location": target.replace("{CHECKOUT_SESSION_ID}", session_id)},
                        b"",
                    )
                return _html(
                    200, "Payment cancelled", "<p>You did not pay. You can close this page.</p>"
                )
        return _html(404, "Not found", "<p>There is nothing at this address.</p>")


_COLLECTIONS = {
    "payment_intents": ("payment_intent", "payment_intents"),
    "charges": ("charge", "charges"),
    "refunds": ("refund", "refunds"),
    "disputes": ("dispute", "disputes"),
    "events": ("event", "events"),
}


# --------------------------------------------------------------------------- HTML

_CSS = """
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
body { margin: 0; background: #f6f8fa; color: #1a1f36; line-height: 1.5; }
main { max-width: 32rem; margin: 2rem auto; padding: 1.5rem 2rem; background: #fff;
       border: 1px solid #d0d7de; border-radius: 8px; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.25rem 0 0.5rem; }
.note { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 0.5rem 0.75rem;
        font-size: 0.9rem; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 0.4rem 0; border-bottom: 1px solid #d0d7de; }
td.num, th.num { text-align: right; }
tfoot th, tfoot td { font-weight: 700; border-bottom: none; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
.actions { display: flex; gap: 0.75rem; margin-top: 1.5rem; flex-wrap: wrap; }
.actions form { margin: 0; }
button { font: inherit; font-weight: 600; padding: 0.6rem 1.25rem; border-radius: 6px;
         cursor: pointer; border: 2px solid #1a1f36; }
button.pay { background: #0a2540; color: #fff; border-color: #0a2540; }
button.cancel { background: #fff; color: #1a1f36; }
button:hover { filter: brightness(1.1); }
button:focus-visible, a:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
a { color: #0969da; }
"""


def _html(status: int, title: str, content: str) -> tuple[int, dict[str, str], bytes]:
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} | Test checkout</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<p class="note" role="note">Test mode: a local stand-in for Stripe Checkout. No card is charged.</p>
<h1>{html.escape(title)}</h1>
{content}
</main>
</body>
</html>
"""
    return (
        status,
        {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"},
        page.encode("utf-8"),
    )


def _checkout_page(
    session: Mapping[str, Any], items: list[dict[str, Any]]
) -> tuple[int, dict[str, str], bytes]:
    session_id = session["id"]
    quoted = html.escape(session_id, quote=True)
    if session["status"] == "expired":
        back = _link(session.get("cancel_url"), session_id, "Return to the site")
        return _html(
            200,
            "This checkout session has expired",
            f"<p>This payment page is no longer valid. Start the payment again from "
            f"the site.</p>{back}",
        )
    if session["status"] == "complete":
        back = _link(session.get("success_url"), session_id, "Return to the site")
        return _html(
            200,
            "This checkout session is already complete",
            f"<p>This payment has already been made.</p>{back}",
        )
    currency = session["currency"]
    total = format_amount(session["amount_total"], currency)
    rows = "\n".join(
        f"<tr><td>{html.escape(item['description'])}</td>"
        f'<td class="num">{item["quantity"]}</td>'
        f'<td class="num">{format_amount(item["amount_total"], currency)}</td></tr>'
        for item in items
    )
    details = []
    metadata = session.get("metadata") or {}
    if metadata.get("sers_id"):
        details.append(("SERS ID", metadata["sers_id"]))
    elif session.get("client_reference_id"):
        details.append(("Reference", session["client_reference_id"]))
    if session.get("customer_email"):
        details.append(("Email", session["customer_email"]))
    detail_list = ""
    if details:
        detail_list = (
            "<dl>"
            + "".join(
                f"<dt>{html.escape(name)}</dt><dd>{html.escape(value)}</dd>"
                for name, value in details
            )
            + "</dl>"
        )
    content = f"""<section aria-labelledby="summary">
<h2 id="summary">Order summary</h2>
<table aria-labelledby="summary">
<thead><tr><th scope="col">Item</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>
{rows}
</tbody>
<tfoot><tr><th scope="row" colspan="2">Total</th><td class="num">{total}</td></tr></tfoot>
</table>
{detail_list}
</section>
<div class="actions">
<form method="post" action="/checkout/{quoted}/pay"><button type="submit" class="pay">Pay {total}</button></form>
<form method="post" action="/checkout/{quoted}/cancel"><button type="submit" class="cancel">Cancel</button></form>
</div>"""
    title = f"Pay {total}"
    if len(items) == 1:
        title += f" for {items[0]['description']}"
    return _html(200, title, content)


def _link(url: str | None, session_id: str, text: str) -> str:
    if not url:
        return ""
    href = html.escape(url.replace("{CHECKOUT_SESSION_ID}", session_id), quote=True)
    return f'<p><a href="{href}">{html.escape(text)}</a></p>'


# --------------------------------------------------------------------------- transports


class StandInHTTPClient(stripe.HTTPClient):
    """A stripe library HTTP client that hands each request to a StripeStandIn in-process.

    Exceptions inside the stand-in propagate unchanged (no retries, no sleeps).
    """

    name = "stripe-standin"

    def __init__(self, standin: StripeStandIn):
        super().__init__()
        self.standin = standin

    def request(
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
        body, status, headers = self.request(method, url, headers, post_data)
        return io.BytesIO(body), status, headers

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


def _handler_for(standin: StripeStandIn, *, quiet: bool) -> type[BaseHTTPRequestHandler]:
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
            try:
                if path == "/checkout" or path.startswith("/checkout/"):
                    status, headers, payload = standin._page(method, path)
                else:
                    response = standin.dispatch(method, self.path, dict(self.headers.items()), body)
                    status, headers, payload = response.status, response.headers, response.body
            except Exception as exc:  # noqa: BLE001 - a bug answers 500 instead of killing the thread
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
            standin._after_operation()

        def log_message(self, format: str, *args: Any) -> None:
            if not quiet:
                super().log_message(format, *args)

    return Handler


def main(argv: list[str] | None = None) -> int:
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


if __name__ == "__main__":
    raise SystemExit(main())
