"""Reminder claims: one item per (reminder, student), the record that makes each email
go out at most once and the history staff read.

`REMINDER#<year>#<label>` / `STUDENT#<id>`, where the label is the days before the
close ("7") or "open" (registration is open). A sender claims the item with a
conditional write (status "sending" and a lease), then marks it "sent" or "skipped".
A claim whose sender died is taken over once its lease has run out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dualcredit.dal import dynamo, keys

SENDING = "sending"
SENT = "sent"
SKIPPED = "skipped"


@dataclass(frozen=True)
class Claim:
    """A claim this sender holds; `token` proves it when marking the outcome."""

    school_year: str
    label: str
    student_id: str
    token: str


class AlreadyClaimed(Exception):
    """Someone else holds the claim or finished it; `status` says which."""

    def __init__(self, status: str | None, lease_until: int | None = None):
        super().__init__(status or "unknown")
        self.status = status
        self.lease_until = lease_until


class ClaimLost(Exception):
    """The claim was taken over (our lease ran out) before the outcome was marked."""


def claim(*, school_year: str, label: str, student_id: str, kind: str, at: datetime,
          lease_seconds: int) -> Claim:
    """Take the claim for one student's reminder: new, or sending with a lapsed lease.
    AlreadyClaimed otherwise (sent, skipped, or sending under a live lease)."""
    token = uuid.uuid4().hex
    now = int(at.timestamp())
    try:
        dynamo.update_item(
            keys.reminder_pk(school_year, label), keys.student_pk(student_id),
            expression=("SET #status = :sending, lease_until = :lease, claim_token = :token, "
                        "claimed_at = :at, attempts = if_not_exists(attempts, :zero) + :one, "
                        "kind = :kind, student_id = :sid, school_year = :year, reminder = :reminder, "
                        "#type = :type"),
            condition="attribute_not_exists(PK) OR (#status = :sending AND lease_until < :now)",
            names={"#status": "status", "#type": "type"},
            values={":sending": SENDING, ":lease": now + lease_seconds, ":token": token,
                    ":at": at.isoformat(), ":zero": 0, ":one": 1, ":kind": kind, ":sid": student_id,
                    ":year": school_year, ":reminder": f"{school_year}:{label}", ":type": "reminder",
                    ":now": now},
            return_old_on_failure=True,
        )
    except dynamo.ConditionFailed as failed:
        old = failed.item or {}
        raise AlreadyClaimed(old.get("status"), old.get("lease_until")) from None
    return Claim(school_year, label, student_id, token)


def finish(held: Claim, *, status: str, at: datetime, details: dict[str, Any]) -> None:
    """Mark a held claim sent or skipped, with what staff see in the history."""
    fields = {**{k: v for k, v in details.items() if v is not None}, "status": status,
              f"{status}_at": at.isoformat()}
    names = {f"#f{i}": name for i, name in enumerate(fields)}
    values = {f":v{i}": value for i, value in enumerate(fields.values())}
    values[":token"] = held.token
    expression = ("SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(fields)))
                  + " REMOVE lease_until")
    try:
        dynamo.update_item(
            keys.reminder_pk(held.school_year, held.label), keys.student_pk(held.student_id),
            expression=expression, names=names, values=values, condition="claim_token = :token",
        )
    except dynamo.ConditionFailed:
        raise ClaimLost(held.student_id) from None


def of_reminder(school_year: str, label: str) -> list[dict[str, Any]]:
    """Every claim of one reminder (the history of who was sent what, and when)."""
    return dynamo.query(pk=keys.reminder_pk(school_year, label))


@dataclass
class SendingFacts:
    """What senders re-read right before sending, from one consistent BatchGetItem."""

    profiles: dict[str, dict[str, Any]]
    years: dict[tuple[str, str], dict[str, Any]]  # (student id, school year) -> student-year
    windows: dict[str, dict[str, Any]]  # school year -> window record


def load_for_sending(wanted: list[tuple[str, str]]) -> SendingFacts:
    """Profiles, student-years and the years' window records of (student id, school year)
    pairs, read consistently: a payment made a moment ago is seen. A batch of ten SQS
    messages is one request (at most 10 + 10 + a few keys of the 100 allowed)."""
    request: list[dynamo.Key] = []
    for student_id, school_year in wanted:
        request += [(keys.student_pk(student_id), keys.PROFILE_SK),
                    (keys.student_pk(student_id), keys.year_sk(school_year)),
                    (keys.window_pk(school_year), keys.META_SK)]
    found = dynamo.batch_get(request, consistent=True)
    facts = SendingFacts(profiles={}, years={}, windows={})
    for (pk, sk), item in found.items():
        if sk == keys.PROFILE_SK:
            facts.profiles[item["student_id"]] = item
        elif sk.startswith("YEAR#"):
            facts.years[(item["student_id"], item["school_year"])] = item
        elif pk.startswith("WINDOW#"):
            facts.windows[pk.removeprefix("WINDOW#")] = item
    return facts
