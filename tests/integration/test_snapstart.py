"""SnapStart runtime hooks (dualcredit.snapstart): what runs before the snapshot and
after each restore, for the API and the webhook (the functions the template publishes
with SnapStart)."""

from __future__ import annotations

import importlib.util
import random

import pytest
import snapshot_restore_py

from dualcredit import snapstart
from dualcredit.dal import aws as aws_clients
from dualcredit.dal.secrets import get_secret
from tests.conftest import REPO
from tests.support import env


def _load(function: str):
    spec = importlib.util.spec_from_file_location(
        f"snapstart_{function}", REPO / "functions" / function / "app.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("function", "services"),
    [("api", ("dynamodb", "sesv2")), ("stripe_webhook", ("dynamodb", "ssm", "sesv2"))],
)
def test_the_api_and_the_webhook_register_both_hooks(aws, function, services):
    # Given the function's module, as Lambda initialises it
    known = len(snapshot_restore_py.get_before_snapshot())
    restores = len(snapshot_restore_py.get_after_restore())
    _load(function)
    # Then it registered one before-snapshot hook with its clients and one after-restore
    new = snapshot_restore_py.get_before_snapshot()[known:]
    assert [(hook, args[0]) for hook, args, _ in new] == [(snapstart.before_snapshot, services)]
    assert [hook for hook, *_ in snapshot_restore_py.get_after_restore()[restores:]] == [
        snapstart.after_restore
    ]


def test_before_the_snapshot_the_clients_and_the_api_routes_are_ready_without_calling_aws(
    aws, monkeypatch
):
    # Given the API, with every AWS endpoint unreachable: any request would fail
    module = _load("api")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    aws_clients.reset_clients()
    hook, args, kwargs = snapshot_restore_py.get_before_snapshot()[-1]
    # When the before-snapshot hook runs
    hook(*args, **kwargs)
    # Then the clients exist, made for the unreachable endpoint, and nothing was sent
    assert aws_clients.client.cache_info().currsize == 2
    assert aws_clients.client("dynamodb").meta.endpoint_url == "http://127.0.0.1:9"
    # and every route's validation was built: the schema names every route
    schema = module.app.get_openapi_schema()
    assert "/window" in schema.paths and "/students/me/registrations" in schema.paths


def test_before_the_snapshot_the_lazy_packages_load_every_module(aws, monkeypatch):
    # Given the API's before-snapshot hook
    from dualcredit import lazy

    _load("api")
    loaded: list[str] = []
    monkeypatch.setattr(lazy, "load_all", lambda: loaded.append("all"))
    hook, args, kwargs = snapshot_restore_py.get_before_snapshot()[-1]
    # When it runs
    hook(*args, **kwargs)
    # Then the modules the lazy packages load on first use are loaded before the snapshot
    assert loaded == ["all"]


def test_before_the_snapshot_the_webhook_loads_stripe_and_idempotency(aws):
    # Given the webhook's module
    import sys

    module = _load("stripe_webhook")
    # When its warm-up runs (the before-snapshot hook's own part)
    module._warm()
    # Then what its first event would load is loaded
    for loaded in (
        "stripe",
        "aws_lambda_powertools.utilities.idempotency",
        "aws_lambda_powertools.utilities.parameters",
    ):
        assert loaded in sys.modules


def test_after_a_restore_connections_are_closed_and_the_clients_still_answer(aws, monkeypatch):
    # Given clients that have made requests
    ddb = aws_clients.client("dynamodb")
    ddb.list_tables()
    aws_clients.client("ssm").describe_parameters()
    closed = []
    for service in ("dynamodb", "ssm"):
        made = aws_clients.client(service)
        monkeypatch.setattr(made, "close", lambda s=service, c=made.close: (closed.append(s), c()))
    # When the environment is restored
    snapstart.after_restore()
    # Then each client's connections were closed, and the next request reconnects
    assert sorted(closed) == ["dynamodb", "ssm"]
    assert env.TEST_ENV["TABLE_NAME"] in ddb.list_tables()["TableNames"]


def test_after_a_restore_a_cached_secret_is_read_again(aws):
    # Given a secret read (and cached for 5 minutes) before the snapshot
    ssm = aws_clients.client("ssm")
    ssm.put_parameter(Name="/snap/secret", Value="before", Type="SecureString")
    assert get_secret("/snap/secret") == "before"
    ssm.put_parameter(Name="/snap/secret", Value="rotated", Type="SecureString", Overwrite=True)
    assert get_secret("/snap/secret") == "before"  # the cache answers
    # When the environment is restored
    snapstart.after_restore()
    # Then the secret is read from SSM again
    assert get_secret("/snap/secret") == "rotated"


def test_a_secret_is_read_with_the_process_s_own_ssm_client(aws, monkeypatch):
    # Given a secret, and boto3 sessions that would fail if one were made
    import boto3.session

    aws_clients.client("ssm").put_parameter(Name="/own/secret", Value="s", Type="SecureString")

    def no_session(*_: object, **__: object) -> None:
        raise AssertionError("a second boto3 session loads botocore's data again")

    monkeypatch.setattr(boto3.session.Session, "__init__", no_session)
    # When it is read
    value = get_secret("/own/secret")
    # Then it came through the SSM client the process already has
    assert value == "s"


def test_after_a_restore_random_is_reseeded():
    # Given the state `random` had when the snapshot was taken
    random.seed(1)
    state = random.getstate()
    from_snapshot = random.random()
    # When an environment restored from it runs the hook
    random.setstate(state)
    snapstart.after_restore()
    # Then it draws its own numbers, not the snapshot's
    assert random.random() != from_snapshot
