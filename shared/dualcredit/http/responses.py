"""Answers that are not a JSON model: CSV files, declared and built once for every CSV
route. (A route answering 201 or 202 says so with `status_code=` in its decorator, which
Powertools uses for the answer and the OpenAPI document alike.)"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types

CSV_MEDIA_TYPE = "text/csv"


def csv_responses(description: str) -> dict[int, Any]:
    """The route decorator's `responses=` of a CSV route: its 200 is a text/csv file."""
    content = {CSV_MEDIA_TYPE: {"schema": {"type": "string"}}}
    return {200: {"description": description, "content": content}}


def csv_request_body(description: str) -> dict[str, Any]:
    """The route decorator's `openapi_extensions=` of a route that reads a CSV file as its
    body (the body is read raw, so Powertools does not see it)."""
    content = {CSV_MEDIA_TYPE: {"schema": {"type": "string"}}}
    return {"requestBody": {"description": description, "required": True, "content": content}}


def csv_file(body: str, filename: str) -> Response[str]:
    """A CSV download: `body` (already neutralized, dualcredit.logic.csv_export) as `filename`."""
    return Response(
        status_code=200,
        content_type=f"{CSV_MEDIA_TYPE}; charset=utf-8",
        body=body,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def created[T](body: T) -> Response[T]:
    """The answer of a route declared `status_code=201` (which the document reads).

    The status travels in the Response rather than being left to Powertools, which reads
    the route's `status_code` from resolver-wide context: one request at a time in Lambda,
    but a concurrent call in the same process (a test's two tabs) can clear it first."""
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=body)


def accepted[T](body: T) -> Response[T]:
    """The answer of a route declared `status_code=202`; see `created`."""
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=body)
