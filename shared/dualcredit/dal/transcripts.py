"""Transcript batches: one partition per school year and college.

In `TRANSCRIPT#<year>#<college>`:
- `HEAD`: the number of the partition's last batch (`last_number`), claimed per batch;
- `BATCH#<number>`: a closed batch (its id, when, by whom, its counts);
- `LINE#<batch id>#<student id>#<offering id>`: one line of a batch (its mark, the
  exported fields, and `posted_at` once the registrar marked it posted).
A batch's pointer `TRANSCRIPT_BATCH#<batch id>` says which partition holds it.

Closing writes the lines first under a batch id of its own, then claims the next number
in one transaction (HEAD's number as read, the batch, its pointer, the audit record).
Two closes at once both write lines, but only one claims the number: the other's lines
name a batch id no `BATCH#` item holds, and every read ignores them. So a batch is whole
or absent, and a close that failed halfway leaves nothing the next one counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit


class BatchTaken(Exception):
    """Another close claimed the number first."""


@dataclass(frozen=True)
class TranscriptPartition:
    """A college and year's batches, oldest first, and the lines of each (by batch id)."""

    last_number: int
    batches: list[dict[str, Any]]
    lines: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def read_partition(school_year: str, college: str) -> TranscriptPartition:
    """Every batch of the partition with its lines (a consistent Query, paged); lines of
    a batch id no batch holds (a close that lost the race or failed) are left out."""
    items = dynamo.query(pk=keys.transcript_pk(school_year, college), consistent=True)
    head = next((i for i in items if i["SK"] == keys.TRANSCRIPT_HEAD_SK), None)
    batches = sorted(
        (i for i in items if i.get("type") == "transcript_batch"), key=lambda b: b["number"]
    )
    committed = {b["batch_id"] for b in batches}
    lines: dict[str, list[dict[str, Any]]] = {b["batch_id"]: [] for b in batches}
    for item in items:
        if item.get("type") == "transcript_line" and item["batch_id"] in committed:
            lines[item["batch_id"]].append(item)
    return TranscriptPartition(
        last_number=int(head["last_number"]) if head else 0, batches=batches, lines=lines
    )


def line_item(
    school_year: str, college: str, batch_id: str, line: dict[str, Any]
) -> dict[str, Any]:
    """A batch line's item; `line` has student_id, offering_id, mark and fields."""
    return {
        "PK": keys.transcript_pk(school_year, college),
        "SK": keys.transcript_line_sk(batch_id, line["student_id"], line["offering_id"]),
        "type": "transcript_line",
        "batch_id": batch_id,
        **line,
    }


def write_lines(items: Sequence[dict[str, Any]]) -> None:
    """The lines of a batch not claimed yet (100 per transaction; unclaimed lines are
    ignored, so writing them again is safe)."""

    def write(txn: dynamo.Transaction, i: int) -> None:
        txn.put(dict(items[i]))

    dynamo.transact_each(len(items), write, drop_failed=False)


