"""Deadline reminders and the "registration is open" notice.

The scheduled job (logic/schedule.py) fans notices out to SQS, one message per
student. The sender turns each message into at most one email: it claims the
(reminder, student) item with a conditional write, re-reads the student's records
right before sending, skips a student who is no longer due, sends, and marks the
claim sent. A failed send leaves the claim "sending" under a lease and fails the
SQS record, so SQS delivers it again after its visibility timeout, when the lease
has run out and the claim can be taken over.

Staff preview who a reminder would reach (a dry run) and read what was sent.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from dualcredit import mail, rules
from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import mailer
from dualcredit.dal import payments as payment_data
from dualcredit.dal import reminders as reminder_data
from dualcredit.dal import students as student_data
from dualcredit.dal import windows as window_data
from dualcredit.errors import InvalidInput
from dualcredit.logic.caller import Caller, Role
from dualcredit.logic.fees import FeeFacts
from dualcredit.logic.windows import window_from_record
from dualcredit.models.reminders import (
    ReminderHistory,
    ReminderHistoryEntry,
    ReminderPreview,
    ReminderPreviewStudent,
)
from dualcredit.observability import logger, metrics
from dualcredit.settings import get_settings

REMINDER = "reminder"
WINDOW_OPEN = "window_open"
OPEN_LABEL = "open"

#: How long a sender holds a claim. Longer than the sender's timeout (60 s), so a live
#: sender never loses its claim; shorter than the queue's visibility timeout (360 s),
#: so a message SQS delivers again finds the lease of the failed attempt run out.
LEASE = timedelta(minutes=3)

#: Why a student who was due when the job ran is not emailed at send time.
SKIP_REASONS = ("paid", "waived", "waiver_pending", "nothing_due", "not_registered", "no_profile",
                "window_closed", "graduated", "registered")


class BadMessage(ValueError):
    """A queue message this code cannot read; it fails until SQS moves it to the DLQ."""


class InProgress(Exception):
    """Another sender holds the claim under a live lease; SQS will deliver this again."""


# --------------------------------------------------------------------------- messages


@dataclass(frozen=True)
class Notice:
    """One student's reminder (label "7": days before the close) or open notice (label "open")."""

    kind: str
    student_id: str
    school_year: str
    label: str

    @property
    def key(self) -> str:
        """'2026-27:7', as staff see it in the history."""
        return f"{self.school_year}:{self.label}"

    def body(self) -> dict[str, str]:
        return {"kind": self.kind, "student_id": self.student_id, "school_year": self.school_year,
                "reminder": self.key}

    @classmethod
    def parse(cls, text: str) -> Notice:
        try:
            body = json.loads(text)
            kind, student_id, school_year = body["kind"], body["student_id"], body["school_year"]
            year, _, label = body["reminder"].partition(":")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BadMessage("not a reminder message") from None
        if not all(isinstance(v, str) and v for v in (kind, student_id, school_year, label)):
            raise BadMessage("not a reminder message")
        if year != school_year or rules.SchoolYear.parse(school_year).name != school_year:
            raise BadMessage("reminder of another school year")
        if not ((kind == REMINDER and label.isdigit()) or (kind == WINDOW_OPEN and label == OPEN_LABEL)):
            raise BadMessage(f"unknown reminder {kind} {label}")
        return cls(kind, student_id, school_year, label)


def reminder_notice(student_id: str, year: rules.SchoolYear, days: int) -> Notice:
    return Notice(REMINDER, student_id, year.name, str(days))


def open_notice(student_id: str, year: rules.SchoolYear) -> Notice:
    return Notice(WINDOW_OPEN, student_id, year.name, OPEN_LABEL)


def is_due(student_year: dict[str, Any]) -> bool:
    """A reminder goes to a student-year with something to pay now: not paid, not
    waived, no waiver pending (rules.amount_due_cents)."""
    return FeeFacts.of(student_year).amount_due() > 0


# --------------------------------------------------------------------------- sending


