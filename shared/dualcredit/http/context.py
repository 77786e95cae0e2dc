"""What a route needs from the request beyond its parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from aws_lambda_powertools.event_handler.api_gateway import Router

from dualcredit.i18n import Language, language_of
from dualcredit.logic import college_users, school_users
from dualcredit.logic.caller import Caller, caller_from_claims

if TYPE_CHECKING:  # the data classes package is not loaded on a cold start
    from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent


def _event(router: Router) -> APIGatewayProxyEvent:
    # The REST resolver's events are API Gateway proxy events.
    return cast("APIGatewayProxyEvent", router.current_event)


def caller(router: Router) -> Caller:
    """The caller from the Cognito authorizer's claims; anonymous on public routes. A
    school user is as their record has them now (refused once removed, at the school
    they were moved to), whatever their still-valid token says; a college registrar is
    tied to the college their record names."""
    authorizer = _event(router).request_context.authorizer
    claimed = caller_from_claims(authorizer.claims if authorizer else None)
    return college_users.current(school_users.current(claimed))


def client_address(router: Router) -> str:
    return _event(router).request_context.identity.source_ip or "unknown"


def request_language(router: Router) -> Language:
    """The language the request's `Accept-Language` asks for (the pages send theirs)."""
    # Powertools' event headers are case-insensitive.
    return language_of(_event(router).headers.get("accept-language"))


def in_request_language(router: Router, text: str) -> str:
    """An English message a route answers with (a `Message`), in the request's language
    (dualcredit.messages: its catalog is read only for a language other than English)."""
    language = request_language(router)
    if language == "en":
        return text
    from dualcredit import messages

    return messages.say(text, language)
