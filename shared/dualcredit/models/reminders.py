from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from dualcredit.models.common import Model


class ReminderPreviewStudent(Model):
    student_id: str
    sers_id: str
    legal_first_name: str | None = None
    legal_last_name: str | None = None
    school_id: str | None = None
    school_name: str | None = None
    amount_cents: int


class ReminderPreview(Model):
    """Who a reminder would reach if it ran now (nothing is sent)."""

    school_year: str
    days: int
    reminder: str
    reminder_on: date
    closes_on: date
    due_today: bool
    student_count: int
    amount_cents_total: int
    already_done: int
    students: list[ReminderPreviewStudent]
    truncated: bool


class ReminderHistoryEntry(Model):
    reminder: str
    kind: Literal["reminder", "window_open"]
    student_id: str
    sers_id: str | None = None
    legal_first_name: str | None = None
    legal_last_name: str | None = None
    school_id: str | None = None
    status: Literal["sending", "sent", "skipped"]
    reason: str | None = None
    amount_cents: int | None = None
    attempts: int
    claimed_at: datetime
    sent_at: datetime | None = None
    skipped_at: datetime | None = None


class ReminderHistory(Model):
    """What was sent to whom and when, newest first."""

    school_year: str
    reminders: list[str]
    counts: dict[str, int]
    entries: list[ReminderHistoryEntry]
    truncated: bool
