"""What API Gateway's REST API makes of the template and of a request: the resource
tree the routes are matched against, the CORS preflight answer SAM builds, the Lambda
proxy event a handler is given and the proxy response it gives back."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote

from devstack.authorizer import apigw_claims
from devstack.lambdas import ACCOUNT_ID
from devstack.template import Route, resources


@dataclass(frozen=True)
class Match:
    resource: str  # the template's path, e.g. /schools/{school_id}
    path_parameters: dict[str, str]
    methods: dict[str, Route]


class RouteTable:
    """The template's resources, matched like API Gateway's resource tree: a literal
    path segment wins over a `{parameter}` at the same level."""

    def __init__(self, routes: list[Route]) -> None:
        self._resources: dict[str, dict[str, Route]] = {}
        for route in routes:
            self._resources.setdefault(route.path, {})[route.method] = route

    def match(self, path: str) -> Match | None:
        segments = [s for s in path.strip("/").split("/")] if path.strip("/") else []
        best: tuple[tuple[int, ...], str, dict[str, str]] | None = None
        for resource in self._resources:
            parts = [s for s in resource.strip("/").split("/")] if resource.strip("/") else []
            if len(parts) != len(segments):
                continue
            params: dict[str, str] = {}
            rank: list[int] = []
            for part, segment in zip(parts, segments, strict=True):
                variable = re.fullmatch(r"\{([^}+]+)\}", part)
                if variable:
                    if not segment:
                        break
                    params[variable.group(1)] = segment
                    rank.append(1)
                elif part == segment:
                    rank.append(0)
                else:
                    break
            else:
                key = tuple(rank)
                if best is None or key < best[0]:
                    best = (key, resource, params)
        if best is None:
            return None
        return Match(best[1], best[2], self._resources[best[1]])


def cors_settings() -> dict[str, str]:
    """The preflight answer SAM builds from the template's Api Cors settings."""
    cors = (resources().get("Api", {}).get("Properties", {}).get("Cors")) or {}

    def literal(name: str, default: str) -> str:
        value = cors.get(name)
        return value.strip("'") if isinstance(value, str) else default

    return {
        "Access-Control-Allow-Headers": literal("AllowHeaders", "Content-Type,Authorization"),
        "Access-Control-Allow-Methods": literal("AllowMethods", "GET,POST,PUT,PATCH,OPTIONS"),
        "Access-Control-Max-Age": literal("MaxAge", "600"),
    }


def proxy_event(
    *,
    method: str,
    headers: list[tuple[str, str]],
    host: str,
    user_agent: str | None,
    client_ip: str,
    port: int,
    protocol: str,
    stage: str,
    match: Match,
    api_path: str,
    query: str,
    body: bytes,
    claims: dict[str, Any] | None,
    request_id: str,
) -> dict[str, Any]:
    """The REST API's Lambda proxy event for a request to `match`: headers and query
    in single- and multi-value forms, the request context, the authorizer's claims as
    strings."""
    multi_headers: dict[str, list[str]] = {}
    for name, value in headers:
        multi_headers.setdefault(name, []).append(value)
    lowered = {n.lower() for n in multi_headers}
    for name, value in (
        ("X-Forwarded-For", client_ip),
        ("X-Forwarded-Proto", "http"),
        ("X-Forwarded-Port", str(port)),
    ):
        if name.lower() not in lowered:
            multi_headers[name] = [value]
    pairs = parse_qsl(query, keep_blank_values=True)
    multi_query: dict[str, list[str]] = {}
    for name, value in pairs:
        multi_query.setdefault(name, []).append(value)
    now = datetime.now(UTC)
    request_context: dict[str, Any] = {
        "accountId": ACCOUNT_ID,
        "apiId": "devstack",
        "resourceId": "devstack",
        "resourcePath": match.resource,
        "httpMethod": method,
        "path": f"/{stage}{api_path}",
        "stage": stage,
        "protocol": protocol,
        "requestId": request_id,
        "extendedRequestId": request_id,
        "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "requestTimeEpoch": int(now.timestamp() * 1000),
        "domainName": host.split(":")[0],
        "domainPrefix": host.split(".")[0].split(":")[0],
        "identity": {
            "sourceIp": client_ip,
            "userAgent": user_agent,
            "accountId": None,
            "caller": None,
            "user": None,
            "userArn": None,
            "cognitoIdentityId": None,
            "cognitoIdentityPoolId": None,
            "cognitoAuthenticationType": None,
            "cognitoAuthenticationProvider": None,
            "accessKey": None,
            "apiKey": None,
            "apiKeyId": None,
            "principalOrgId": None,
        },
    }
    if claims is not None:
        request_context["authorizer"] = {"claims": apigw_claims(claims)}
    return {
        "resource": match.resource,
        "path": api_path,
        "httpMethod": method,
        "headers": {name: values[-1] for name, values in multi_headers.items()} or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {n: v[-1] for n, v in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": {n: unquote(v) for n, v in match.path_parameters.items()} or None,
        "stageVariables": None,
        "requestContext": request_context,
        "body": body.decode("utf-8", errors="replace") if body else None,
        "isBase64Encoded": False,
    }


def proxy_response(response: Any) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """A handler's proxy response as (status, headers, body); None when it is not one
    (API Gateway answers 502)."""
    if not isinstance(response, dict) or "statusCode" not in response:
        return None
    headers: list[tuple[str, str]] = []
    multi = response.get("multiValueHeaders") or {}
    for name, values in multi.items():
        headers += [(name, str(v)) for v in values]
    for name, value in (response.get("headers") or {}).items():
        if name.lower() not in {n.lower() for n in multi}:
            headers.append((name, str(value)))
    body = response.get("body") or ""
    raw = base64.b64decode(body) if response.get("isBase64Encoded") else str(body).encode()
    return int(response["statusCode"]), headers, raw
