"""Domain errors. The HTTP layer maps each type to a status once (dualcredit.http.errors)."""

from __future__ import annotations


class DomainError(Exception):
    """Base: `code` is stable for clients, `message` is plain words, `field` names the input;
    `errors` names several, as (field, message) pairs (rows of an import)."""

    code = "error"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        errors: list[tuple[str, str]] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ([(field, message)] if field else [])
        if code:
            self.code = code


class InvalidInput(DomainError):
    code = "invalid_input"


class NotFound(DomainError):
    code = "not_found"


class UnknownReference(DomainError):
    """A body names a record that does not exist (a school id in a form): the request
    is malformed, a 422, not a missing address."""

    code = "unknown_reference"


class Forbidden(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    code = "conflict"


class TooManyRequests(DomainError):
    code = "too_many_requests"


class UnsupportedMediaType(DomainError):
    """A body the route cannot read: it takes JSON only (dualcredit.http.body)."""

    code = "unsupported_media_type"


class Unavailable(DomainError):
    """A service we depend on (Stripe, Cognito) did not answer or is throttling us; the
    request can be retried."""

    code = "unavailable"
