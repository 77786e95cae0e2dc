"""Errors become HTTP answers here, once, from their types (never their text).

This is the one place that turns errors into words. A field's message names the
field as its page does ("Legal first name is required"): the models give each
field's label (dualcredit.models.common.ApiModel), this module the words. Every
answer is in the request's language (Accept-Language, dualcredit.i18n): the words
are written in English where they are raised, and said in Spanish from the server's
catalog (dualcredit.messages), labels and phrases each on their own ("El campo
«Nombre legal» es obligatorio")."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from pydantic_core import PydanticKnownError

from dualcredit.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    Unavailable,
    UnknownReference,
    UnsupportedMediaType,
)
from dualcredit.http.body import JSON_MEDIA_TYPE
from dualcredit.http.params import PARAMETER_LABELS
from dualcredit.i18n import Language, language_of
from dualcredit.models.common import FIELD_LABEL, ErrorBody, FieldError
from dualcredit.observability import logger
from dualcredit.rules import RuleError

STATUS = {
    InvalidInput: 400,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    UnknownReference: 422,
    UnsupportedMediaType: 415,
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
    "date_from_datetime_inexact": "must be a date",
    "datetime_type": "must be a date and time",
    "datetime_parsing": "must be a date and time",
    "literal_error": "is not one of the choices",
    "enum": "is not one of the choices",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a number",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be an object of fields",
    "model_attributes_type": "must be an object of fields",
    "dict_type": "must be an object of fields",
}

#: Words about a field ("is required", "must be a date") follow the field's name.
_ABOUT_THE_FIELD = re.compile(r"(is|must|should|has|cannot) ", re.IGNORECASE)


def _answer(status: int, body: ErrorBody, language: Language) -> Response[str]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=body.model_dump_json(),
        headers={"Content-Language": language, "Vary": "Accept-Language"},
    )


def _say(text: str, language: Language) -> str:
    """An English message in `language` (dualcredit.messages, imported and read on the
    first message said in another language: an English request pays nothing for it); in
    English when its catalog lacks it, which tests/unit/test_server_messages.py prevents."""
    if language == "en":
        return text
    from dualcredit import messages

    said = messages.say(text, language)
    if said == text and not messages.has_words(text, language):
        logger.warning("a message has no words in its language", extra={"language": language})
    return said


def _phrase(shape: str, language: Language, **values: str) -> str:
    """One of the shapes this module fills ("Check the form: {summary}.") in `language`."""
    if language == "en":
        return shape.format_map(values)
    from dualcredit import messages

    return messages.phrase(shape, language, **values)


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
    if kind == "greater_than":
        return f"must be more than {_number(context['gt'])}"
    if kind == "less_than":
        return f"must be less than {_number(context['lt'])}"
    if kind == "string_too_long":
        return f"must be at most {context['max_length']} characters"
    if kind == "too_long":
        return f"must have at most {context['max_length']} entries"
    if kind == "too_short":
        return f"must have at least {context['min_length']} entries"
    said = str(error.get("msg") or "")
    if not said or (kind != "value_error" and said == _library_words(kind, context)):
        return "is not valid"  # pydantic's own words ("String should match pattern ...")
    return said.removeprefix("Value error, ")


def _library_words(kind: str, context: Mapping[str, Any]) -> str | None:
    """Pydantic's own message for an error of `kind` (a `worded(...)` one differs)."""
    try:
        return PydanticKnownError(kind, {**context}).message()  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        return None


def _number(bound: object) -> str:
    """A bound as pydantic shows it: 30.0 -> "30"."""
    return str(int(bound)) if isinstance(bound, float) and bound.is_integer() else str(bound)


def _message(error: Mapping[str, Any], language: Language) -> tuple[str, bool]:
    """The field's message as its page shows it ("Legal first name is required"), and
    whether it is words about a field that has no label ("is required")."""
    words = _words(error)
    label = (error.get("ctx") or {}).get(FIELD_LABEL) or _parameter_label(error.get("loc", ()))
    about = bool(_ABOUT_THE_FIELD.match(words))
    if not (label and about):
        return _say(words, language), about
    if language == "en":
        return f"{label} {words}", False
    shape = _phrase(
        "{label} {words}", language, label=_say(label, language), words=_say(words, language)
    )
    return shape, False


def _parameter_label(location: Sequence[str | int]) -> str | None:
    """A query or path parameter's name on the page: ("path", "school_year") -> "School year"."""
    if len(location) == 2 and location[0] in ("path", "query"):
        return PARAMETER_LABELS.get(str(location[1]))
    return None


def _invalid_request(error: RequestValidationError, language: Language = "en") -> Response[str]:
    found = [(_field(e.get("loc", ())), _message(e, language)) for e in error.errors()]
    fields = [FieldError(field=field, message=message) for field, (message, _) in found]
    summary = "; ".join(
        # Words without their field's name ("is required") get the field's key.
        (
            _phrase("{field} {words}", language, field=field, words=message) if bare else message
        ).rstrip(".")
        for field, (message, bare) in found[:3]
    )
    text = _phrase("Check the form: {summary}.", language, summary=summary)
    return _answer(422, ErrorBody(code="validation_error", message=text, errors=fields), language)


def _domain_error(error: DomainError, language: Language = "en") -> Response[str]:
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
    errors = [
        FieldError(field=field, message=_say(message, language)) for field, message in error.errors
    ]
    logger.info("request refused", extra={"code": error.code, "status": status})
    body = ErrorBody(code=error.code, message=_say(error.message, language), errors=errors)
    return _answer(status, body, language)


