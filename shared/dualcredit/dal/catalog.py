"""Schools, articulated college courses and per-year offerings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit

NOT_EXISTS = "attribute_not_exists(PK)"


class AlreadyExists(Exception):
    pass


class StaleRecord(Exception):
    pass


def create(kind: str, item: dict[str, Any], *, actor: Actor, at: datetime) -> dict[str, Any]:
    """Insert a new catalog record with its audit record; `item` carries PK and list keys."""
    record = {"SK": keys.META_SK, "type": kind, "version": 1, "created_at": at.isoformat(), **item}
    txn = dynamo.Transaction()
    txn.put(record, condition=NOT_EXISTS)
    add_audit(
        txn,
        entity_pk=record["PK"],
        action=f"{kind}.created",
        actor=actor,
        at=at,
        before=None,
        after=record,
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise AlreadyExists(record["PK"]) from cancelled
    return record


def replace(
    kind: str, before: dict[str, Any], after: dict[str, Any], *, actor: Actor, at: datetime
) -> dict[str, Any]:
    """Write `after` over `before` only if nobody changed it in between."""
    record = {
        **after,
        "SK": keys.META_SK,
        "version": before["version"] + 1,
        "updated_at": at.isoformat(),
    }
    txn = dynamo.Transaction()
    txn.put(record, condition="version = :expected", values={":expected": before["version"]})
    add_audit(
        txn,
        entity_pk=record["PK"],
        action=f"{kind}.updated",
        actor=actor,
        at=at,
        before=before,
        after=record,
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise StaleRecord(record["PK"]) from cancelled
    return record


def get(pk: str) -> dict[str, Any] | None:
    return dynamo.get_item(pk, keys.META_SK)


def get_school(school_id: str) -> dict[str, Any] | None:
    return get(keys.school_pk(school_id))


def get_many(pks: Iterable[str]) -> dict[str, dict[str, Any]]:
    return {
        pk: item for (pk, _), item in dynamo.batch_get((pk, keys.META_SK) for pk in pks).items()
    }


# --- the list each kind of record appears in (GSI1) ---


def school_item(school_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "PK": keys.school_pk(school_id),
        "GSI1PK": keys.SCHOOLS_INDEX_PK,
        "GSI1SK": keys.catalog_sort(fields["name"], school_id),
        "school_id": school_id,
        **fields,
    }


def college_course_item(course_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "PK": keys.college_course_pk(course_id),
        "GSI1PK": keys.COLLEGE_COURSES_INDEX_PK,
        "GSI1SK": keys.catalog_sort(f"{fields['college']} {fields['course_code']}", course_id),
        "course_id": course_id,
        **fields,
    }


def offering_item(offering_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "PK": keys.offering_pk(offering_id),
        "GSI1PK": keys.school_year_offerings_gsi(fields["school_id"], fields["school_year"]),
        "GSI1SK": keys.catalog_sort(fields["high_school_course"], offering_id),
        "offering_id": offering_id,
        **fields,
    }


def school_user_item(user_id: str, email: str, school_id: str, at: datetime) -> dict[str, Any]:
    """A school user's record, listed under their school."""
    return {
        "PK": keys.school_user_pk(user_id),
        "GSI1PK": keys.school_users_gsi(school_id),
        "GSI1SK": keys.school_user_sort(email, user_id),
        "user_id": user_id,
        "email": email.lower(),
        "school_id": school_id,
        "invited_at": at.isoformat(),
    }


def college_user_item(user_id: str, email: str, college: str, at: datetime) -> dict[str, Any]:
    """A college registrar's record, listed under their college."""
    return {
        "PK": keys.college_user_pk(user_id),
        "GSI1PK": keys.college_users_gsi(college),
        "GSI1SK": keys.school_user_sort(email, user_id),
        "user_id": user_id,
        "email": email.lower(),
        "college": college,
        "invited_at": at.isoformat(),
    }


def _list(gsi_pk: str) -> list[dict[str, Any]]:
    return dynamo.query(index="GSI1", pk_name="GSI1PK", pk=gsi_pk)


def list_schools() -> list[dict[str, Any]]:
    return _list(keys.SCHOOLS_INDEX_PK)


def list_college_courses() -> list[dict[str, Any]]:
    return _list(keys.COLLEGE_COURSES_INDEX_PK)


def list_offerings(school_id: str, school_year: str) -> list[dict[str, Any]]:
    return _list(keys.school_year_offerings_gsi(school_id, school_year))


def list_school_users(school_id: str) -> list[dict[str, Any]]:
    return _list(keys.school_users_gsi(school_id))


def list_college_users(college: str) -> list[dict[str, Any]]:
    return _list(keys.college_users_gsi(college))
