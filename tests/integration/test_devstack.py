"""The local stack behind `make dev`: moto, the API Gateway stand-in with its Cognito
authorizer, the real handlers (API and Stripe webhook), the Stripe stand-in on its
own port, and demo data seeded through the API. Everything goes through real HTTP."""

from __future__ import annotations

import base64
import dataclasses
import html
import json
import os
import re
import threading
import time
from datetime import datetime
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urljoin
from urllib.request import HTTPRedirectHandler, ProxyHandler, Request, build_opener

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from devstack.errors import StackError
from devstack.stack import DualCreditStack
from devstack.stripe_setup import (
    STRIPE_SECRET_KEY_PARAMETER,
    STRIPE_WEBHOOK_SECRET_PARAMETER,
    StripeTestKeys,
)
from tests.support.students import a_student, sign_up_with_cognito

SERS_ID = re.compile(r"^TP3-\d{2}-[0-9A-HJKMNP-TV-Z]{4}$")
HTTP = build_opener(ProxyHandler({}))  # local calls never go through a proxy
IN_WINDOW = "2027-01-15T10:00:00-08:00"  # the 2026-27 registration window is open
YEAR = "2026-27"


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # hand the 3xx back to the caller


#: A browser leaving the checkout page, but without following the way back to the app.
HTTP_NO_REDIRECT = build_opener(ProxyHandler({}), _NoRedirect())


def call(
    url: str,
    method: str = "GET",
    *,
    token: str | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], Any]:
    """(status, headers, parsed JSON body or text)."""
    data = None if body is None else json.dumps(body).encode()
    request = Request(url, data=data, method=method)  # noqa: S310 - the local stack's http URLs
    request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header("Authorization", token)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with HTTP.open(request, timeout=30) as response:
            status, answer_headers, raw = response.status, dict(response.headers), response.read()
    except HTTPError as error:
        status, answer_headers, raw = error.code, dict(error.headers), error.read()
    text = raw.decode()
    try:
        return status, answer_headers, json.loads(text) if text else None
    except json.JSONDecodeError:
        return status, answer_headers, text


def test_with_a_stripe_test_key_the_stack_uses_stripe_test_mode_and_says_how_to_get_webhooks():
    # Runs before the module's stack starts (one stack per process at a time): file order.
    from devstack.__main__ import _banner

    # Given a Stripe test-mode key and webhook secret (nothing here calls Stripe)
    keys = StripeTestKeys("sk_test_51Example0000000000000000", "whsec_example0000000000")
    saved = {
        name: os.environ.get(name) for name in ("STRIPE_API_BASE", "STRIPE_SECRET_KEY_PARAMETER")
    }
    # When the stack starts with them
    with DualCreditStack(
        port=0, moto_port=0, stripe_port=0, quiet=True, seed=False, stripe_keys=keys
    ) as local:
        # Then there is no stand-in and the app talks to api.stripe.com (no STRIPE_API_BASE)
        assert local.stripe is None and local.stripe_url is None
        assert "STRIPE_API_BASE" not in os.environ
        # And the keys are in SSM as SecureString under the names the app is given
        ssm = local.client("ssm")
        stored = {
            name: ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
            for name in (STRIPE_SECRET_KEY_PARAMETER, STRIPE_WEBHOOK_SECRET_PARAMETER)
        }
        assert stored[STRIPE_SECRET_KEY_PARAMETER]["Value"] == keys.secret_key
        assert stored[STRIPE_WEBHOOK_SECRET_PARAMETER]["Value"] == keys.webhook_secret
        assert {p["Type"] for p in stored.values()} == {"SecureString"}
        assert os.environ["STRIPE_SECRET_KEY_PARAMETER"] == STRIPE_SECRET_KEY_PARAMETER
        assert os.environ["STRIPE_WEBHOOK_SECRET_PARAMETER"] == STRIPE_WEBHOOK_SECRET_PARAMETER
        # And the banner says how webhooks reach this machine, without printing the key
        banner = _banner(local)
        assert f"stripe listen --forward-to {local.site_url}/api/stripe/webhook" in banner
        assert keys.secret_key not in banner
    # And stopping restores the environment
    assert {name: os.environ.get(name) for name in saved} == saved


