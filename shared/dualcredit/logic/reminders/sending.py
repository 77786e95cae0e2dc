"""Deadline reminders and the "registration is open" notice.

The scheduled job (logic/schedule.py) fans notices out to SQS, one message per
student. The sender turns each message into at most one email, a batch at a time:
it reads the students' records and the reminder's claims right before sending, takes
the claims of those still due in one transaction (recording the others as skipped),
sends one templated bulk email, and marks the claims sent in one more transaction.
A failed send leaves its claim "sending" under a lease and fails its SQS record, so
SQS delivers it again after its visibility timeout, when the lease has run out and
the claim can be taken over.

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
SKIP_REASONS = (
    "paid",
    "waived",
    "waiver_pending",
    "nothing_due",
    "not_registered",
    "no_profile",
    "window_closed",
    "graduated",
    "registered",
)


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
        return {
            "kind": self.kind,
            "student_id": self.student_id,
            "school_year": self.school_year,
            "reminder": self.key,
        }

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
        if not (
            (kind == REMINDER and label.isdigit()) or (kind == WINDOW_OPEN and label == OPEN_LABEL)
        ):
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

#: The stored SES template and subject of each kind of notice (string.Template values,
#: filled by `_reminder_values` and `_open_values`).
TEMPLATES = {
    REMINDER: ("reminder", "Reminder: your $school_year CTE Dual Credit fee is due by $closes_on"),
    WINDOW_OPEN: ("window_open", "CTE Dual Credit registration for $school_year is open"),
}


def publish_template(kind: str) -> None:
    """Store the SES template of a kind of notice from the repository's mail templates,
    before the notices are fanned out (one or two SES requests per job run)."""
    name, subject = TEMPLATES[kind]
    message = mail.bulk_template(name, subject)
    mailer.put_template(name, subject=message.subject, html=message.html, text=message.text)


@dataclass
class _Pending:
    message_id: str
    notice: Notice
    profile: dict[str, Any]
    values: dict[str, str]
    details: dict[str, Any]
    claim: reminder_data.Claim | None = None


class SendBatch:
    """One SQS batch of notices (up to 50), in four requests whatever its size: one
    consistent BatchGetItem (profiles, student-years, windows, claims; two above 33
    messages), one TransactWriteItems taking the claims (skips recorded final), one SES
    bulk send per kind of notice, one TransactWriteItems marking the sent claims.

    Everything happens on construction; `deliver` then answers each record: returns
    what became of it, or raises so that SQS delivers it again.
    """

    def __init__(self, records: list[tuple[str, str]], at: datetime):
        self.at = at
        self._outcome: dict[str, str | Exception] = {}
        notices: dict[str, Notice] = {}
        for message_id, body in records:
            try:
                notice = Notice.parse(body)
            except BadMessage as error:
                self._outcome[message_id] = error
                continue
            if notice in notices.values():
                # The same notice twice in one batch (the job ran twice): the first one's
                # record stands for both, and is retried by SQS if it fails.
                self._outcome[message_id] = "duplicate in batch"
                continue
            notices[message_id] = notice
        if notices:
            self._run(notices)

    def deliver(self, message_id: str) -> str:
        """What became of one record; raises when SQS should deliver it again."""
        outcome = self._outcome[message_id]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _fail(self, message_ids, error: Exception) -> None:
        for message_id in message_ids:
            self._outcome[message_id] = error

    def _run(self, notices: dict[str, Notice]) -> None:
        try:
            facts = reminder_data.load_for_sending(
                [(n.student_id, n.school_year, n.label) for n in notices.values()]
            )
        except Exception as error:  # noqa: BLE001 - every record fails with it, SQS retries
            self._fail(notices, error)
            return
        entries: list[tuple[str, reminder_data.Take, _Pending | None]] = []
        now = int(self.at.timestamp())
        for message_id, notice in notices.items():
            claim_item = (
                facts.claims.get((notice.school_year, notice.label, notice.student_id)) or {}
            )
            if claim_item.get("status") in (reminder_data.SENT, reminder_data.SKIPPED):
                self._outcome[message_id] = f"already {claim_item['status']}"
                continue
            if (
                claim_item.get("status") == reminder_data.SENDING
                and claim_item.get("lease_until", 0) >= now
            ):
                self._outcome[message_id] = InProgress(message_id)
                continue
            profile = facts.profiles.get(notice.student_id)
            try:
                details = _details(profile, notice)
                reason, values = self._compose(notice, profile, facts, details)
            except Exception as error:  # noqa: BLE001 - this record fails (to the DLQ), the batch goes on
                logger.error(
                    "reminder not composed",
                    extra={
                        "student_id": notice.student_id,
                        "reminder": notice.key,
                        "error": type(error).__name__,
                    },
                )
                self._outcome[message_id] = error
                continue
            take = reminder_data.Take(
                notice.school_year,
                notice.label,
                notice.student_id,
                notice.kind,
                skipped={**details, "reason": reason} if reason else None,
            )
            entries.append(
                (
                    message_id,
                    take,
                    None if reason else _Pending(message_id, notice, profile, values, details),
                )
            )
        if not entries:
            return
        try:
            claims = reminder_data.take_all(
                [take for _, take, _ in entries],
                at=self.at,
                lease_seconds=int(LEASE.total_seconds()),
            )
        except Exception as error:  # noqa: BLE001 - nothing was written: SQS retries them all
            self._fail([message_id for message_id, _, _ in entries], error)
            return
        to_send: list[_Pending] = []
        for (message_id, take, pending), claim in zip(entries, claims, strict=True):
            if claim is None:
                # Another sender took it after our read: it sends, or SQS asks us again.
                self._outcome[message_id] = InProgress(message_id)
            elif pending is None:
                self._outcome[message_id] = f"skipped: {take.skipped['reason']}"
                metrics.add_metric(name="ReminderSkipped", unit="Count", value=1)
            else:
                pending.claim = claim
                to_send.append(pending)
        if to_send:
            self._send(to_send)

    def _send(self, to_send: list[_Pending]) -> None:
        sent: list[tuple[_Pending, str]] = []
        for kind in dict.fromkeys(p.notice.kind for p in to_send):
            group = [p for p in to_send if p.notice.kind == kind]
            try:
                ids = mailer.send_bulk(
                    TEMPLATES[kind][0], [(p.profile["email"], p.values) for p in group]
                )
            except Exception as error:  # noqa: BLE001 - these records fail, SQS retries them
                # The claims stay "sending" under their lease; SQS retries these records
                # after the visibility timeout, when the lease has run out.
                logger.error(
                    "reminders not sent", extra={"count": len(group), "error": type(error).__name__}
                )
                metrics.add_metric(name="ReminderFailed", unit="Count", value=len(group))
                self._fail([p.message_id for p in group], error)
                continue
            for p, ses_id in zip(group, ids, strict=True):
                if ses_id is None:
                    logger.error(
                        "reminder refused by SES",
                        extra={"student_id": p.notice.student_id, "reminder": p.notice.key},
                    )
                    metrics.add_metric(name="ReminderFailed", unit="Count", value=1)
                    self._outcome[p.message_id] = NotSent(p.message_id)
                else:
                    sent.append((p, ses_id))
        if not sent:
            return
        for p, _ in sent:
            self._outcome[p.message_id] = "sent"
        metrics.add_metric(name="ReminderSent", unit="Count", value=len(sent))
        try:
            lost = reminder_data.finish_all(
                [
                    reminder_data.Sent(p.claim, {**p.details, "ses_message_id": ses_id})
                    for p, ses_id in sent
                ],
                at=self.at,
            )
        except Exception as error:  # noqa: BLE001 - the emails went out: do not send them again
            # The records succeed (SQS must not redeliver mail that went out); the claims
            # stay "sending" until their lease runs out, and the history shows them so.
            logger.error(
                "reminders sent but not marked",
                extra={"count": len(sent), "error": type(error).__name__},
            )
            metrics.add_metric(name="ReminderUnmarked", unit="Count", value=len(sent))
            return
        for claim in lost:
            # Our lease ran out and another sender took over: it may send again.
            logger.warning(
                "reminder claim lost",
                extra={
                    "student_id": claim.student_id,
                    "reminder": f"{claim.school_year}:{claim.label}",
                },
            )

    def _compose(
        self,
        notice: Notice,
        profile: dict[str, Any] | None,
        facts: reminder_data.SendingFacts,
        details: dict[str, Any],
    ) -> tuple[str | None, dict[str, str]]:
        """(why to skip, {}) or (None, the email's template values), from the records read
        just now."""
        if profile is None:
            return "no_profile", {}
        year = rules.SchoolYear.parse(notice.school_year)
        window = window_from_record(year, facts.windows.get(year.name))
        record = facts.years.get((notice.student_id, year.name))
        if notice.kind == WINDOW_OPEN:
            if not rules.still_in_school(profile["expected_graduation_year"], year):
                return "graduated", {}
            if record is not None:
                return "registered", {}
            if window.status(self.at) is rules.WindowStatus.CLOSED:
                return "window_closed", {}
            return None, _open_values(profile, window)
        if record is None:
            return "not_registered", {}
        facts_of_fee = FeeFacts.of(record)
        status = facts_of_fee.status()
        if status is not rules.FeeStatus.DUE:
            return status.value, {}
        amount = facts_of_fee.amount_due()
        if amount == 0:
            return "nothing_due", {}
        if not window.is_open(self.at):
            return "window_closed", {}
        details["amount_cents"] = amount
        return None, _reminder_values(profile, window, amount, self.at)


class NotSent(Exception):
    """SES refused this destination of a bulk send; SQS will deliver it again."""


def _details(profile: dict[str, Any] | None, notice: Notice) -> dict[str, Any]:
    """What the history shows beside the status: who, at which school."""
    if profile is None:
        return {}
    return {
        "sers_id": profile["sers_id"],
        "legal_first_name": profile["legal_first_name"],
        "legal_last_name": profile["legal_last_name"],
        "school_id": profile.get("school_id"),
    }


def _long(d: date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def _reminder_values(
    profile: dict[str, Any], window: rules.Window, amount: int, at: datetime
) -> dict[str, str]:
    left = (window.closes_on - rules.pacific_date(at)).days
    return mail.bulk_values(
        sers_id=profile["sers_id"],
        school_year=window.school_year.name,
        amount=mail.money(amount),
        closes_on=_long(window.closes_on),
        deadline=f"{_long(window.closes_on)}, 11:59 pm Pacific time",
        days_left="tomorrow" if left == 1 else f"in {left} days",
        pay_url=f"{get_settings().app_base_url}/pay",
    )


def _open_values(profile: dict[str, Any], window: rules.Window) -> dict[str, str]:
    return mail.bulk_values(
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


def preview(
    caller: Caller,
    school_year: str | None,
    days: int | None,
    at: datetime,
    limit: int = PREVIEW_LIMIT,
) -> ReminderPreview:
    """Dry run: who the reminder (today's, the next one, or `days`) would reach if the job
    ran now: due students it has not already reached. Nothing is sent or written.

    Requests: GetItem window, GSI2 Query pages, 1 Query of the reminder's claims,
    1 Query of schools, and one BatchGetItem per 100 listed students (names)."""
    caller.require(Role.STAFF)
    year = _year(school_year, at)
    window = window_from_record(year, window_data.get(year.name))
    lead = rules.next_reminder(rules.pacific_date(at), window.closes_on, _days(days))
    done = {
        item["student_id"]
        for item in reminder_data.of_reminder(year.name, str(lead))
        if item.get("status") in (reminder_data.SENT, reminder_data.SKIPPED)
    }
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
        students.append(
            ReminderPreviewStudent(
                student_id=record["student_id"],
                sers_id=record.get("sers_id") or profile.get("sers_id", ""),
                legal_first_name=profile.get("legal_first_name"),
                legal_last_name=profile.get("legal_last_name"),
                school_id=school_id,
                school_name=schools.get(school_id),
                amount_cents=amount,
            )
        )
    reminder_on = rules.reminder_date(window.closes_on, lead)
    return ReminderPreview(
        school_year=year.name,
        days=lead,
        reminder=f"{year.name}:{lead}",
        reminder_on=reminder_on,
        closes_on=window.closes_on,
        due_today=reminder_on == rules.pacific_date(at) and window.is_open(at),
        student_count=len(due),
        amount_cents_total=sum(amount for _, amount in due),
        already_done=already,
        students=students,
        truncated=len(due) > limit,
    )


HISTORY_LIMIT = 1000


def history(
    caller: Caller,
    school_year: str | None,
    days: int | None,
    at: datetime,
    limit: int = HISTORY_LIMIT,
) -> ReminderHistory:
    """What was sent (or skipped) to whom and when: one Query per reminder (the `days`
    one, or every configured reminder and the open notice)."""
    caller.require(Role.STAFF)
    year = _year(school_year, at)
    labels = (
        [str(days)] if days is not None else [*map(str, get_settings().reminder_days), OPEN_LABEL]
    )
    items = [item for label in labels for item in reminder_data.of_reminder(year.name, label)]
    items.sort(
        key=lambda item: item.get("sent_at") or item.get("skipped_at") or item["claimed_at"],
        reverse=True,
    )
    counts = Counter(item["status"] for item in items)
    return ReminderHistory(
        school_year=year.name,
        reminders=[f"{year.name}:{label}" for label in labels],
        counts={
            status: counts.get(status, 0)
            for status in (reminder_data.SENT, reminder_data.SKIPPED, reminder_data.SENDING)
        },
        entries=[ReminderHistoryEntry.model_validate(item) for item in items[:limit]],
        truncated=len(items) > limit,
    )
