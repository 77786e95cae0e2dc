"""API Gateway REST proxy events and Lambda contexts, built the way API Gateway
builds them, with overrides."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from devstack.jobs import sqs_record  # noqa: F401 - the one SQS record factory, re-exported
from devstack.template import api_routes


@dataclass
class LambdaContext:
    function_name: str = "api"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-west-2:123456789012:function:api"
    aws_request_id: str = "req-1"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


def _resource_for(method: str, path: str) -> str:
    for route in api_routes():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", route.path) + "$"
        if route.method == method and re.match(pattern, path):
            return route.path
    return path


def claims(
    sub: str,
    *,
    email: str | None = None,
    groups: list[str] | None = None,
    school_id: str | None = None,
) -> dict[str, str]:
    """Cognito ID-token claims as API Gateway's REST authorizer hands them on (strings)."""
    values = {
        "sub": sub,
        "email": email or f"{sub}@example.org",
        "email_verified": "true",
        "token_use": "id",
        "cognito:username": sub,
    }
    if groups:
        values["cognito:groups"] = ",".join(groups)
    if school_id:
        values["custom:school_id"] = school_id
    return values


def api_event(
    method: str,
    url: str,
    *,
    body: Any = None,
    claims: Mapping[str, str] | Any = None,
    source_ip: str = "198.51.100.7",
    raw_body: str | None = None,
    headers: Mapping[str, str | None] | None = None,
) -> dict[str, Any]:
    """`claims`: the caller's claims, or a caller that has them (a tests.support.students
    Student), or None for an anonymous request. `headers` replace the defaults (a JSON
    Content-Type); a header given as None is left out."""
    if claims is not None and not isinstance(claims, Mapping):
        claims = claims.claims
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    given: dict[str, str | None] = {"Content-Type": "application/json", "Host": "api.test"}
    if claims:
        given["Authorization"] = "Bearer token"
    given |= headers or {}
    headers = {name: value for name, value in given.items() if value is not None}
    text = raw_body if raw_body is not None else (None if body is None else json.dumps(body))
    return {
        "resource": _resource_for(method, parts.path),
        "path": parts.path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": dict(query) or None,
        "multiValueQueryStringParameters": {k: [v for kk, v in query if kk == k] for k, _ in query}
        or None,
        "pathParameters": None,
        "stageVariables": None,
        "body": text,
        "isBase64Encoded": False,
        "requestContext": {
            "requestId": str(uuid.uuid4()),
            "stage": "prod",
            "httpMethod": method,
            "path": f"/prod{parts.path}",
            "resourcePath": _resource_for(method, parts.path),
            "identity": {"sourceIp": source_ip},
            "authorizer": {"claims": claims} if claims else None,
        },
    }
