"""The registration API: every browser route, behind API Gateway's Cognito authorizer."""

from dualcredit import coldstart  # first: the collector paused while the modules load

# isort: split
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from dualcredit import snapstart
from dualcredit.dal import idempotency
from dualcredit.http.app import build_resolver
from dualcredit.observability import logger, metrics, tracer
from dualcredit.settings import get_settings

get_settings()  # fail the cold start, not a request, on a bad environment
app = build_resolver()
# SnapStart: every route's validation built before the snapshot (the OpenAPI schema
# walks each route's parameters and models), the table's and SES's clients made.
snapstart.register(services=("dynamodb", "sesv2"), warm=app.get_openapi_schema)


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True
)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    idempotency.use_context(context)  # a session settled from the success page
    return app.resolve(event, context)


coldstart.loaded()  # last: what the import made frozen, the collector back on
