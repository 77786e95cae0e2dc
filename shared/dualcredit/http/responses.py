"""Non-200 success answers; the body is validated and serialised like any route's."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response, content_types


def created[T](body: T) -> Response[T]:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=body)


def accepted[T](body: T) -> Response[T]:
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=body)
