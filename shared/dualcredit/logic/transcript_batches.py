"""Transcript batches: staff close one for a college and school year; the college's
registrar downloads it (CSV) and marks it posted, whole or by rows.

A batch holds what the college needs to post the credit without retyping (SERS ID,
legal name, birth date, email, high school; the college course; grade, year, teacher),
and a later batch only what is new, corrected or withdrawn since the batches before it
(rules.transcript_delta, against rules.sent_state of the batches so far). Which credits
go at all is the staff transcript's own (grades.credits_to_send: rules.credit_is_sent).
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime
from typing import Any

from dualcredit import rules
from dualcredit.dal import students as student_data
from dualcredit.dal import transcripts as transcript_data
from dualcredit.errors import Conflict, Forbidden, InvalidInput, NotFound
from dualcredit.logic import college_users
from dualcredit.logic.caller import Caller, Role
from dualcredit.logic.csv_export import Cell, csv_text
from dualcredit.logic.grades import credits_to_send
from dualcredit.models.transcripts import (
    BatchClose,
    CollegeTranscripts,
    PostedMark,
    PostedResult,
    TranscriptBatch,
)
from dualcredit.observability import logger

#: The exported fields of a line, in the CSV's order after the batch's own columns.
FIELDS = (
    "sers_id",
    "legal_first_name",
    "legal_last_name",
    "birth_date",
    "email",
    "high_school",
    "college_course_code",
    "college_course_title",
    "credits",
    "grade",
    "school_year",
    "teacher",
)
CSV_COLUMNS = ("batch", "batch_date", "line", "mark", *FIELDS, "posted_on")
#: Excel reads a CSV file as UTF-8 only when it starts with the byte order mark.
BOM = "\ufeff"

type Key = tuple[str, str]  # (student id, offering id): one registration, one credit


def _to_send(year: str, college: str) -> dict[Key, dict[str, object]]:
    """The college's credits to send now, with their exported fields (the legal name,
    birth date and email as the profile has them now, so a staff correction is sent)."""
    credits = [(s, r) for s, r in credits_to_send(year) if r.college == college]
    profiles = student_data.get_profiles(sorted({r.student_id for _, r in credits}))
    found: dict[Key, dict[str, object]] = {}
    for school, r in credits:
        profile = profiles.get(r.student_id)
        if profile is None:
            continue
        found[(r.student_id, r.offering_id)] = {
            "sers_id": r.sers_id,
            "legal_first_name": profile.legal_first_name,
            "legal_last_name": profile.legal_last_name,
            "birth_date": profile.birth_date.isoformat(),
            "email": profile.email,
            "high_school": str(school["name"]),
            "college_course_code": r.college_course_code,
            "college_course_title": r.college_course_title,
            "credits": f"{r.credits:g}",
            "grade": r.grade or "",
            "school_year": year,
            "teacher": r.teacher,
        }
    return found


def _line(item: dict[str, Any]) -> rules.BatchLine[Key]:
    return rules.BatchLine(
        (item["student_id"], item["offering_id"]), rules.LineMark(item["mark"]), item["fields"]
    )


def _sent(partition: transcript_data.TranscriptPartition) -> dict[Key, rules.SentLine]:
    return rules.sent_state(
        [_line(i) for i in partition.lines[b["batch_id"]]] for b in partition.batches
    )


def _summary(batch: dict[str, Any], lines: list[dict[str, Any]]) -> TranscriptBatch:
    marks = Counter(line["mark"] for line in lines)
    return TranscriptBatch(
        batch_id=batch["batch_id"],
        number=batch["number"],
        college=batch["college"],
        school_year=batch["school_year"],
        closed_at=datetime.fromisoformat(batch["closed_at"]),
        closed_by=batch["closed_by"],
        lines=len(lines),
        new=marks["new"],
        corrected=marks["corrected"],
        withdrawn=marks["withdrawn"],
        posted=sum(1 for line in lines if line.get("posted_at")),
    )


def close(caller: Caller, data: BatchClose, at: datetime) -> TranscriptBatch:
    """Close the college's next batch for the year: what is new, corrected or withdrawn
    since its batches so far. Nothing to send is a 409 naming the last batch; a close at
    the same moment as another makes one batch (the other gets a 409)."""
    caller.require(Role.STAFF)
    college = college_users.known_college(data.college)
    year = data.school_year
    partition = transcript_data.read_partition(year, college)
    delta = rules.transcript_delta(_to_send(year, college), _sent(partition))
    if not delta:
        since = (
            f"since batch {partition.last_number}"
            if partition.last_number
            else "yet (no credit is earned with its fee paid or waived)"
        )
        raise Conflict(
            f"Nothing is new or changed for {college} in {year} {since}: "
            "there is no batch to close.",
            field="college",
        )
    batch_id = uuid.uuid4().hex[:16]
    lines = [
        transcript_data.line_item(
            year,
            college,
            batch_id,
            {
                "student_id": line.key[0],
                "offering_id": line.key[1],
                "mark": line.mark.value,
                "fields": dict(line.fields),
            },
        )
        for line in delta
    ]
    transcript_data.write_lines(lines)
    marks = Counter(line.mark.value for line in delta)
    try:
        batch = transcript_data.claim_batch(
            {
                "batch_id": batch_id,
                "school_year": year,
                "college": college,
                "lines": len(lines),
                "new": marks["new"],
                "corrected": marks["corrected"],
                "withdrawn": marks["withdrawn"],
            },
            previous=partition.last_number,
            actor=caller.actor,
            at=at,
        )
    except transcript_data.BatchTaken:
        raise Conflict(
            f"Someone closed a batch for {college} in {year} at the same moment; reload to see it.",
            field="college",
        ) from None
    transcript_data.note_on_classes(
        lines, number=batch["number"], college=college, closed_on=_pacific_day(batch["closed_at"])
    )
    logger.info("transcript batch closed", extra={"school_year": year, "lines": len(lines)})
    return _summary(batch, lines)


def overview(caller: Caller, school_year: str, college: str | None) -> list[CollegeTranscripts]:
    """Per college (staff: every college, or `college`; a registrar: theirs only):
    earned, exported and posted, and its batches."""
    caller.require(Role.STAFF, Role.COLLEGE)
    if caller.role is Role.COLLEGE:
        if college is not None:
            caller.require_college(college_users.known_college(college))
        names = [str(caller.college)]
    else:
        names = [college_users.known_college(college)] if college else college_users.colleges()
    earned = Counter(r.college for _, r in credits_to_send(school_year))
    answer = []
    for name in names:
        partition = transcript_data.read_partition(school_year, name)
        sent = _sent(partition)
        last_line = {
            _line(item).key: item
            for b in partition.batches
            for item in partition.lines[b["batch_id"]]
        }
        held = [key for key, line in sent.items() if not line.withdrawn]
        answer.append(
            CollegeTranscripts(
                college=name,
                school_year=school_year,
                earned=earned[name],
                exported=len(held),
                posted=sum(1 for key in held if last_line[key].get("posted_at")),
                batches=[_summary(b, partition.lines[b["batch_id"]]) for b in partition.batches],
            )
        )
    return answer


def _batch(caller: Caller, batch_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The batch (staff, or its college's registrar) and its lines."""
    caller.require(Role.STAFF, Role.COLLEGE)
    pointer = transcript_data.pointer(batch_id)
    if pointer is None:
        raise NotFound("There is no such batch.")
    try:
        caller.require_college(str(pointer["college"]))
    except Forbidden:
        raise Forbidden("This batch is another college's.") from None
    partition = transcript_data.read_partition(pointer["school_year"], pointer["college"])
    batch = next(b for b in partition.batches if b["batch_id"] == batch_id)
    return batch, sorted(partition.lines[batch_id], key=_line_order)


