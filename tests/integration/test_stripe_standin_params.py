"""The stand-in checks every request against the stripe library's own parameter types for
the pinned API version (devstack/stripe_standin/param_types.py): what the app really
sends passes, and what Stripe would refuse gets Stripe's 400, through the real client."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import stripe
from stripe.params import RefundCreateParams
from stripe.params.checkout import SessionCreateParams

from devstack.stripe_standin import StripeStandIn
from devstack.stripe_standin.param_types import REQUEST_OPTIONS, fields
from devstack.stripe_standin.transport import StandInHTTPClient
from dualcredit import clock as app_clock
from dualcredit.dal import stripe_gateway
from tests.integration.test_stripe_standin import API_KEY, NOW, SECRET, checkout_params

IN_WINDOW = "2027-01-15T10:00:00-08:00"


class Recording(StandInHTTPClient):
    """The stand-in's in-process client, noting each request's method, path and status."""

    def __init__(self, standin: StripeStandIn) -> None:
        super().__init__(standin)
        self.answers: list[tuple[str, str, int]] = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):  # type: ignore[override]
        body, status, answer_headers = super().request(method, url, headers, post_data)
        self.answers.append((method.upper(), url.split("?")[0].split("/v1/")[1], status))
        return body, status, answer_headers


@pytest.fixture
def standin() -> StripeStandIn:
    return StripeStandIn(
        api_key=API_KEY, webhook_secret=SECRET, deliver=lambda body, sig: 200, clock=lambda: NOW
    )


@pytest.fixture
def client(standin: StripeStandIn) -> stripe.StripeClient:
    return standin.client()


def refused(call: Any, *args: Any) -> stripe.InvalidRequestError:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        call(*args)
    assert caught.value.http_status == 400
    return caught.value


def with_line_item(**changes: Any) -> dict[str, Any]:
    """The app's Session parameters, its one line item changed (None drops a key)."""
    params = checkout_params()
    item = params["line_items"][0]
    for path, value in changes.items():
        node = item
        *parents, leaf = path.split("__")
        for parent in parents:
            node = node[parent]
        node[leaf] = value
    return params


# --------------------------------------------------------------------------- the app's calls


def test_every_request_the_app_makes_passes_the_check(clock, stripe_standin, monkeypatch):
    # Given the app's Stripe gateway talking to the stand-in, every answer noted
    clock(IN_WINDOW)
    recording = Recording(stripe_standin)
    monkeypatch.setattr(stripe_gateway, "http_client", recording)
    now = app_clock.now()

    def create(key: str, email: str | None) -> dict[str, Any]:
        return stripe_gateway.create_checkout_session(
            amount_cents=5000,
            description="CTE Dual Credit fee 2026-27",
            sers_id="TP3-26-7KQM",
            student_id="stu-1",
            school_year="2026-27",
            email=email,
            success_url="https://app.test/pay/done?session_id={CHECKOUT_SESSION_ID}",
            cancel_url="https://app.test/pay",
            expires_at=now + timedelta(hours=1),
            idempotency_key=key,
        )

    # When it creates sessions (with and without an email), retrieves, expires one,
    # refunds a paid one and reads the list of events a page at a time
    open_session = create("fee-1", "ana@example.org")
    paid = create("fee-2", None)
    stripe_standin.pay(paid["id"])
    found = stripe_gateway.retrieve_checkout_session(paid["id"])
    assert found is not None
    stripe_gateway.expire_checkout_session(open_session["id"])
    assert stripe_gateway.expire_if_open(open_session["id"]) is False
    refund_id = stripe_gateway.refund(found[0]["payment_intent"], idempotency_key="refund-1")
    pages = list(
        stripe_gateway.list_event_pages(
            ("checkout.session.completed", "charge.refunded"),
            created_since=now - timedelta(days=3),
            page_size=1,
        )
    )
    # Then every request passed the parameter check (the one 400 is Stripe's answer to
    # expiring a session that is no longer open, not a parameter)
    assert refund_id.startswith("re_")
    assert [len(page) for page in pages] == [1, 1]
    assert [(method, path) for method, path, _ in recording.answers] == [
        ("POST", "checkout/sessions"),
        ("POST", "checkout/sessions"),
        ("GET", f"checkout/sessions/{paid['id']}"),
        ("POST", f"checkout/sessions/{open_session['id']}/expire"),
        ("POST", f"checkout/sessions/{open_session['id']}/expire"),
        ("POST", "refunds"),
        ("GET", "events"),
        ("GET", "events"),
    ]
    assert [status for *_, status in recording.answers] == [200, 200, 200, 200, 400, 200, 200, 200]


