"""A moto server standing in for AWS, the Stripe stand-in served on a local port,
the environment the measured handlers see, and the API and webhook handlers called
in-process (to seed data and count round trips)."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import json
import logging
import os
import re
import warnings
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bench.handlers import REPO
from bench.timing import BenchError

TABLE_NAME = "bench-table"
CLOCK = "2027-01-15T10:00:00-08:00"  # inside the 2026-27 registration window
SCHOOL_YEAR = "2026-27"
EMAIL_SENDER = "no-reply@pnwcollegecredit.org"
STRIPE_SECRET_KEY_PARAMETER = "/dual-credit/test/stripe/secret-key"  # noqa: S105 - a name
STRIPE_WEBHOOK_SECRET_PARAMETER = "/dual-credit/test/stripe/webhook-secret"  # noqa: S105 - a name

#: What every measured process (and the in-process API) runs with, as on Lambda.
LAMBDA_ENV = {
    # What the Lambda runtime sets: the X-Ray SDK, for one, takes its in-Lambda path
    # (a local sampler) instead of building an X-Ray client at import.
    "LAMBDA_TASK_ROOT": str(REPO / "functions"),
    "AWS_LAMBDA_FUNCTION_NAME": "bench",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_REGION": "us-west-2",
    "AWS_DEFAULT_REGION": "us-west-2",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": "/nonexistent/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
    "TABLE_NAME": TABLE_NAME,
    "STAGE": "test",
    "CLOCK_OVERRIDE": CLOCK,
    "EMAIL_SENDER": EMAIL_SENDER,
    "APP_BASE_URL": "https://app.test",
    "STRIPE_SECRET_KEY_PARAMETER": STRIPE_SECRET_KEY_PARAMETER,
    "STRIPE_WEBHOOK_SECRET_PARAMETER": STRIPE_WEBHOOK_SECRET_PARAMETER,
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": "DualCredit",
    "POWERTOOLS_SERVICE_NAME": "bench",
    "POWERTOOLS_DEV": "false",
    "LANG": "C.UTF-8",
    "TZ": ":UTC",
}


def child_env(endpoint_url: str, stripe_api_base: str) -> dict[str, str]:
    """A clean environment (no PYTHON* variables from the caller's shell)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108 - only a fallback HOME
        **LAMBDA_ENV,
        "AWS_ENDPOINT_URL": endpoint_url,
        "STRIPE_API_BASE": stripe_api_base,
        "NO_PROXY": "127.0.0.1,localhost",
    }


def _app_clock() -> float:
    return datetime.fromisoformat(CLOCK).timestamp()


