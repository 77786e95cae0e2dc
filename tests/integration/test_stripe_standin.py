"""The local Stripe stand-in, driven through the real stripe library: Checkout Sessions,
idempotency, signed webhook events, refunds, disputes, delayed payments, expiry, and the
HTTP server mode with its test checkout page."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.request import HTTPRedirectHandler, ProxyHandler, Request, build_opener

import pytest
import requests
import stripe

from devstack.stripe_standin import StandInError, StripeStandIn, decode_form

API_KEY = "sk_test_standin_tests"
SECRET = "whsec_standin_tests"
NOW = 1_800_000_000  # 2027-01-15, the stand-in's clock in these tests
SERS_ID = "TP3-26-7KQM"


def checkout_params(**overrides: Any) -> dict[str, Any]:
    """What the app sends for the $50 fee (see shared/dualcredit/dal/stripe_gateway.py)."""
    metadata = {"sers_id": SERS_ID, "student_id": "stu-1", "school_year": "2026-27"}
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 5000,
                    "product_data": {"name": "CTE Dual Credit fee 2026-27"},
                },
            }
        ],
        "client_reference_id": SERS_ID,
        "customer_email": "ana@example.org",
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
        "success_url": "https://app.test/pay/done?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://app.test/pay",
        "expires_at": NOW + 3600,
    }
    params.update(overrides)
    return params


class Webhook:
    """Records what the stand-in delivers, as the webhook Lambda would receive it."""

    def __init__(self) -> None:
        self.received: list[tuple[bytes, str]] = []

    def __call__(self, body: bytes, signature: str) -> int:
        self.received.append((body, signature))
        return 200

    def events(self) -> list[stripe.Event]:
        return [stripe.Webhook.construct_event(body, sig, SECRET) for body, sig in self.received]

    def types(self) -> list[str]:
        return [event.type for event in self.events()]


@pytest.fixture
def webhook() -> Webhook:
    return Webhook()


@pytest.fixture
def standin(webhook: Webhook) -> StripeStandIn:
    return StripeStandIn(api_key=API_KEY, webhook_secret=SECRET, deliver=webhook, clock=lambda: NOW)


@pytest.fixture
def client(standin: StripeStandIn) -> stripe.StripeClient:
    return standin.client()


def paid_session(standin: StripeStandIn, client: stripe.StripeClient) -> dict[str, Any]:
    session = client.v1.checkout.sessions.create(checkout_params())
    return standin.pay(session.id)


# --------------------------------------------------------------------------- sessions


def test_creates_a_checkout_session_through_the_stripe_library(standin, client):
    # Given the app's parameters for the $50 fee
    # When it creates a Checkout Session with the real stripe library, in-process
    session = client.v1.checkout.sessions.create(
        checkout_params(), {"idempotency_key": "fee-stu-1-2026-27"}
    )
    # Then it gets a Stripe-shaped open session with the nested parameters read back
    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert session.url == f"{standin.base_url}/checkout/{session.id}"
    assert (session.status, session.payment_status) == ("open", "unpaid")
    assert (session.amount_total, session.currency) == (5000, "usd")
    assert session.client_reference_id == SERS_ID
    assert session.customer_email == "ana@example.org"
    assert session.metadata.to_dict() == {
        "sers_id": SERS_ID,
        "student_id": "stu-1",
        "school_year": "2026-27",
    }
    assert session.expires_at == NOW + 3600
    assert session.payment_intent is None
    assert session.created == NOW and session.livemode is False
    assert session.success_url.endswith("session_id={CHECKOUT_SESSION_ID}")
    # And its line item keeps the name, amount and quantity
    [item] = standin.line_items(session.id)
    assert (item["description"], item["price"]["unit_amount"], item["quantity"]) == (
        "CTE Dual Credit fee 2026-27",
        5000,
        1,
    )
    expanded = client.v1.checkout.sessions.retrieve(session.id, {"expand": ["line_items"]})
    assert expanded.line_items.data[0].amount_total == 5000


def test_the_same_idempotency_key_returns_the_same_session(standin, client):
    # Given a session created with an idempotency key
    first = client.v1.checkout.sessions.create(checkout_params(), {"idempotency_key": "k-1"})
    # When the app retries with the same key and parameters
    again = client.v1.checkout.sessions.create(checkout_params(), {"idempotency_key": "k-1"})
    # Then it gets the same session, and no second one exists
    assert again.id == first.id
    assert list(standin.sessions) == [first.id]
    # When the same key comes with other parameters
    with pytest.raises(stripe.IdempotencyError) as caught:
        client.v1.checkout.sessions.create(
            checkout_params(customer_email="x@example.org"), {"idempotency_key": "k-1"}
        )
    # Then Stripe's idempotency_error answers, and still no second session exists
    assert caught.value.http_status == 400
    assert caught.value.error.type == "idempotency_error"
    assert len(standin.sessions) == 1
    # And a new key makes a new session
    other = client.v1.checkout.sessions.create(checkout_params(), {"idempotency_key": "k-2"})
    assert other.id != first.id


@pytest.mark.parametrize("offset", [30 * 60, 3600, 24 * 3600])
def test_expires_at_between_30_minutes_and_24_hours_is_accepted(client, offset):
    # Given an expiry inside Stripe's range, When the session is created
    session = client.v1.checkout.sessions.create(checkout_params(expires_at=NOW + offset))
    # Then it keeps that expiry
    assert session.expires_at == NOW + offset


@pytest.mark.parametrize("offset", [0, 30 * 60 - 1, 24 * 3600 + 1, -60])
def test_expires_at_outside_30_minutes_to_24_hours_is_a_stripe_400(standin, client, offset):
    # Given an expiry outside Stripe's range
    # When the session is created
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.checkout.sessions.create(checkout_params(expires_at=NOW + offset))
    # Then Stripe's invalid_request_error names expires_at, and nothing is created
    assert caught.value.http_status == 400
    assert caught.value.param == "expires_at"
    assert caught.value.json_body["error"]["type"] == "invalid_request_error"
    assert "expires_at" in caught.value.json_body["error"]["message"]
    assert standin.sessions == {}


def test_a_session_without_expires_at_lasts_24_hours(client):
    session = client.v1.checkout.sessions.create(checkout_params(expires_at=None))
    assert session.expires_at == NOW + 24 * 3600


@pytest.mark.parametrize(
    ("overrides", "param"),
    [
        ({"mode": "subscription"}, "mode"),
        ({"line_items": None}, "line_items"),
        ({"customer_email": "not-an-email"}, "customer_email"),
        ({"success_url": "/relative"}, "success_url"),
        ({"colour": "blue"}, "colour"),
        (
            {
                "line_items": [
                    {
                        "price_data": {
                            "currency": "usd",
                            "unit_amount": 5000,
                            "product_data": {"name": "Fee"},
                        }
                    }
                ]
            },
            "line_items[0][quantity]",
        ),
    ],
)
def test_invalid_parameters_are_stripe_400s_naming_the_param(client, overrides, param):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.checkout.sessions.create(checkout_params(**overrides))
    assert caught.value.http_status == 400
    assert caught.value.param == param


def test_the_form_encoding_the_library_sends_decodes_to_nested_params():
    # Given a body encoded the way the stripe library encodes it
    body = (
        "mode=payment&line_items[0][quantity]=1&line_items[0][price_data][currency]=usd"
        "&line_items[0][price_data][unit_amount]=5000"
        "&line_items[0][price_data][product_data][name]=CTE+fee"
        "&metadata[sers_id]=TP3-26-7KQM&metadata[0]=kept&expand[]=line_items"
    )
    # When it is decoded
    params = decode_form(body)
    # Then lists and hashes come back, and metadata keys stay keys
    assert params == {
        "mode": "payment",
        "line_items": [
            {
                "quantity": "1",
                "price_data": {
                    "currency": "usd",
                    "unit_amount": "5000",
                    "product_data": {"name": "CTE fee"},
                },
            }
        ],
        "metadata": {"sers_id": "TP3-26-7KQM", "0": "kept"},
        "expand": ["line_items"],
    }


def test_errors_are_stripe_shaped(standin, client):
    # When a request carries no key, or another key
    missing = standin.handle("GET", "/v1/checkout/sessions/cs_test_x", {})
    assert missing.status == 401
    assert missing.json()["error"]["type"] == "invalid_request_error"
    wrong = stripe.StripeClient(
        "sk_test_another",
        base_addresses={"api": standin.base_url},
        http_client=standin.http_client(),
        max_network_retries=0,
    )
    with pytest.raises(stripe.AuthenticationError):
        wrong.v1.checkout.sessions.retrieve("cs_test_x")
    # When a path is not one the stand-in knows
    unknown = standin.handle("POST", "/v1/customers", {"Authorization": f"Bearer {API_KEY}"})
    assert unknown.status == 404
    assert unknown.json()["error"]["message"].startswith("Unrecognized request URL")
    # When a session does not exist
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.checkout.sessions.retrieve("cs_test_nope")
    assert (caught.value.http_status, caught.value.code) == (404, "resource_missing")


# --------------------------------------------------------------------------- payment events


def test_pay_emits_a_signed_checkout_session_completed(standin, client, webhook):
    # Given an open session
    session = client.v1.checkout.sessions.create(checkout_params())
    # When the student pays
    standin.pay(session.id)
    # Then checkout.session.completed is delivered, signed with the webhook secret
    [(body, signature)] = webhook.received
    event = stripe.Webhook.construct_event(body, signature, SECRET)
    assert event.type == "checkout.session.completed"
    assert event.object == "event" and event.id.startswith("evt_")
    assert event.livemode is False and event.api_version == standin.api_version
    paid = event.data.object
    assert (paid.id, paid.status, paid.payment_status) == (session.id, "complete", "paid")
    assert paid.payment_intent.startswith("pi_")
    assert paid.metadata.sers_id == SERS_ID and paid.client_reference_id == SERS_ID
    # And the signature fails with another secret, or on a changed body
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body, signature, "whsec_someone_else")
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body.replace(b"5000", b"0500"), signature, SECRET)
    # And the delivery is recorded
    [delivery] = standin.deliveries
    assert delivery.ok and delivery.event_id == event.id and delivery.target == "callable"
    # And the API now shows the session paid, its payment intent carrying the metadata
    retrieved = client.v1.checkout.sessions.retrieve(session.id)
    assert (retrieved.status, retrieved.payment_status, retrieved.url) == ("complete", "paid", None)
    intent = standin.payment_intents[retrieved.payment_intent]
    assert intent["status"] == "succeeded" and intent["metadata"]["sers_id"] == SERS_ID
    assert standin.charges[intent["latest_charge"]]["paid"] is True


def test_a_completed_or_expired_session_cannot_be_paid(standin, client):
    session = client.v1.checkout.sessions.create(checkout_params())
    standin.pay(session.id)
    with pytest.raises(StandInError):
        standin.pay(session.id)


def test_signed_delivery_allows_redelivery_and_forgery(standin, client, webhook):
    # Given a delivered event
    paid = paid_session(standin, client)
    [event] = standin.events_of_type("checkout.session.completed")
    assert event["data"]["object"]["id"] == paid["id"]
    # When it is signed again, the body is the same and still verifies
    body, signature = standin.signed_delivery(event)
    assert body == webhook.received[0][0]
    assert stripe.Webhook.construct_event(body, signature, SECRET).id == event["id"]
    # When it is signed with another secret or an old timestamp, it does not verify
    _, forged = standin.signed_delivery(event, secret="whsec_forger")
    _, stale = standin.signed_delivery(event["id"], timestamp=int(time.time()) - 3600)
    for header in (forged, stale):
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.Webhook.construct_event(body, header, SECRET)
    # When it is redelivered, the webhook gets it a second time
    standin.redeliver(event["id"])
    assert webhook.types() == ["checkout.session.completed"] * 2


# --------------------------------------------------------------------------- refunds, disputes


def test_an_api_refund_emits_charge_refunded_and_honours_its_idempotency_key(
    standin, client, webhook
):
    # Given a paid session
    paid = paid_session(standin, client)
    intent = paid["payment_intent"]
    # When the app refunds it (a duplicate payment), and retries with the same key
    refund = client.v1.refunds.create(
        {"payment_intent": intent, "reason": "duplicate"}, {"idempotency_key": "refund-1"}
    )
    again = client.v1.refunds.create(
        {"payment_intent": intent, "reason": "duplicate"}, {"idempotency_key": "refund-1"}
    )
    # Then one refund exists, for the whole amount
    assert refund.id.startswith("re_") and again.id == refund.id
    assert (refund.status, refund.amount, refund.payment_intent) == ("succeeded", 5000, intent)
    assert refund.charge == standin.payment_intents[intent]["latest_charge"]
    assert list(standin.refunds) == [refund.id]
    # And one charge.refunded arrives, carrying the payment intent and the request's key
    assert webhook.types() == ["checkout.session.completed", "charge.refunded"]
    event = webhook.events()[-1]
    charge = event.data.object
    assert (charge.object, charge.refunded, charge.amount_refunded) == ("charge", True, 5000)
    assert charge.payment_intent == intent
    assert event.request.idempotency_key == "refund-1"
    # When it is refunded again under another key, Stripe says it already was
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create({"payment_intent": intent}, {"idempotency_key": "refund-2"})
    assert caught.value.code == "charge_already_refunded"


def test_a_refund_needs_a_paid_payment_intent(client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create({"payment_intent": "pi_missing"})
    assert (caught.value.http_status, caught.value.param) == (404, "payment_intent")


def test_a_dashboard_refund_emits_charge_refunded(standin, client, webhook):
    # Given a paid session
    paid = paid_session(standin, client)
    # When staff refund it in the Stripe dashboard
    refund = standin.refund(paid["payment_intent"])
    # Then charge.refunded arrives, from no API request
    event = webhook.events()[-1]
    assert event.type == "charge.refunded"
    assert event.data.object.payment_intent == paid["payment_intent"]
    assert event.data.object.amount_refunded == refund["amount"] == 5000
    assert event.data.previous_attributes.refunded is False
    assert event.request.id is None


def test_a_dispute_emits_charge_dispute_created(standin, client, webhook):
    # Given a paid session
    paid = paid_session(standin, client)
    # When the cardholder disputes the charge
    dispute = standin.dispute(paid["payment_intent"])
    # Then charge.dispute.created arrives with the dispute
    event = webhook.events()[-1]
    assert event.type == "charge.dispute.created"
    disputed = event.data.object
    assert disputed.id == dispute["id"] and disputed.id.startswith("dp_")
    assert (disputed.object, disputed.reason, disputed.status) == (
        "dispute",
        "fraudulent",
        "needs_response",
    )
    assert disputed.payment_intent == paid["payment_intent"]
    assert disputed.charge == standin.payment_intents[paid["payment_intent"]]["latest_charge"]
    assert disputed.amount == 5000
    # And a disputed charge can no longer be refunded
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create({"payment_intent": paid["payment_intent"]})
    assert caught.value.code == "charge_disputed"


def test_a_partial_refund_emits_charge_refunded_with_the_amount_so_far(standin, client, webhook):
    # Given a paid session
    paid = paid_session(standin, client)
    # When staff refund $10 of it in the dashboard, then $15 more
    standin.refund(paid["payment_intent"], amount=1000)
    second = standin.refund(paid["payment_intent"], amount=1500)
    # Then each charge.refunded carries what was refunded so far; the charge is not refunded
    first_event, second_event = webhook.events()[-2:]
    assert [e.type for e in (first_event, second_event)] == ["charge.refunded"] * 2
    assert first_event.data.object.amount_refunded == 1000
    charge = second_event.data.object
    assert (charge.amount, charge.amount_refunded, charge.refunded) == (5000, 2500, False)
    assert [r.id for r in charge.refunds.data][0] == second["id"]
    # And refunding more than is left is Stripe's 400
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create({"payment_intent": paid["payment_intent"], "amount": 2501})
    assert caught.value.param == "amount"


def test_a_refund_can_be_refused_as_stripe_refuses_it(standin, client, webhook):
    # Given a paid session, and Stripe told to refuse the next refund
    paid = paid_session(standin, client)
    standin.refuse_refunds(code="charge_already_refunded", message="Already refunded.")
    # When the app asks for a refund
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.create({"payment_intent": paid["payment_intent"]})
    # Then it is a 400 with that code, nothing is refunded and no event is sent
    assert (caught.value.http_status, caught.value.code) == (400, "charge_already_refunded")
    assert standin.refunds == {} and webhook.types() == ["checkout.session.completed"]
    # And the next request is refunded
    refund = client.v1.refunds.create({"payment_intent": paid["payment_intent"]})
    assert refund.amount == 5000 and webhook.types()[-1] == "charge.refunded"


@pytest.mark.parametrize("status", ["won", "lost"])
def test_a_dispute_closes_won_or_lost(standin, client, webhook, status):
    # Given a disputed charge
    paid = paid_session(standin, client)
    dispute = standin.dispute(paid["payment_intent"])
    # When the dispute is decided
    closed = standin.close_dispute(dispute["id"], status=status)
    # Then charge.dispute.closed arrives with the decided dispute
    event = webhook.events()[-1]
    assert event.type == "charge.dispute.closed"
    assert (event.data.object.id, event.data.object.status) == (dispute["id"], status)
    assert event.data.object.payment_intent == paid["payment_intent"]
    assert event.data.previous_attributes.status == "needs_response"
    assert closed["status"] == status
    # And a closed dispute cannot close again
    with pytest.raises(StandInError):
        standin.close_dispute(dispute["id"], status="won")


FIXTURES = Path(__file__).resolve().parents[1] / "support" / "stripe_fixtures" / "fixtures3.json"


def _fixture(name: str) -> dict[str, Any]:
    """Stripe's published example object of a kind (tests/support/stripe_fixtures)."""
    return json.loads(FIXTURES.read_text())["resources"][name]


