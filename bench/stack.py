"""A moto server standing in for AWS, the environment the measured handlers see,
and the API handler called in-process (to seed data and count round trips)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import logging
import os
import warnings
from collections import Counter
from typing import Any

from bench.handlers import REPO

TABLE_NAME = "bench-table"
CLOCK = "2027-01-15T10:00:00-08:00"  # inside the 2026-27 registration window
SCHOOL_YEAR = "2026-27"
EMAIL_SENDER = "no-reply@pnwcollegecredit.org"

#: What every measured process (and the in-process API) runs with, as on Lambda.
LAMBDA_ENV = {
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
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": "DualCredit",
    "POWERTOOLS_SERVICE_NAME": "bench",
    "POWERTOOLS_DEV": "false",
    "LANG": "C.UTF-8",
    "TZ": ":UTC",
}


def child_env(endpoint_url: str) -> dict[str, str]:
    """A clean environment (no PYTHON* variables from the caller's shell)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108 - only a fallback HOME
        **LAMBDA_ENV,
        "AWS_ENDPOINT_URL": endpoint_url,
    }


class MotoStack:
    """moto's threaded server on a free local port, with the template's table."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.url = ""

    def __enter__(self) -> MotoStack:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
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
        from dualcredit.settings import get_settings

        aws_clients.reset_clients()
        get_settings.cache_clear()
        create_table(aws_clients.client("dynamodb"), TABLE_NAME)
        aws_clients.client("ses").verify_email_identity(EmailAddress=EMAIL_SENDER)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.stop()


class AwsCalls:
    """Counts every AWS operation the in-process handler makes, by service."""

    def __init__(self) -> None:
        self.by_service: dict[str, Counter] = {}
        self.enabled = False

    def record(self, event_name: str, **_: Any) -> None:
        if not self.enabled:
            return
        _, service, operation = event_name.split(".", 2)
        self.by_service.setdefault(service, Counter())[operation] += 1

    def clear(self) -> None:
        self.by_service = {}

    def install(self) -> None:
        """Hook the botocore session every dualcredit client is made from."""
        from dualcredit.dal import aws as aws_clients

        aws_clients.reset_clients()
        aws_clients._session().register("before-call", self.record)


def load_module(path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Api:
    """The API handler called in-process with API Gateway events: (status, json body)."""

    def __init__(self) -> None:
        self.module = load_module(REPO / "functions" / "api" / "app.py", "bench_api_app")

    def __call__(self, method: str, url: str, *, as_: dict | None = None, body: Any = None) -> tuple[int, Any]:
        from tests.support.events import LambdaContext, api_event

        event = api_event(method, url, body=body, claims=as_)
        with contextlib.redirect_stdout(io.StringIO()):  # the metrics' EMF lines
            response = self.module.lambda_handler(event, LambdaContext())
        return response["statusCode"], json.loads(response.get("body") or "null")


def seed(api: Api):
    """Two schools, three offerings, and Alice registered in one class."""
    from tests.support.world import World

    world = World(api).build(SCHOOL_YEAR)
    alice = world.student("alice", legal_last_name="Zamora")
    world.ok("POST", "/students/me/registrations", as_=alice, body={"offering_ids": [world.offering_x]})
    return world