class MotoStack:
    """moto's threaded server on a free local port, with the template's table and the
    Stripe secrets in its SSM; and the Stripe stand-in served on another free port
    (the measured processes reach both). The stand-in records events without
    delivering them: the bench delivers what it measures itself."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        from devstack import moto_fixes
        from devstack.stripe_standin import StripeStandIn

        moto_fixes.install()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.url = ""
        self.stripe = StripeStandIn(clock=_app_clock)
        self.stripe_url = ""

    def __enter__(self) -> MotoStack:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
        from moto.moto_api._internal.models import moto_api_backend

        # moto's backends are this process's: a stack started after another (the
        # reminders' and the reconciliation's own) begins with no data.
        moto_api_backend.reset()
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        os.environ.update(LAMBDA_ENV)
        os.environ["AWS_ENDPOINT_URL"] = self.url
        # This process only: keep the in-process handler's info logs off the report.
        os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"
        warnings.filterwarnings("ignore", message="No application metrics to publish")
        from devstack.template import create_table
        from dualcredit.dal import aws as aws_clients
        from dualcredit.dal import idempotency
        from dualcredit.settings import get_settings

        aws_clients.reset_clients()
        idempotency.forget()
        get_settings.cache_clear()
        create_table(aws_clients.client("dynamodb"), TABLE_NAME)
        aws_clients.client("ses").verify_email_identity(EmailAddress=EMAIL_SENDER)
        ssm = aws_clients.client("ssm")
        for name, value in (
            (STRIPE_SECRET_KEY_PARAMETER, self.stripe.api_key),
            (STRIPE_WEBHOOK_SECRET_PARAMETER, self.stripe.webhook_secret),
        ):
            ssm.put_parameter(Name=name, Value=value, Type="SecureString", Overwrite=True)
        self.stripe.serve("127.0.0.1", 0)
        self.stripe_url = self.stripe.base_url
        os.environ["STRIPE_API_BASE"] = self.stripe_url
        os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
        from dualcredit.dal import secrets

        secrets.forget()
        get_settings.cache_clear()
        return self

    def __exit__(self, *_: object) -> None:
        self.stripe.stop()
        self.server.stop()


class AwsCalls:
    """Counts every AWS operation made in this process, by service, whichever client
    makes it: dualcredit's botocore clients and the boto3 clients Powertools builds
    for idempotency and parameters alike; and the Stripe API requests the stand-in
    answers (as service "stripe")."""

    def __init__(self) -> None:
        self.by_service: dict[str, Counter] = {}
        self.enabled = False
        self._uninstall: list[Callable[[], None]] = []

    def record(self, service: str, operation: str) -> None:
        if self.enabled:
            self.by_service.setdefault(service, Counter())[operation] += 1

    def clear(self) -> None:
        self.by_service = {}

    def install(self, stripe: Any = None) -> None:
        """Wrap botocore's one entry point for API calls (and the stand-in's dispatch)."""
        from botocore.client import BaseClient

        original = BaseClient._make_api_call
        calls = self

        def counted(client: Any, operation_name: str, api_params: dict) -> Any:
            calls.record(client.meta.service_model.service_id.hyphenize(), operation_name)
            return original(client, operation_name, api_params)

        BaseClient._make_api_call = counted
        self._uninstall.append(lambda: setattr(BaseClient, "_make_api_call", original))
        if stripe is not None:
            dispatch = stripe.dispatch

            def counted_dispatch(method: str, target: str, *args: Any, **kwargs: Any) -> Any:
                path = target.split("?", 1)[0]
                calls.record("stripe", f"{method} {_stripe_route(path)}")
                return dispatch(method, target, *args, **kwargs)

            stripe.dispatch = counted_dispatch
            self._uninstall.append(lambda: delattr(stripe, "dispatch"))

    def uninstall(self) -> None:
        while self._uninstall:
            self._uninstall.pop()()


def _stripe_route(path: str) -> str:
    """/v1/checkout/sessions/cs_test_abc/expire -> /v1/checkout/sessions/{id}/expire"""
    parts = path.rstrip("/").split("/")
    # Stripe ids carry digits and capitals (cs_test_a1B2..., pi_3Q...); collection names do not.
    return "/".join(
        "{id}" if part != "v1" and re.search(r"[A-Z0-9]", part) else part for part in parts
    )


def load_module(path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise BenchError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Api:
    """An API function's handler (default: the registration API's) called in-process with
    API Gateway events: (status, json body, or the text of a CSV)."""

    def __init__(self, folder: str = "api") -> None:
        self.module = load_module(REPO / "functions" / folder / "app.py", f"bench_{folder}_app")
        from devstack import iam

        self.handler = iam.guarded_handler(self.module)  # with its template role's permissions

    def __call__(
        self, method: str, url: str, *, as_: dict | None = None, body: Any = None
    ) -> tuple[int, Any]:
        from tests.support.events import LambdaContext, api_event

        event = api_event(method, url, body=body, claims=as_)
        with contextlib.redirect_stdout(io.StringIO()):  # the metrics' EMF lines
            response = self.handler(event, LambdaContext())
        headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
        headers |= {
            k.lower(): v[0] for k, v in (response.get("multiValueHeaders") or {}).items() if v
        }
        if not headers.get("content-type", "application/json").startswith("application/json"):
            return response["statusCode"], response.get("body")
        return response["statusCode"], json.loads(response.get("body") or "null")


def seed(api: Api):
    """Two schools, three offerings, and Alice registered in one class."""
    from tests.support.world import World

    world = World(api).build(SCHOOL_YEAR)
    alice = world.student("alice", last_name="Zamora")
    world.ok(
        "POST", "/students/me/registrations", as_=alice, body={"offering_ids": [world.offering_x]}
    )
    return world


def webhook_event(body: bytes, signature: str | None) -> dict[str, Any]:
    """The API Gateway event of a Stripe delivery to POST /stripe/webhook."""
    from tests.support.events import api_event

    event = api_event("POST", "/stripe/webhook", raw_body=body.decode())
    if signature is not None:
        event["headers"]["Stripe-Signature"] = signature
        event["multiValueHeaders"]["Stripe-Signature"] = [signature]
    return event


class Webhook:
    """The Stripe webhook handler called in-process with signed deliveries: (status, body)."""

    def __init__(self, stripe: Any) -> None:
        self.stripe = stripe
        self.module = load_module(
            REPO / "functions" / "stripe_webhook" / "app.py", "bench_stripe_webhook_app"
        )
        from devstack import iam

        self.handler = iam.guarded_handler(self.module)  # with its template role's permissions

    def __call__(self, event: dict[str, Any]) -> tuple[int, Any]:
        """Deliver a Stripe event (freshly signed, as each delivery attempt is)."""
        from tests.support.events import LambdaContext

        body, signature = self.stripe.signed_delivery(event)
        with contextlib.redirect_stdout(io.StringIO()):  # the metrics' EMF lines
            response = self.handler(webhook_event(body, signature), LambdaContext())
        return response["statusCode"], json.loads(response.get("body") or "null")


def paid_students(api: Api, world: Any, stripe: Any, names: list[str]) -> list[dict[str, Any]]:
    """Students registered at school X who pressed Pay and paid at the stand-in: the
    checkout.session.completed event of each (recorded, not delivered)."""
    events = []
    for student in registered_students(world, names):
        checkout = world.ok("POST", "/students/me/checkout", as_=student, body={})
        stripe.pay(checkout["session_id"])
        events.append(stripe.events_of_type("checkout.session.completed")[-1])
    return events


def registered_students(world: Any, names: list[str]) -> list[Any]:
    """Students registered at school X, not yet paid (each is due a reminder)."""
    students = []
    for name in names:
        student = world.student(name, last_name="Bench")
        world.ok(
            "POST",
            "/students/me/registrations",
            as_=student,
            body={"offering_ids": [world.offering_x]},
        )
        students.append(student)
    return students


def student_names(prefix: str, count: int) -> list[str]:
    """Distinct letter-only names (digits are not names): paya, payb, ..., payba, ..."""

    def letters(number: int) -> str:
        out = ""
        while True:
            number, digit = divmod(number, 26)
            out = chr(97 + digit) + out
            if number == 0:
                return out

    return [prefix + letters(i) for i in range(count)]


#: A reminder day: 7 days before the 2026-27 window's last day (June 15, 2027).
REMINDER_CLOCK = "2027-06-08T09:00:00-07:00"
REMINDER_QUEUE = "bench-reminders"


def reminder_environment() -> dict[str, str]:
    """The reminder queue and the reminder's SES template made (as after the year's first
    reminder run), and the environment of a reminder day for the functions that use them."""
    from dualcredit.dal.aws import client
    from dualcredit.logic.reminders.notices import REMINDER, publish_template

    publish_template(REMINDER)
    queue_url = client("sqs").create_queue(
        QueueName=REMINDER_QUEUE, Attributes={"VisibilityTimeout": "360"}
    )["QueueUrl"]
    return {"CLOCK_OVERRIDE": REMINDER_CLOCK, "REMINDER_QUEUE_URL": queue_url}


def reminder_batch(student_id: str) -> dict[str, Any]:
    """The SQS event of one 7-day reminder for a student, as Lambda's poller delivers it."""
    from devstack.jobs import sqs_record
    from dualcredit.logic.reminders.notices import REMINDER, Notice

    body = json.dumps(Notice(REMINDER, student_id, SCHOOL_YEAR, "7").body())
    message = {
        "MessageId": f"bench-{student_id}",
        "ReceiptHandle": f"bench-{student_id}",
        "Body": body,
        "MD5OfBody": hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
        "Attributes": {"ApproximateReceiveCount": "1"},
    }
    return {"Records": [sqs_record(message, queue=REMINDER_QUEUE)]}
