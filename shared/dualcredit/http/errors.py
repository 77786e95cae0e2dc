"""Errors become HTTP answers here, once, from their types (never their text)."""

from __future__ import annotations

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
from dualcredit.models.common import ErrorBody, FieldError
from dualcredit.observability import logger

STATUS = {
    InvalidInput: 400,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    TooManyRequests: 429,
    Unavailable: 503,
}


def _answer(status: int, body: ErrorBody) -> Response:
    return Response(
        status_code=status, content_type=content_types.APPLICATION_JSON, body=body.model_dump_json()
    )


def _field(location: tuple) -> str:
    """("body", "mailing_address", "postal_code") -> "mailing_address.postal_code";
    query and path parameters keep their source: "query.school_year"."""
    parts = [str(p) for p in location]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


def _plain(error: dict) -> str:
    if error.get("type") == "missing":
        return "is required"
    if error.get("type") == "extra_forbidden":
        return "is not a field this form accepts"
    if error.get("type") == "json_invalid":
        return "is not valid JSON"
    message = str(error.get("msg", "is not valid"))
    return message.removeprefix("Value error, ")


def register_error_handlers(app: APIGatewayRestResolver) -> None:
    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response:
        fields = [
            FieldError(field=_field(e.get("loc", ())), message=_plain(e)) for e in error.errors()
        ]
        summary = "; ".join(f"{f.field} {f.message}" for f in fields[:3])
        return _answer(
            422,
            ErrorBody(
                code="validation_error", message=f"Check the form: {summary}.", errors=fields
            ),
        )

    @app.exception_handler(DomainError)
    def _domain(error: DomainError) -> Response:
        status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
        errors = [FieldError(field=field, message=message) for field, message in error.errors]
        logger.info("request refused", extra={"code": error.code, "status": status})
        return _answer(status, ErrorBody(code=error.code, message=error.message, errors=errors))
