"""How a route's body is read, once for every route that takes one (a pydantic model).

Powertools' request validation reads the body by its Content-Type: JSON, and also
form-encoded and multipart bodies, whose parser raises a bare ValueError (a 502) on a
multipart type without a boundary; and a JSON text nested deeper than the parser's
recursion limit raises RecursionError (a 502 too). Here a route that takes a body reads
JSON only, and what cannot be read is the caller's mistake:

- a body whose media type is not `application/json` (any case, parameters such as a
  charset allowed) is a 415, which also keeps cross-site form posts (form-encoded,
  multipart, text/plain) from reaching a route;
- a body that is not JSON (malformed, nested too deep, not UTF-8) is a 400.

An empty body is read as no body, whatever its type, so the model says which fields
are required (a 422)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
    OpenAPIRequestValidationMiddleware,
)

from dualcredit.errors import InvalidInput, UnsupportedMediaType

JSON_MEDIA_TYPE = "application/json"

NOT_JSON = "Send the request body as JSON, with the header Content-Type: application/json."
UNREADABLE = "The request body is not valid JSON."


def media_type(content_type: str | None) -> str:
    """'Application/JSON; charset=UTF-8' -> 'application/json'."""
    return (content_type or "").split(";", 1)[0].strip().lower()


class JsonBodyValidation(OpenAPIRequestValidationMiddleware):
    """Powertools' request validation, with the body read as described above."""

    def _get_body(self, app: Any) -> Any:
        event = app.current_event
        if not event.body:
            return None
        if media_type(event.headers.get("content-type")) != JSON_MEDIA_TYPE:
            raise UnsupportedMediaType(NOT_JSON)
        try:
            return event.json_body
        except (ValueError, RecursionError):
            # ValueError: JSONDecodeError, a body not in UTF-8 (UnicodeDecodeError) or
            # bad base64 (binascii.Error); RecursionError: nested deeper than the parser
            # goes (about 1,000 levels).
            raise InvalidInput(UNREADABLE, field="body", code="invalid_json") from None


def read_json_bodies(app: APIGatewayRestResolver) -> None:
    """Make `app` (built with enable_validation=True) read route bodies as JSON only.

    Powertools keeps its request validation middleware in a private attribute, run
    first for every validated route; it is replaced by the subclass above, the one
    change to how Powertools validates. tests/integration/test_input_hardening.py fails
    if a Powertools upgrade stops honouring it."""
    if not hasattr(app, "_request_validation_middleware"):
        raise RuntimeError("Powertools' request validation middleware was not found")
    app._request_validation_middleware = JsonBodyValidation()  # type: ignore[no-untyped-call]
