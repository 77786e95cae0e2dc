"""`uv run python -m bench.compare COMMIT [-n RUNS] [--against OTHER]`: did any handler's
cold import grow?

Builds COMMIT's `shared/` and `functions/` by this checkout's build steps, with this
checkout's requirements (the same third-party wheels: only our own code differs), beside
the working tree's, and imports every function from both as Lambda runs it (bench/child.py,
`python -I -B`, nothing written). The processes alternate between the two trees, and
which tree goes first flips every round, so drift and cache warmth hit both alike. It
prints, per function, the median and fastest import of each tree and their ratio, and
writes bench/results/compare.json. `--against OTHER` compares two commits (the figure
for a change that landed between them while other work went on after it).

A structural change that should not cost cold-start time (issue 14) is held to these
ratios, not to `make bench`'s absolute figures: those move more between two runs of one
commit on a shared machine than the change does.

`--only PATH...` lays just those working-tree files over COMMIT (others' unfinished edits
in a shared checkout stay out of the figure). `--first-answer` measures what issue 13's
targets hold: each function's first answer (spawn to its representative request
answered, on a moto stack as `make bench` runs it), beside the floor and the peer
measured in the same processes' rounds, with the fastest of each and its ratio to the
fastest floor and peer.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import statistics
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

from bench import artifact, stack, timing
from bench.handlers import REPO, Handler

ROOT = REPO / ".aws-sam" / "compare"
RESULTS = REPO / "bench" / "results" / "compare.json"


def _extract(commit: str, into: Path) -> Path:
    """COMMIT's shared/ and functions/ (git archive, no worktree to clean up)."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", commit, "shared", "functions"],
        capture_output=True,
        check=True,
    ).stdout
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    shutil.copy(REPO / "shared" / "requirements.txt", into / "shared" / "requirements.txt")
    return into


def _overlay(commit: str, paths: list[str], into: Path) -> Path:
    """COMMIT's tree with `paths` (files of the working tree) copied over it."""
    tree = _extract(commit, into)
    for name in paths:
        source, target = REPO / name, tree / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
        elif target.exists():  # deleted in the working tree
            target.unlink()
    return tree


def _handlers(built: artifact.Built, tag: str) -> dict[str, Handler]:
    found = {}
    for function in artifact.functions():
        folder = built.function(function.logical_id)
        if folder.is_dir():
            found[function.name] = Handler(
                f"{function.name}@{tag}",
                f"{function.logical_id} at {tag}",
                folder,
                built.layer,
                built.runtime,
            )
    return found


def _build_both(
    commit: str, against: str | None, only: list[str] | None
) -> tuple[artifact.Built, artifact.Built, str]:
    base_src = _extract(commit, ROOT / "source")
    base = artifact.build(ROOT / "base", source=base_src)
    if only:
        head_src = _overlay(commit, only, ROOT / "against")
        head, head_tag = artifact.build(ROOT / "head", source=head_src), f"{commit} + {only}"
    elif against is None:
        head, head_tag = artifact.build(ROOT / "head"), "the working tree"
    else:
        head_src = _extract(against, ROOT / "against")
        head, head_tag = artifact.build(ROOT / "head", source=head_src), against
    return base, head, head_tag


def compare(
    commit: str, runs: int, against: str | None = None, only: list[str] | None = None
) -> dict[str, Any]:
    """`commit` against the working tree, or against the commit `against`."""
    base, head, head_tag = _build_both(commit, against, only)
    base_handlers, head_handlers = _handlers(base, commit), _handlers(head, head_tag)
    names = sorted(set(base_handlers) & set(head_handlers))
    env = stack.child_env("http://127.0.0.1:9", "http://127.0.0.1:9")  # import only: no request
    samples: dict[str, dict[str, list[float]]] = {n: {"base": [], "head": []} for n in names}

    def imported_s(handler: Handler) -> float:
        run = timing.run_child(timing.child_command("import", handler), env, handler.label)
        if run.answer_s is None or run.split.get("compiled"):
            raise timing.BenchError(f"{handler.label}: no answer, or modules compiled")
        return run.answer_s

    for handler in [*base_handlers.values(), *head_handlers.values()]:
        imported_s(handler)  # warms the OS cache; not counted
    for round_ in range(runs):
        for name in names:
            pair = [("base", base_handlers[name]), ("head", head_handlers[name])]
            for tree, handler in pair if round_ % 2 == 0 else list(reversed(pair)):
                samples[name][tree].append(imported_s(handler))
    rows = []
    for name in names:
        base_s, head_s = samples[name]["base"], samples[name]["head"]
        rows.append(
            {
                "function": name,
                "base_median_ms": round(statistics.median(base_s) * 1000, 1),
                "head_median_ms": round(statistics.median(head_s) * 1000, 1),
                "median_ratio": round(statistics.median(head_s) / statistics.median(base_s), 3),
                "base_min_ms": round(min(base_s) * 1000, 1),
                "head_min_ms": round(min(head_s) * 1000, 1),
                "min_ratio": round(min(head_s) / min(base_s), 3),
            }
        )
    return {"base": commit, "head": head_tag, "runs": runs, "rows": rows}


