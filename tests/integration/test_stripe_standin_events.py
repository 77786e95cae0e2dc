"""The stand-in lists its events as Stripe does (`GET /v1/events`), through the stripe
library: the reconciliation job reads Stripe this way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import stripe
import stripe.params._event_list_params as event_list_params

from devstack.stripe_standin import StripeStandIn
from devstack.stripe_standin.param_types import fields
from tests.integration.test_stripe_standin import checkout_params

FIXTURES = Path(__file__).resolve().parents[1] / "support" / "stripe_fixtures" / "fixtures3.json"
NOW = 1_800_000_000


@pytest.fixture
def clock() -> list[int]:
    return [NOW]


@pytest.fixture
def standin(clock) -> StripeStandIn:
    return StripeStandIn(deliver=lambda body, signature: 200, clock=lambda: clock[0])


@pytest.fixture
def client(standin) -> stripe.StripeClient:
    return standin.client()


def _paid(standin, client, *, at: int | None = None, clock: list[int] | None = None) -> str:
    if at is not None and clock is not None:
        clock[0] = at
    session = client.v1.checkout.sessions.create(checkout_params(expires_at=clock_now(standin)))
    standin.pay(session.id)
    return session.id


def clock_now(standin) -> int:
    return int(standin.clock()) + 3600


def _ids(page: Any) -> list[str]:
    return [event.id for event in page.data]


def test_the_stand_in_takes_exactly_the_parameters_of_the_pinned_library():
    # Given Stripe's own types for the pinned API version (less the per-request options)
    request_options = set(stripe.RequestOptions.__annotations__)
    expected = set(event_list_params.EventListParams.__annotations__) - request_options
    # Then the stand-in's checker takes exactly those, and created's bounds
    assert set(fields(event_list_params.EventListParams)) == expected
    assert set(fields(event_list_params.EventListParamsCreated)) == set(
        event_list_params.EventListParamsCreated.__annotations__
    )


def test_events_are_listed_newest_first_filtered_by_types(standin, client):
    # Given two payments, one refunded
    first = _paid(standin, client)
    second = _paid(standin, client)
    standin.refund(standin.sessions[first]["payment_intent"])
    # When the completed sessions and refunds are listed
    page = client.v1.events.list({"types": ["checkout.session.completed", "charge.refunded"]})
    # Then they come newest first, only of those types
    assert [e.type for e in page.data] == [
        "charge.refunded",
        "checkout.session.completed",
        "checkout.session.completed",
    ]
    assert [e.data.object.id for e in page.data[1:]] == [second, first]
    assert page.has_more is False


def test_type_takes_a_wildcard_and_one_of_type_or_types(standin, client):
    session_id = _paid(standin, client)
    standin.dispute(standin.sessions[session_id]["payment_intent"])
    assert [e.type for e in client.v1.events.list({"type": "charge.dispute.*"}).data] == [
        "charge.dispute.created"
    ]
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.events.list({"type": "charge.refunded", "types": ["charge.refunded"]})
    assert refused.value.http_status == 400


def test_created_bounds_select_the_window(standin, client, clock):
    _paid(standin, client, at=NOW - 5 * 86400, clock=clock)
    recent = _paid(standin, client, at=NOW - 3600, clock=clock)
    page = client.v1.events.list({"created": {"gte": NOW - 3 * 86400}})
    assert [e.data.object.id for e in page.data] == [recent]
    assert len(client.v1.events.list({"created": {"lt": NOW - 3 * 86400}}).data) == 1


def test_pages_follow_starting_after_until_has_more_is_false(standin, client):
    # Given five completed sessions
    for _ in range(5):
        _paid(standin, client)
    everything = _ids(client.v1.events.list({"limit": 100}))
    # When they are read two at a time
    pages, params = [], {"limit": 2}
    while True:
        page = client.v1.events.list(params)
        pages.append((_ids(page), page.has_more))
        if not page.has_more:
            break
        params = {"limit": 2, "starting_after": page.data[-1].id}
    # Then the pages add up to the whole list, in order, has_more on all but the last
    assert [ids for ids, _ in pages] == [everything[0:2], everything[2:4], everything[4:5]]
    assert [more for _, more in pages] == [True, True, False]
    # And ending_before pages back
    back = client.v1.events.list({"limit": 2, "ending_before": everything[4]})
    assert _ids(back) == everything[2:4] and back.has_more is True


@pytest.mark.parametrize(
    ("params", "param", "code"),
    [
        ({"limit": 101}, "limit", "parameter_invalid_integer"),
        ({"limit": 0}, "limit", "parameter_invalid_integer"),
        ({"starting_after": "evt_nope"}, "starting_after", "resource_missing"),
        ({"kind": "charge.refunded"}, "kind", "parameter_unknown"),
        ({"created": {"after": 1}}, "created[after]", "parameter_unknown"),
    ],
)
def test_bad_list_parameters_are_stripe_400s(standin, params, param, code):
    # Sent raw (the library's types would refuse some of them first)
    query = "&".join(
        f"{name}[{key}]={value}" if isinstance(v, dict) else f"{name}={v}"
        for name, v in params.items()
        for key, value in (v.items() if isinstance(v, dict) else [(None, v)])
    )
    answer = standin.handle(
        "GET", f"/v1/events?{query}", {"Authorization": f"Bearer {standin.api_key}"}
    )
    assert answer.status == 400
    assert (answer.json()["error"]["param"], answer.json()["error"].get("code")) == (param, code)


def test_the_list_and_its_events_carry_the_fields_of_stripes_fixtures(standin, client):
    fixture = json.loads(FIXTURES.read_text())["resources"]["event"]
    session_id = _paid(standin, client)
    standin.refund(standin.sessions[session_id]["payment_intent"], amount=100)
    answer = standin.handle(
        "GET", "/v1/events?limit=10", {"Authorization": f"Bearer {standin.api_key}"}
    ).json()
    assert set(answer) == {"object", "data", "has_more", "url"}
    assert (answer["object"], answer["url"]) == ("list", "/v1/events")
    for event in answer["data"]:
        assert set(event) == set(fixture), event["type"]


# --------------------------------------------------------------------------- bank payments


def test_the_checkout_page_pays_from_a_bank_account_then_the_bank_decides(standin, client):
    events: list[dict] = []
    standin.deliver = lambda body, signature: events.append(json.loads(body)) or 200
    session = client.v1.checkout.sessions.create(checkout_params(expires_at=clock_now(standin)))
    # When the payer chooses the bank account on the checkout page
    status, headers, _ = standin.answer_page("POST", f"/checkout/{session.id}/pay-by-bank")
    standin.after_operation()
    # Then they go back to the site, and Stripe says completed, unpaid
    assert status == 303 and session.id in headers["Location"]
    assert [(e["type"], e["data"]["object"]["payment_status"]) for e in events] == [
        ("checkout.session.completed", "unpaid")
    ]
    # And the session's page offers what the bank may say; the bank refuses
    page = standin.answer_page("GET", f"/checkout/{session.id}")[2].decode()
    assert "The bank pays" in page and "The bank refuses" in page
    assert standin.answer_page("POST", f"/checkout/{session.id}/bank-fails")[0] == 200
    standin.after_operation()
    assert events[-1]["type"] == "checkout.session.async_payment_failed"
    # And it cannot be decided twice
    assert standin.answer_page("POST", f"/checkout/{session.id}/bank-succeeds")[0] == 409
    fixture = json.loads(FIXTURES.read_text())["resources"]["event"]
    assert all(set(event) == set(fixture) for event in events)


def test_a_bank_payments_sessions_carry_the_fields_of_stripes_fixture(standin, client):
    fixture = json.loads(FIXTURES.read_text())["resources"]["checkout.session"]
    events: list[dict] = []
    standin.deliver = lambda body, signature: events.append(json.loads(body)) or 200
    session = client.v1.checkout.sessions.create(checkout_params(expires_at=clock_now(standin)))
    # Open, completed unpaid, then paid: as created, retrieved and in each event
    shown = [session.to_dict()]
    standin.pay(session.id, async_payment=True)
    shown.append(client.v1.checkout.sessions.retrieve(session.id).to_dict())
    standin.async_succeed(session.id)
    shown.append(client.v1.checkout.sessions.retrieve(session.id).to_dict())
    shown += [event["data"]["object"] for event in events]
    assert [s["payment_status"] for s in shown] == ["unpaid", "unpaid", "paid", "unpaid", "paid"]
    for each in shown:
        assert set(each) == set(fixture), sorted(set(each) ^ set(fixture))
