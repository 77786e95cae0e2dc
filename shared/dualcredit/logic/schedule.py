"""The scheduled jobs: open the window on December 1, close it after its last day, fan
deadline reminders out to the reminder queue, and reconcile with Stripe's events daily
(logic/reconciliation.py).

Each job takes "now" from the caller (dualcredit.clock in the function), decides from
the rules and the window record what is due, and is safe to run again: a step done
is recorded on the window record with its date (dal/windows.mark), and each email
goes out at most once through the sender's claims (logic/reminders/sending.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from dualcredit import mail, rules
from dualcredit.dal import checkouts, queue, stripe_gateway
from dualcredit.dal import payments as payment_data
from dualcredit.dal import students as student_data
from dualcredit.dal import windows as window_data
from dualcredit.dal.records import StudentYear
from dualcredit.dal.windows import Step
from dualcredit.logic import notify
from dualcredit.logic.reminders.notices import (
    REMINDER,
    WINDOW_OPEN,
    is_due,
    open_notice,
    publish_template,
    reminder_notice,
)
from dualcredit.observability import logger, metrics
from dualcredit.settings import get_settings

if TYPE_CHECKING:
    from dualcredit.models.payments import PaymentsReport


class Action(StrEnum):
    """What EventBridge Scheduler asks for, in the event's "action"."""

    OPEN = "open"
    CLOSE = "close"
    REMIND = "remind"
    RECONCILE = "reconcile"
    GRADING_REMIND = "grading_remind"


class JobIncomplete(Exception):
    """Part of a job failed; the job raises so the scheduler runs it again, and the
    rerun finishes what is left (every step is safe to repeat)."""


def run(action: str, at: datetime, school_year: str | None = None) -> dict[str, Any]:
    """One scheduled job. `school_year` (e.g. "2026-27") is for manual runs only."""
    try:
        job = Action(action)
    except ValueError:
        expected = ", ".join(Action)
        raise ValueError(
            f"unknown scheduled action {action!r}; expected one of {expected}"
        ) from None
    match job:
        case Action.OPEN:
            return open_window(at)
        case Action.CLOSE:
            return close_window(at, school_year)
        case Action.REMIND:
            return send_reminders(at)
        case Action.RECONCILE:
            from dualcredit.logic.reconciliation import reconcile

            return reconcile(at)
        case Action.GRADING_REMIND:
            from dualcredit.logic.reminders.grading import fan_out

            return fan_out(at)


def _queue_url() -> str:
    url = get_settings().reminder_queue_url
    if not url:
        raise RuntimeError("REMINDER_QUEUE_URL is not set")
    return url


# --------------------------------------------------------------------------- open


def open_window(at: datetime) -> dict[str, Any]:
    """Record the current school year's window as open and tell last year's students who
    are still in school. A second run finds the announcement recorded and does nothing;
    a run that died before recording it sends the notices again, and the sender's
    claims keep each student to one email."""
    year = rules.school_year_of(at)
    record = window_data.get(year.name)
    window = record.window
    result: dict[str, Any] = {"action": "open", "school_year": year.name}
    status = window.status(at)
    if status is rules.WindowStatus.NOT_YET_OPEN:
        return {**result, "outcome": "not_yet_open", "opens_at": window.opens_at.isoformat()}
    if status is rules.WindowStatus.CLOSED:
        return {**result, "outcome": "already_closed"}
    opens_on = window.opens_on.isoformat()
    if record.announced_on == opens_on:
        return {**result, "outcome": "already_open"}
    first = window_data.mark(year.name, Step.OPENED, opens_on, at=at)
    publish_template(WINDOW_OPEN)
    notified = queue.send_all(_queue_url(), _open_notices(year))
    window_data.mark(year.name, Step.ANNOUNCED, opens_on, at=at)
    logger.info(
        "window opened", extra={"school_year": year.name, "notified": notified, "first": first}
    )
    metrics.add_metric(name="OpenNoticesEnqueued", unit="Count", value=notified)
    return {**result, "outcome": "opened" if first else "announced", "notified": notified}


def _open_notices(year: rules.SchoolYear) -> Iterator[dict[str, str]]:
    """Last year's students (GSI2 pages), with their profiles (100 per BatchGetItem),
    who are still in high school in `year`."""
    for page in payment_data.student_year_pages(year.previous().name):
        profiles = student_data.get_profiles(list(dict.fromkeys(r.student_id for r in page)))
        for student_id, profile in profiles.items():
            if rules.still_in_school(profile.expected_graduation_year, year):
                yield open_notice(student_id, year).body()


# --------------------------------------------------------------------------- close