def test_refunds_charges_and_disputes_carry_the_fields_of_stripes_fixtures(
    standin, client, webhook
):
    # Given a refunded-in-part, disputed payment
    paid = paid_session(standin, client)
    refund = standin.refund(paid["payment_intent"], amount=1000)
    dispute = standin.dispute(paid["payment_intent"])
    charge = client.v1.charges.retrieve(dispute["charge"]).to_dict()
    # Then each object has exactly the fields of Stripe's published fixture for its kind
    for name, shown in (("refund", refund), ("dispute", dispute), ("charge", charge)):
        assert set(shown) == set(_fixture(name)), name
    for part in ("evidence", "evidence_details", "payment_method_details"):
        assert set(dispute[part]) == set(_fixture("dispute")[part]), part
    # And so does each event, a closing dispute's too
    standin.close_dispute(dispute["id"], status="lost")
    for event in webhook.events():
        assert set(event.to_dict()) == set(_fixture("event")), event.type


# --------------------------------------------------------------------------- delayed payments


def test_a_delayed_payment_completes_unpaid_then_succeeds(standin, client, webhook):
    # Given a session paid by a method that settles later
    session = client.v1.checkout.sessions.create(checkout_params())
    completed = standin.pay(session.id, async_payment=True)
    # Then it is complete but unpaid, and its money is not refundable yet
    assert (completed["status"], completed["payment_status"]) == ("complete", "unpaid")
    assert webhook.events()[-1].data.object.payment_status == "unpaid"
    with pytest.raises(StandInError):
        standin.refund(completed["payment_intent"])
    # When the payment settles
    standin.async_succeed(session.id)
    # Then async_payment_succeeded arrives with the session paid
    event = webhook.events()[-1]
    assert event.type == "checkout.session.async_payment_succeeded"
    assert event.data.object.payment_status == "paid"
    assert standin.payment_intents[completed["payment_intent"]]["status"] == "succeeded"


