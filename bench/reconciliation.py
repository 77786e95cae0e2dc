"""Requests of a reconciliation run per 100 Stripe events (issue 9).

On a stack of its own: 100 students pay at the stand-in while the webhook is down (the
bench's stand-in records events without delivering them), then the scheduled function's
`reconcile` action runs in-process twice: the first run applies all 100, the second finds
all 100 already applied. Every Stripe and AWS request of each run is counted and set
against the fewest Stripe's page size allows (a page of events is one request and holds
at most 100: rules.EVENTS_PAGE_SIZE) and, for DynamoDB, the fewest the processing needs:
an event already applied costs its idempotency record's one conditional PutItem; an
event applied costs what the webhook's first delivery of it costs (roundtrips'
WEBHOOK_EXPECTED["completed"]); the run's record is one PutItem.

    uv run python -m bench.reconciliation
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from typing import Any

from bench.handlers import REPO
from bench.stack import Api, AwsCalls, MotoStack, load_module, paid_students, seed, student_names
from bench.timing import BenchError

EVENTS = 100


def _minimums(events: int, page_size: int, applied: bool) -> dict[str, dict[str, int]]:
    from bench.roundtrips import WEBHOOK_EXPECTED

    pages = max(1, math.ceil(events / page_size))
    per_event = WEBHOOK_EXPECTED["completed"][0] if applied else {"PutItem": 1}
    dynamo = Counter({op: n * events for op, n in per_event.items()})
    dynamo["PutItem"] += 1  # the run's record
    return {"stripe": {"GET /v1/events": pages}, "dynamodb": dict(dynamo)}


def measure() -> dict[str, Any]:
    from dualcredit import rules
    from dualcredit.dal import secrets
    from tests.support.events import LambdaContext

    with MotoStack() as aws:
        api = Api()
        world = seed(api)
        paid_students(api, world, aws.stripe, student_names("recon", EVENTS))
        scheduled = load_module(
            REPO / "functions" / "scheduled" / "app.py",
            "bench_scheduled_reconcile",
        )
        calls = AwsCalls()
        calls.install(aws.stripe)
        rows = []
        try:
            for case, applied in (("first run (all 100 new)", True), ("second run", False)):
                secrets.forget()
                calls.clear()
                calls.enabled = True
                try:
                    result = scheduled.lambda_handler(
                        {"action": "reconcile"}, LambdaContext(function_name="scheduled")
                    )
                finally:
                    calls.enabled = False
                expect_applied = EVENTS if applied else 0
                if (result["events_read"], result["applied"]) != (EVENTS, expect_applied):
                    raise BenchError(f"reconciliation {case}: {result}")
                fewest = _minimums(EVENTS, rules.EVENTS_PAGE_SIZE, applied)
                measured = {svc: dict(sorted(ops.items())) for svc, ops in calls.by_service.items()}
                rows.append(
                    {
                        "case": case,
                        "events": EVENTS,
                        "applied": result["applied"],
                        "already_applied": result["already_applied"],
                        "requests": measured,
                        "fewest": fewest,
                        "verdict": {
                            svc: _verdict(measured.get(svc, {}), fewest[svc]) for svc in fewest
                        },
                    }
                )
        finally:
            calls.uninstall()
    return {"events": EVENTS, "page_size": rules.EVENTS_PAGE_SIZE, "rows": rows}


def _verdict(measured: dict[str, int], fewest: dict[str, int]) -> str:
    total, least = sum(measured.values()), sum(fewest.values())
    if measured == fewest:
        return "ok (the fewest)"
    return f"{total} vs {least} ({total / least:.2f}x)"


def as_lines(section: dict[str, Any]) -> list[str]:
    """The report's lines for a reconciliation section."""
    out = [
        f"5. Reconciliation per {section['events']} Stripe events (page size "
        f"{section['page_size']}, Stripe's largest): requests of a run, and the fewest"
    ]
    for row in section["rows"]:
        for service, fewest in row["fewest"].items():
            measured = row["requests"].get(service, {})
            out.append(
                f"  {row['case']}: {service} {sum(measured.values())} {measured} | fewest "
                f"{sum(fewest.values())} {fewest} | {row['verdict'][service]}"
            )
        others = {s: ops for s, ops in row["requests"].items() if s not in row["fewest"]}
        if others:
            out.append(f"  {row['case']}: also {others}")
    return out


if __name__ == "__main__":
    from bench.handlers import SHARED

    sys.path[:0] = [str(SHARED), str(REPO)]
    for line in as_lines(measure()):
        print(line)
    sys.exit(0)