# --------------------------------------------------------------------------- refusals


def test_an_unknown_top_level_parameter_is_parameter_unknown(client):
    # When the app's parameters carry one Stripe does not have
    error = refused(client.v1.checkout.sessions.create, checkout_params(colour="blue"))
    # Then Stripe's 400 names it
    assert (error.code, error.param) == ("parameter_unknown", "colour")
    assert error.user_message == "Received unknown parameter: colour"


def test_an_unknown_nested_parameter_is_named_by_its_full_path(client):
    error = refused(client.v1.checkout.sessions.create, with_line_item(price_data__colour="blue"))
    assert (error.code, error.param) == ("parameter_unknown", "line_items[0][price_data][colour]")
    assert error.user_message == "Received unknown parameter: line_items[0][price_data][colour]"


def test_an_ill_typed_integer_is_parameter_invalid_integer(client):
    error = refused(client.v1.checkout.sessions.create, with_line_item(quantity="one"))
    assert (error.code, error.param) == ("parameter_invalid_integer", "line_items[0][quantity]")
    assert error.user_message == "Invalid integer: one"


def test_a_value_outside_an_enum_is_refused_with_its_choices(standin, client):
    # Given a paid session
    session = client.v1.checkout.sessions.create(checkout_params())
    intent = standin.pay(session.id)["payment_intent"]
    # When it is refunded for a reason Stripe does not have
    params: RefundCreateParams = {"payment_intent": intent, "reason": "changed_mind"}
    error = refused(client.v1.refunds.create, params)
    # Then Stripe's message lists the reasons of the pinned API version (it has no code)
    assert (error.code, error.param) == (None, "reason")
    assert error.user_message == (
        "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer"
    )
    # And a bad mode is refused the same way, before anything else is looked at
    bad_mode = refused(client.v1.checkout.sessions.create, checkout_params(mode="donation"))
    assert bad_mode.param == "mode"
    assert bad_mode.user_message == "Invalid mode: must be one of payment, setup, or subscription"


def test_a_metadata_value_that_is_not_a_string_is_refused(client):
    metadata = {"sers_id": {"part": "TP3"}}
    error = refused(client.v1.checkout.sessions.create, checkout_params(metadata=metadata))
    assert (error.code, error.param) == (None, "metadata")
    assert error.user_message == 'Invalid value type: {:part=>"TP3"} must be a string'
    # And nested metadata (payment_intent_data[metadata]) is checked as well
    nested = {"metadata": {"sers_id": ["TP3"]}}
    error = refused(client.v1.checkout.sessions.create, checkout_params(payment_intent_data=nested))
    assert error.param == "payment_intent_data[metadata]"
    assert error.user_message == 'Invalid value type: ["TP3"] must be a string'


@pytest.mark.parametrize(
    ("params", "param", "code", "message"),
    [
        (
            checkout_params(customer_email=""),
            "customer_email",
            "parameter_invalid_empty",
            "You passed an empty string for 'customer_email'. We assume empty values are an "
            "attempt to unset a parameter; however 'customer_email' cannot be unset. You "
            "should remove 'customer_email' from your request or supply a non-empty value.",
        ),
        (
            with_line_item(price_data__currency=None),
            "line_items[0][price_data][currency]",
            "parameter_missing",
            "Missing required param: line_items[0][price_data][currency].",
        ),
        (
            checkout_params(allow_promotion_codes="maybe"),
            "allow_promotion_codes",
            None,
            "Invalid boolean: maybe",
        ),
        (
            checkout_params(payment_intent_data="metadata"),
            "payment_intent_data",
            None,
            "Invalid hash",
        ),
        (checkout_params(line_items="one fee"), "line_items", None, "Invalid array"),
    ],
    ids=["empty", "missing-nested", "boolean", "hash", "array"],
)
def test_other_ill_typed_values_get_stripes_words(client, params, param, code, message):
    # (a None is left out by the library, as a key not given)
    error = refused(client.v1.checkout.sessions.create, params)
    assert (error.param, error.code, error.user_message) == (param, code, message)