def test_a_delayed_payment_can_fail(standin, client, webhook):
    # Given a session paid by a method that settles later
    session = client.v1.checkout.sessions.create(checkout_params())
    standin.pay(session.id, async_payment=True)
    # When the payment fails
    standin.async_fail(session.id)
    # Then async_payment_failed arrives and the session stays unpaid
    event = webhook.events()[-1]
    assert event.type == "checkout.session.async_payment_failed"
    assert event.data.object.payment_status == "unpaid"
    # And it cannot settle twice
    with pytest.raises(StandInError):
        standin.async_succeed(session.id)


# --------------------------------------------------------------------------- expiry


def test_the_app_expires_an_open_session(standin, client, webhook):
    # Given an open session
    session = client.v1.checkout.sessions.create(checkout_params())
    # When the app expires it
    expired = client.v1.checkout.sessions.expire(session.id)
    # Then it is expired, checkout.session.expired arrives, and it cannot be paid
    assert (expired.status, expired.url) == ("expired", None)
    assert webhook.types() == ["checkout.session.expired"]
    with pytest.raises(StandInError):
        standin.pay(session.id)
    # And expiring it again is a Stripe 400
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.checkout.sessions.expire(session.id)
    assert caught.value.http_status == 400


def test_a_paid_session_cannot_be_expired(standin, client):
    paid = paid_session(standin, client)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.expire(paid["id"])
    with pytest.raises(StandInError):
        standin.expire(paid["id"])