def _line_order(item: dict[str, Any]) -> tuple[str, ...]:
    f = item["fields"]
    return (f["college_course_code"], f["legal_last_name"], f["legal_first_name"], item["SK"])


def line_id(item: dict[str, Any]) -> str:
    return f"{item['student_id']}:{item['offering_id']}"


def batch_csv(caller: Caller, batch_id: str) -> tuple[str, str]:
    """(file name, CSV) of a batch: UTF-8 with a byte order mark, every cell neutralized."""
    batch, lines = _batch(caller, batch_id)
    closed_on = _pacific_day(batch["closed_at"])
    rows: list[list[Cell]] = [
        [
            batch["number"],
            closed_on,
            line_id(item),
            item["mark"],
            *_fields(item),
            _pacific_day(item["posted_at"]) if item.get("posted_at") else None,
        ]
        for item in lines
    ]
    name = "".join(c if c.isalnum() else "-" for c in batch["college"]).strip("-").lower()
    filename = f"transcript-{name}-{batch['school_year']}-batch-{batch['number']}.csv"
    return filename, BOM + csv_text(CSV_COLUMNS, rows)


def _pacific_day(iso: str) -> str:
    return rules.pacific_date(datetime.fromisoformat(iso)).isoformat()


def _fields(item: dict[str, Any]) -> list[Cell]:
    return [item["fields"].get(name) for name in FIELDS]


def mark_posted(caller: Caller, batch_id: str, mark: PostedMark, at: datetime) -> PostedResult:
    """The registrar marks the batch posted, whole (`lines` left out) or the rows named.
    A row posted already keeps its first date; a row the batch does not hold is a 400
    naming it, and nothing is written."""
    caller.require(Role.COLLEGE)
    batch, lines = _batch(caller, batch_id)
    by_id = {line_id(item): item for item in lines}
    if mark.lines is None:
        chosen = lines
    else:
        unknown = [name for name in mark.lines if name not in by_id]
        if unknown:
            raise InvalidInput(
                f"Batch {batch['number']} has no row {unknown[0]}"
                + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else "")
                + ".",
                field="lines",
            )
        chosen = [by_id[name] for name in dict.fromkeys(mark.lines)]
    todo = [item for item in chosen if not item.get("posted_at")]
    transcript_data.mark_posted(
        [
            transcript_data.Posting(
                line=item,
                college=batch["college"],
                school_year=batch["school_year"],
                number=batch["number"],
                posted_on=rules.pacific_date(at).isoformat(),
            )
            for item in todo
        ],
        actor=caller.actor,
        at=at,
    )
    if todo:
        transcript_data.audit_posting(batch, lines=len(todo), actor=caller.actor, at=at)
    posted_now = {line_id(item) for item in todo}
    after = [
        {**item, "posted_at": at.isoformat()} if line_id(item) in posted_now else item
        for item in lines
    ]
    return PostedResult(
        batch=_summary(batch, after), recorded=len(todo), already_posted=len(chosen) - len(todo)
    )
