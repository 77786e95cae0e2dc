"""`uv run python -m bench [-n RUNS | --quick]`: see bench/__init__.py."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import UTC, datetime
from typing import Any

from bench.handlers import FLOOR, MINIMAL, PEER, REPO, SHARED, Handler, discover
from bench.timing import Request

#: Every function's first answer, from the shipped artifact, against the peer as SAM
#: ships it; and some against the floor (issue 13's targets).
PEER_TARGET = 0.5
FLOOR_TARGETS = {"api": 1.3, "grade_import": 1.3, "stripe_webhook": 1.8}
#: Functions the template publishes with SnapStart (the bench reports their restored
#: first answer too).
SNAPSTART = frozenset({"ApiFunction", "StripeWebhookFunction"})
BUILD_ROOT = REPO / ".aws-sam" / "bench"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "-n",
        "--runs",
        type=int,
        default=15,
        help="fresh processes per handler and measure (default 15, at least 10 for the issue)",
    )
    parser.add_argument("--quick", action="store_true", help="5 processes per figure (a smoke run)")
    parser.add_argument(
        "--commit",
        help="measure this commit's shared/ and functions/ (not the working tree's, which "
        "may hold others' unfinished edits), built by this checkout's steps",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = 5
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def _requests(aws: Any, api: Any, world: Any, count: int) -> dict[str, Request]:
    """One representative first request per handler. A new function needs an entry
    here to get a first-request figure."""
    from itertools import cycle

    from bench import stack
    from tests.support.events import api_event, claims

    teacher = claims("bench-teacher", groups=["school"], school_id=world.school_x)
    grades = cycle(["A", "B"])  # each process changes Alice's grade, so each one writes
    payers = iter(stack.paid_students(api, world, aws.stripe, stack.student_names("payer", count)))
    owing = iter(stack.registered_students(world, stack.student_names("owing", count)))
    reminder_env = stack.reminder_environment()

    def grade_event() -> dict:
        return api_event(
            "PUT",
            f"/schools/{world.school_x}/grades",
            claims=teacher,
            body={
                "school_year": stack.SCHOOL_YEAR,
                "grades": [
                    {
                        "sers_id": world.students["alice"].sers_id,
                        "offering_id": world.offering_x,
                        "grade": next(grades),
                    }
                ],
            },
        )

    def webhook_event() -> dict:
        # Signed when sent: Stripe's signatures are good for 5 minutes.
        return stack.webhook_event(*aws.stripe.signed_delivery(next(payers)))

    def reminder_batch() -> dict:
        return stack.reminder_batch(next(owing).student_id)

    item = api_event("GET", "/items/bench-item")
    item["pathParameters"] = {"item_id": "bench-item"}
    item["resource"] = "/items/{item_id}"
    return {
        MINIMAL: Request("GET /ping", api_event("GET", "/ping")),
        PEER: Request("GET /items/{id} (1 GetItem)", item),
        FLOOR: Request("GetItem", item),
        "api": Request("GET /window (1 GetItem)", api_event("GET", "/window")),
        "stripe_webhook": Request(
            "POST /stripe/webhook checkout.session.completed (settles, receipt)", webhook_event
        ),
        "grade_import": Request(
            "PUT /schools/{id}/grades, one changed grade (1 Query + 1 TransactWriteItems)",
            grade_event,
        ),
        "scheduled": Request(
            "remind on a reminder day (the year's due students queued)",
            {"action": "remind"},
            expect="any",
            env=reminder_env,
        ),
        "reminder_sender": Request(
            "one SQS reminder message (claim, one SES send)",
            reminder_batch,
            expect="sqs",
            env=reminder_env,
        ),
    }


def _ratio(value: float, reference: dict[str, Any] | None, key: str) -> float | None:
    if reference is None or key not in reference:
        return None
    return value / reference[key]


def _timing_section(
    handlers: list[Handler],
    samples: dict,
    key: str,
    requests: dict[str, Request] | None = None,
) -> dict[str, Any]:
    """Each handler's figures, as ratios to the references measured in the same run.
    `key` is the figure held to the targets: spawn to imported, or to answered."""
    summaries = {h.name: samples[h.name].summary() for h in handlers if h.name in samples}
    peer, floor, minimal = (summaries.get(n) for n in (PEER, FLOOR, MINIMAL))
    rows = []
    for h in handlers:
        if h.name not in summaries:
            continue
        summary = summaries[h.name]
        value = summary[key]
        to_peer = _ratio(value, peer, key)
        to_floor = _ratio(value, floor, key)
        floor_target = None if h.as_sam_ships else FLOOR_TARGETS.get(h.name)
        meets = None
        if not h.is_reference and not h.as_sam_ships and to_peer is not None:
            meets = to_peer <= PEER_TARGET and (
                floor_target is None or (to_floor is not None and to_floor <= floor_target)
            )
        rows.append(
            {
                "handler": h.label,
                "name": h.name,
                "reference": h.is_reference,
                "before": h.as_sam_ships,
                "request": (
                    requests[h.request_name].description
                    if requests and h.request_name in requests
                    else None
                ),
                **summary,
                "figure": key,
                "to_peer": to_peer,
                "to_floor": to_floor,
                "to_minimal": _ratio(value, minimal, key),
                "peer_target": None if h.is_reference or h.as_sam_ships else PEER_TARGET,
                "floor_target": floor_target,
                "meets_target": meets,
            }
        )
    return {"handlers": rows}


def _restored_section(handlers: list[Handler], samples: dict, first: dict) -> dict[str, Any]:
    """SnapStart: the first answer after the before-snapshot and after-restore hooks
    (in-process: a restored environment has no import to pay), beside the same
    handler's in-process first request without the hooks."""
    rows = []
    for h in handlers:
        if h.name not in samples:
            continue
        summary = samples[h.name].summary()
        cold = first["handlers"]
        plain = next(r for r in cold if r["name"] == h.name)
        rows.append(
            {
                "handler": h.label,
                "name": h.name,
                "restored_answer_median_s": summary["restored_answer_median_s"],
                "after_restore_median_s": summary["in_process_after_restore_median_s"],
                "request_median_s": summary["in_process_first_request_median_s"],
                "cold_first_request_median_s": plain.get("in_process_first_request_median_s"),
                "cold_to_answer_median_s": plain["to_answer_median_s"],
            }
        )
    return {"handlers": rows}