def test_an_empty_string_unsets_only_where_the_library_allows_it(standin, client):
    # Given a paid session
    session = client.v1.checkout.sessions.create(checkout_params())
    intent = standin.pay(session.id)["payment_intent"]
    # When a refund's metadata is "" (RefundCreateParams: Literal[""], unset all keys)
    refund = client.v1.refunds.create({"payment_intent": intent, "metadata": ""})
    # Then Stripe takes it, and the refund has no metadata
    assert refund.metadata.to_dict() == {}
    # But a new session's metadata cannot be "" (SessionCreateParams has no Literal[""])
    error = refused(client.v1.checkout.sessions.create, checkout_params(metadata=""))
    assert (error.code, error.param) == ("parameter_invalid_empty", "metadata")


ROUTES = [
    ("POST", "/v1/checkout/sessions"),
    ("GET", "/v1/checkout/sessions/cs_test_x"),
    ("GET", "/v1/checkout/sessions/cs_test_x/line_items"),
    ("POST", "/v1/checkout/sessions/cs_test_x/expire"),
    ("POST", "/v1/refunds"),
    ("GET", "/v1/events"),
    ("GET", "/v1/events/evt_x"),
    ("GET", "/v1/payment_intents/pi_x"),
    ("GET", "/v1/charges/ch_x"),
    ("GET", "/v1/refunds/re_x"),
    ("GET", "/v1/disputes/dp_x"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_route_checks_its_parameters_before_anything_else(standin, method, path):
    # When any route is sent a parameter its type does not have (for an object that
    # does not exist, too)
    headers = {"Authorization": f"Bearer {API_KEY}"}
    if method == "GET":
        answer = standin.handle(method, f"{path}?colour=blue", headers)
    else:
        answer = standin.handle(method, path, headers, "colour=blue")
    # Then it is Stripe's 400 parameter_unknown
    assert answer.status == 400
    error = answer.json()["error"]
    assert (error["code"], error["param"]) == ("parameter_unknown", "colour")


# --------------------------------------------------------------------------- likeness


def test_the_checker_takes_the_session_create_keys_of_the_pinned_library():
    # Given the library's own SessionCreateParams (less the per-request options)
    expected = set(SessionCreateParams.__annotations__) - set(stripe.RequestOptions.__annotations__)
    # Then the checker accepts exactly those top-level keys
    assert set(fields(SessionCreateParams)) == expected
    assert not REQUEST_OPTIONS & set(fields(SessionCreateParams))
    assert {"mode", "line_items", "metadata", "payment_intent_data"} <= expected


def test_a_parameter_the_library_has_is_accepted_even_if_the_app_does_not_send_it(client):
    # A key the old hand-written list did not have is accepted, as Stripe accepts it
    session = client.v1.checkout.sessions.create(checkout_params(allow_promotion_codes=True))
    assert session.status == "open"


def _params_types() -> list[type]:
    """Every TypedDict reachable from the params types the stand-in's routes check."""
    from typing import get_args

    from stripe import params as stripe_params
    from stripe.params import checkout
    from typing_extensions import is_typeddict

    roots = [
        checkout.SessionCreateParams,
        checkout.SessionRetrieveParams,
        checkout.SessionExpireParams,
        checkout.SessionListLineItemsParams,
        stripe_params.RefundCreateParams,
        stripe_params.EventListParams,
        stripe_params.PaymentIntentRetrieveParams,
        stripe_params.ChargeRetrieveParams,
        stripe_params.RefundRetrieveParams,
        stripe_params.DisputeRetrieveParams,
        stripe_params.EventRetrieveParams,
    ]
    seen: list[type] = []

    def visit(hint: Any) -> None:
        if is_typeddict(hint):
            if hint not in seen:
                seen.append(hint)
                for field in fields(hint).values():
                    visit(field)
        for argument in get_args(hint):
            visit(argument)

    for root in roots:
        visit(root)
    return seen


def test_every_type_the_library_uses_there_is_one_the_checker_knows():
    # Given every parameter of every params type the routes check, nested ones too
    from devstack.stripe_standin import StandInError
    from devstack.stripe_standin.param_types import check

    types = _params_types()
    checked = 0
    for params_type in types:
        for name in fields(params_type):
            # When it is sent a value of a shape no parameter takes (a hash of a hash)
            with pytest.raises(StandInError) as caught:
                check({name: {"x": {"y": "z"}}}, params_type)
            # Then it is a Stripe 400 naming it (never a stand-in bug, a 500)
            assert caught.value.status == 400
            assert caught.value.param is not None and caught.value.param.startswith(name)
            checked += 1
    assert len(types) > 100 and checked > 400
