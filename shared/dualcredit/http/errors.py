"""Errors become HTTP answers here, once, from their types (never their text).

This is the one place that turns errors into words. A field's message names the
field as its page does ("Legal first name is required"): the models give each
field's label (dualcredit.models.common.ApiModel), this module the words."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from dualcredit.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    Unavailable,
)
from dualcredit.models.common import FIELD_LABEL, ErrorBody, FieldError
from dualcredit.observability import logger

STATUS = {
    InvalidInput: 400,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooManyRequests: 429,
    Unavailable: 503,
}

#: Pydantic's error types, in plain words about the field.
WORDS = {
    "missing": "is required",
    "extra_forbidden": "is not a field this form accepts",
    "json_invalid": "is not valid JSON",
    "date_type": "must be a date",
    "date_parsing": "must be a date",
    "date_from_datetime_parsing": "must be a date",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
}

#: Words about a field ("is required", "must be a date") follow the field's name.
_ABOUT_THE_FIELD = re.compile(r"(is|must|should|has|cannot) ", re.IGNORECASE)


def _answer(status: int, body: ErrorBody) -> Response[str]:
    return Response(
        status_code=status, content_type=content_types.APPLICATION_JSON, body=body.model_dump_json()
    )


def _field(location: Sequence[str | int]) -> str:
    """("body", "mailing_address", "postal_code") -> "mailing_address.postal_code";
    query and path parameters keep their source: "query.school_year"."""
    parts = [str(p) for p in location]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


def _words(error: Mapping[str, Any]) -> str:
    """What is wrong with the field, without its name: "is required"."""
    kind = str(error.get("type", ""))
    context: Mapping[str, Any] = error.get("ctx") or {}
    if kind in WORDS:
        return WORDS[kind]
    if kind == "string_too_short" and context.get("min_length") == 1:
        return "is required"
    if kind == "greater_than_equal":
        return f"must be at least {_number(context['ge'])}"
    if kind == "less_than_equal":
        return f"must be at most {_number(context['le'])}"
    return str(error.get("msg") or "is not valid").removeprefix("Value error, ")


def _number(bound: object) -> str:
    """A bound as pydantic shows it: 30.0 -> "30"."""
    return str(int(bound)) if isinstance(bound, float) and bound.is_integer() else str(bound)


def _message(error: Mapping[str, Any]) -> str:
    """The field's message as its page shows it: "Legal first name is required"."""
    words = _words(error)
    label = (error.get("ctx") or {}).get(FIELD_LABEL)
    return f"{label} {words}" if label and _ABOUT_THE_FIELD.match(words) else words


def _invalid_request(error: RequestValidationError) -> Response[str]:
    found = [(_field(e.get("loc", ())), e) for e in error.errors()]
    fields = [FieldError(field=field, message=_message(e)) for field, e in found]
    summary = "; ".join(f"{field} {_words(e)}" for field, e in found[:3])
    return _answer(
        422,
        ErrorBody(code="validation_error", message=f"Check the form: {summary}.", errors=fields),
    )


def _domain_error(error: DomainError) -> Response[str]:
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
    errors = [FieldError(field=field, message=message) for field, message in error.errors]
    logger.info("request refused", extra={"code": error.code, "status": status})
    return _answer(status, ErrorBody(code=error.code, message=error.message, errors=errors))


def register_error_handlers(app: APIGatewayRestResolver) -> None:
    app.exception_handler(RequestValidationError)(_invalid_request)
    app.exception_handler(DomainError)(_domain_error)