class SendBatch:
    """One SQS batch of notices: every claim first, then one consistent BatchGetItem of
    the claimed students' records, then each message's email on `deliver`.

    Per message that is at most one conditional write to claim, a tenth of a read,
    one SES request and one write to mark the outcome.
    """

    def __init__(self, records: list[tuple[str, str]], at: datetime):
        self.at = at
        self._claimed: dict[str, tuple[Notice, reminder_data.Claim]] = {}
        self._outcome: dict[str, str | Exception] = {}
        for message_id, body in records:
            self._claim(message_id, body)
        self._facts = reminder_data.SendingFacts({}, {}, {})
        self._read_error: Exception | None = None
        if self._claimed:
            try:
                self._facts = reminder_data.load_for_sending(
                    [(n.student_id, n.school_year) for n, _ in self._claimed.values()])
            except Exception as error:  # noqa: BLE001 - each claimed record fails with it
                self._read_error = error

    def _claim(self, message_id: str, body: str) -> None:
        try:
            notice = Notice.parse(body)
            if any(claimed == notice for claimed, _ in self._claimed.values()):
                # The same notice twice in one batch (the job ran twice): the first one's
                # record stands for both, and is retried by SQS if it fails.
                self._outcome[message_id] = "duplicate in batch"
                return
            held = reminder_data.claim(
                school_year=notice.school_year, label=notice.label, student_id=notice.student_id,
                kind=notice.kind, at=self.at, lease_seconds=int(LEASE.total_seconds()),
            )
        except reminder_data.AlreadyClaimed as taken:
            if taken.status in (reminder_data.SENT, reminder_data.SKIPPED):
                self._outcome[message_id] = f"already {taken.status}"
            else:
                self._outcome[message_id] = InProgress(message_id)
            return
        except Exception as error:  # noqa: BLE001 - the record fails, the others go on
            self._outcome[message_id] = error
            return
        self._claimed[message_id] = (notice, held)

    def deliver(self, message_id: str) -> str:
        """Send (or skip) one message's email; raises when SQS should deliver it again."""
        outcome = self._outcome.get(message_id)
        if isinstance(outcome, Exception):
            raise outcome
        if outcome is not None:
            return outcome
        if self._read_error is not None:
            raise self._read_error
        notice, held = self._claimed[message_id]
        profile = self._facts.profiles.get(notice.student_id)
        details = _details(profile, notice)
        reason, message = self._compose(notice, profile, details)
        if reason:
            self._finish(held, reminder_data.SKIPPED, {**details, "reason": reason})
            metrics.add_metric(name="ReminderSkipped", unit="Count", value=1)
            return f"skipped: {reason}"
        try:
            ses_id = mailer.send(to=profile["email"], subject=message.subject, html=message.html,
                                 text=message.text)
        except Exception as error:
            # The claim stays "sending" under its lease; SQS retries the record later.
            logger.error("reminder not sent", extra={"student_id": notice.student_id,
                                                     "reminder": notice.key, "error": type(error).__name__})
            metrics.add_metric(name="ReminderFailed", unit="Count", value=1)
            raise
        self._finish(held, reminder_data.SENT, {**details, "ses_message_id": ses_id})
        metrics.add_metric(name="ReminderSent", unit="Count", value=1)
        return "sent"

    def _finish(self, held: reminder_data.Claim, status: str, details: dict[str, Any]) -> None:
        try:
            reminder_data.finish(held, status=status, at=self.at, details=details)
        except reminder_data.ClaimLost:
            # Our lease ran out and another sender took over: it may send again.
            logger.warning("reminder claim lost", extra={"student_id": held.student_id,
                                                         "reminder": f"{held.school_year}:{held.label}"})

    def _compose(self, notice: Notice, profile: dict[str, Any] | None,
                 details: dict[str, Any]) -> tuple[str | None, mail.Message | None]:
        """(why to skip, None) or (None, the email), from the records read just now."""
        if profile is None:
            return "no_profile", None
        year = rules.SchoolYear.parse(notice.school_year)
        window = window_from_record(year, self._facts.windows.get(year.name))
        record = self._facts.years.get((notice.student_id, year.name))
        if notice.kind == WINDOW_OPEN:
            if not rules.still_in_school(profile["expected_graduation_year"], year):
                return "graduated", None
            if record is not None:
                return "registered", None
            if window.status(self.at) is rules.WindowStatus.CLOSED:
                return "window_closed", None
            return None, _open_message(profile, window)
        if record is None:
            return "not_registered", None
        facts = FeeFacts.of(record)
        status = facts.status()
        if status is not rules.FeeStatus.DUE:
            return status.value, None
        amount = facts.amount_due()
        if amount == 0:
            return "nothing_due", None
        if not window.is_open(self.at):
            return "window_closed", None
        details["amount_cents"] = amount
        return None, _reminder_message(profile, window, amount, self.at)


def _details(profile: dict[str, Any] | None, notice: Notice) -> dict[str, Any]:
    """What the history shows beside the status: who, at which school."""
    if profile is None:
        return {}
    return {"sers_id": profile["sers_id"], "legal_first_name": profile["legal_first_name"],
            "legal_last_name": profile["legal_last_name"], "school_id": profile.get("school_id")}


