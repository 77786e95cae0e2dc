"""A parent's or guardian's stop link: one item per token naming the student, written and
removed in the profile's own transactions, and the stop itself."""

from __future__ import annotations

from datetime import datetime

from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit
from dualcredit.dal.records import ProfileRecord


def add_stop_link(txn: dynamo.Transaction, token: str, student_id: str, at: datetime) -> None:
    txn.put(
        {
            "PK": keys.guardian_stop_pk(token),
            "SK": keys.GUARDIAN_STOP_SK,
            "type": "guardian_stop",
            "student_id": student_id,
            "created_at": at.isoformat(),
        },
        condition="attribute_not_exists(PK)",
    )


def remove_stop_link(txn: dynamo.Transaction, token: str) -> None:
    txn.delete(keys.guardian_stop_pk(token), keys.GUARDIAN_STOP_SK)


def profile_of_token(token: str) -> ProfileRecord | None:
    """The profile whose current stop link holds `token`, or None (no such link, or the
    guardian's email changed since: the old link is no longer in use)."""
    item = dynamo.get_item(keys.guardian_stop_pk(token), keys.GUARDIAN_STOP_SK)
    if item is None:
        return None
    profile = dynamo.get_item(keys.student_pk(item["student_id"]), keys.PROFILE_SK)
    if profile is None or profile.get("guardian_token") != token:
        return None
    return ProfileRecord.of_item(profile)


def stop_copies(profile: ProfileRecord, *, actor: Actor, at: datetime) -> bool:
    """Turn the guardian's copies off if `profile` still has this token; False when the
    link changed meanwhile. Stopping twice writes once."""
    if not profile.guardian_copies:
        return True
    pk = keys.student_pk(profile.student_id)
    txn = dynamo.Transaction()
    txn.update(
        pk,
        keys.PROFILE_SK,
        expression="SET guardian_copies = :off",
        values={":off": False, ":token": profile.guardian_token},
        condition="guardian_token = :token",
    )
    add_audit(
        txn,
        entity_pk=pk,
        action="student.guardian_copies_stopped",
        actor=actor,
        at=at,
        before={"guardian_copies": True},
        after={"guardian_copies": False},
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled:
        return False
    return True
