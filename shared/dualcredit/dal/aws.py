"""botocore clients, one per service per process.

botocore rather than boto3: boto3's import pulls in s3transfer, which costs a
handler more cold-start time than all of its routes (see docs/benchmarks.md).
Retries use botocore's standard mode with jittered backoff.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import botocore.session
from botocore.config import Config

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=2, read_timeout=5)


_made: set[str] = set()


@cache
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


@cache
def client(service: str) -> Any:
    """A client for `service`; AWS_ENDPOINT_URL (set by `make dev` and tests) points it at moto."""
    _made.add(service)
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or None
    config = _CONFIG
    if service == "s3":
        # Presigned POSTs signed with SigV4 (buckets made since 2020 refuse SigV2), on the
        # bucket's regional name in AWS (the site's CSP names it); by path locally.
        config = config.merge(
            Config(
                signature_version="s3v4",
                s3={"addressing_style": "path" if endpoint else "virtual"},
            )
        )
    return _session().create_client(
        service,
        region_name=os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or "us-west-2",
        endpoint_url=endpoint,
        config=config,
    )


def close_connections() -> None:
    """Close every client's pooled connections; the clients stay and reconnect on their
    next request. After a SnapStart restore, a connection opened before the snapshot
    would be shared by every environment restored from it."""
    for service in sorted(_made):
        client(service).close()


def prepare(*services: str) -> None:
    """Make the clients (no request is sent: credentials and endpoints resolve locally)."""
    for service in services:
        client(service)


def reset_clients() -> None:
    """Forget cached clients (tests switch endpoints between runs)."""
    client.cache_clear()
    _session.cache_clear()
    _made.clear()