def _long(d: date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def _reminder_message(profile: dict[str, Any], window: rules.Window, amount: int,
                      at: datetime) -> mail.Message:
    left = (window.closes_on - rules.pacific_date(at)).days
    return mail.render(
        "reminder",
        f"Reminder: your {window.school_year} CTE Dual Credit fee is due by {_long(window.closes_on)}",
        sers_id=profile["sers_id"],
        school_year=window.school_year.name,
        amount=mail.money(amount),
        deadline=f"{_long(window.closes_on)}, 11:59 pm Pacific time",
        days_left="tomorrow" if left == 1 else f"in {left} days",
        pay_url=f"{get_settings().app_base_url}/pay",
    )


def _open_message(profile: dict[str, Any], window: rules.Window) -> mail.Message:
    return mail.render(
        "window_open",
        f"CTE Dual Credit registration for {window.school_year} is open",
        sers_id=profile["sers_id"],
        school_year=window.school_year.name,
        opens_on=_long(window.opens_on),
        closes_on=_long(window.closes_on),
        fee=mail.money(rules.BASE_FEE_CENTS),
        dashboard_url=f"{get_settings().app_base_url}/dashboard",
    )


# --------------------------------------------------------------------------- staff

PREVIEW_LIMIT = 1000


def _year(school_year: str | None, at: datetime) -> rules.SchoolYear:
    return rules.school_year_or_current(school_year, at)


def _days(days: int | None) -> tuple[int, ...]:
    if days is None:
        return get_settings().reminder_days
    try:
        return rules.parse_reminder_days([days])
    except rules.RuleError as error:
        raise InvalidInput(str(error), field="days") from None


def preview(caller: Caller, school_year: str | None, days: int | None, at: datetime,
            limit: int = PREVIEW_LIMIT) -> ReminderPreview:
    """Dry run: who the reminder (today's, the next one, or `days`) would reach if the job
    ran now: due students it has not already reached. Nothing is sent or written.

    Requests: GetItem window, GSI2 Query pages, 1 Query of the reminder's claims,
    1 Query of schools, and one BatchGetItem per 100 listed students (names)."""
    caller.require(Role.STAFF)
    year = _year(school_year, at)
    window = window_from_record(year, window_data.get(year.name))
    lead = rules.next_reminder(rules.pacific_date(at), window.closes_on, _days(days))
    done = {item["student_id"] for item in reminder_data.of_reminder(year.name, str(lead))
            if item.get("status") in (reminder_data.SENT, reminder_data.SKIPPED)}
    due: list[tuple[dict[str, Any], int]] = []
    already = 0
    for page in payment_data.student_year_pages(year.name):
        for record in page:
            if not is_due(record):
                continue
            if record["student_id"] in done:
                already += 1
                continue
            due.append((record, FeeFacts.of(record).amount_due()))
    listed = due[:limit]
    profiles = student_data.get_profiles([record["student_id"] for record, _ in listed])
    schools = {s["school_id"]: s["name"] for s in catalog_data.list_schools()}
    students = []
    for record, amount in listed:
        profile = profiles.get(record["student_id"], {})
        school_id = profile.get("school_id") or record.get("school_id")
        students.append(ReminderPreviewStudent(
            student_id=record["student_id"], sers_id=record.get("sers_id") or profile.get("sers_id", ""),
            legal_first_name=profile.get("legal_first_name"), legal_last_name=profile.get("legal_last_name"),
            school_id=school_id, school_name=schools.get(school_id), amount_cents=amount,
        ))
    reminder_on = rules.reminder_date(window.closes_on, lead)
    return ReminderPreview(
        school_year=year.name, days=lead, reminder=f"{year.name}:{lead}",
        reminder_on=reminder_on, closes_on=window.closes_on,
        due_today=reminder_on == rules.pacific_date(at) and window.is_open(at),
        student_count=len(due), amount_cents_total=sum(amount for _, amount in due),
        already_done=already, students=students, truncated=len(due) > limit,
    )


HISTORY_LIMIT = 1000


def history(caller: Caller, school_year: str | None, days: int | None, at: datetime,
            limit: int = HISTORY_LIMIT) -> ReminderHistory:
    """What was sent (or skipped) to whom and when: one Query per reminder (the `days`
    one, or every configured reminder and the open notice)."""
    caller.require(Role.STAFF)
    year = _year(school_year, at)
    labels = [str(days)] if days is not None else [*map(str, get_settings().reminder_days), OPEN_LABEL]
    items = [item for label in labels for item in reminder_data.of_reminder(year.name, label)]
    items.sort(key=lambda item: item.get("sent_at") or item.get("skipped_at") or item["claimed_at"],
               reverse=True)
    counts = Counter(item["status"] for item in items)
    return ReminderHistory(
        school_year=year.name,
        reminders=[f"{year.name}:{label}" for label in labels],
        counts={status: counts.get(status, 0) for status in
                (reminder_data.SENT, reminder_data.SKIPPED, reminder_data.SENDING)},
        entries=[ReminderHistoryEntry.model_validate(item) for item in items[:limit]],
        truncated=len(items) > limit,
    )
