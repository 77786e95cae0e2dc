"""The local stack behind `make dev`: moto, the API Gateway stand-in with its Cognito
authorizer, the real handler, and demo data seeded through the API."""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from typing import Any
from urllib.error import HTTPError
from urllib.request import ProxyHandler, Request, build_opener

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from devstack.stack import LocalStack

SERS_ID = re.compile(r"^TP3-\d{2}-[0-9A-HJKMNP-TV-Z]{4}$")
HTTP = build_opener(ProxyHandler({}))  # local calls never go through a proxy


def call(url: str, method: str = "GET", *, token: str | None = None, body: Any = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
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


@pytest.fixture(scope="module")
def stack():
    local = LocalStack(port=0, moto_port=0, quiet=True).start()
    yield local
    local.stop()


@pytest.fixture
def student_token(stack) -> tuple[str, str]:
    """A student who signed up and confirmed through Cognito: (email, ID token)."""
    email = f"student-{uuid.uuid4().hex[:8]}@example.org"
    password = "Student-Pass-42"
    cognito = stack.client("cognito-idp")
    cognito.sign_up(ClientId=stack.client_id, Username=email, Password=password,
                    UserAttributes=[{"Name": "email", "Value": email}])
    cognito.confirm_sign_up(ClientId=stack.client_id, Username=email, ConfirmationCode="000000")
    answer = cognito.initiate_auth(ClientId=stack.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": email, "PASSWORD": password})
    return email, answer["AuthenticationResult"]["IdToken"]


def profile(school_id: str) -> dict[str, Any]:
    return {
        "legal_first_name": "Ana",
        "legal_last_name": f"Lopez-{uuid.uuid4().hex[:6]}",
        "birth_date": "2009-05-20",
        "mailing_address": {"line1": "1 Pine St", "city": "Redmond", "state": "WA",
                            "postal_code": "98052"},
        "school_id": school_id,
        "expected_graduation_year": 2027,
    }


def test_a_student_signs_up_gets_a_sers_id_and_the_email(stack, student_token):
    # Given a student who signed up through Cognito and a seeded school
    email, token = student_token
    school = stack.seeded.schools[0]
    # When they complete their profile through the gateway
    status, _, created = call(f"{stack.api_url}/students/me", "POST", token=f"Bearer {token}",
                              body=profile(school["school_id"]))
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
        {**_valid_claims(stack, token), "iat": int(time.time()) - 7200, "exp": int(time.time()) - 3600}),
    "other audience": lambda stack, token: _moto_signed({**_valid_claims(stack, token), "aud": "someone-else"}),
    "other issuer": lambda stack, token: _moto_signed(
        {**_valid_claims(stack, token), "iss": "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_other"}),
    "access token": lambda stack, token: _moto_signed({**_valid_claims(stack, token), "token_use": "access"}),
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
        status, _, offerings = call(f"{stack.api_url}/schools/{school_id}/offerings?school_year={year}")
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
    roster_status, _, _ = call(f"{stack.api_url}/schools/{school_id}/roster", token=f"Bearer {teacher}")
    other = stack.seeded.schools[1]["school_id"]
    other_status, _, _ = call(f"{stack.api_url}/schools/{other}/roster", token=f"Bearer {teacher}")
    # Then both work, and the school user is kept to their own school
    assert status == 200 and [u["email"] for u in users] == [accounts["school"].email]
    assert roster_status == 200
    assert other_status == 403


@pytest.mark.parametrize("method, path", [
    ("GET", "/nowhere"),
    ("DELETE", "/students/me"),
    ("GET", "/schools/abc/offerings/extra"),
    ("GET", ""),
])
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
    status, headers, _ = call(f"{stack.api_url}/students/me", "OPTIONS",
                              headers={"Origin": stack.site_url, "Access-Control-Request-Method": "POST"})
    # Then the template's CORS settings answer it
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == stack.site_url
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Authorization" in headers["Access-Control-Allow-Headers"]


def test_front_end_config_points_at_the_stack(stack):
    # When the front end asks for its configuration
    status, _, config = call(f"{stack.base_url}/_dev/config.json")
    # Then it names the API, moto's Cognito, the pool and the app client
    assert status == 200
    assert config == {"apiUrl": f"{stack.site_url}/api", "cognitoEndpoint": stack.moto_url,
                      "userPoolId": stack.user_pool_id, "clientId": stack.client_id,
                      "region": "us-west-2"}