@pytest.mark.parametrize(
    "environ, problem",
    [
        ({}, None),
        (
            {"STRIPE_SECRET_KEY": "sk_live_51Real", "STRIPE_WEBHOOK_SECRET": "whsec_x"},
            "test-mode key",
        ),
        ({"STRIPE_SECRET_KEY": "sk_test_51Example"}, "STRIPE_WEBHOOK_SECRET"),
        ({"STRIPE_WEBHOOK_SECRET": "whsec_x"}, "test-mode key"),
    ],
)
def test_stripe_keys_from_the_environment_are_test_mode_pairs_or_nothing(environ, problem):
    # When `make dev` reads STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET
    if problem is None:
        # Then neither means the stand-in
        assert StripeTestKeys.from_environment(environ) is None
    else:
        # And a live key, or half a pair, is refused with the reason
        with pytest.raises(StackError, match=problem):
            StripeTestKeys.from_environment(environ)
    pair = {"STRIPE_SECRET_KEY": "sk_test_51Example", "STRIPE_WEBHOOK_SECRET": "whsec_x"}
    assert StripeTestKeys.from_environment(pair) == StripeTestKeys("sk_test_51Example", "whsec_x")


@pytest.fixture(scope="module")
def stack():
    # The scheduler and the queue poller run only when a test calls them (no threads).
    local = DualCreditStack(
        port=0,
        moto_port=0,
        stripe_port=0,
        quiet=True,
        clock_override=IN_WINDOW,
        background_jobs=False,
    ).start()
    yield local
    local.stop()


@pytest.fixture
def student_token(stack) -> tuple[str, str]:
    """A student who signed up and confirmed through Cognito: (email, ID token)."""
    student = sign_up_with_cognito(stack, a_student("ana", unique=True))
    return student.email, student.token


def profile(school_id: str) -> dict[str, Any]:
    return a_student("ana", unique=True, school_id=school_id).profile()


def test_a_student_signs_up_gets_a_sers_id_and_the_email(stack, student_token):
    # Given a student who signed up through Cognito and a seeded school
    email, token = student_token
    school = stack.seeded.schools[0]
    # When they complete their profile through the gateway
    status, _, created = call(
        f"{stack.api_url}/students/me",
        "POST",
        token=f"Bearer {token}",
        body=profile(school["school_id"]),
    )
    # Then they get a SERS ID
    assert status == 201, created
    assert SERS_ID.match(created["sers_id"]), created["sers_id"]
    assert created["email"] == email
    assert created["school_name"] == school["name"]
    # And their dashboard shows it (the raw token, without "Bearer", is accepted too)
    status, _, dashboard = call(f"{stack.api_url}/students/me/dashboard", token=token)
    assert status == 200, dashboard
    assert dashboard["sers_id"] == created["sers_id"]
    # And the account-created email to them, carrying the SERS ID, is on the dev emails page
    _, _, emails = call(f"{stack.base_url}/_dev/emails.json")
    mine = [m for m in emails if m["to"] == [email]]
    assert len(mine) == 1, emails
    assert "SERS ID" in mine[0]["subject"]
    assert created["sers_id"] in mine[0]["text"]
    status, headers, page = call(f"{stack.base_url}/_dev/emails")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert email in page and created["sers_id"] in page


def _forged_token(stack, claims: dict[str, Any]) -> str:
    """Signed by a key that is not the pool's, with the same key id."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "dummy"})


def _moto_signed(claims: dict[str, Any]) -> str:
    """Signed with moto's own pool key, so only the claims can make it fail."""
    from moto.cognitoidp.models import load_resource

    private = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json"), algorithm="RS256")
    return jwt.encode(claims, private.key, algorithm="RS256", headers={"kid": "dummy"})


