"""The per-school-year window record: a staff extension of the close date, and what the
scheduled jobs did (opened, announced, closed, summarized), each with its date."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit


class StaleRecord(Exception):
    """The window record changed since it was read (staff, or a scheduled job)."""


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
    add_audit(
        txn, entity_pk=pk, action="window.extended", actor=actor, at=at, before=before, after=after
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise StaleRecord(pk) from cancelled
    return after


SCHEDULER = Actor(user_id="scheduler", role="scheduler")


def mark(school_year: str, step: str, on: str, *, at: datetime) -> bool:
    """Record that a scheduled step (opened, announced, closed, summarized) happened for
    the window ending or starting `on`; True if this call recorded it, False if it was
    already recorded for that date (a rerun).

    Keyed by the date so that a close recorded before staff extended the window again
    does not count as the close of the extended window. The version goes up, so a staff
    extension read before this write cannot overwrite it.
    """
    pk = keys.window_pk(school_year)
    txn = dynamo.Transaction()
    txn.update(
        pk,
        keys.META_SK,
        expression=(
            f"SET {step}_on = :on, {step}_at = :at, #type = :type, school_year = :year, "
            "version = if_not_exists(version, :zero) + :one"
        ),
        condition=f"attribute_not_exists({step}_on) OR {step}_on <> :on",
        names={"#type": "type"},
        values={
            ":on": on,
            ":at": at.isoformat(),
            ":type": "window",
            ":year": school_year,
            ":zero": 0,
            ":one": 1,
        },
    )
    add_audit(
        txn,
        entity_pk=pk,
        action=f"window.{step}",
        actor=SCHEDULER,
        at=at,
        before=None,
        after={"school_year": school_year, f"{step}_on": on},
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled:
        return False
    return True
