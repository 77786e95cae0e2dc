"""Scheduled jobs, invoked by EventBridge Scheduler with {"action": "open" | "close" |
"remind" | "reconcile" | "grading_remind"}.

The time is the application clock; what each job does is in dualcredit.logic.schedule.
A job that fails part-way raises, so the scheduler's retry (and the next scheduled run)
finishes it; every step is safe to repeat.
"""

from dualcredit import coldstart  # first: the collector paused while the modules load

# isort: split
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from dualcredit import clock
from dualcredit.dal import idempotency
from dualcredit.logic.schedule import run
from dualcredit.observability import logger, metrics, tracer
from dualcredit.settings import get_settings

get_settings()  # fail the cold start, not a run, on a bad environment


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    idempotency.use_context(context)  # the reconciliation's once-per-event records
    result = run(str(event.get("action", "")), clock.now(), event.get("school_year"))
    logger.info("scheduled job done", extra=result)
    return result


coldstart.loaded()  # last: what the import made frozen, the collector back on
