"""Fixed-window request counters that expire through the table's TTL."""

from __future__ import annotations

from datetime import datetime, timedelta

from dualcredit.dal import dynamo, keys


def take(limits: list[tuple[str, str, int]], *, at: datetime, window: timedelta) -> bool:
    """Count one request against each (kind, subject, limit); False if any is spent.

    One transaction, so a refused request does not use up the other counters.
    """
    bucket = int(at.timestamp() // window.total_seconds())
    expires = int(at.timestamp() + 2 * window.total_seconds())
    txn = dynamo.Transaction()
    for kind, subject, limit in limits:
        txn.update(
            keys.throttle_pk(kind, subject),
            str(bucket),
            expression="ADD hits :one SET expires_at = :expires",
            condition="attribute_not_exists(hits) OR hits < :limit",
            values={":one": 1, ":expires": expires, ":limit": limit},
        )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled:
        return False
    return True


def spent(kind: str, subject: str, limit: int, *, at: datetime, window: timedelta) -> bool:
    """Whether (kind, subject) has used up `limit` in the current window, without counting
    anything: for limits that count only some requests (failures), checked first and
    `take`n only when the request turns out to count. One GetItem."""
    bucket = int(at.timestamp() // window.total_seconds())
    item = dynamo.get_item(keys.throttle_pk(kind, subject), str(bucket), consistent=True)
    return item is not None and int(item.get("hits", 0)) >= limit
