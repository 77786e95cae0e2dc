"""Audit records: who did what to which record, when, with before and after.

Each is written in the same transaction as the change it describes, so a change
without its audit record (or the reverse) cannot exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dualcredit.dal import dynamo, keys


@dataclass(frozen=True)
class Actor:
    user_id: str
    role: str


def add_audit(
    txn: dynamo.Transaction,
    *,
    entity_pk: str,
    action: str,
    actor: Actor,
    at: datetime,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    txn.put(
        {
            "PK": keys.audit_pk(entity_pk),
            "SK": keys.audit_sk(at.isoformat(), uuid.uuid4().hex),
            "type": "audit",
            "entity": entity_pk,
            "action": action,
            "actor_id": actor.user_id,
            "actor_role": actor.role,
            "at": at.isoformat(),
            "before": None if before is None else dynamo.without_keys(before),
            "after": None if after is None else dynamo.without_keys(after),
        }
    )


def history(entity_pk: str) -> list[dict[str, Any]]:
    return dynamo.query(pk=keys.audit_pk(entity_pk), forward=False)
