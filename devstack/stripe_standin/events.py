"""The stand-in's events: emitting Stripe-shaped events, queueing them, signing them
the way Stripe signs them (`Stripe-Signature: t=<unix>,v1=<HMAC-SHA256(secret,
f"{t}.{body}")>`) and delivering them to a webhook URL or to an injected function."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import ProxyHandler, Request, build_opener

from devstack.stripe_standin import objects
from devstack.stripe_standin.settings import StandInSettings

_HTTP = build_opener(ProxyHandler({}))  # webhook deliveries are local: never through a proxy


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


class EventLog:
    """Every event emitted, the queue of those not delivered yet, and every delivery.

    The lock guards the stand-in's whole state (its subclasses' objects too). With
    `auto_deliver` events are delivered as soon as the operation that emitted them
    has finished (`after_operation`); events emitted while a delivery is in progress
    (the webhook handler called the API) queue behind it, never re-entering the
    handler. With `auto_deliver=False` they wait for `deliver_pending()`.
    """

    def __init__(self, settings: StandInSettings) -> None:
        self.webhook_secret = settings.webhook_secret
        self.webhook_url = settings.webhook_url
        self.deliver = settings.deliver
        self.clock = settings.clock
        self.api_version = settings.api_version
        self.auto_deliver = settings.auto_deliver
        self.webhook_timeout = settings.webhook_timeout
        self.events: list[dict[str, Any]] = []
        self.deliveries: list[Delivery] = []
        self._lock = threading.RLock()
        self._delivered = threading.Condition(self._lock)
        self._pending: deque[dict[str, Any]] = deque()
        self._draining = False
        self._request: dict[str, Any] | None = None  # the API request being handled, for events

    def _now(self) -> int:
        return int(self.clock())

    # ----------------------------------------------------------------- reading

    def events_of_type(self, event_type: str) -> list[dict[str, Any]]:
        with self._lock:
            return [event for event in self.events if event["type"] == event_type]

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Events emitted but not delivered yet."""
        with self._lock:
            return list(self._pending)

    def discard_pending(self) -> list[dict[str, Any]]:
        """Drop the events not delivered yet (they stay in `events`); returns them."""
        with self._lock:
            dropped = list(self._pending)
            self._pending.clear()
            return dropped

    def _event(self, event_id: str) -> dict[str, Any]:
        with self._lock:
            for event in self.events:
                if event["id"] == event_id:
                    return event
        raise KeyError(event_id)

    # ----------------------------------------------------------------- signing, delivering

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

    def after_operation(self) -> None:
        """Deliver what the operation just finished emitted, unless auto_deliver is off."""
        if self.auto_deliver:
            self._drain()

    # ----------------------------------------------------------------- internals

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
        event = objects.event(
            event_type,
            data,
            api_version=self.api_version,
            now=self._now(),
            request=dict(request),
            pending_webhooks=1 if self._has_target() else 0,
        )
        self.events.append(event)
        if self._has_target():
            self._pending.append(event)
        return event

    def _has_target(self) -> bool:
        return self.deliver is not None or bool(self.webhook_url)

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
                failed = f"{type(exc).__name__}: {exc}"
                self._record(
                    Delivery(event["id"], event["type"], "callable", None, failed, body, signature)
                )
                raise
            target = "callable"
        elif url:
            target = url
            status, error = self._post(url, body, signature)
        else:
            target, error = "none", "no webhook_url or deliver configured"
        delivery = Delivery(event["id"], event["type"], target, status, error, body, signature)
        self._record(delivery)
        return delivery

    def _post(self, url: str, body: bytes, signature: str) -> tuple[int | None, str | None]:
        """POST a signed event as Stripe does: (HTTP status, error)."""
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
        status: int | None = None
        try:
            with _HTTP.open(request, timeout=self.webhook_timeout) as answer:
                status = answer.status
                answer.read()
        except HTTPError as exc:
            return exc.code, None if 200 <= exc.code < 300 else f"HTTP {exc.code}"
        except (URLError, OSError) as exc:
            return status, f"{type(exc).__name__}: {exc}"
        return status, None

    def _record(self, delivery: Delivery) -> None:
        with self._delivered:
            self.deliveries.append(delivery)
            self._delivered.notify_all()
