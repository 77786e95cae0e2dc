"""Grade import: schools post grades (rows or their information system's CSV export)
and staff export the credit earned for the colleges, behind API Gateway's Cognito
authorizer; and the large grade files uploaded to S3 (the bucket's events). Separate
from the registration API so each imports only its own routes."""

from dualcredit import coldstart  # first: the collector paused while the modules load

# isort: split
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from dualcredit import clock
from dualcredit.http.app import build_resolver, grade_routers
from dualcredit.logic import grade_files
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
    records = event.get("Records")
    if isinstance(records, list) and records and "s3" in records[0]:
        return _files(records)
    return app.resolve(event, context)


def _files(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The grade-files bucket's events: each uploaded file imported (logic.grade_files)."""
    imported = 0
    for record in records:
        key = unquote_plus(record["s3"]["object"]["key"])
        grade_files.run(key, clock.now())
        imported += 1
    return {"imported": imported}


coldstart.loaded()  # last: what the import made frozen, the collector back on
