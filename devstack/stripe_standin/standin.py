"""StripeStandIn: the stand-in as its users see it (the API, the checkout pages, what
a test does in Stripe's place, and how to reach it: in-process or served)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from typing import Any

import stripe

from devstack.stripe_standin.api import Api
from devstack.stripe_standin.errors import StandInError
from devstack.stripe_standin.pages import CheckoutPages
from devstack.stripe_standin.settings import (
    DEFAULT_API_KEY,
    DEFAULT_WEBHOOK_SECRET,
    StandInSettings,
)
from devstack.stripe_standin.transport import StandInHTTPClient, handler_for


class StripeStandIn(Api, CheckoutPages):
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
        super().__init__(
            StandInSettings(
                api_key=api_key,
                webhook_secret=webhook_secret,
                webhook_url=webhook_url,
                deliver=deliver,
                public_base_url=public_base_url,
                clock=clock,
                api_version=api_version,
                auto_deliver=auto_deliver,
                webhook_timeout=webhook_timeout,
            )
        )
        self._server: ThreadingHTTPServer | None = None

    # ----------------------------------------------------------------- wiring

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
        server = ThreadingHTTPServer((host, port), handler_for(self, quiet=quiet))
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

    # ----------------------------------------------------------------- in Stripe's place

    def pay(self, session_id: str, *, async_payment: bool = False) -> dict[str, Any]:
        """Complete an open session as a customer paying would; returns the session.

        Creates the payment intent and charge and emits checkout.session.completed
        (payment_status "paid", or "unpaid" with async_payment=True until
        `async_succeed`/`async_fail`). Raises StandInError if the session is not open.
        """
        session = self._locked(self._pay, session_id, async_payment)
        self.after_operation()
        return session

    def async_succeed(self, session_id: str) -> dict[str, Any]:
        """Settle a delayed payment: emits checkout.session.async_payment_succeeded."""
        session = self._locked(self._async_settle, session_id, True)
        self.after_operation()
        return session

    def async_fail(self, session_id: str) -> dict[str, Any]:
        """Fail a delayed payment: emits checkout.session.async_payment_failed."""
        session = self._locked(self._async_settle, session_id, False)
        self.after_operation()
        return session

    def expire(self, session_id: str) -> dict[str, Any]:
        """Expire an open session (as the API's expire does): emits checkout.session.expired."""
        session = self._locked(self._expire, session_id)
        self.after_operation()
        return session

    def expire_due(self) -> list[str]:
        """Expire every open session whose expires_at has passed by `clock`, as Stripe does
        on its own; returns their ids. (A session is also expired when next touched.)"""
        with self._lock:
            due = [
                session["id"] for session in list(self.sessions.values()) if self._lapse(session)
            ]
        self.after_operation()
        return due

    def refund(
        self, payment_intent: str, *, amount: int | None = None, reason: str | None = None
    ) -> dict[str, Any]:
        """Refund as staff would in the dashboard, whole or (`amount` cents) in part; emits
        charge.refunded. Returns the refund."""
        refund = self._locked(self._refund, payment_intent, None, amount, reason, {})
        self.after_operation()
        return refund

    def dispute(self, payment_intent: str, *, reason: str = "fraudulent") -> dict[str, Any]:
        """The cardholder disputes the charge: emits charge.dispute.created. Returns the dispute."""
        dispute = self._locked(self._dispute, payment_intent, reason)
        self.after_operation()
        return dispute

    def close_dispute(self, dispute_id: str, *, status: str) -> dict[str, Any]:
        """The dispute is decided, `status` "won" (the money stays) or "lost" (it went
        back to the cardholder): emits charge.dispute.closed. Returns the dispute."""
        dispute = self._locked(self._close_dispute, dispute_id, status)
        self.after_operation()
        return dispute

    def refuse_refunds(
        self,
        count: int = 1,
        *,
        code: str = "charge_disputed",
        message: str = "This charge has been disputed; it cannot be refunded.",
    ) -> None:
        """The next `count` refund requests of a paid charge are refused as Stripe
        refuses them (400, `code`), whatever their parameters; the ones after are not."""
        with self._lock:
            self._refusals.extend(StandInError(400, message, code=code) for _ in range(count))
