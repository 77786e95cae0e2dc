"""The reconciliation, the webhook's backstop: once a day the scheduled function reads
Stripe's list of the events the webhook acts on, for the last few days (a setting, at
most Stripe's 30), and passes each through the same once-per-event processing as the
webhook (`stripe_processing.process_event`). An event the webhook never got (an outage of
any length within the window, a delivery that kept failing) is applied now; one it
already processed is found in the shared idempotency records and left alone. Each run
is recorded for staff: events read, applied, already applied."""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime
from typing import Any

from dualcredit import clock, rules
from dualcredit.dal import reconciliation as run_data
from dualcredit.dal import stripe_gateway
from dualcredit.dal.idempotency import InProgress
from dualcredit.dal.reconciliation import ReconciliationRun
from dualcredit.logic import stripe_processing
from dualcredit.logic.caller import Caller, Role
from dualcredit.models.payments import ReconciliationRunOut
from dualcredit.observability import logger, metrics
from dualcredit.settings import get_settings

#: Runs shown to staff.
RUNS_SHOWN = 30


class ReconciliationIncomplete(Exception):
    """Some events could not be read or applied; the run is recorded, and raising makes
    the scheduler retry it (what was applied is found applied the next time)."""


def reconcile(at: datetime) -> dict[str, Any]:
    """One run at `at`: read, apply what is new, record the counts."""
    days = get_settings().reconciliation_days
    since = rules.reconciliation_since(at, days)
    run = ReconciliationRun(
        # Wall-clock ordered, so runs at one application time (a fixed clock) sort too.
        run_id=f"{time.time_ns():x}",
        started_at=at.isoformat(),
        since=since.isoformat(),
        days=days,
    )
    events: list[dict[str, Any]] = []
    unreadable = False
    try:
        for page in stripe_gateway.list_event_pages(
            rules.RECONCILED_EVENT_TYPES, created_since=since, page_size=rules.EVENTS_PAGE_SIZE
        ):
            run.pages += 1
            events.extend(page)
    except stripe_gateway.StripeUnavailable:
        unreadable = True
    outcomes: Counter[str] = Counter()
    # Oldest first, as the webhook would have met them (Stripe lists newest first, so the
    # reversed list keeps events of one second in the order they happened).
    for event in sorted(reversed(events), key=lambda e: e.get("created") or 0):
        run.events_read += 1
        try:
            applied = stripe_processing.process_event(event)
        except InProgress:
            run.in_progress += 1
            continue
        except stripe_gateway.StripeUnavailable:
            run.failed += 1
            continue
        if applied.fresh:
            run.applied += 1
            outcomes[str(applied.result["outcome"])] += 1
        else:
            run.already_applied += 1
    run.outcomes = dict(outcomes)
    if unreadable:
        run.failed += 1  # the list itself: the rest of it was not read
    run.finished_at = clock.now().isoformat()
    run_data.record_run(run)
    metrics.add_metric(name="ReconciliationApplied", unit="Count", value=run.applied)
    result = {
        "action": "reconcile",
        "outcome": (
            f"{run.events_read} events read: {run.applied} applied, "
            f"{run.already_applied} already applied"
        ),
        "run_id": run.run_id,
        "events_read": run.events_read,
        "applied": run.applied,
        "already_applied": run.already_applied,
        "in_progress": run.in_progress,
        "failed": run.failed,
    }
    if run.applied:
        logger.warning("reconciliation applied events the webhook missed", extra=result)
    if run.failed:
        raise ReconciliationIncomplete(f"{run.failed} events or pages could not be processed")
    return result


def recent_runs(caller: Caller) -> list[ReconciliationRunOut]:
    """The latest runs, newest first, for staff."""
    caller.require(Role.STAFF)
    return [
        ReconciliationRunOut.model_validate(run, from_attributes=True)
        for run in run_data.recent_runs(RUNS_SHOWN)
    ]