def _rule_refused(error: RuleError, language: Language = "en") -> Response[str]:
    """A rules-module refusal that reached a route unchecked (a model validator turns the
    ones it meets into a 422): the rule's words, as a 400."""
    return _domain_error(InvalidInput(str(error), code="rule_refused"), language)


def _no_route(_: NotFoundError, language: Language = "en") -> Response[str]:
    """A request API Gateway routed here that no route's pattern matches: Powertools'
    patterns take fewer characters than API Gateway's (no control or non-ASCII
    characters in a path parameter). Its own answer is not the error shape."""
    return _domain_error(
        NotFound("There is nothing at this address.", code="no_such_path"), language
    )


def register_error_handlers(app: APIGatewayRestResolver) -> None:
    """Each error answered in the request's language (its Accept-Language header)."""

    def in_language[E: Exception](
        answer: Callable[[E, Language], Response[str]],
    ) -> Callable[[E], Response[str]]:
        def answer_in_language(error: E) -> Response[str]:
            return answer(error, language_of(app.current_event.headers.get("accept-language")))

        return answer_in_language

    app.not_found(in_language(_no_route))
    app.exception_handler(RequestValidationError)(in_language(_invalid_request))
    app.exception_handler(DomainError)(in_language(_domain_error))
    app.exception_handler(RuleError)(in_language(_rule_refused))


#: What each error status an operation may answer means, for the OpenAPI document.
ERROR_STATUSES = {
    "400": "The request breaks a rule, or its body is not JSON",
    "401": "No valid Cognito ID token (API Gateway's authorizer answers, before the handler)",
    "403": (
        "The caller may not do this, or not to this record (the error body); or the web "
        "application firewall blocked the request (API Gateway's body)"
    ),
    "404": "A record the request names does not exist (or is not the caller's)",
    "409": "The request conflicts with what is stored (a duplicate, a changed record)",
    "415": "The body is not application/json",
    "422": "A field or parameter is missing or malformed; `errors` names each one",
    "429": "Too many requests of this kind; try again later",
    "503": "A service the request needs is busy; try again",
}
#: The statuses a domain error (STATUS) may answer from any operation: the logic and data
#: layers raise them, and any route may reach them.
DOMAIN_STATUSES = sorted(
    str(code) for kind, code in STATUS.items() if kind is not UnsupportedMediaType
)
#: API Gateway's own answer body ({"message": "Unauthorized"}).
GATEWAY_ERROR_SCHEMA = {
    "title": "GatewayError",
    "type": "object",
    "properties": {"message": {"type": "string"}},
    "required": ["message"],
}
#: The Cognito ID token API Gateway's authorizer reads from the Authorization header.
SECURITY_SCHEME = "CognitoIdToken"


def document_errors(
    spec: dict[str, Any], public: Collection[tuple[str, str]] = ()
) -> dict[str, Any]:
    """Declare, on each operation of the OpenAPI document `spec`, every error status it
    may answer, from the mechanisms that answer them:

    - the domain errors' statuses (STATUS: 400, 403, 404, 409, 429, 503), on every
      operation, with the ErrorBody shape (403 also with API Gateway's: the web
      application firewall's block);
    - 422 where the operation takes input, 415 where it takes a JSON body
      (dualcredit.http.body; a CSV upload reads its body raw), with the ErrorBody shape;
    - on each operation not in `public` (("GET", "/schools"), as the template's
      `Auth: NONE` routes), the Cognito ID token it needs and API Gateway's 401.

    A status a route declares itself (`responses=`) is kept."""
    components = spec.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    error_schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(error_schema.pop("$defs", {}))
    schemas["ErrorBody"] = error_schema
    schemas["GatewayError"] = GATEWAY_ERROR_SCHEMA
    components["securitySchemes"] = {
        SECURITY_SCHEME: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            takes_body = "requestBody" in operation
            takes_json = JSON_MEDIA_TYPE in operation.get("requestBody", {}).get("content", {})
            statuses = list(DOMAIN_STATUSES)
            statuses += ["422"] if takes_body or operation.get("parameters") else []
            statuses += ["415"] if takes_json else []
            responses = operation.setdefault("responses", {})
            if "422" in responses and "HTTPValidationError" in str(responses["422"]):
                del responses["422"]  # Powertools' own shape, which this API never answers
            for status in statuses:
                names = ("ErrorBody", "GatewayError") if status == "403" else ("ErrorBody",)
                responses.setdefault(status, _error_response(ERROR_STATUSES[status], *names))
            if (method.upper(), path) not in public:
                operation["security"] = [{SECURITY_SCHEME: []}]
                answer = _error_response(ERROR_STATUSES["401"], "GatewayError")
                responses.setdefault("401", answer)
            operation["responses"] = dict(sorted(responses.items()))
    if "HTTPValidationError" not in str(spec["paths"]):
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
    return spec


def _error_response(description: str, *schema_names: str) -> dict[str, Any]:
    """A response of one of the named schemas (ErrorBody when none is named)."""
    refs: list[dict[str, Any]] = [
        {"$ref": f"#/components/schemas/{name}"} for name in schema_names or ("ErrorBody",)
    ]
    schema = refs[0] if len(refs) == 1 else {"anyOf": refs}
    return {"description": description, "content": {"application/json": {"schema": schema}}}
