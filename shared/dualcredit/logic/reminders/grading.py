"""Grading reminders: on the configured days before a year's grading deadline
(GRADING_REMINDER_DAYS, default 14, 7 and 1), each school user whose roster still has
students unconfirmed or without a grade gets one email listing them.

The scheduled job (`fan_out`, action "grading_remind") puts one message per school user
on the reminder queue; the sender (`send_batch`, called by functions/reminder_sender for
the messages of this kind) reads the users, the claims and each school's roster right
before sending, so a roster finished meanwhile is not nagged, and sends at most one email
per user and reminder: the claims of dal/reminders.py, taken in one transaction, marked
sent in another (a mark that fails is counted as ReminderUnmarked; the records still
succeed, so SQS does not deliver them again).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from dualcredit import mail, rules
from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import grading_reminders as grading_data
from dualcredit.dal import mailer, queue
from dualcredit.dal import registrations as registration_data
from dualcredit.dal import reminders as reminder_data
from dualcredit.dal import windows as window_data
from dualcredit.dal.records import RegistrationRecord
from dualcredit.logic.reminders.notices import BadMessage
from dualcredit.logic.reminders.sending import LEASE, BatchOutcome, InProgress
from dualcredit.observability import logger, metrics
from dualcredit.settings import get_settings

KIND = "grading_reminder"
REMOVED = "removed"
_OWED = (rules.RosterState.UNCONFIRMED, rules.RosterState.MISSING_GRADE)


def label(days: int) -> str:
    """'grading-7': the claim label of the reminder `days` before the grading deadline."""
    return f"grading-{days}"


@dataclass(frozen=True)
class GradingNotice:
    user_id: str
    school_id: str
    school_year: str
    label: str

    def body(self) -> dict[str, str]:
        return {
            "kind": KIND,
            "user_id": self.user_id,
            "school_id": self.school_id,
            "school_year": self.school_year,
            "reminder": f"{self.school_year}:{self.label}",
        }

    @classmethod
    def parse(cls, text: str) -> GradingNotice:
        try:
            body = json.loads(text)
            values = (body["user_id"], body["school_id"], body["school_year"])
            year, _, name = body["reminder"].partition(":")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BadMessage("not a grading reminder") from None
        if body.get("kind") != KIND or not all(isinstance(v, str) and v for v in values):
            raise BadMessage("not a grading reminder")
        days = name.removeprefix("grading-")
        if year != values[2] or not days.isdigit() or name != label(int(days)):
            raise BadMessage("not a grading reminder")
        return cls(values[0], values[1], values[2], name)


def is_grading(text: str) -> bool:
    """Whether a queue message is a grading reminder (the sender routes it here)."""
    try:
        body = json.loads(text)
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("kind") == KIND


def owed(roster: Iterable[RegistrationRecord]) -> list[RegistrationRecord]:
    """The registrations a school still owes an answer or a grade for, by name."""
    return sorted(
        (r for r in roster if rules.roster_state(r.in_class, r.grade) in _OWED),
        key=lambda r: (r.legal_last_name.casefold(), r.legal_first_name.casefold(), r.sers_id),
    )


# --------------------------------------------------------------------------- the job


def fan_out(at: datetime) -> dict[str, Any]:
    """On a grading reminder day, one message per active school user of each school whose
    roster is not done. Requests: 1 Query of schools, per school 1 roster Query and, when
    it is behind, 1 Query of its users; SendMessageBatch by ten. A rerun enqueues again;
    the claims keep each user to one email per reminder."""
    year = rules.school_year_of(at)
    record = window_data.get(year.name)
    deadline = record.grading_deadline
    result: dict[str, Any] = {
        "action": "grading_remind",
        "school_year": year.name,
        "deadline": deadline.isoformat(),
    }
    if record.finalized:
        return {**result, "outcome": "finalized"}
    days = rules.reminder_days_due(
        rules.pacific_date(at), deadline, get_settings().grading_reminder_days
    )
    if days is None:
        return {**result, "outcome": "no_reminder_today"}
    behind = 0

    def notices() -> Iterator[dict[str, str]]:
        nonlocal behind
        for school in catalog_data.list_schools():
            school_id = school["school_id"]
            if not owed(registration_data.roster(school_id, year.name)):
                continue
            behind += 1
            for user in catalog_data.list_school_users(school_id):
                if user.get("status") != REMOVED:
                    yield GradingNotice(user["user_id"], school_id, year.name, label(days)).body()

    url = get_settings().reminder_queue_url
    if not url:
        raise RuntimeError("REMINDER_QUEUE_URL is not set")
    enqueued = queue.send_all(url, notices())
    reminder = f"{year.name}:{label(days)}"
    logger.info("grading reminders enqueued", extra={"reminder": reminder, "enqueued": enqueued})
    metrics.add_metric(name="GradingRemindersEnqueued", unit="Count", value=enqueued)
    return {
        **result,
        "outcome": "enqueued",
        "reminder": reminder,
        "schools_behind": behind,
        "enqueued": enqueued,
    }


# --------------------------------------------------------------------------- the sender


def send_batch(records: Iterable[tuple[str, str]], at: datetime) -> BatchOutcome:
    """Send one SQS batch of grading reminders, (message id, body) pairs: one consistent
    BatchGetItem, one roster Query per school, one TransactWriteItems taking the claims
    (skips recorded final), one SES SendEmail per user (each lists its own students), one
    TransactWriteItems marking them sent."""
    outcome: dict[str, str | Exception] = {}
    notices: dict[str, GradingNotice] = {}
    for message_id, body in records:
        try:
            notice = GradingNotice.parse(body)
        except BadMessage as error:
            outcome[message_id] = error
            continue
        if notice in notices.values():
            outcome[message_id] = "duplicate in batch"
            continue
        notices[message_id] = notice
    if notices:
        try:
            _send(notices, at, outcome)
        except Exception as error:  # noqa: BLE001 - nothing claimed: SQS retries them all
            logger.error("grading reminders not read", extra={"error": type(error).__name__})
            for message_id in notices:
                outcome.setdefault(message_id, error)
    return BatchOutcome(outcome)


def _send(
    notices: dict[str, GradingNotice], at: datetime, outcome: dict[str, str | Exception]
) -> None:
    facts = grading_data.load(
        [(n.user_id, n.school_id, n.school_year, n.label) for n in notices.values()]
    )
    rosters: dict[tuple[str, str], list[RegistrationRecord]] = {}
    takes: list[tuple[str, reminder_data.Take, dict[str, str] | None]] = []
    now = int(at.timestamp())
    for message_id, n in notices.items():
        claim = facts.claims.get((n.school_year, n.label, n.user_id))
        if claim and claim.status in (reminder_data.SENT, reminder_data.SKIPPED):
            outcome[message_id] = f"already {claim.status}"
            continue
        if claim and claim.status == reminder_data.SENDING and claim.lease_until >= now:
            outcome[message_id] = InProgress(message_id)
            continue
        user = facts.users.get(n.user_id)
        window = facts.windows[n.school_year]
        reason: str | None = None
        students: list[RegistrationRecord] = []
        if user is None or user.get("status") == REMOVED:
            reason = "removed"
        elif user.get("school_id") != n.school_id:
            reason = "moved"
        elif window.finalized:
            reason = "finalized"
        elif rules.pacific_date(at) > window.grading_deadline:
            reason = "deadline_passed"
        else:
            key = (n.school_id, n.school_year)
            if key not in rosters:
                rosters[key] = registration_data.roster(*key)
            students = owed(rosters[key])
            reason = None if students else "roster_done"
        details = {"school_id": n.school_id}
        take = reminder_data.Take(
            n.school_year,
            n.label,
            n.user_id,
            KIND,
            skipped={**details, "reason": reason} if reason else None,
        )
        message = None
        if reason is None and user is not None:
            school = facts.schools.get(n.school_id, {}).get("name", "your school")
            message = {"to": user["email"], **_message(school, window.grading_deadline, students)}
        takes.append((message_id, take, message))
    if not takes:
        return
    claims = reminder_data.take_all(
        [t for _, t, _ in takes], at=at, lease_seconds=int(LEASE.total_seconds())
    )
    sent: list[tuple[str, reminder_data.Sent]] = []
    for (message_id, take, message), held in zip(takes, claims, strict=True):
        if held is None:
            outcome[message_id] = InProgress(message_id)
        elif message is None:
            outcome[message_id] = f"skipped: {(take.skipped or {}).get('reason')}"
        else:
            try:
                ses_id = mailer.send(**message)
            except Exception as error:  # noqa: BLE001 - this one is retried by SQS after its lease
                logger.error(
                    "grading reminder not sent",
                    extra={"user_id": take.student_id, "error": type(error).__name__},
                )
                metrics.add_metric(name="ReminderFailed", unit="Count", value=1)
                outcome[message_id] = error
                continue
            outcome[message_id] = "sent"
            sent.append((message_id, reminder_data.Sent(held, {"ses_message_id": ses_id})))
    if not sent:
        return
    metrics.add_metric(name="ReminderSent", unit="Count", value=len(sent))
    try:
        reminder_data.finish_all([s for _, s in sent], at=at)
    except Exception as error:  # noqa: BLE001 - the emails went out: never send them again
        logger.error(
            "grading reminders sent but not marked",
            extra={"count": len(sent), "error": type(error).__name__},
        )
        metrics.add_metric(name="ReminderUnmarked", unit="Count", value=len(sent))


def _message(school: str, deadline: date, students: list[RegistrationRecord]) -> dict[str, str]:
    """The email's subject and bodies: who is unconfirmed, who has no grade yet."""
    lines = [
        f"{r.legal_last_name}, {r.legal_first_name} ({r.sers_id}), {r.high_school_course}: "
        + (
            "not confirmed in the class"
            if rules.roster_state(r.in_class, r.grade) is rules.RosterState.UNCONFIRMED
            else "no grade yet"
        )
        for r in students
    ]
    due = rules.long_date(deadline)
    # School users have no language setting: their mail is in English.
    rendered = mail.render(
        "grading_reminder",
        school=school,
        deadline=due,
        count=str(len(students)),
        students_html=mail.html_list(lines),
        students="\n".join(f"  - {line}" for line in lines),
        roster_url=f"{get_settings().app_base_url}/school/",
    )
    return {"subject": rendered.subject, "html": rendered.html, "text": rendered.text}