def _tampered(token: str) -> str:
    """The student's real token with the payload changed to claim the staff group."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["cognito:groups"] = ["staff"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def _valid_claims(stack, token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


BAD_TOKENS = {
    "no token": lambda stack, token: None,
    "empty header": lambda stack, token: "",
    "not a jwt": lambda stack, token: "Bearer not-a-token",
    "tampered payload": lambda stack, token: _tampered(token),
    "forged signature": lambda stack, token: _forged_token(stack, _valid_claims(stack, token)),
    "expired": lambda stack, token: _moto_signed(
        {
            **_valid_claims(stack, token),
            "iat": int(time.time()) - 7200,
            "exp": int(time.time()) - 3600,
        }
    ),
    "other audience": lambda stack, token: _moto_signed(
        {**_valid_claims(stack, token), "aud": "someone-else"}
    ),
    "other issuer": lambda stack, token: _moto_signed(
        {
            **_valid_claims(stack, token),
            "iss": "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_other",
        }
    ),
    "access token": lambda stack, token: _moto_signed(
        {**_valid_claims(stack, token), "token_use": "access"}
    ),
}


@pytest.mark.parametrize("kind", BAD_TOKENS)
def test_a_missing_or_bad_token_is_refused_before_the_handler(stack, student_token, kind):
    # Given a token that API Gateway's Cognito authorizer would refuse
    _, good = student_token
    bad = BAD_TOKENS[kind](stack, good)
    invocations = stack.gateway.invocations
    # When it calls an authorized route
    status, headers, body = call(f"{stack.api_url}/students/me/dashboard", token=bad)
    # Then the gateway answers 401 itself, with CORS headers, and the handler never runs
    assert (status, body) == (401, {"message": "Unauthorized"})
    assert headers["Access-Control-Allow-Origin"] == stack.site_url
    assert stack.gateway.invocations == invocations


def test_the_same_moto_signed_claims_pass_when_valid(stack, student_token):
    # Given a token signed with the pool's key and valid claims (the control for the above)
    _, good = student_token
    token = _moto_signed({**_valid_claims(stack, good), "exp": int(time.time()) + 600})
    # When it calls an authorized route, Then the handler answers (no profile yet)
    status, _, body = call(f"{stack.api_url}/students/me", token=token)
    assert status == 404 and body["code"] == "profile_missing"


def test_schools_are_public_and_seeded(stack):
    # Given the seeded stack
    invocations = stack.gateway.invocations
    # When anyone lists the schools without signing in
    status, _, schools = call(f"{stack.api_url}/schools")
    # Then they get the seeded schools from the handler
    assert status == 200
    assert {s["name"] for s in schools} == {s["name"] for s in stack.seeded.schools}
    assert {s["kind"] for s in schools} == {"high_school", "skill_center"}
    assert stack.gateway.invocations == invocations + 1


def test_seeded_offerings_cover_this_and_next_school_year(stack):
    # Given the seeded stack, When anyone lists a school's offerings for each seeded year
    school_id = stack.seeded.schools[0]["school_id"]
    for year in stack.seeded.school_years:
        status, _, offerings = call(
            f"{stack.api_url}/schools/{school_id}/offerings?school_year={year}"
        )
        # Then each year has that school's classes
        assert status == 200 and offerings, (year, offerings)
        assert {o["school_year"] for o in offerings} == {year}


def test_seeded_staff_and_school_user_can_sign_in(stack):
    # Given the printed demo accounts
    accounts = {a.role: a for a in stack.seeded.accounts}
    staff = stack.id_token(accounts["staff"].email, accounts["staff"].password)
    teacher = stack.id_token(accounts["school"].email, accounts["school"].password)
    school_id = stack.seeded.schools[0]["school_id"]
    # When staff list a school's users and the school user reads their roster
    status, _, users = call(f"{stack.api_url}/schools/{school_id}/users", token=f"Bearer {staff}")
    roster_status, _, _ = call(
        f"{stack.api_url}/schools/{school_id}/roster", token=f"Bearer {teacher}"
    )
    other = stack.seeded.schools[1]["school_id"]
    other_status, _, _ = call(f"{stack.api_url}/schools/{other}/roster", token=f"Bearer {teacher}")
    # Then both work, and the school user is kept to their own school
    assert status == 200 and [u["email"] for u in users] == [accounts["school"].email]
    assert roster_status == 200
    assert other_status == 403


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/nowhere"),
        ("DELETE", "/students/me"),
        ("GET", "/schools/abc/offerings/extra"),
        ("GET", ""),
    ],
)
def test_an_unknown_route_is_403_like_api_gateway(stack, method, path):
    # Given no such resource or method in the template
    invocations = stack.gateway.invocations
    # When it is called
    status, headers, body = call(f"{stack.api_url}{path}", method)
    # Then API Gateway's answer comes back, without invoking the handler
    assert (status, body) == (403, {"message": "Missing Authentication Token"})
    assert headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert stack.gateway.invocations == invocations


def test_cors_preflight_is_answered_without_a_token(stack):
    # When a browser sends a preflight for an authorized route
    status, headers, _ = call(
        f"{stack.api_url}/students/me",
        "OPTIONS",
        headers={"Origin": stack.site_url, "Access-Control-Request-Method": "POST"},
    )
    # Then the template's CORS settings answer it
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == stack.site_url
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Authorization" in headers["Access-Control-Allow-Headers"]


def test_front_end_config_points_at_the_stack(stack):
    # When the front end asks for its configuration
    status, _, config = call(f"{stack.base_url}/_dev/config.json")
    # Then it names the API, moto's Cognito, the pools and their app clients
    assert status == 200
    assert config == {
        "apiUrl": f"{stack.site_url}/api",
        "cognitoEndpoint": stack.moto_url,
        "userPoolId": stack.user_pool_id,
        "clientId": stack.client_id,
        "invitedUserPoolId": stack.invited_user_pool_id,
        "invitedClientId": stack.invited_client_id,
        "region": "us-west-2",
    }


# --------------------------------------------------------------------------- payments


def open_page(
    url: str, method: str = "GET", data: bytes | None = None
) -> tuple[int, dict[str, str], str]:
    """A page as a browser gets it, without following redirects: (status, headers, text)."""
    request = Request(url, data=data, method=method)  # noqa: S310 - the local stack's http URLs
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with HTTP_NO_REDIRECT.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def pay_on_checkout_page(checkout_url: str, total: str = "$50.00") -> str:
    """Open the stand-in's checkout page, press Pay; where it sends the browser back to."""
    status, headers, page = open_page(checkout_url)
    assert status == 200 and headers["Content-Type"].startswith("text/html"), page
    assert f"Pay {total}" in page
    action = re.search(r'<form method="post" action="([^"]+/pay)"', page)
    assert action, page
    status, headers, body = open_page(
        urljoin(checkout_url, html.unescape(action.group(1))), "POST", b""
    )
    assert status == 303, body
    return headers["Location"]


