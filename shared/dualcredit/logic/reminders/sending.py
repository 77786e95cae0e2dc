"""The reminder sender: one SQS batch of notices (up to 50) at a time, at most one
email per student and notice.

It reads the students' records and the reminder's claims right before sending, takes
the claims of those still due in one transaction (recording the others as skipped),
sends one templated bulk email, and marks the claims sent in one more transaction. A
failed send leaves its claim "sending" under a lease and fails its SQS record, so SQS
delivers it again after its visibility timeout, when the lease has run out and the
claim can be taken over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from dualcredit import mail, rules
from dualcredit.dal import mailer
from dualcredit.dal import reminders as reminder_data
from dualcredit.dal.records import ProfileRecord
from dualcredit.i18n import Language
from dualcredit.logic import family_mail
from dualcredit.logic.reminders.notices import (
    COPIED,
    TEMPLATES,
    WINDOW_OPEN,
    BadMessage,
    Notice,
    open_values,
    reminder_values,
)
from dualcredit.observability import logger, metrics

#: How long a sender holds a claim. Longer than the sender's timeout (60 s), so a live
#: sender never loses its claim; shorter than the queue's visibility timeout (360 s),
#: so a message SQS delivers again finds the lease of the failed attempt run out.
LEASE = timedelta(minutes=3)


class InProgress(Exception):
    """Another sender holds the claim under a live lease; SQS will deliver this again."""


class NotSent(Exception):
    """SES refused this destination of a bulk send; SQS will deliver it again."""


@dataclass(frozen=True)
class _Copy:
    """A parent's or guardian's copy of one notice: where, which stored template, values."""

    address: str
    template: str
    values: dict[str, str]


@dataclass(frozen=True)
class _Pending:
    message_id: str
    notice: Notice
    profile: ProfileRecord
    #: The stored SES template in the student's language, and its values.
    template: str
    values: dict[str, str]
    details: dict[str, Any]
    copy: _Copy | None = None
    claim: reminder_data.Claim | None = None


@dataclass(frozen=True)
class BatchOutcome:
    """What became of each record of a batch."""

    outcomes: dict[str, str | Exception]

    def deliver(self, message_id: str) -> str:
        """What became of one record; raises when SQS should deliver it again."""
        outcome = self.outcomes[message_id]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def send_batch(records: Iterable[tuple[str, str]], at: datetime) -> BatchOutcome:
    """Send one SQS batch of notices, (message id, body) pairs, in four requests whatever
    its size: one consistent BatchGetItem (profiles, student-years, windows, claims; two
    above 33 messages), one TransactWriteItems taking the claims (skips recorded final),
    one SES bulk send per kind of notice, one TransactWriteItems marking the sent claims.
    """
    sender = _Sender(at)
    notices: dict[str, Notice] = {}
    for message_id, body in records:
        try:
            notice = Notice.parse(body)
        except BadMessage as error:
            sender.outcome[message_id] = error
            continue
        if notice in notices.values():
            # The same notice twice in one batch (the job ran twice): the first one's
            # record stands for both, and is retried by SQS if it fails.
            sender.outcome[message_id] = "duplicate in batch"
            continue
        notices[message_id] = notice
    if notices:
        sender.run(notices)
    return BatchOutcome(sender.outcome)


class _Sender:
    """The steps of one batch; `outcome` collects what became of each record."""

    def __init__(self, at: datetime):
        self.at = at
        self.outcome: dict[str, str | Exception] = {}

    def _fail(self, message_ids: Iterable[str], error: Exception) -> None:
        for message_id in message_ids:
            self.outcome[message_id] = error

    def run(self, notices: dict[str, Notice]) -> None:
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
            claim = facts.claims.get((notice.school_year, notice.label, notice.student_id))
            status = claim.status if claim else None
            if status in (reminder_data.SENT, reminder_data.SKIPPED):
                self.outcome[message_id] = f"already {status}"
                continue
            if claim and status == reminder_data.SENDING and claim.lease_until >= now:
                self.outcome[message_id] = InProgress(message_id)
                continue
            profile = facts.profiles.get(notice.student_id)
            try:
                details = _details(profile, notice)
                reason, values = self._compose(notice, profile, facts, details)
                pending = (
                    _pending(message_id, notice, profile, values, details)
                    if reason is None and profile is not None and values is not None
                    else None
                )
            except Exception as error:  # noqa: BLE001 - this record fails (to the DLQ), the batch goes on
                logger.error(
                    "reminder not composed",
                    extra={
                        "student_id": notice.student_id,
                        "reminder": notice.key,
                        "error": type(error).__name__,
                    },
                )
                self.outcome[message_id] = error
                continue
            take = reminder_data.Take(
                notice.school_year,
                notice.label,
                notice.student_id,
                notice.kind,
                skipped={**details, "reason": reason} if reason else None,
            )
            entries.append((message_id, take, pending))
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
        for (message_id, take, pending), held in zip(entries, claims, strict=True):
            if held is None:
                # Another sender took it after our read: it sends, or SQS asks us again.
                self.outcome[message_id] = InProgress(message_id)
            elif pending is None:
                self.outcome[message_id] = f"skipped: {(take.skipped or {}).get('reason')}"
                metrics.add_metric(name="ReminderSkipped", unit="Count", value=1)
            else:
                to_send.append(replace(pending, claim=held))
        if to_send:
            self._send(to_send)

    def _send(self, to_send: list[_Pending]) -> None:
        sent: list[tuple[_Pending, reminder_data.Claim, str]] = []
        for template in dict.fromkeys(p.template for p in to_send):
            group = [p for p in to_send if p.template == template]
            try:
                ids = mailer.send_bulk(template, [(p.profile.email, p.values) for p in group])
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
                    self.outcome[p.message_id] = NotSent(p.message_id)
                elif p.claim is not None:
                    sent.append((p, p.claim, ses_id))
        _send_copies([p for p, _, _ in sent])
        if not sent:
            return
        for p, _, _ in sent:
            self.outcome[p.message_id] = "sent"
        metrics.add_metric(name="ReminderSent", unit="Count", value=len(sent))
        try:
            lost = reminder_data.finish_all(
                [
                    reminder_data.Sent(claim, {**p.details, "ses_message_id": ses_id})
                    for p, claim, ses_id in sent
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
        profile: ProfileRecord | None,
        facts: reminder_data.SendingFacts,
        details: dict[str, Any],
    ) -> tuple[str | None, Values | None]:
        """(why to skip, None) or (None, the email's template values in a language), from
        the records read just now."""
        if profile is None:
            return "no_profile", None
        year = rules.SchoolYear.parse(notice.school_year)
        window = facts.windows[year.name].window
        record = facts.years.get((notice.student_id, year.name))
        if notice.kind == WINDOW_OPEN:
            if not rules.still_in_school(profile.expected_graduation_year, year):
                return "graduated", None
            if record is not None:
                return "registered", None
            if window.status(self.at) is rules.WindowStatus.CLOSED:
                return "window_closed", None
            return None, lambda language: open_values(profile, window, language)
        if record is None:
            return "not_registered", None
        status = rules.fee_status(record.fee_facts)
        if status is not rules.FeeStatus.DUE:
            return status.value, None
        amount = rules.amount_due(record.fee_facts)
        if amount == 0:
            return "nothing_due", None
        if not window.is_open(self.at):
            return "window_closed", None
        details["amount_cents"] = amount
        return None, lambda language: reminder_values(profile, window, amount, self.at, language)


#: A notice's template values in a language.
Values = Callable[[Language], dict[str, str]]


def _pending(
    message_id: str,
    notice: Notice,
    profile: ProfileRecord,
    values: Values,
    details: dict[str, Any],
) -> _Pending:
    """A notice to send: the student's template and values in their language, and the
    parent's or guardian's copy in theirs when the kind is copied and they get copies."""
    name = TEMPLATES[notice.kind]
    language = mail.language(profile.language)
    guardian = family_mail.guardian_copy(profile) if COPIED[notice.kind] else None
    copy = None
    if guardian is not None:
        address, guardian_language, link = guardian
        copy = _Copy(
            address,
            mail.bulk_name(name, guardian_language, guardian=True),
            {**values(guardian_language), **mail.bulk_values(stop_url=link)},
        )
    return _Pending(
        message_id,
        notice,
        profile,
        mail.bulk_name(name, language),
        values(language),
        details,
        copy,
    )


def _send_copies(sent: list[_Pending]) -> None:
    """The parents' and guardians' copies of the notices sent, one bulk send per stored
    template. A copy that fails is logged and counted, and never sent again: the
    student's notice went out and its claim is what SQS and the history follow."""
    copies = [p.copy for p in sent if p.copy is not None]
    for template in dict.fromkeys(c.template for c in copies):
        group = [c for c in copies if c.template == template]
        try:
            ids = mailer.send_bulk(template, [(c.address, c.values) for c in group])
        except Exception as error:  # noqa: BLE001 - the students' notices stand
            logger.error(
                "guardian copies not sent",
                extra={"count": len(group), "error": type(error).__name__},
            )
            metrics.add_metric(name="GuardianCopyFailed", unit="Count", value=len(group))
            continue
        refused = sum(1 for ses_id in ids if ses_id is None)
        if refused:
            metrics.add_metric(name="GuardianCopyFailed", unit="Count", value=refused)
        metrics.add_metric(name="GuardianCopySent", unit="Count", value=len(group) - refused)


def _details(profile: ProfileRecord | None, notice: Notice) -> dict[str, Any]:
    """What the history shows beside the status: who, at which school."""
    if profile is None:
        return {}
    return {
        "sers_id": profile.sers_id,
        "legal_first_name": profile.legal_first_name,
        "legal_last_name": profile.legal_last_name,
        "school_id": profile.school_id,
    }
