"""Stripe: Checkout Sessions, refunds, the list of events and webhook signatures, through
the stripe library.

The client retries a request that failed on the network (or that Stripe asks to be
retried) twice, with the same idempotency key (ours where we give one, the library's
otherwise), and gives up on a request after HTTP_TIMEOUT_SECONDS.

The library is imported on first use, so handlers that never touch Stripe do not
pay for its import. Locally and in tests the API is a stand-in
(devstack/stripe_standin/): `STRIPE_API_BASE` points at it, or a test hands in
an HTTP client that answers without a socket.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from dualcredit.dal.secrets import get_secret
from dualcredit.settings import get_settings

if TYPE_CHECKING:  # imported on first use: the stripe library is large
    import stripe
    from stripe.params import EventListParams
    from stripe.params.checkout import SessionCreateParams

#: Tests replace this with an in-process client for the stand-in.
http_client: Any = None
#: Retries of a request that failed on the network, timed out, or that Stripe answered
#: with a 409/429/5xx it marks retryable; each carries the first try's idempotency key.
MAX_NETWORK_RETRIES = 2
#: Seconds before a request to Stripe gives up (the HTTP client's timeout). Well inside
#: the API's 29 s gateway limit even with both retries.
HTTP_TIMEOUT_SECONDS = 8


class StripeUnavailable(Exception):
    """Stripe could not be reached or failed on its side; retrying later may work."""


class InvalidSignature(Exception):
    """The webhook request is forged, stale, signed with another secret, or not JSON."""


@cache
def _shipped_http_client() -> stripe.HTTPClient:
    """The library's default HTTP client (requests) with our timeout, made once per
    process so its connections are pooled."""
    import stripe

    return stripe.new_default_http_client(timeout=HTTP_TIMEOUT_SECONDS)


def _client() -> stripe.StripeClient:
    import stripe

    settings = get_settings()
    options: dict[str, Any] = {
        "max_network_retries": MAX_NETWORK_RETRIES,
        "http_client": http_client if http_client is not None else _shipped_http_client(),
    }
    if settings.stripe_api_base:
        options["base_addresses"] = {"api": settings.stripe_api_base}
    return stripe.StripeClient(get_secret(settings.stripe_secret_key_parameter), **options)


def retrieve_checkout_session(session_id: str) -> tuple[dict[str, Any], str | None] | None:
    """The session as Stripe has it now (a plain dict, as an event carries it, its
    `payment_intent` an id) and its payment intent's status ("processing" while a bank
    payment is on its way), or None if Stripe knows no such session. StripeUnavailable
    when it cannot be reached."""
    import stripe

    try:
        session = _client().v1.checkout.sessions.retrieve(
            session_id, {"expand": ["payment_intent"]}
        )
    except stripe.InvalidRequestError:
        return None
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as error:
        raise StripeUnavailable(type(error).__name__) from error
    found = session.to_dict()
    intent = found.get("payment_intent")
    if isinstance(intent, dict):
        found["payment_intent"] = intent.get("id")
        return found, intent.get("status")
    return found, None


def list_event_pages(
    types: tuple[str, ...], *, created_since: datetime, page_size: int
) -> Iterator[list[dict[str, Any]]]:
    """Stripe's events of `types` created at or after `created_since`, newest first, a
    page (one request) at a time, each after the last one read (`starting_after`) until
    Stripe says there are no more. StripeUnavailable when it cannot be reached or refuses."""
    import stripe

    client = _client()
    params: EventListParams = {
        "types": list(types),
        "created": {"gte": int(created_since.timestamp())},
        "limit": page_size,
    }
    while True:
        try:
            page = client.v1.events.list(params)
        except stripe.StripeError as error:  # unreachable, failing, or refusing our key
            raise StripeUnavailable(type(error).__name__) from error
        events = [event.to_dict() for event in page.data]
        yield events
        if not page.has_more or not events:
            return
        params["starting_after"] = events[-1]["id"]


def create_checkout_session(
    *,
    amount_cents: int,
    description: str,
    sers_id: str,
    student_id: str,
    school_year: str,
    email: str | None,
    success_url: str,
    cancel_url: str,
    expires_at: datetime,
    idempotency_key: str,
) -> dict[str, Any]:
    import stripe

    metadata = {"sers_id": sers_id, "student_id": student_id, "school_year": school_year}
    params: SessionCreateParams = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "usd",
                    "unit_amount": amount_cents,
                    "product_data": {"name": description},
                },
            }
        ],
        "client_reference_id": sers_id,
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
        "success_url": success_url,
        "cancel_url": cancel_url,
        "expires_at": int(expires_at.timestamp()),
    }
    if email:  # Stripe's receipt goes there; without one, Checkout asks the payer
        params["customer_email"] = email
    try:
        session = _client().v1.checkout.sessions.create(
            params, {"idempotency_key": idempotency_key}
        )
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as error:
        raise StripeUnavailable(type(error).__name__) from error
    return {"id": session.id, "url": session.url, "expires_at": session.expires_at}


def expire_checkout_session(session_id: str) -> None:
    _client().v1.checkout.sessions.expire(session_id)


def expire_if_open(session_id: str) -> bool:
    """Expire a session; False when Stripe says it is not open (already expired, paid,
    or unknown), which leaves nothing to expire. Other failures are raised."""
    import stripe

    try:
        _client().v1.checkout.sessions.expire(session_id)
    except stripe.InvalidRequestError:
        return False
    return True


class RefundRefused(Exception):
    """Stripe answered a refund with a 4xx other than 429 (the charge is disputed, already
    refunded ...): asking again with the same request will not change its mind."""

    def __init__(self, code: str, message: str):
        super().__init__(code)
        self.code = code
        self.message = message


def refund(payment_intent: str, *, idempotency_key: str) -> str:
    """Refund a duplicate payment whole; the refund's id. RefundRefused when Stripe
    refuses; StripeUnavailable when it cannot be reached or fails on its side."""
    import stripe

    try:
        refund = _client().v1.refunds.create(
            {"payment_intent": payment_intent, "reason": "duplicate"},
            {"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as error:
        status = error.http_status or 0
        if 400 <= status < 500 and status != 429:
            raise RefundRefused(
                str(error.code or type(error).__name__), str(error.user_message or "")
            ) from error
        raise StripeUnavailable(type(error).__name__) from error
    return str(refund.id)


def _signed_at(header: str) -> int:
    """The `t=` of a Stripe-Signature header the library has already verified."""
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t":
            return int(value)
    raise InvalidSignature("ValueError")


def verify_event(payload: str, signature: str | None) -> dict[str, Any]:
    """The event, if `payload` carries a valid, fresh signature with our secret."""
    import stripe

    secret = get_secret(get_settings().stripe_webhook_secret_parameter)
    # The stripe library's own check (what Webhook.construct_event runs first), then
    # the JSON as a dict: construct_event would build a StripeObject tree of the
    # event's classes only for us to turn it back into this dict.
    tolerance = stripe.Webhook.DEFAULT_TOLERANCE
    try:
        stripe.WebhookSignature.verify_header(payload, signature or "", secret, tolerance)
        # The library refuses a timestamp older than the tolerance only; one from further
        # in the future than that is refused too (a replay signed ahead, or a bad clock).
        if _signed_at(signature or "") > time.time() + tolerance:
            raise InvalidSignature("SignatureFromTheFuture")
        event = json.loads(payload)
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise InvalidSignature(type(error).__name__) from None
    if not isinstance(event, dict):
        raise InvalidSignature("ValueError")
    return event


def prepare() -> None:
    """Import the stripe library now rather than on the first event (for a SnapStart
    snapshot). No client is made: that needs the secret key, which a snapshot must not hold."""
    import stripe  # noqa: F401