def claim_batch(
    batch: dict[str, Any], *, previous: int, actor: Actor, at: datetime
) -> dict[str, Any]:
    """Claim number `previous + 1` for `batch` (its fields: batch_id, school_year,
    college, counts): HEAD still at `previous`, the batch item, its pointer and the
    audit record, in one transaction. BatchTaken when another close claimed it."""
    number = previous + 1
    pk = keys.transcript_pk(batch["school_year"], batch["college"])
    item = {
        "PK": pk,
        "SK": keys.transcript_batch_sk(number),
        "type": "transcript_batch",
        "number": number,
        "closed_at": at.isoformat(),
        "closed_by": actor.user_id,
        **batch,
    }
    txn = dynamo.Transaction()
    if previous:
        txn.update(
            pk,
            keys.TRANSCRIPT_HEAD_SK,
            expression="SET last_number = :n",
            condition="last_number = :previous",
            values={":n": number, ":previous": previous},
        )
    else:
        txn.put(
            {"PK": pk, "SK": keys.TRANSCRIPT_HEAD_SK, "type": "transcript_head", "last_number": 1},
            condition="attribute_not_exists(PK)",
        )
    txn.put(item, condition="attribute_not_exists(PK)")
    txn.put(
        {
            "PK": keys.transcript_batch_pk(batch["batch_id"]),
            "SK": keys.META_SK,
            "type": "transcript_batch_pointer",
            "batch_id": batch["batch_id"],
            "school_year": batch["school_year"],
            "college": batch["college"],
            "number": number,
        },
        condition="attribute_not_exists(PK)",
    )
    add_audit(
        txn,
        entity_pk=pk,
        action="transcript_batch.closed",
        actor=actor,
        at=at,
        before=None,
        after={k: v for k, v in item.items() if k not in ("PK", "SK")},
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise BatchTaken() from cancelled
    return item


def note_on_classes(
    lines: Sequence[dict[str, Any]], *, number: int, college: str, closed_on: str
) -> None:
    """After a batch is claimed: each class it names says so (`transcript_batch`, for the
    staff's student page), unless a later batch already did; a class gone since is left
    out. A display field, not the record of what was sent (the batch's lines are): if
    this fails partway, the batches stay whole and a class shows its earlier batch."""

    def write(txn: dynamo.Transaction, i: int) -> None:
        line = lines[i]
        txn.update(
            keys.student_pk(line["student_id"]),
            keys.registration_sk(line["fields"]["school_year"], line["offering_id"]),
            expression="SET transcript_batch = :sent",
            condition="attribute_exists(PK) AND (attribute_not_exists(transcript_batch) "
            "OR transcript_batch.#n < :n)",
            names={"#n": "number"},
            values={
                ":n": number,
                ":sent": {
                    "college": college,
                    "number": number,
                    "closed_on": closed_on,
                    "mark": line["mark"],
                },
            },
        )

    dynamo.transact_each(len(lines), write, drop_failed=True)


def pointer(batch_id: str) -> dict[str, Any] | None:
    return dynamo.get_item(keys.transcript_batch_pk(batch_id), keys.META_SK)


@dataclass(frozen=True)
class Posting:
    """One batch line marked posted; `mark` decides what the student's class then says."""

    line: dict[str, Any]
    college: str
    school_year: str
    number: int
    posted_on: str


def mark_posted(postings: Sequence[Posting], *, actor: Actor, at: datetime) -> None:
    """Mark lines posted (the first time stands) and tell each student's class in
    `credit_posted` (college, date, batch number, and `withdrawn` for a withdrawn line,
    so a posting of an older batch arriving later cannot bring the credit back), unless
    a later batch's posting is already there (postings can arrive in any order). A class
    that is gone or has a later posting keeps its state; its line is still marked posted."""

    def write(txn: dynamo.Transaction, i: int, *, with_class: bool = True) -> None:
        posting = postings[i]
        line = posting.line
        txn.update(
            line["PK"],
            line["SK"],
            expression="SET posted_at = if_not_exists(posted_at, :at), "
            "posted_by = if_not_exists(posted_by, :by)",
            condition="attribute_exists(PK)",
            values={":at": at.isoformat(), ":by": actor.user_id},
        )
        if not with_class:
            return
        posted = {
            "college": posting.college,
            "posted_on": posting.posted_on,
            "batch_number": posting.number,
            "withdrawn": line["mark"] == "withdrawn",
        }
        txn.update(
            keys.student_pk(line["student_id"]),
            keys.registration_sk(posting.school_year, line["offering_id"]),
            expression="SET credit_posted = :posted",
            condition="attribute_exists(PK) AND (attribute_not_exists(credit_posted) "
            "OR credit_posted.batch_number <= :n)",
            values={":n": posting.number, ":posted": posted},
        )

    kept_back = dynamo.transact_each(len(postings), write, drop_failed=True)
    if kept_back:
        again = sorted(kept_back)
        dynamo.transact_each(
            len(again),
            lambda txn, k: write(txn, again[k], with_class=False),
            drop_failed=False,
        )


def audit_posting(batch: dict[str, Any], *, lines: int, actor: Actor, at: datetime) -> None:
    """The audit record of a registrar's posting (how many lines, not who they are)."""
    txn = dynamo.Transaction()
    add_audit(
        txn,
        entity_pk=keys.transcript_pk(batch["school_year"], batch["college"]),
        action="transcript_batch.posted",
        actor=actor,
        at=at,
        before=None,
        after={"batch_id": batch["batch_id"], "number": batch["number"], "lines": lines},
    )
    dynamo.transact(txn)
