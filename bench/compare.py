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


def compare(commit: str, runs: int, against: str | None = None) -> dict[str, Any]:
    """`commit` against the working tree, or against the commit `against`."""
    base_src = _extract(commit, ROOT / "source")
    base = artifact.build(ROOT / "base", source=base_src)
    if against is None:
        head, head_tag = artifact.build(ROOT / "head"), "the working tree"
    else:
        head_src = _extract(against, ROOT / "against")
        head, head_tag = artifact.build(ROOT / "head", source=head_src), against
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
    args = parser.parse_args(argv)
    for path in (str(REPO / "shared"), str(REPO)):
        if path not in sys.path:
            sys.path.insert(0, path)
    result = compare(args.commit, args.runs, args.against)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
