"""The per-school-year window record: a staff extension of the close date."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit


def get(school_year: str) -> dict[str, Any] | None:
    return dynamo.get_item(keys.window_pk(school_year), keys.META_SK)


def set_close_date(
    school_year: str, closes_on: str, *, before: dict[str, Any] | None, actor: Actor, at: datetime
) -> dict[str, Any]:
    pk = keys.window_pk(school_year)
    after = {
        **(before or {"PK": pk, "SK": keys.META_SK, "type": "window", "school_year": school_year}),
        "close_override": closes_on,
        "extended_by": actor.user_id,
        "extended_at": at.isoformat(),
        "version": (before or {}).get("version", 0) + 1,
    }
    txn = dynamo.Transaction()
    if before is None:
        txn.put(after, condition="attribute_not_exists(PK)")
    else:
        txn.put(after, condition="version = :expected", values={":expected": before["version"]})
    add_audit(txn, entity_pk=pk, action="window.extended", actor=actor, at=at, before=before, after=after)
    dynamo.transact(txn)
    return after
