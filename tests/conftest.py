"""Shared fixtures: moto-backed AWS with the table built from infra/template.yaml,
the API handler, and a DynamoDB call recorder that fails any Scan."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws

from devstack import moto_fixes
from devstack.template import create_table
from tests.support import env


def pytest_configure(config: pytest.Config) -> None:
    """Before any test module is collected (they import the handlers, which read their
    settings at import): the test environment, and moto's fixes."""
    env.apply()
    moto_fixes.install()


REPO = Path(__file__).resolve().parents[1]


class DynamoCalls(Counter):
    """Operation name -> count, for round-trip assertions; a Scan fails the test."""

    def record(self, event_name: str, **_: Any) -> None:
        operation = event_name.rsplit(".", 1)[-1]
        if operation == "Scan":
            raise AssertionError("a request path scanned the table")
        self[operation] += 1

    @property
    def total(self) -> int:
        return sum(self.values())


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[DynamoCalls]:
    """A fresh moto account: table, user pool with groups, verified sender."""
    env.apply()
    from dualcredit.dal import aws as aws_clients
    from dualcredit.dal import idempotency
    from dualcredit.settings import get_settings

    with mock_aws():
        aws_clients.reset_clients()
        idempotency.forget()
        get_settings.cache_clear()
        ddb = aws_clients.client("dynamodb")
        create_table(ddb, env.TEST_ENV["TABLE_NAME"])
        cognito = aws_clients.client("cognito-idp")
        pool = cognito.create_user_pool(
            PoolName="test",
            UsernameAttributes=["email"],
            Schema=[{"Name": "school_id", "AttributeDataType": "String", "Mutable": True}],
        )["UserPool"]["Id"]
        for group in ("staff", "school", "college"):
            cognito.create_group(UserPoolId=pool, GroupName=group)
        monkeypatch.setenv("USER_POOL_ID", pool)
        # One pool stands for both here: the handlers only administer the invited one.
        monkeypatch.setenv("INVITED_USER_POOL_ID", pool)
        aws_clients.client("ses").verify_email_identity(EmailAddress=env.TEST_ENV["EMAIL_SENDER"])
        get_settings.cache_clear()
        calls = DynamoCalls()
        ddb.meta.events.register("before-call.dynamodb.*", calls.record)
        yield calls
        aws_clients.reset_clients()
        get_settings.cache_clear()


