"""Secrets from SSM Parameter Store through Powertools Parameters (cached 5 minutes).

The provider uses the process's own SSM client (dal.aws): Powertools' default provider
would make a boto3 session and load botocore's endpoint and retry data a second time,
which costs a cold start about 50 ms.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from dualcredit.dal.aws import client

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parameters import SSMProvider

SECRET_MAX_AGE_SECONDS = 300


@cache
def _provider(ssm: Any) -> SSMProvider:
    # Imported here: only the functions that read secrets pay for the import (boto3's).
    from aws_lambda_powertools.utilities.parameters import SSMProvider

    return SSMProvider(boto3_client=ssm)


def _current() -> SSMProvider:
    # Keyed by the client, so a new client (tests switch endpoints) gets a new provider.
    return _provider(client("ssm"))


def get_secret(name: str) -> str:
    value = _current().get(name, decrypt=True, max_age=SECRET_MAX_AGE_SECONDS)
    if not isinstance(value, str):
        raise TypeError(f"SSM parameter {name} is not a string")
    return value


def forget() -> None:
    """Drop every cached secret (after a SnapStart restore: a secret read before the
    snapshot must not outlive its rotation in every restored environment)."""
    _provider.cache_clear()


def prepare() -> None:
    """Make the provider and its client (no secret is read: those must not be in a
    snapshot)."""
    _current()