def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench import artifact, grade_files, reconciliation, reminders, roundtrips, stack, timing

    started = time.perf_counter()
    print(
        f"bench: building the artifact ({artifact.layer_arch()}) into {BUILD_ROOT}...",
        file=sys.stderr,
    )
    source = REPO
    if args.commit:
        from bench.compare import _extract

        source = _extract(args.commit, REPO / ".aws-sam" / "bench-source")
    built = artifact.build(BUILD_ROOT, source=source)
    # What ships must carry its bytecode (the "as SAM ships it" copies have none).
    shipped = [built.layer, built.reference("floor")]
    shipped += [built.function(f.logical_id) for f in artifact.functions()]
    problems = [p for tree in shipped for p in artifact.bytecode_problems(tree)]
    if problems:
        raise timing.BenchError(
            "built artifact without bytecode: " + "; ".join(map(str, problems[:5]))
        )
    handlers = discover(built, SNAPSTART)
    with stack.MotoStack() as aws:
        api = stack.Api()
        world = stack.seed(api)
        env = stack.child_env(aws.url, aws.stripe_url)
        # Factories hand each process its own event: the cold rows and the SnapStart rows
        # of the webhook and the reminder sender, and their "before" rows, each with a warm-up.
        requests = _requests(aws, api, world, 3 * args.runs + 3)
        missing = [h.label for h in handlers if h.request_name not in requests]
        print(
            f"bench: {len(handlers)} handlers, {args.runs} fresh processes each; moto at {aws.url}",
            file=sys.stderr,
        )
        interpreter = timing.interpreter_start(args.runs, env)
        print("bench: cold imports...", file=sys.stderr)
        imports = timing.measure(handlers, "import", args.runs, env)
        print("bench: first requests...", file=sys.stderr)
        answering = [h for h in handlers if h.request_name in requests]
        first = timing.measure(answering, "request", args.runs, env, requests)
        print("bench: SnapStart restores...", file=sys.stderr)
        snapstarted = [h for h in answering if h.snapstart]
        restored = timing.measure(snapstarted, "snapstart", args.runs, env, requests)
        print("bench: import profiles...", file=sys.stderr)
        profiles = [timing.import_profile(h, env) for h in handlers if h.name in FLOOR_TARGETS]
        print("bench: round trips per route...", file=sys.stderr)
        calls = stack.AwsCalls()
        calls.install(aws.stripe)
        try:
            trips = roundtrips.measure(api, world, calls, stack.Webhook(aws.stripe), aws.stripe)
        finally:
            calls.uninstall()
    print("bench: reminders per 1,000 (own stack)...", file=sys.stderr)
    reminder_run = reminders.measure()
    print("bench: a reconciliation run per 100 events (own stack)...", file=sys.stderr)
    reconciliation_run = reconciliation.measure()
    print(f"bench: a grade file of {grade_files.ROWS:,} rows (own stack)...", file=sys.stderr)
    grade_file_run = grade_files.measure()

    first_section = _timing_section(handlers, first, "to_answer_median_s", requests)
    results: dict[str, Any] = {
        "meta": {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "source": args.commit or "the working tree",
            "python": platform.python_version(),
            "executable": timing.python(),
            "machine": f"{platform.system()} {platform.machine()}",
            "cpus": os.cpu_count(),
            "runs": args.runs,
            "peer_target": PEER_TARGET,
            "floor_targets": FLOOR_TARGETS,
            "elapsed_s": None,
            "handlers_without_first_request": missing,
        },
        "artifact": {
            "root": str(BUILD_ROOT.relative_to(REPO)),
            "arch": artifact.layer_arch(),
            "layer": artifact.sizes(built.layer.parent),
            "layer_as_sam_ships": artifact.sizes(built.layer_as_sam_ships.parent),
        },
        "interpreter_start": interpreter.summary(),
        "cold_import": _timing_section(handlers, imports, "to_answer_median_s"),
        "first_request": first_section,
        "snapstart": _restored_section(snapstarted, restored, first_section),
        "import_profiles": profiles,
        "roundtrips": trips,
        "reminders": reminder_run,
        "reconciliation": reconciliation_run,
        "grade_files": grade_file_run,
    }
    results["meta"]["elapsed_s"] = round(time.perf_counter() - started, 1)
    return results


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    for path in (str(SHARED), str(REPO)):
        if path not in sys.path:
            sys.path.insert(0, path)
    from bench import report
    from bench.timing import BenchError

    try:
        results = run(args)
    except BenchError as error:
        print(f"bench: FAILED: {error}", file=sys.stderr)
        return 1
    print(report.as_text(results))
    if results["meta"]["handlers_without_first_request"]:
        print(
            "No representative request (add one in bench/__main__.py): "
            + ", ".join(results["meta"]["handlers_without_first_request"])
        )
    json_path, md_path = report.write(results)
    print(
        f"Wrote {json_path.relative_to(REPO)} and {md_path.relative_to(REPO)} "
        f"({results['meta']['elapsed_s']} s)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
