"""Grade import: schools post grades (rows or their information system's CSV export)
and staff export the credit earned for the colleges, behind API Gateway's Cognito
authorizer. Separate from the registration API so each imports only its own routes."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from dualcredit.http.app import build_resolver, grade_routers
from dualcredit.observability import logger, metrics, tracer
from dualcredit.settings import get_settings

get_settings()  # fail the cold start, not a request, on a bad environment
app = build_resolver(grade_routers())


@logger.inject_lambda_context(
    correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True
)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
