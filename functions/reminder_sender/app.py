"""Sends the reminder queue's emails: one SQS batch per invocation, at most one email per
(reminder, student). Records that fail are reported back (ReportBatchItemFailures), so SQS
delivers only those again; the rest of the batch is done.
"""

from dualcredit import coldstart  # first: the collector paused while the modules load

# isort: split
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from dualcredit import clock
from dualcredit.logic.reminders import grading
from dualcredit.logic.reminders.sending import BatchOutcome, send_batch
from dualcredit.observability import logger, metrics, tracer
from dualcredit.settings import get_settings

get_settings()  # fail the cold start, not a batch, on a bad environment
# Not raising when every record failed: the failures are reported like partial ones (SQS
# retries them) and no exception text, which can quote an address, reaches the logs.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    records = [(r["messageId"], r["body"]) for r in event.get("Records", [])]
    # School users' grading reminders (one email each, its own list) go their own way.
    at = clock.now()
    by_kind = [r for r in records if grading.is_grading(r[1])]
    batch = BatchOutcome(
        {
            **send_batch([r for r in records if not grading.is_grading(r[1])], at).outcomes,
            **grading.send_batch(by_kind, at).outcomes,
        }
    )

    def send(record: SQSRecord) -> str:
        return batch.deliver(record.message_id)

    return dict(
        process_partial_response(
            event=event, record_handler=send, processor=processor, context=context
        )
    )


coldstart.loaded()  # last: what the import made frozen, the collector back on
