"""Reminder claims: one item per (reminder, student), the record that makes each email
go out at most once and the history staff read.

`REMINDER#<year>#<label>` / `STUDENT#<id>`, where the label is the days before the
close ("7") or "open" (registration is open). A sender claims a batch of items in one
transaction (status "sending" and a lease), sends, then marks them "sent" in another;
a student it need not email is recorded "skipped" in the claiming transaction. A claim
whose sender died is taken over once its lease has run out.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dualcredit.dal import dynamo, keys
from dualcredit.dal.records import ProfileRecord, StudentYear, WindowRecord

SENDING = "sending"
SENT = "sent"
SKIPPED = "skipped"

#: A claim may be taken when it is new, or "sending" under a lease that has run out.
_TAKEABLE = "attribute_not_exists(PK) OR (#status = :sending AND lease_until < :now)"


@dataclass(frozen=True)
class Claim:
    """A claim this sender holds; `token` proves it when marking the outcome."""

    school_year: str
    label: str
    student_id: str
    token: str


@dataclass(frozen=True)
class Take:
    """One claim to take: to send (`skipped` None), or to record as skipped at once with
    `skipped` (the reason and what the history shows)."""

    school_year: str
    label: str
    student_id: str
    kind: str
    skipped: dict[str, Any] | None = None


@dataclass(frozen=True)
class Sent:
    """A held claim whose email went out, with what the history shows beside it."""

    claim: Claim
    details: dict[str, Any] = field(default_factory=dict)


def take_all(takes: Sequence[Take], *, at: datetime, lease_seconds: int) -> list[Claim | None]:
    """Take the claims, up to 100 per TransactWriteItems (one request for a sender's
    batch). Returns, in order, the Claim held (a skip's is already final), or None where
    the claim is not takeable: sent, skipped, or sending under a live lease, as found
    when the transaction ran (a claim taken by a concurrent sender after our read)."""
    now = int(at.timestamp())
    claims = [Claim(t.school_year, t.label, t.student_id, uuid.uuid4().hex) for t in takes]

    def write(tx: dynamo.Transaction, i: int) -> None:
        take, claim = takes[i], claims[i]
        fields: dict[str, Any] = {
            "claim_token": claim.token,
            "claimed_at": at.isoformat(),
            "kind": take.kind,
            "student_id": take.student_id,
            "school_year": take.school_year,
            "reminder": f"{take.school_year}:{take.label}",
            "type": "reminder",
        }
        if take.skipped is None:
            fields |= {"status": SENDING, "lease_until": now + lease_seconds}
        else:
            fields |= _outcome_fields(SKIPPED, at, take.skipped)
        expression, names, values = dynamo.set_expression(
            fields,
            also=["attempts = if_not_exists(attempts, :zero) + :one"],
            remove=["lease_until"] if take.skipped is not None else [],
        )
        tx.update(
            keys.reminder_pk(take.school_year, take.label),
            keys.student_pk(take.student_id),
            expression=expression,
            names={**names, "#status": "status"},
            values={**values, ":sending": SENDING, ":now": now, ":zero": 0, ":one": 1},
            condition=_TAKEABLE,
        )

    lost = dynamo.transact_each(len(takes), write)
    return [None if i in lost else claim for i, claim in enumerate(claims)]


def finish_all(sent: Sequence[Sent], *, at: datetime) -> list[Claim]:
    """Mark held claims sent, up to 100 per TransactWriteItems, each conditional on its
    token. Returns the claims lost meanwhile (the lease ran out and another sender took
    over); the others are marked."""

    def write(tx: dynamo.Transaction, i: int) -> None:
        held = sent[i].claim
        expression, names, values = dynamo.set_expression(
            _outcome_fields(SENT, at, sent[i].details), remove=["lease_until"]
        )
        tx.update(
            keys.reminder_pk(held.school_year, held.label),
            keys.student_pk(held.student_id),
            expression=expression,
            names=names,
            values={**values, ":token": held.token},
            condition="claim_token = :token",
        )

    return [sent[i].claim for i in sorted(dynamo.transact_each(len(sent), write))]


def _outcome_fields(status: str, at: datetime, details: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: v for k, v in details.items() if v is not None},
        "status": status,
        f"{status}_at": at.isoformat(),
    }


def of_reminder(school_year: str, label: str) -> list[dict[str, Any]]:
    """Every claim of one reminder (the history of who was sent what, and when)."""
    return dynamo.query(pk=keys.reminder_pk(school_year, label))


@dataclass(frozen=True)
class ClaimState:
    """Where a reminder's claim for one student stands when a sender reads it."""

    status: str
    lease_until: int = 0


@dataclass
class SendingFacts:
    """What a sender reads right before claiming, from consistent BatchGetItems."""

    profiles: dict[str, ProfileRecord]
    years: dict[tuple[str, str], StudentYear]  # (student id, school year) -> student-year
    windows: dict[str, WindowRecord]  # school year -> window record (version 0 if none)
    claims: dict[tuple[str, str, str], ClaimState]  # (school year, label, student id)


def load_for_sending(wanted: Sequence[tuple[str, str, str]]) -> SendingFacts:
    """For (student id, school year, reminder label) triples: the profiles, student-years,
    the years' window records and the reminders' claims, read consistently (a payment
    made a moment ago is seen): 3 keys per student and 1 per year, 100 per request."""
    request: list[dynamo.Key] = []
    for student_id, school_year, label in wanted:
        request += [
            (keys.student_pk(student_id), keys.PROFILE_SK),
            (keys.student_pk(student_id), keys.year_sk(school_year)),
            (keys.reminder_pk(school_year, label), keys.student_pk(student_id)),
        ]
    years = list(dict.fromkeys(y for _, y, _ in wanted))
    request += [(keys.window_pk(year), keys.META_SK) for year in years]
    found = dynamo.batch_get(request, consistent=True)
    facts = SendingFacts(
        profiles={},
        years={},
        windows={year: WindowRecord.of_item(year, None) for year in years},
        claims={},
    )
    for (pk, sk), item in found.items():
        if sk == keys.PROFILE_SK:
            facts.profiles[item["student_id"]] = ProfileRecord.of_item(item)
        elif sk.startswith(keys.YEAR_SK_PREFIX):
            facts.years[(item["student_id"], item["school_year"])] = StudentYear.of_item(item)
        elif pk.startswith(keys.WINDOW_PK_PREFIX):
            year = keys.window_year(pk)
            facts.windows[year] = WindowRecord.of_item(year, item)
        elif item.get("type") == "reminder":
            year, _, label = item["reminder"].partition(":")
            facts.claims[(year, label, item["student_id"])] = ClaimState(
                status=item["status"], lease_until=int(item.get("lease_until", 0))
            )
    return facts
