"""The Stripe client the app ships: network retries (2) that carry our idempotency keys,
and a timeout on every request."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

from devstack.stripe_standin.transport import StandInHTTPClient
from dualcredit.dal import stripe_gateway
from dualcredit.settings import get_settings
from tests.support.world import World, with_alice_registered

IN_WINDOW = "2027-01-15T10:00:00-08:00"


def test_the_client_that_ships_retries_twice_and_times_out(stripe_standin, monkeypatch):
    # Given the gateway as it runs in Lambda: no test HTTP client, Stripe's own address
    monkeypatch.setattr(stripe_gateway, "http_client", None)
    monkeypatch.delenv("STRIPE_API_BASE")
    get_settings.cache_clear()
    # When it makes its client
    client = stripe_gateway._client()
    requestor = client._requestor
    # Then network retries are on (2), and the library's HTTP client has our timeout
    assert requestor._options.max_network_retries == stripe_gateway.MAX_NETWORK_RETRIES == 2
    http = requestor._client
    assert isinstance(http, stripe.RequestsClient)
    assert http._timeout == stripe_gateway.HTTP_TIMEOUT_SECONDS
    assert 0 < stripe_gateway.HTTP_TIMEOUT_SECONDS < 29 / 3  # three tries fit API Gateway's 29 s
    assert requestor._options.base_addresses["api"] == "https://api.stripe.com"
    # And one HTTP client (one connection pool) serves every request of the process
    assert stripe_gateway._client()._requestor._client is http


class LosesTheFirstAnswer(StandInHTTPClient):
    """The first request reaches Stripe, which acts on it, but its answer is lost on the
    network (a reset connection); later requests go through."""

    def __init__(self, standin: Any) -> None:
        super().__init__(standin)
        self.attempts: list[tuple[str, str, str | None]] = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):  # type: ignore[override]
        self.attempts.append((method, url, (headers or {}).get("Idempotency-Key")))
        answer = super().request(method, url, headers, post_data)
        if len(self.attempts) == 1:
            raise stripe.APIConnectionError("Connection reset by peer", should_retry=True)
        return answer


@pytest.fixture
def world(api, clock, stripe_standin) -> World:
    clock(IN_WINDOW)
    return with_alice_registered(api)


def test_a_lost_answer_is_retried_with_our_idempotency_key_and_makes_one_session(
    api, world, stripe_standin, monkeypatch
):
    flaky = LosesTheFirstAnswer(stripe_standin)
    monkeypatch.setattr(stripe_gateway, "http_client", flaky)
    # (the library's back-off between tries, not the test's: no waiting here)
    monkeypatch.setattr(stripe.HTTPClient, "_sleep_time_seconds", lambda self, *a, **k: 0)
    # When Alice presses Pay and Stripe's first answer is lost
    status, checkout = api("POST", "/students/me/checkout", as_=world.students["alice"], body={})
    # Then the library asked again with the same idempotency key, ours
    assert status == 201
    posts = [attempt for attempt in flaky.attempts if attempt[0] == "post"]
    assert len(posts) == 2
    assert posts[0][2] == posts[1][2] and posts[0][2].startswith("checkout:")
    # And Stripe made one session, the one Alice is sent to
    assert list(stripe_standin.sessions) == [checkout["session_id"]]
