"""Stripe's webhook: the raw body's signature is the only authentication.

A forged, stale or malformed request gets 400 and nothing is written. Each event
is processed once per event id (logic.stripe_processing.process_event: Powertools
idempotency on the same table, shared with the daily reconciliation); the processing
itself is also safe to repeat, so a retry after a failure converges.
"""

from dualcredit import coldstart  # first: the collector paused while the modules load

# isort: split
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from dualcredit import snapstart
from dualcredit.dal import idempotency, secrets, stripe_gateway
from dualcredit.dal.idempotency import InProgress
from dualcredit.logic.stripe_processing import process_event
from dualcredit.observability import logger, metrics, tracer


def _warm() -> None:
    """What the first event loads (SnapStart's before-snapshot hook): the stripe library,
    the idempotency utility and its persistence layer, Powertools Parameters."""
    stripe_gateway.prepare()
    idempotency.prepare()
    secrets.prepare()


snapstart.register(services=("dynamodb", "ssm", "sesv2"), warm=_warm)


def _answer(status: int, body: str) -> dict[str, Any]:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": body}


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True
)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    try:
        stripe_event = stripe_gateway.verify_event(
            event.get("body") or "", headers.get("stripe-signature")
        )
    except stripe_gateway.InvalidSignature as error:
        logger.warning("webhook refused", extra={"reason": str(error)})
        metrics.add_metric(name="WebhookRefused", unit="Count", value=1)
        return _answer(400, '{"message": "Invalid signature or payload."}')
    try:
        result = process_event(stripe_event, context).result
    except InProgress:
        return _answer(409, '{"message": "This event is being processed; retry later."}')
    logger.info("stripe event handled", extra={"outcome": result["outcome"]})
    return _answer(200, '{"received": true}')


coldstart.loaded()  # last: what the import made frozen, the collector back on
