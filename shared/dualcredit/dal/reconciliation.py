"""The reconciliation's runs: one item per run in the RECONCILIATION partition
(`RUN#<started at>#<run id>`), read newest first by staff."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from dualcredit.dal import dynamo, keys


@dataclass
class ReconciliationRun:
    """What one run read from Stripe and what became of it."""

    run_id: str
    started_at: str
    #: The oldest event's moment the run asked Stripe for, and the window in days.
    since: str
    days: int
    finished_at: str = ""
    pages: int = 0
    events_read: int = 0
    #: Applied by this run: the webhook had never processed them (or failed to).
    applied: int = 0
    #: Already processed (by the webhook, or by an earlier run).
    already_applied: int = 0
    #: Being processed by a webhook delivery at that moment; that delivery applies them.
    in_progress: int = 0
    #: Could not be applied now (Stripe unreachable mid-event); the next run tries again.
    failed: int = 0
    #: What the events this run applied did ("settled fee": 2, ...).
    outcomes: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of_item(cls, item: dict[str, Any]) -> ReconciliationRun:
        counts = ("days", "pages", "events_read", "applied", "already_applied")
        more = ("in_progress", "failed")
        return cls(
            run_id=item["run_id"],
            started_at=item["started_at"],
            since=item["since"],
            finished_at=item.get("finished_at", ""),
            outcomes={k: int(v) for k, v in (item.get("outcomes") or {}).items()},
            **{name: int(item.get(name, 0)) for name in (*counts, *more)},
        )


def record_run(run: ReconciliationRun) -> None:
    dynamo.put_item(
        {
            "PK": keys.RECONCILIATION_PK,
            "SK": keys.reconciliation_run_sk(run.started_at, run.run_id),
            "type": "reconciliation_run",
            **asdict(run),
        }
    )


def recent_runs(limit: int) -> list[ReconciliationRun]:
    """The last `limit` runs, newest first (one Query)."""
    items = dynamo.query(pk=keys.RECONCILIATION_PK, sk_prefix="RUN#", forward=False, limit=limit)
    return [ReconciliationRun.of_item(item) for item in items]
