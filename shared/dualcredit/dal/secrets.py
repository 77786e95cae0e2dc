"""Secrets from SSM Parameter Store (SecureString, decrypted), cached 5 minutes per
process.

Read with the process's botocore SSM client (dal/aws.py) rather than Powertools
Parameters: that utility builds a boto3 session and a second botocore session
beside ours, which cost the webhook's first event ~90 ms (docs/decisions.md
2026-11-27). The caching is the same: one GetParameter per name per 5 minutes.
"""

from __future__ import annotations

import time

from dualcredit.dal.aws import client

SECRET_MAX_AGE_SECONDS = 300

_cache: dict[str, tuple[float, str]] = {}


def get_secret(name: str) -> str:
    now = time.monotonic()
    cached = _cache.get(name)
    if cached is not None and now - cached[0] < SECRET_MAX_AGE_SECONDS:
        return cached[1]
    value = client("ssm").get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
    _cache[name] = (now, value)
    return value


def clear_cache() -> None:
    """Forget the cached values (tests and the local stack change them or the endpoint)."""
    _cache.clear()
