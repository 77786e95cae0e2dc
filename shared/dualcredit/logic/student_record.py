"""The whole student on one page, for staff (GET /students/{student_id}/record).

Requests: 1 Query of the student's partition (profile, years, registrations), 1 Query of
their prior-year requests, 1 Query of schools (names), 1 Query of their audit history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dualcredit.dal import audit, keys
from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import requests as request_data
from dualcredit.dal import students as student_data
from dualcredit.dal.records import RegistrationRecord
from dualcredit.errors import NotFound
from dualcredit.logic.caller import Caller, Role
from dualcredit.logic.registration import build_dashboard
from dualcredit.models.student import Profile
from dualcredit.models.student_record import (
    RecordClass,
    RecordRequest,
    StudentRecord,
    TimelineEntry,
)

#: The newest audit entries shown; older ones are left off (`history_truncated`).
HISTORY_LIMIT = 500


def _plain(value: Any) -> Any:
    """An audit value as JSON shows it: numbers from DynamoDB as int or float, nested
    records kept, sets as sorted lists."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    return value


def student_record(caller: Caller, student_id: str) -> StudentRecord:
    caller.require(Role.STAFF)
    partition = student_data.read_partition(student_id)
    profile = partition.profile
    if profile is None:
        raise NotFound("There is no student profile here.")
    schools = {s["school_id"]: s["name"] for s in catalog_data.list_schools()}
    dashboard = build_dashboard(partition)
    classes = [
        RecordClass(
            school_year=r.school_year,
            offering_id=r.offering_id,
            school_id=r.school_id,
            school_name=schools.get(r.school_id, "School not known"),
            high_school_course=r.high_school_course,
            teacher=r.teacher,
            college=r.college,
            college_course_code=r.college_course_code,
            college_course_title=r.college_course_title,
            credits=r.credits,
            in_class=r.in_class,
            grade=r.grade,
            credit_earned=r.credit_earned,
            batch=_sent_in(r),
        )
        for r in sorted(
            partition.registrations, key=lambda r: (r.school_year, r.high_school_course)
        )
    ]
    requests = [
        RecordRequest(
            kind="waiver",
            school_year=year.school_year,
            status=year.waiver.status.value,
            reason=year.waiver.reason,
            requested_at=year.waiver.requested_at,
            note=year.waiver.explanation,
        )
        for year in partition.years.values()
        if year.waiver is not None
    ]
    requests += [
        RecordRequest(
            kind="prior_year",
            school_year=item["school_year"],
            status=item["status"],
            reason=item.get("reason"),
            requested_at=item.get("requested_at"),
            high_school_course=item.get("high_school_course"),
            school_name=schools.get(item.get("school_id", ""), item.get("school_id")),
            note=item.get("decision_note") or None,
        )
        for item in request_data.prior_year_of(student_id)
    ]
    requests.sort(key=lambda r: (r.school_year, r.kind), reverse=True)
    entries = audit.history(keys.student_pk(student_id))
    history = [
        TimelineEntry(
            at=e["at"],
            action=e["action"],
            actor_role=e["actor_role"],
            actor_id=e["actor_id"],
            before=_plain(e.get("before")),
            after=_plain(e.get("after")),
        )
        for e in entries[:HISTORY_LIMIT]
    ]
    return StudentRecord(
        profile=Profile.model_validate(profile, from_attributes=True),
        years=dashboard.years,
        classes=classes,
        requests=requests,
        history=history,
        history_truncated=len(entries) > HISTORY_LIMIT,
    )


def _sent_in(r: RegistrationRecord) -> str | None:
    """ "2 (corrected, 2027-06-10; posted 2027-06-12)": the last transcript batch that named
    the credit, and the college's posting."""
    sent = r.transcript_batch
    if sent is None:
        return None
    posted = r.credit_posted
    tail = f"; posted {posted.posted_on.isoformat()}" if posted is not None else ""
    return f"{sent.number} ({sent.mark}, {sent.closed_on.isoformat()}{tail})"
