"""The stand-in's REST API: what `stripe.StripeClient` calls, answered from the store.

    POST /v1/checkout/sessions                  create (mode=payment, price_data line items)
    GET  /v1/checkout/sessions/{id}             retrieve (expand[]=line_items|payment_intent)
    GET  /v1/checkout/sessions/{id}/line_items  list the line items
    POST /v1/checkout/sessions/{id}/expire      expire an open session
    POST /v1/refunds                            refund a payment intent (or charge)
    GET  /v1/{payment_intents,charges,refunds,disputes,events}/{id}
    GET  /v1/events                             list events (listing.py: type/types[],
                                                created[...], limit, starting_after ...)

Each route first checks its parameters against the stripe library's type for that
request (param_types.py). `Authorization: Bearer <api_key>` is required. POSTs honour
`Idempotency-Key` as Stripe does: the same key and parameters replay the first answer;
the same key with other parameters is a 400 `idempotency_error`.
"""

from __future__ import annotations

import copy
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from stripe import params as stripe_params
from stripe.params import checkout

from devstack.stripe_standin.errors import StandInError, no_such
from devstack.stripe_standin.listing import list_events
from devstack.stripe_standin.objects import line_items_url, list_of, new_id
from devstack.stripe_standin.param_types import check
from devstack.stripe_standin.parameters import decode_form, expand, integer, metadata
from devstack.stripe_standin.settings import StandInSettings
from devstack.stripe_standin.state import Store

#: GET /v1/<collection>/<id>: (the object's kind, the store's attribute, its params type).
_COLLECTIONS: dict[str, tuple[str, str, type]] = {
    "payment_intents": (
        "payment_intent",
        "payment_intents",
        stripe_params.PaymentIntentRetrieveParams,
    ),
    "charges": ("charge", "charges", stripe_params.ChargeRetrieveParams),
    "refunds": ("refund", "refunds", stripe_params.RefundRetrieveParams),
    "disputes": ("dispute", "disputes", stripe_params.DisputeRetrieveParams),
    "events": ("event", "events", stripe_params.EventRetrieveParams),
}


@dataclass(frozen=True)
class Response:
    """An API answer: status, headers and the exact body bytes."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Api(Store):
    """Answers API requests (`handle`, or `dispatch` to leave delivery for later)."""

    def __init__(self, settings: StandInSettings) -> None:
        super().__init__(settings)
        self.api_key = settings.api_key
        self._idempotency: dict[tuple[str, str], tuple[Any, Response]] = {}

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
        self.after_operation()
        return response

    def dispatch(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str] | None = None,
        body: bytes | str | None = None,
    ) -> Response:
        """Answer one API request without delivering the events it emitted."""
        request_id = new_id("req_", 14)
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
                    replay = self._replay(idempotency_key, fingerprint)
                    if replay is not None:
                        return replay
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

    def _replay(self, idempotency_key: str, fingerprint: Any) -> Response | None:
        """The first answer given for this key, or None if the key is new."""
        saved = self._idempotency.get((self.api_key, idempotency_key))
        if saved is None:
            return None
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
            replay.status, {**replay.headers, "Idempotent-Replayed": "true"}, replay.body
        )

    def _route(self, method: str, path: str, params: dict[str, Any]) -> dict[str, Any]:
        segments = path.split("/")[2:]  # after "", "v1"
        # Every route checks its parameters against the library's type for it first.
        match method, segments:
            case "POST", ["checkout", "sessions"]:
                check(params, checkout.SessionCreateParams)
                return self._create_session(params)
            case "GET", ["checkout", "sessions", session_id]:
                check(params, checkout.SessionRetrieveParams)
                return self._session_view(self._retrieve_session(session_id), expand(params))
            case "GET", ["checkout", "sessions", session_id, "line_items"]:
                check(params, checkout.SessionListLineItemsParams)
                self._retrieve_session(session_id)
                items = copy.deepcopy(self._line_items[session_id])
                return list_of(items, line_items_url(session_id))
            case "POST", ["checkout", "sessions", session_id, "expire"]:
                check(params, checkout.SessionExpireParams)
                return self._session_view(self._expire(session_id), expand(params))
            case "POST", ["refunds"]:
                check(params, stripe_params.RefundCreateParams)
                amount = params.get("amount")
                return self._refund(
                    params.get("payment_intent"),
                    params.get("charge"),
                    None if amount is None else integer(amount, "amount", minimum=1),
                    params.get("reason"),
                    metadata(params.get("metadata"), "metadata"),
                )
            case "GET", ["events"]:
                check(params, stripe_params.EventListParams)
                return list_events(self.events, params)
            case "GET", [collection, object_id] if collection in _COLLECTIONS:
                kind, attribute, params_type = _COLLECTIONS[collection]
                check(params, params_type)
                if attribute == "events":
                    found = next((e for e in self.events if e["id"] == object_id), None)
                else:
                    found = getattr(self, attribute).get(object_id)
                if found is None:
                    raise no_such(kind, object_id, "id")
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