@pytest.fixture
def atomic_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make each mocked AWS request atomic, as the real services are.

    moto's in-process backend is not thread-safe (a cancelled transaction restores a
    copy of the whole table, undoing a concurrent one), so concurrency tests
    serialise single requests; the races between a route's requests stay real.
    """
    import threading

    from moto.core.botocore_stubber import BotocoreStubber

    lock = threading.Lock()
    process = BotocoreStubber.process_request

    def atomic(self, request):
        with lock:
            return process(self, request)

    monkeypatch.setattr(BotocoreStubber, "process_request", atomic)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch):
    """Set the application's clock: clock("2027-01-15T10:00:00-08:00")."""
    from dualcredit.settings import get_settings

    def set_clock(iso: str) -> datetime:
        monkeypatch.setenv("CLOCK_OVERRIDE", iso)
        get_settings.cache_clear()
        return datetime.fromisoformat(iso)

    yield set_clock
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def api_module():
    spec = importlib.util.spec_from_file_location("api_app", REPO / "functions" / "api" / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def sent_emails():
    """Messages moto's SES recorded, oldest first, as (to, subject, body) tuples; a
    templated bulk send gives one per destination, rendered as SES renders it."""
    from devstack.emails import EmailLog

    log = EmailLog("us-west-2")

    def read() -> list[tuple[str, str, str]]:
        return [(", ".join(m.to), m.subject, m.html or m.text) for m in reversed(log.messages())]

    return read


class Api:
    """Calls the API handler with API Gateway events; returns (status, json body).
    `as_` is the caller: claims, a tests.support.students Student, or None."""

    def __init__(self, module):
        from devstack import iam

        self.module = module
        # With its role's permissions only, as in AWS (devstack.iam).
        self.handler = iam.guarded(iam.function_of(module.__file__), module.lambda_handler)

    def __call__(
        self,
        method: str,
        url: str,
        *,
        as_: Any = None,
        body: Any = None,
        raw_body: str | None = None,
        source_ip: str = "198.51.100.7",
        headers: dict[str, str | None] | None = None,
    ) -> tuple[int, Any]:
        from tests.support.events import LambdaContext, api_event

        event = api_event(
            method,
            url,
            body=body,
            claims=as_,
            raw_body=raw_body,
            source_ip=source_ip,
            headers=headers,
        )
        response = self.handler(event, LambdaContext())
        text = response.get("body") or "null"
        headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
        multi = {k.lower(): v for k, v in (response.get("multiValueHeaders") or {}).items()}
        content_type = (
            headers.get("content-type") or (multi.get("content-type") or ["application/json"])[0]
        )
        if not content_type.startswith("application/json"):
            return response["statusCode"], text
        return response["statusCode"], json.loads(text)


@pytest.fixture
def api(aws, api_module) -> Api:
    return Api(api_module)


@pytest.fixture(scope="session")
def grade_module():
    spec = importlib.util.spec_from_file_location(
        "grade_import_app", REPO / "functions" / "grade_import" / "app.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def grades_api(aws, grade_module) -> Api:
    """The grade import function, called like `api`."""
    return Api(grade_module)


class Webhook:
    """Delivers Stripe webhook requests to the webhook Lambda, as API Gateway would."""

    def __init__(self, module):
        from devstack import iam

        self.module = module
        # With its role's permissions only, as in AWS (devstack.iam).
        self.handler = iam.guarded(iam.function_of(module.__file__), module.lambda_handler)
        self.answers: list[int] = []

    def __call__(self, body: bytes | str, signature: str | None) -> dict:
        from tests.support.events import LambdaContext, api_event

        event = api_event(
            "POST", "/stripe/webhook", raw_body=body.decode() if isinstance(body, bytes) else body
        )
        event["headers"].pop("Authorization", None)
        if signature is not None:
            event["headers"]["Stripe-Signature"] = signature
        response = self.handler(event, LambdaContext())
        self.answers.append(response["statusCode"])
        return response


@pytest.fixture
def stripe_standin(aws, monkeypatch):
    """The local Stripe stand-in, answering the stripe library in-process and delivering
    signed events to the webhook Lambda; secrets are in (moto's) SSM."""
    from devstack.stripe_standin import DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET, StripeStandIn
    from dualcredit import clock
    from dualcredit.dal import aws as aws_clients
    from dualcredit.dal import stripe_gateway
    from dualcredit.settings import get_settings

    ssm = aws_clients.client("ssm")
    ssm.put_parameter(
        Name=env.STRIPE_SECRET_KEY_PARAMETER, Value=DEFAULT_API_KEY, Type="SecureString"
    )
    ssm.put_parameter(
        Name=env.STRIPE_WEBHOOK_SECRET_PARAMETER, Value=DEFAULT_WEBHOOK_SECRET, Type="SecureString"
    )
    from dualcredit.dal import secrets

    secrets.forget()
    spec = importlib.util.spec_from_file_location(
        "stripe_webhook_app", REPO / "functions" / "stripe_webhook" / "app.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    webhook = Webhook(module)
    standin = StripeStandIn(deliver=webhook, clock=lambda: clock.now().timestamp())
    standin.webhook = webhook
    monkeypatch.setattr(stripe_gateway, "http_client", standin.http_client())
    monkeypatch.setenv("STRIPE_API_BASE", standin.base_url)
    get_settings.cache_clear()
    yield standin
    get_settings.cache_clear()


#: What the functions' roles were allowed to do over this run (devstack.iam): `make
#: test` checks, after the whole suite, that every grant of the template was used.
IAM_USAGE = REPO / ".pytest_cache" / "iam-usage.json"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from devstack import iam

    IAM_USAGE.parent.mkdir(exist_ok=True)
    IAM_USAGE.write_text(
        json.dumps({role: sorted(actions) for role, actions in iam.used.items()}, indent=1)
    )
