"""The stand-in's objects in memory (Checkout Sessions and their line items, payment
intents, charges, refunds, disputes) and what happens to them: a session is created,
lapses or is expired, is paid (at once, or later for a delayed payment method); a
charge is refunded or disputed. Each change emits its event (see events.py)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from devstack.stripe_standin import objects
from devstack.stripe_standin.errors import StandInError, no_such
from devstack.stripe_standin.events import EventLog
from devstack.stripe_standin.objects import new_id
from devstack.stripe_standin.parameters import expand, format_amount, session_request
from devstack.stripe_standin.settings import StandInSettings

IN_PROCESS_BASE_URL = "http://stripe-standin.test"


class Store(EventLog):
    """The objects, by id, and their state changes. Methods starting with `_` expect
    the lock held; the public ones take it."""

    def __init__(self, settings: StandInSettings) -> None:
        super().__init__(settings)
        public_base_url = settings.public_base_url
        self.public_base_url = public_base_url.rstrip("/") if public_base_url else None
        self._server_url: str | None = None  # where serve() listens
        self.sessions: dict[str, dict[str, Any]] = {}
        self.payment_intents: dict[str, dict[str, Any]] = {}
        self.charges: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.disputes: dict[str, dict[str, Any]] = {}
        self._line_items: dict[str, list[dict[str, Any]]] = {}
        self._refusals: list[StandInError] = []  # what the next refund requests answer
        self._intent_data: dict[str, dict[str, Any]] = {}  # payment_intent_data per session

    @property
    def base_url(self) -> str:
        """Where the API and checkout pages are: public_base_url, the served URL, or a
        placeholder for in-process use."""
        return self.public_base_url or self._server_url or IN_PROCESS_BASE_URL

    def line_items(self, session_id: str) -> list[dict[str, Any]]:
        """The session's line items (Stripe `item` objects)."""
        with self._lock:
            self._session(session_id)
            return copy.deepcopy(self._line_items[session_id])

    def _locked(self, operation: Callable[..., Any], *args: Any) -> Any:
        with self._lock:
            return operation(*args)

    # ----------------------------------------------------------------- sessions

    def _create_session(self, params: dict[str, Any]) -> dict[str, Any]:
        now = self._now()
        request = session_request(params, now)
        session_id = new_id("cs_test_", 58)
        self._line_items[session_id] = [objects.line_item(item) for item in request.items]
        url = f"{self.base_url}/checkout/{session_id}"
        session = objects.checkout_session(session_id, request, now, url)
        self.sessions[session_id] = session
        self._intent_data[session_id] = request.intent_data
        return self._session_view(session, expand(params))

    def _session_view(self, session: dict[str, Any], names: set[str]) -> dict[str, Any]:
        view = copy.deepcopy(session)
        for name in names:
            if name == "line_items":
                view["line_items"] = objects.list_of(
                    copy.deepcopy(self._line_items[session["id"]]),
                    objects.line_items_url(session["id"]),
                )
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
            raise no_such("checkout.session", session_id, "session")
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

    # ----------------------------------------------------------------- payments

    def _pay(self, session_id: str, async_payment: bool) -> dict[str, Any]:
        session = self._retrieve_session(session_id)
        if session["status"] != "open":
            raise StandInError(
                400,
                f"This Checkout Session is {session['status']}, not open; it cannot be paid.",
                param="session",
            )
        now = self._now()
        email = session["customer_email"] or objects.FALLBACK_EMAIL
        intent_data = self._intent_data.get(session_id, {})
        intent, charge = objects.payment(session, intent_data, now=now, delayed=async_payment)
        intent_id = intent["id"]
        self.payment_intents[intent_id] = intent
        self.charges[charge["id"]] = charge
        session.update(
            {
                "status": "complete",
                "payment_status": "unpaid" if async_payment else "paid",
                "payment_intent": intent_id,
                "customer_details": objects.customer_details(email),
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
            charge.update(status="succeeded", paid=True, balance_transaction=new_id("txn_3"))
            session["payment_status"] = "paid"
            self._emit("checkout.session.async_payment_succeeded", session)
        else:
            charge.update(
                status="failed",
                paid=False,
                amount_captured=0,
                failure_code="insufficient_funds",
                failure_message=objects.INSUFFICIENT_FUNDS,
            )
            intent.update(
                status="requires_payment_method",
                last_payment_error={
                    "code": "insufficient_funds",
                    "message": objects.INSUFFICIENT_FUNDS,
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
                raise no_such("payment_intent", payment_intent, "payment_intent")
            found = self.charges.get(intent["latest_charge"] or "")
            if found is None or not found["paid"]:
                raise StandInError(
                    400,
                    f"This PaymentIntent ({payment_intent}) does not have a "
                    "successful charge to refund.",
                    param="payment_intent",
                )
            return found
        if charge_id is None:
            raise StandInError(
                400,
                "One of the following params should be provided for this "
                "request: payment_intent or charge.",
                code="parameter_missing",
            )
        charge = self.charges.get(charge_id)
        if charge is None:
            raise no_such("charge", charge_id, "charge")
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
        if self._refusals:
            raise self._refusals.pop(0)
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
        refund = objects.refund(new_id("re_3"), charge, amount, reason, metadata, now=self._now())
        self.refunds[refund["id"]] = refund
        previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        charge["refunds"]["data"].insert(0, copy.deepcopy(refund))
        self._emit("charge.refunded", charge, previous_attributes=previous)
        return copy.deepcopy(refund)

    def _dispute(self, payment_intent: str, reason: str) -> dict[str, Any]:
        charge = self._paid_charge(payment_intent, None)
        if charge["disputed"]:
            raise StandInError(400, f"Charge {charge['id']} is already disputed.")
        dispute = objects.dispute(new_id("dp_1"), charge, reason, now=self._now())
        self.disputes[dispute["id"]] = dispute
        charge["disputed"] = True
        self._emit("charge.dispute.created", dispute)
        return copy.deepcopy(dispute)

    def _close_dispute(self, dispute_id: str, status: str) -> dict[str, Any]:
        dispute = self.disputes.get(dispute_id)
        if dispute is None:
            raise no_such("dispute", dispute_id, "dispute")
        if status not in objects.DISPUTE_OUTCOMES:
            raise StandInError(400, f"A dispute closes as won or lost, not {status!r}.")
        if dispute["status"] in objects.DISPUTE_OUTCOMES:
            raise StandInError(
                400, f"Dispute {dispute_id} is already closed ({dispute['status']})."
            )
        previous = {"status": dispute["status"]}
        dispute["status"] = status
        dispute["evidence_details"]["has_evidence"] = status == "won"
        self._emit("charge.dispute.closed", dispute, previous_attributes=previous)
        return copy.deepcopy(dispute)