def registered_student(stack, token: str) -> dict[str, Any]:
    """A profile at the first seeded school and a class there this school year."""
    school = stack.seeded.schools[0]
    status, _, created = call(
        f"{stack.api_url}/students/me",
        "POST",
        token=f"Bearer {token}",
        body=profile(school["school_id"]),
    )
    assert status == 201, created
    offering = next(
        o
        for o in stack.seeded.offerings
        if o["school_id"] == school["school_id"] and o["school_year"] == YEAR
    )
    status, _, registered = call(
        f"{stack.api_url}/students/me/registrations",
        "POST",
        token=f"Bearer {token}",
        body={"offering_ids": [offering["offering_id"]]},
    )
    assert status == 201, registered
    return created


def fee_status(stack, token: str, year: str = YEAR) -> tuple[str, int]:
    status, _, dashboard = call(f"{stack.api_url}/students/me/dashboard", token=f"Bearer {token}")
    assert status == 200, dashboard
    summary = next(y for y in dashboard["years"] if y["school_year"] == year)
    return summary["fee_status"], summary["amount_due_cents"]


def new_deliveries(stack, before: int, count: int) -> list[tuple[str, int | None, str | None]]:
    """The next `count` webhook deliveries after `before`, waited for (no sleeps)."""
    assert stack.stripe.wait_for_deliveries(before + count, timeout=15), stack.stripe.deliveries[
        before:
    ]
    return [
        (d.event_type, d.status, d.error) for d in stack.stripe.deliveries[before : before + count]
    ]


def test_stripe_stand_in_is_served_with_its_secrets_in_ssm_and_in_the_banner(stack):
    from devstack.__main__ import _banner

    # Given the running stack, Then the stand-in has its own port, checkout pages on localhost
    assert stack.stripe_url.startswith("http://localhost:")
    assert stack.stripe_url != stack.site_url
    # And the app reaches it through STRIPE_API_BASE, with its key and webhook secret in SSM
    assert os.environ["STRIPE_API_BASE"] == stack.stripe_url.replace("localhost", "127.0.0.1")
    ssm = stack.client("ssm")
    for variable, name, value in (
        ("STRIPE_SECRET_KEY_PARAMETER", STRIPE_SECRET_KEY_PARAMETER, stack.stripe.api_key),
        (
            "STRIPE_WEBHOOK_SECRET_PARAMETER",
            STRIPE_WEBHOOK_SECRET_PARAMETER,
            stack.stripe.webhook_secret,
        ),
    ):
        assert os.environ[variable] == name
        parameter = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
        assert (parameter["Type"], parameter["Value"]) == ("SecureString", value)
    # And it delivers to the gateway's webhook route; the banner names it
    assert stack.stripe.webhook_url == f"{stack.api_url}/stripe/webhook"
    assert f"Stripe        {stack.stripe_url}" in _banner(stack)


