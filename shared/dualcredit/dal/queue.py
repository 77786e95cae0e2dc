"""SQS fan-out: messages to the reminder queue, ten per SendMessageBatch request."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from dualcredit.dal.aws import client

#: SQS's limit of entries per SendMessageBatch request.
BATCH_LIMIT = 10
#: Entries SQS refused in a batch (throttled, internal error) are sent again this often.
ENTRY_ATTEMPTS = 3


class NotEnqueued(Exception):
    """SQS kept refusing some entries of a batch."""


def send_batch(queue_url: str, bodies: list[dict[str, Any]]) -> None:
    """Send up to ten JSON messages in one request; entries SQS refuses are retried."""
    if len(bodies) > BATCH_LIMIT:
        raise ValueError(f"at most {BATCH_LIMIT} messages per batch")
    pending = {str(i): json.dumps(body, separators=(",", ":")) for i, body in enumerate(bodies)}
    for _ in range(ENTRY_ATTEMPTS):
        if not pending:
            return
        response = client("sqs").send_message_batch(
            QueueUrl=queue_url,
            Entries=[{"Id": entry_id, "MessageBody": body} for entry_id, body in pending.items()],
        )
        failed = {entry["Id"] for entry in response.get("Failed", [])}
        pending = {entry_id: body for entry_id, body in pending.items() if entry_id in failed}
    if pending:
        raise NotEnqueued(f"{len(pending)} messages refused by SQS")


def send_all(queue_url: str, bodies: Iterable[dict[str, Any]]) -> int:
    """Send every message, in full batches of ten; returns how many were sent."""
    sent = 0
    for batch in _batches(bodies):
        send_batch(queue_url, batch)
        sent += len(batch)
    return sent


def _batches(bodies: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for body in bodies:
        batch.append(body)
        if len(batch) == BATCH_LIMIT:
            yield batch
            batch = []
    if batch:
        yield batch