def test_a_session_lapses_when_its_expires_at_passes(webhook):
    # Given a session and a clock that can move
    now = [NOW]
    standin = StripeStandIn(
        api_key=API_KEY, webhook_secret=SECRET, deliver=webhook, clock=lambda: now[0]
    )
    session = standin.client().v1.checkout.sessions.create(checkout_params())
    # When its expires_at passes, and Stripe sweeps
    now[0] = NOW + 3600
    assert standin.expire_due() == [session.id]
    # Then it is expired and the event was delivered
    assert standin.sessions[session.id]["status"] == "expired"
    assert webhook.types() == ["checkout.session.expired"]


def test_the_python_expire_emits_the_event(standin, client, webhook):
    session = client.v1.checkout.sessions.create(checkout_params())
    standin.expire(session.id)
    assert webhook.types() == ["checkout.session.expired"]


# --------------------------------------------------------------------------- delivery order


def test_events_emitted_while_the_webhook_runs_wait_until_it_returns(webhook):
    # Given a webhook that refunds a duplicate payment while handling checkout.session.completed
    depth = {"now": 0, "max": 0}
    standin = StripeStandIn(api_key=API_KEY, webhook_secret=SECRET, clock=lambda: NOW)
    client = standin.client()

    def handler(body: bytes, signature: str) -> dict[str, Any]:
        depth["now"] += 1
        depth["max"] = max(depth["max"], depth["now"])
        event = stripe.Webhook.construct_event(body, signature, SECRET)
        webhook(body, signature)
        if event.type == "checkout.session.completed":
            client.v1.refunds.create(
                {"payment_intent": event.data.object.payment_intent},
                {"idempotency_key": f"dup-{event.id}"},
            )
        depth["now"] -= 1
        return {"statusCode": 200, "body": ""}

    standin.deliver = handler
    session = client.v1.checkout.sessions.create(checkout_params())
    # When the session is paid
    standin.pay(session.id)
    # Then charge.refunded is delivered after the handler returned, never inside it
    assert webhook.types() == ["checkout.session.completed", "charge.refunded"]
    assert depth["max"] == 1
    assert [d.status for d in standin.deliveries] == [200, 200]