def test_the_webhook_route_reaches_the_webhook_function_without_a_token(stack):
    # Given a request Stripe did not sign
    before = dict(stack.gateway.invocations_by_function)
    # When it is posted to the public webhook route
    status, _, body = call(
        stack.webhook_url,
        "POST",
        body={"id": "evt_forged", "type": "charge.refunded"},
        headers={"Stripe-Signature": "t=1,v1=00"},
    )
    # Then the webhook function (not the API's) refuses it
    assert (status, body) == (400, {"message": "Invalid signature or payload."})
    after = stack.gateway.invocations_by_function
    assert after["StripeWebhookFunction"] == before.get("StripeWebhookFunction", 0) + 1
    assert after.get("ApiFunction") == before.get("ApiFunction")


def test_a_student_registers_pays_on_the_checkout_page_and_sees_paid_with_a_receipt(
    stack, student_token
):
    # Given a student who registered a class in the open window
    email, token = student_token
    created = registered_student(stack, token)
    assert fee_status(stack, token) == ("due", 5000)
    # When they press Pay
    status, _, checkout = call(
        f"{stack.api_url}/students/me/checkout", "POST", token=f"Bearer {token}", body={}
    )
    # Then they get a stand-in checkout page for $50, dated by the app's clock
    assert status == 201, checkout
    assert checkout["amount_cents"] == 5000
    assert checkout["checkout_url"] == f"{stack.stripe_url}/checkout/{checkout['session_id']}"
    session = stack.stripe.sessions[checkout["session_id"]]
    assert session["created"] == int(datetime.fromisoformat(IN_WINDOW).timestamp())
    # When they pay on that page
    delivered = len(stack.stripe.deliveries)
    back_to = pay_on_checkout_page(checkout["checkout_url"])
    # Then the browser is sent back to the dashboard, and the signed event reached the webhook
    assert back_to == f"{stack.site_url}/dashboard?paid=1&session_id={checkout['session_id']}"
    assert new_deliveries(stack, delivered, 1) == [("checkout.session.completed", 200, None)]
    # And the dashboard shows the fee paid
    assert fee_status(stack, token) == ("paid", 0)
    # And the receipt is on the dev emails page
    _, _, emails = call(f"{stack.base_url}/_dev/emails.json")
    receipts = [m for m in emails if m["to"] == [email] and "Receipt" in m["subject"]]
    assert len(receipts) == 1, [m["subject"] for m in emails if m["to"] == [email]]
    assert created["sers_id"] in receipts[0]["text"] and "$50.00" in receipts[0]["text"]


def test_a_parent_pays_the_seeded_students_fee_with_sers_id_and_birth_date(stack):
    from devstack.seed import STUDENT_BIRTH_DATE, STUDENT_EMAIL

    # Given the demo student, registered by the seed because the window is open
    assert (
        stack.seeded.registration is not None and stack.seeded.registration["school_year"] == YEAR
    )
    sers_id = stack.seeded.student["sers_id"]
    lookup = {"sers_id": sers_id, "birth_date": STUDENT_BIRTH_DATE}
    # When a parent looks the student up with the wrong birth date, Then there is no match
    status, _, answer = call(
        f"{stack.api_url}/pay/lookup", "POST", body={**lookup, "birth_date": "2009-03-15"}
    )
    assert status == 404 and answer["code"] == "no_match"
    # When they use the right one, Then they see a masked name and $50 due, without signing in
    status, _, summary = call(f"{stack.api_url}/pay/lookup", "POST", body=lookup)
    assert status == 200, summary
    assert summary == {
        "sers_id": sers_id,
        "masked_name": summary["masked_name"],
        "school_year": YEAR,
        "fee_status": "due",
        "amount_due_cents": 5000,
        "registered": True,
        "bank_payment_processing": False,
        "window_open": True,
        "window_message": None,
    }
    assert "Garcia" not in summary["masked_name"]
    # When they pay through the checkout page
    status, _, checkout = call(f"{stack.api_url}/pay/checkout", "POST", body=lookup)
    assert status == 201, checkout
    delivered = len(stack.stripe.deliveries)
    back_to = pay_on_checkout_page(checkout["checkout_url"])
    # Then they come back to the pay page, and the fee is paid
    assert back_to == f"{stack.site_url}/pay/?paid=1&session_id={checkout['session_id']}"
    assert new_deliveries(stack, delivered, 1) == [("checkout.session.completed", 200, None)]
    status, _, summary = call(f"{stack.api_url}/pay/lookup", "POST", body=lookup)
    assert (summary["fee_status"], summary["amount_due_cents"]) == ("paid", 0)
    # And the receipt goes to the student's address
    _, _, emails = call(f"{stack.base_url}/_dev/emails.json")
    assert any(m["to"] == [STUDENT_EMAIL] and "Receipt" in m["subject"] for m in emails)