def close_window(at: datetime, school_year: str | None = None) -> dict[str, Any]:
    """Close the most recent opened window once its (possibly extended) last day is over.

    The schedule runs every day from June 16 to July 1 at 00:05 Pacific; a run before the
    close is postponed, so a staff extension moves the close with no schedule to edit.
    Closing records the close, expires the year's open Checkout Sessions (except
    approved prior-year credit, which may be paid after the deadline) and emails staff
    a summary. A run after the summary was sent does nothing.
    """
    year = rules.SchoolYear.parse(school_year) if school_year else rules.latest_opened_year(at)
    record = window_data.get(year.name)
    window = record.window
    result: dict[str, Any] = {
        "action": "close",
        "school_year": year.name,
        "closes_on": window.closes_on.isoformat(),
    }
    if at < window.closes_at:
        return {**result, "outcome": "postponed", "closes_at": window.closes_at.isoformat()}
    closes_on = window.closes_on.isoformat()
    if record.summarized_on == closes_on:
        return {**result, "outcome": "already_closed"}
    first = window_data.mark(year.name, Step.CLOSED, closes_on, at=at)
    records: list[StudentYear] = []
    expired = kept = failed = 0
    for page in payment_data.student_year_pages(year.name):
        for student_year in page:
            records.append(student_year)
            checkout = student_year.checkout
            if checkout is None:
                continue
            if rules.late_fee_applies(student_year.fee_facts):
                kept += 1  # approved prior-year credit: payable after the deadline
                continue
            try:
                stripe_gateway.expire_if_open(checkout.session_id)
            except Exception as error:  # noqa: BLE001 - the others still expire; the rerun retries
                logger.error(
                    "checkout not expired",
                    extra={"student_id": student_year.student_id, "error": type(error).__name__},
                )
                failed += 1
                continue
            checkouts.clear_checkout(student_year.student_id, year.name, checkout.session_id)
            expired += 1
    result.update(sessions_expired=expired, sessions_kept=kept)
    if failed:
        raise JobIncomplete(f"{failed} checkout sessions could not be expired")
    # The report's models (pydantic) load here, for the closing job only: the daily
    # open and remind jobs start without them.
    from dualcredit.logic.report import build_payments_report

    report = build_payments_report(year.name, records)
    message = _summary(report, window, expired=expired, kept=kept)
    if not notify.deliver(get_settings().staff_email, message, kind="close_summary"):
        raise JobIncomplete("the staff summary was not sent")
    window_data.mark(year.name, Step.SUMMARIZED, closes_on, at=at)
    logger.info("window closed", extra={"school_year": year.name, "expired": expired, "kept": kept})
    metrics.add_metric(name="CheckoutsExpiredAtClose", unit="Count", value=expired)
    return {**result, "outcome": "closed" if first else "summarized", "totals": report.totals}


def _summary(
    report: PaymentsReport, window: rules.Window, *, expired: int, kept: int
) -> mail.Message:
    columns = ("paid_card", "paid_check", "waived", "waiver_pending", "due")
    rows = [(row.school_name, *(getattr(row, c) for c in columns)) for row in report.rows]
    rows_html = mail.html_rows(rows)
    rows_text = "\n".join(
        f"  {name}: {' / '.join(str(n) for n in counts)}" for name, *counts in rows
    )
    # To staff, in English.
    return mail.render(
        "close_summary",
        "en",
        school_year=window.school_year.name,
        closes_on=rules.long_date(window.closes_on),
        **{c: str(report.totals[c]) for c in columns},
        collected=mail.money(report.collected_cents),
        outstanding=mail.money(report.outstanding_cents),
        sessions_expired=str(expired),
        sessions_kept=str(kept),
        rows_html=rows_html,
        rows=rows_text or "  (no registrations)",
        report_url=f"{get_settings().app_base_url}/staff/",
    )


# --------------------------------------------------------------------------- remind


def send_reminders(at: datetime) -> dict[str, Any]:
    """On a reminder day (N Pacific days before the window's last day, N configured),
    put one message per due student on the reminder queue, ten per SendMessageBatch.

    Walks the year's student-years page by page (GSI2), so memory stays flat. A rerun
    enqueues again; the sender's claims keep each student to one email per reminder.
    """
    year = rules.school_year_of(at)
    window = window_data.get(year.name).window
    result: dict[str, Any] = {
        "action": "remind",
        "school_year": year.name,
        "closes_on": window.closes_on.isoformat(),
    }
    if not window.is_open(at):
        return {**result, "outcome": "window_not_open"}
    days = rules.reminder_days_due(
        rules.pacific_date(at), window.closes_on, get_settings().reminder_days
    )
    if days is None:
        return {**result, "outcome": "no_reminder_today"}

    def notices() -> Iterator[dict[str, str]]:
        for page in payment_data.student_year_pages(year.name):
            for student_year in page:
                if is_due(student_year):
                    yield reminder_notice(student_year.student_id, year, days).body()

    publish_template(REMINDER)
    enqueued = queue.send_all(_queue_url(), notices())
    logger.info(
        "reminders enqueued", extra={"reminder": f"{year.name}:{days}", "enqueued": enqueued}
    )
    metrics.add_metric(name="RemindersEnqueued", unit="Count", value=enqueued)
    return {
        **result,
        "outcome": "enqueued",
        "reminder": f"{year.name}:{days}",
        "enqueued": enqueued,
    }