def compare_first_answers(
    commit: str,
    runs: int,
    against: str | None = None,
    only: list[str] | None = None,
    names: list[str] | None = None,
) -> dict[str, Any]:
    """Spawn to first answer of the functions issue 13 holds to the floor (or `names`),
    from both trees, with the floor and the peer (built with the head's layer) in every
    round; interleaved, the order flipping every round."""
    from bench.__main__ import FLOOR_TARGETS, _requests
    from bench.handlers import FLOOR, PEER, REFERENCE_LABELS

    base, head, head_tag = _build_both(commit, against, only)
    base_handlers, head_handlers = _handlers(base, commit), _handlers(head, head_tag)
    wanted = names or sorted(FLOOR_TARGETS)
    names = [n for n in wanted if n in base_handlers and n in head_handlers]
    references = {
        name: Handler(
            name,
            REFERENCE_LABELS[name],
            head.reference(name),
            head.layer if name == FLOOR else head.layer_as_sam_ships,
            head.runtime,
            is_reference=True,
        )
        for name in (FLOOR, PEER)
    }
    samples: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    with stack.MotoStack() as aws:
        api = stack.Api()
        world = stack.seed(api)
        env = stack.child_env(aws.url, aws.stripe_url)
        requests = _requests(aws, api, world, 2 * runs + 2)

        def answered_s(key: str, handler: Handler, request_name: str) -> None:
            request = requests[request_name]
            command = timing.child_command("request", handler, request)
            run = timing.run_child(command, env | request.env, handler.label)
            shipped_without_bytecode = handler.name == PEER  # the peer is as SAM ships it
            if run.answer_s is None or (run.split.get("compiled") and not shipped_without_bytecode):
                raise timing.BenchError(f"{handler.label}: no answer, or modules compiled")
            samples.setdefault(key, []).append(run.answer_s)
            cpu.setdefault(key, []).append(run.split["cpu_s"])

        order = [(f"{n}@base", base_handlers[n], n) for n in names]
        order += [(f"{n}@head", head_handlers[n], n) for n in names]
        order += [(n, h, n) for n, h in references.items()]
        for _key, handler, request_name in order:
            answered_s("warm-up", handler, request_name)  # the OS cache; not counted
        for round_ in range(runs):
            for key, handler, request_name in order if round_ % 2 == 0 else order[::-1]:
                answered_s(key, handler, request_name)
    floor, peer = min(samples[FLOOR]), min(samples[PEER])
    floor_cpu = min(cpu[FLOOR])
    rows = []
    for key in [k for k, *_ in order]:
        fastest = min(samples[key])
        rows.append(
            {
                "handler": key,
                "median_ms": round(statistics.median(samples[key]) * 1000, 1),
                "fastest_ms": round(fastest * 1000, 1),
                "to_floor": round(fastest / floor, 3),
                "to_peer": round(fastest / peer, 3),
                # The process's CPU time to its answer, least moved by other load.
                "cpu_fastest_ms": round(min(cpu[key]) * 1000, 1),
                "cpu_median_ms": round(statistics.median(cpu[key]) * 1000, 1),
                "cpu_to_floor": round(min(cpu[key]) / floor_cpu, 3),
            }
        )
    return {"base": commit, "head": head_tag, "runs": runs, "first_answer": rows}


def _first_answer_table(result: dict[str, Any]) -> str:
    lines = [
        f"First answer (spawn -> answered), {result['runs']} processes each, "
        f"{result['base']} (base) against {result['head']} (head); ratios of the fastest:",
        "",
        "| handler | median | fastest | / floor | / peer | CPU median | CPU fastest | / floor |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in result["first_answer"]:
        lines.append(
            f"| {r['handler']} | {r['median_ms']} ms | {r['fastest_ms']} ms | "
            f"{r['to_floor']:.2f}x | {r['to_peer']:.2f}x | {r['cpu_median_ms']} ms | "
            f"{r['cpu_fastest_ms']} ms | {r['cpu_to_floor']:.2f}x |"
        )
    return "\n".join(lines)


def _table(result: dict[str, Any]) -> str:
    lines = [
        f"Cold import (spawn -> imported), {result['runs']} processes per tree, "
        f"{result['base']} against {result.get('head', 'the working tree')}:",
        "",
        "| function | base median | head median | ratio | base fastest | head fastest | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['function']} | {r['base_median_ms']} ms | {r['head_median_ms']} ms | "
            f"{r['median_ratio']:.2f}x | {r['base_min_ms']} ms | {r['head_min_ms']} ms | "
            f"{r['min_ratio']:.2f}x |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__)
    parser.add_argument("commit", help="the commit to compare the working tree with")
    parser.add_argument("-n", "--runs", type=int, default=21, help="processes per tree")
    parser.add_argument(
        "--against", metavar="COMMIT", help="compare with this commit, not the working tree"
    )
    parser.add_argument(
        "--only", nargs="+", metavar="PATH", help="working-tree files laid over COMMIT as head"
    )
    parser.add_argument(
        "--first-answer",
        nargs="*",
        metavar="FUNCTION",
        help="first answers (default: api, grade_import, stripe_webhook) with floor and peer",
    )
    args = parser.parse_args(argv)
    for path in (str(REPO / "shared"), str(REPO)):
        if path not in sys.path:
            sys.path.insert(0, path)
    if args.first_answer is not None:
        result = compare_first_answers(
            args.commit, args.runs, args.against, args.only, args.first_answer or None
        )
        text = _first_answer_table(result)
    else:
        result = compare(args.commit, args.runs, args.against, args.only)
        text = _table(result)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