def test_a_refund_asked_for_inside_the_webhook_comes_back_as_its_own_delivery(stack, student_token):
    # Given a student with an open checkout session, whose fee staff then settle by check
    _, token = student_token
    created = registered_student(stack, token)
    _, _, checkout = call(
        f"{stack.api_url}/students/me/checkout", "POST", token=f"Bearer {token}", body={}
    )
    accounts = {a.role: a for a in stack.seeded.accounts}
    staff = stack.id_token(accounts["staff"].email, accounts["staff"].password)
    status, _, check = call(
        f"{stack.api_url}/students/{created['student_id']}/payments",
        "POST",
        token=f"Bearer {staff}",
        body={
            "kind": "check",
            "school_year": YEAR,
            "instrument_number": "1042",
            "amount_cents": 5000,
            "received_on": "2027-01-14",
            "payer_name": "Ana Lopez",
        },
    )
    assert status == 201, check
    # When the student pays the card session anyway
    delivered = len(stack.stripe.deliveries)
    pay_on_checkout_page(checkout["checkout_url"])
    # Then the webhook refunds the duplicate from inside its handler (holding the gateway),
    # and the refund's own event is delivered once that handler has returned
    assert new_deliveries(stack, delivered, 2) == [
        ("checkout.session.completed", 200, None),
        ("charge.refunded", 200, None),
    ]
    intent = stack.stripe.sessions[checkout["session_id"]]["payment_intent"]
    charge = stack.stripe.charges[stack.stripe.payment_intents[intent]["latest_charge"]]
    assert charge["refunded"] is True
    assert [
        r["reason"] for r in stack.stripe.refunds.values() if r["payment_intent"] == intent
    ] == ["duplicate"]
    # And the fee stays paid, by the check
    assert fee_status(stack, token) == ("paid", 0)


def test_an_event_stripe_emits_while_an_api_handler_runs_is_delivered_after_it(stack, monkeypatch):
    from dualcredit.dal import stripe_gateway

    # Given a paid Stripe session that is not the app's (its event is ignored)
    client = stack.stripe.client()
    session = client.v1.checkout.sessions.create(
        {
            "mode": "payment",
            "success_url": "https://example.org/ok",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": "usd",
                        "unit_amount": 700,
                        "product_data": {"name": "Not ours"},
                    },
                }
            ],
        }
    )
    delivered = len(stack.stripe.deliveries)
    intent = stack.stripe.pay(session.id)["payment_intent"]
    assert new_deliveries(stack, delivered, 1) == [("checkout.session.completed", 200, None)]
    # And an API handler that, like a refund from a route, calls Stripe over HTTP mid-request
    functions = stack.gateway.backend.functions
    api = functions["ApiFunction"]
    seen: list[int] = []

    def refunding_handler(event: dict, context: Any) -> dict:
        if event["resource"] == "/window":
            stripe_gateway.refund(intent, idempotency_key=f"devstack-test:{intent}")
            seen.append(
                len(stack.stripe.deliveries)
            )  # charge.refunded is emitted, not yet delivered
        return api.handler(event, context)

    monkeypatch.setitem(
        functions, "ApiFunction", dataclasses.replace(api, handler=refunding_handler)
    )
    delivered = len(stack.stripe.deliveries)
    # When the route is called (the refund emits charge.refunded while the gateway is busy)
    answered: list[int] = []
    caller = threading.Thread(target=lambda: answered.append(call(f"{stack.api_url}/window")[0]))
    caller.start()
    caller.join(timeout=20)
    # Then the API answers (no deadlock), and the event is delivered to the webhook after it
    assert not caller.is_alive() and answered == [200]
    assert seen == [delivered]
    assert new_deliveries(stack, delivered, 1) == [("charge.refunded", 200, None)]