def test_without_auto_deliver_events_wait_for_deliver_pending(webhook):
    # Given a stand-in that only delivers when asked
    standin = StripeStandIn(
        api_key=API_KEY,
        webhook_secret=SECRET,
        deliver=webhook,
        clock=lambda: NOW,
        auto_deliver=False,
    )
    session = standin.client().v1.checkout.sessions.create(checkout_params())
    standin.pay(session.id)
    # Then nothing was delivered yet
    assert webhook.received == [] and len(standin.pending) == 1
    # When asked, it delivers
    [delivery] = standin.deliver_pending()
    assert delivery.event_type == "checkout.session.completed"
    assert webhook.types() == ["checkout.session.completed"] and standin.pending == []


# --------------------------------------------------------------------------- HTTP server mode


class _Receiver(BaseHTTPRequestHandler):
    """A tiny webhook endpoint: records each POST and signals the test."""

    received: list[tuple[bytes, dict[str, str]]]
    arrived: threading.Event

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((body, dict(self.headers.items())))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")
        self.arrived.set()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 303 surfaces as an HTTPError; its target is not fetched


LOCAL = build_opener(ProxyHandler({}), _NoRedirect())


def _fetch(
    url: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    request = Request(  # noqa: S310 - local
        url,
        data=b"" if method == "POST" else None,
        method=method,
        headers=headers or {},
    )
    try:
        with LOCAL.open(request, timeout=10) as answer:
            return answer.status, dict(answer.headers.items()), answer.read().decode()
    except HTTPError as error:
        return error.code, dict(error.headers.items()), error.read().decode()


@pytest.fixture
def receiver() -> Iterator[type[_Receiver]]:
    handler = type("Receiver", (_Receiver,), {"received": [], "arrived": threading.Event()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    handler.url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/stripe"
    yield handler
    server.shutdown()
    server.server_close()


@pytest.fixture
def served(receiver) -> Iterator[StripeStandIn]:
    standin = StripeStandIn(
        api_key=API_KEY, webhook_secret=SECRET, webhook_url=receiver.url, clock=lambda: NOW
    )
    standin.serve("127.0.0.1", 0)
    yield standin
    standin.stop()


def _http_client(standin: StripeStandIn) -> stripe.StripeClient:
    session = requests.Session()
    session.trust_env = False  # a local server: no proxy
    return stripe.StripeClient(
        API_KEY,
        base_addresses={"api": served_url(standin)},
        http_client=stripe.RequestsClient(session=session),
        max_network_retries=0,
    )


def served_url(standin: StripeStandIn) -> str:
    assert standin.base_url.startswith("http://127.0.0.1:")
    return standin.base_url


def test_the_http_server_end_to_end(served, receiver):
    # Given a Checkout Session created over HTTP with the stripe library
    client = _http_client(served)
    session = client.v1.checkout.sessions.create(checkout_params(), {"idempotency_key": "http-1"})
    assert session.url == f"{served.base_url}/checkout/{session.id}"
    # When the student opens the checkout page
    status, headers, page = _fetch(session.url)
    # Then it shows what they pay for, the amount and their SERS ID, with labelled buttons
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<html lang="en">' in page and "<title>Pay $50.00" in page
    assert "CTE Dual Credit fee 2026-27" in page and "$50.00" in page and SERS_ID in page
    assert '<button type="submit" class="pay">Pay $50.00</button>' in page
    assert '<button type="submit" class="cancel">Cancel</button>' in page
    # When they press Pay
    status, headers, _ = _fetch(f"{served.base_url}/checkout/{session.id}/pay", "POST")
    # Then they are sent to the success URL with the session id filled in
    assert status == 303
    assert headers["Location"] == f"https://app.test/pay/done?session_id={session.id}"
    # And the webhook receives checkout.session.completed, signed
    assert receiver.arrived.wait(timeout=10)
    [(body, received_headers)] = receiver.received
    event = stripe.Webhook.construct_event(body, received_headers["Stripe-Signature"], SECRET)
    assert event.type == "checkout.session.completed"
    assert event.data.object.id == session.id and event.data.object.payment_status == "paid"
    assert served.wait_for_deliveries(1, timeout=10)
    [delivery] = served.deliveries
    assert delivery.ok and delivery.status == 200 and delivery.target == receiver.url
    # And the API and the page both say it is paid
    assert client.v1.checkout.sessions.retrieve(session.id).payment_status == "paid"
    _, _, page = _fetch(session.url)
    assert "already complete" in page and "Pay $50.00" not in page


def test_the_http_server_cancel_and_expired_pages(served):
    # Given two open sessions
    client = _http_client(served)
    first = client.v1.checkout.sessions.create(checkout_params())
    second = client.v1.checkout.sessions.create(checkout_params())
    # When the student presses Cancel
    status, headers, _ = _fetch(f"{served.base_url}/checkout/{first.id}/cancel", "POST")
    # Then they go back to the cancel URL and the session stays open
    assert (status, headers["Location"]) == (303, "https://app.test/pay")
    assert served.sessions[first.id]["status"] == "open"
    # When a session was expired, its page says so and it cannot be paid
    client.v1.checkout.sessions.expire(second.id)
    status, _, page = _fetch(f"{served.base_url}/checkout/{second.id}")
    assert status == 200 and "expired" in page and "Pay $50.00" not in page
    status, _, _ = _fetch(f"{served.base_url}/checkout/{second.id}/pay", "POST")
    assert status == 409
    # And an unknown path is a Stripe-shaped 404, once the key is right
    status, _, text = _fetch(
        f"{served.base_url}/v1/nothing-here", headers={"Authorization": f"Bearer {API_KEY}"}
    )
    assert status == 404 and json.loads(text)["error"]["type"] == "invalid_request_error"
    status, _, text = _fetch(f"{served.base_url}/v1/nothing-here")
    assert status == 401 and json.loads(text)["error"]["type"] == "invalid_request_error"
