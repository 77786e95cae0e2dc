"""What staff read about reminders: a dry run of who a reminder would reach, and the
history of what was sent (or skipped) to whom and when."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from dualcredit import rules
from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import payments as payment_data
from dualcredit.dal import reminders as reminder_data
from dualcredit.dal import students as student_data
from dualcredit.dal import windows as window_data
from dualcredit.dal.records import StudentYear
from dualcredit.errors import InvalidInput
from dualcredit.logic.caller import Caller, Role
from dualcredit.logic.reminders.notices import OPEN_LABEL, is_due
from dualcredit.models.reminders import (
    ReminderHistory,
    ReminderHistoryEntry,
    ReminderPreview,
    ReminderPreviewStudent,
)
from dualcredit.settings import get_settings

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
    window = window_data.get(year.name).window
    lead = rules.next_reminder(rules.pacific_date(at), window.closes_on, _days(days))
    done = {
        item["student_id"]
        for item in reminder_data.of_reminder(year.name, str(lead))
        if item.get("status") in (reminder_data.SENT, reminder_data.SKIPPED)
    }
    due: list[tuple[StudentYear, int]] = []
    already = 0
    for page in payment_data.student_year_pages(year.name):
        for record in page:
            if not is_due(record):
                continue
            if record.student_id in done:
                already += 1
                continue
            due.append((record, rules.amount_due(record.fee_facts)))
    listed = due[:limit]
    profiles = student_data.get_profiles([record.student_id for record, _ in listed])
    schools = {s["school_id"]: s["name"] for s in catalog_data.list_schools()}
    students = []
    for record, amount in listed:
        profile = profiles.get(record.student_id)
        school_id = (profile.school_id if profile else None) or record.school_id
        students.append(
            ReminderPreviewStudent(
                student_id=record.student_id,
                sers_id=record.sers_id or (profile.sers_id if profile else ""),
                legal_first_name=profile.legal_first_name if profile else None,
                legal_last_name=profile.legal_last_name if profile else None,
                school_id=school_id,
                school_name=schools.get(school_id) if school_id else None,
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