def test_a_handler_calling_back_into_the_gateway_on_its_own_thread_fails_instead_of_hanging(
    stack, monkeypatch
):
    # Given a handler running on this thread, When it invokes a function through the gateway
    gateway = stack.gateway
    answers: list[Any] = []

    def nested(event: dict, context: Any) -> dict:
        try:
            gateway.invoke("StripeWebhookFunction", {}, "nested")
        except RuntimeError as error:
            answers.append(str(error))
        return {"statusCode": 200, "body": ""}

    functions = gateway.backend.functions
    monkeypatch.setitem(
        functions, "ApiFunction", dataclasses.replace(functions["ApiFunction"], handler=nested)
    )
    gateway.invoke("ApiFunction", {}, "outer")
    # Then it is refused at once rather than deadlocking on the serialising lock
    assert len(answers) == 1 and "same thread" in answers[0]


# --------------------------------------------------------------------------- scheduled jobs


def test_make_dev_reconciles_with_the_stand_in_from_the_schedules_page(stack):
    # When a developer runs the reconciliation from /_dev/schedules
    status, _, answer = call(f"{stack.base_url}/_dev/schedules/ReconcileDaily", "POST", body={})
    # Then it read the stand-in's events through its GET /v1/events and recorded the run
    assert status == 200 and answer["ok"] is True, answer
    assert answer["result"]["action"] == "reconcile"
    assert answer["result"]["failed"] == 0


def _reminders_to(stack, email: str) -> list[str]:
    return [
        m.subject
        for m in stack.emails.messages()
        if email in m.to and m.subject.startswith("Reminder")
    ]


def test_make_dev_runs_the_schedules_when_due_and_the_reminder_queue(stack, student_token):
    from dualcredit.settings import get_settings

    # Given a student registered this year who has not paid
    email, token = student_token
    student = registered_student(stack, token)
    saved = os.environ["CLOCK_OVERRIDE"]
    try:
        # Given the app's clock reaches 09:00 Pacific on June 8, 2027 (7 days before the close)
        os.environ["CLOCK_OVERRIDE"] = "2027-06-08T09:00:00-07:00"
        get_settings.cache_clear()
        # When the scheduler ticks, Then the daily reminder schedule runs and fans out
        # (and the night's reconciliation with Stripe, due at 03:30, ran too, and the
        # grading reminders' 08:00 run: June 8 is not 14, 7 or 1 days before June 25)
        runs = {run.schedule: run for run in stack.scheduler.tick()}
        assert set(runs) == {"RemindDaily", "ReconcileDaily", "GradingRemindDaily"}
        assert runs["ReconcileDaily"].ok and runs["ReconcileDaily"].result["action"] == "reconcile"
        grading = runs["GradingRemindDaily"]
        assert grading.ok and grading.result["outcome"] == "no_reminder_today", grading.result
        run = runs["RemindDaily"]
        assert (run.schedule, run.ok, run.result["outcome"]) == ("RemindDaily", True, "enqueued")
        assert run.result["enqueued"] >= 1
        assert stack.scheduler.tick() == []  # once per due minute
        # When the queue poller hands the batch to the reminder sender, Then the student has it
        (poller,) = stack.pollers
        assert poller.poll() == run.result["enqueued"]
        assert _reminders_to(stack, email) == [
            "Reminder: your 2026-27 CTE Dual Credit fee is due by June 15, 2027"
        ]
        body = next(m for m in stack.emails.messages() if email in m.to)
        assert student["sers_id"] in body.text and "$50.00" in body.text

        # When a developer runs the schedule again from /_dev/schedules
        status, _, answer = call(f"{stack.base_url}/_dev/schedules/RemindDaily", "POST", body={})
        assert status == 200 and answer["schedule"] == "RemindDaily" and answer["ok"] is True
        assert poller.poll() == answer["result"]["enqueued"]
        # Then the student is not reminded twice
        assert len(_reminders_to(stack, email)) == 1
        status, _, page = call(f"{stack.base_url}/_dev/schedules")
        assert status == 200 and "RemindDaily" in page and "cron(0 9 * 5,6 ? *)" in page
    finally:
        os.environ["CLOCK_OVERRIDE"] = saved
        get_settings.cache_clear()
