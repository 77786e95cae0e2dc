"""The per-school-year window record: a staff extension of the close date, and what the
scheduled jobs did (opened, announced, closed, summarized), each with its date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from enum import StrEnum

from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit
from dualcredit.dal.records import WindowRecord


class StaleRecord(Exception):
    """The window record changed since it was read (staff, or a scheduled job)."""


def get(school_year: str) -> WindowRecord:
    """The year's window record (version 0, nothing recorded, when there is none)."""
    return WindowRecord.of_item(
        school_year, dynamo.get_item(keys.window_pk(school_year), keys.META_SK)
    )


def set_close_date(
    before: WindowRecord, closes_on: date, *, actor: Actor, at: datetime
) -> WindowRecord:
    """A staff extension of the close date, if the record is still the version read."""
    pk = keys.window_pk(before.school_year)
    fields = {
        "type": "window",
        "school_year": before.school_year,
        "close_override": closes_on.isoformat(),
        "extended_by": actor.user_id,
        "extended_at": at.isoformat(),
        "version": before.version + 1,
    }
    expression, names, values = dynamo.set_expression(fields)
    if before.version == 0:
        condition = "attribute_not_exists(PK) OR attribute_not_exists(version)"
    else:
        condition = "version = :expected"
        values[":expected"] = before.version
    txn = dynamo.Transaction()
    txn.update(
        pk, keys.META_SK, expression=expression, names=names, values=values, condition=condition
    )
    add_audit(
        txn,
        entity_pk=pk,
        action="window.extended",
        actor=actor,
        at=at,
        before={
            "school_year": before.school_year,
            "version": before.version,
            "close_override": before.close_override.isoformat() if before.close_override else None,
        },
        after=fields,
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise StaleRecord(pk) from cancelled
    return replace(before, version=before.version + 1, close_override=closes_on)


class AlreadyFinalized(Exception):
    """The year's grades were finalized already (by another staff member, or a retry)."""


def get_consistent(school_year: str) -> WindowRecord:
    """The year's window record as last written (a finalization a moment ago is seen)."""
    item = dynamo.get_item(keys.window_pk(school_year), keys.META_SK, consistent=True)
    return WindowRecord.of_item(school_year, item)


def set_grading_deadline(
    before: WindowRecord, deadline: date, *, actor: Actor, at: datetime
) -> WindowRecord:
    """Staff's grading deadline for the year, if the record is still the version read and
    the year is not finalized (StaleRecord otherwise), audited."""
    pk = keys.window_pk(before.school_year)
    fields = {
        "type": "window",
        "school_year": before.school_year,
        "grading_deadline": deadline.isoformat(),
        "version": before.version + 1,
    }
    expression, names, values = dynamo.set_expression(fields)
    if before.version == 0:
        condition = "attribute_not_exists(PK) OR attribute_not_exists(version)"
    else:
        condition = "version = :expected"
        values[":expected"] = before.version
    condition = f"({condition}) AND attribute_not_exists(finalized_at)"
    txn = dynamo.Transaction()
    txn.update(
        pk, keys.META_SK, expression=expression, names=names, values=values, condition=condition
    )
    previous = before.grading_deadline_override
    add_audit(
        txn,
        entity_pk=pk,
        action="grading_deadline.set",
        actor=actor,
        at=at,
        before={
            "school_year": before.school_year,
            "grading_deadline": previous.isoformat() if previous else None,
        },
        after=fields,
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise StaleRecord(pk) from cancelled
    return replace(before, version=before.version + 1, grading_deadline_override=deadline)


def finalize(before: WindowRecord, *, actor: Actor, at: datetime) -> WindowRecord:
    """Record that staff finalized the year's grades, once: AlreadyFinalized when it was
    (the first finalization stands), audited in the same transaction."""
    pk = keys.window_pk(before.school_year)
    txn = dynamo.Transaction()
    txn.update(
        pk,
        keys.META_SK,
        expression=(
            "SET finalized_at = :at, finalized_by = :by, #type = :type, school_year = :year, "
            "version = if_not_exists(version, :zero) + :one"
        ),
        condition="attribute_not_exists(finalized_at)",
        names={"#type": "type"},
        values={
            ":at": at.isoformat(),
            ":by": actor.user_id,
            ":type": "window",
            ":year": before.school_year,
            ":zero": 0,
            ":one": 1,
        },
    )
    add_audit(
        txn,
        entity_pk=pk,
        action="grades.finalized",
        actor=actor,
        at=at,
        before={"school_year": before.school_year, "finalized_at": None},
        after={"school_year": before.school_year, "finalized_at": at.isoformat()},
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise AlreadyFinalized(pk) from cancelled
    return replace(before, version=before.version + 1, finalized_at=at, finalized_by=actor.user_id)


SCHEDULER = Actor(user_id="scheduler", role="scheduler")


class Step(StrEnum):
    """A scheduled job's step, recorded on the window with its date."""

    OPENED = "opened"
    ANNOUNCED = "announced"
    CLOSED = "closed"
    SUMMARIZED = "summarized"


def mark(school_year: str, step: Step, on: str, *, at: datetime) -> bool:
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
