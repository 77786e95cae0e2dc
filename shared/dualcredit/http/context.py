"""What a route needs from the request beyond its parameters."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from dualcredit.logic.caller import Caller, caller_from_claims


def caller(router: Router) -> Caller:
    """The caller from the Cognito authorizer's claims; anonymous on public routes."""
    authorizer = router.current_event.request_context.authorizer
    return caller_from_claims(authorizer.claims if authorizer else None)


def client_address(router: Router) -> str:
    return router.current_event.request_context.identity.source_ip or "unknown"
