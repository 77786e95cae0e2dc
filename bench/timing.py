"""Fresh-process timings: spawn-to-exit wall time measured by the parent."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.handlers import CHILD, Handler


class BenchError(RuntimeError):
    """A measured process failed: the figures would be meaningless."""


@dataclass
class Samples:
    wall_s: list[float] = field(default_factory=list)  # spawn -> exit
    answer_s: list[float] = field(default_factory=list)  # spawn -> the child's BENCH line
    import_s: list[float] = field(default_factory=list)
    request_s: list[float] = field(default_factory=list)
    restore_s: list[float] = field(default_factory=list)  # snapstart: after-restore hooks
    compiled: list[int] = field(default_factory=list)  # modules compiled from source

    @property
    def median(self) -> float:
        return statistics.median(self.wall_s)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "runs": len(self.wall_s),
            "median_s": self.median,
            "min_s": min(self.wall_s),
            "max_s": max(self.wall_s),
            "samples_s": [round(s, 6) for s in self.wall_s],
        }
        if self.answer_s:
            out["to_answer_median_s"] = statistics.median(self.answer_s)
            out["to_answer_samples_s"] = [round(s, 6) for s in self.answer_s]
        if self.import_s:
            out["in_process_import_median_s"] = statistics.median(self.import_s)
        if self.request_s:
            out["in_process_first_request_median_s"] = statistics.median(self.request_s)
        if self.restore_s:
            out["in_process_after_restore_median_s"] = statistics.median(self.restore_s)
            out["restored_answer_median_s"] = statistics.median(
                r + q for r, q in zip(self.restore_s, self.request_s, strict=True)
            )
        if self.compiled:
            out["compiled_from_source"] = max(self.compiled)
        return out


@dataclass
class Run:
    wall_s: float  # spawn -> exit
    answer_s: float | None  # spawn -> the BENCH line (None: the child printed none)
    split: dict[str, Any]
    stderr: str


def run_child(command: Sequence[str], env: dict[str, str], what: str) -> Run:
    """One fresh process; stdout is read as it comes, stderr goes to a file (a full
    stderr pipe would stall the child)."""
    answer_s, split, stdout = None, {}, []
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as errors:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=errors, text=True)
        output = child.stdout
        if output is None:  # never: stdout is a pipe
            raise BenchError(f"{what}: no stdout pipe")
        for line in output:
            if line.startswith("BENCH ") and answer_s is None:
                answer_s = time.perf_counter() - started
                split = json.loads(line[6:])
            else:
                stdout.append(line)
        status = child.wait()
        wall_s = time.perf_counter() - started
        output.close()
        errors.seek(0)
        stderr = errors.read()
    if status != 0:
        raise BenchError(
            f"{what}: exit status {status}\n--- stderr ---\n{stderr[-3000:]}"
            f"\n--- stdout ---\n{''.join(stdout)[-1500:]}"
        )
    return Run(wall_s, answer_s, split, stderr)


@dataclass(frozen=True)
class Request:
    """A handler's representative first event: the event (or a function making a fresh
    one per process), what a good answer is, and environment of its own."""

    description: str
    event: dict | Callable[[], dict]
    expect: str = "api"  # "api": statusCode 200; "sqs": no batch item failures; "any"
    env: dict[str, str] = field(default_factory=dict)

    def make(self) -> dict:
        return self.event() if callable(self.event) else self.event


def python() -> str:
    """The runtime's interpreter, the one that built the artifact (not the virtual
    environment's: the child's path is Lambda's)."""
    from bench.artifact import runtime_python

    return runtime_python()


def child_command(
    mode: str,
    handler: Handler,
    request: Request | None = None,
    python_flags: Sequence[str] = (),
) -> list[str]:
    spec: dict[str, Any] = handler.spec()
    if request is not None and mode != "import":
        spec |= {"event": request.make(), "expect": request.expect}
    return [python(), "-I", "-B", *python_flags, str(CHILD), mode, json.dumps(spec)]


def interpreter_start(runs: int, env: dict[str, str]) -> Samples:
    """A bare `python -c pass`: the floor under every figure."""
    samples = Samples()
    command = [python(), "-I", "-B", "-c", "pass"]
    run_child(command, env, "python -c pass")
    for _ in range(runs):
        samples.wall_s.append(run_child(command, env, "python -c pass").wall_s)
    return samples


def measure(
    handlers: Sequence[Handler],
    mode: str,
    runs: int,
    env: dict[str, str],
    requests: dict[str, Request] | None = None,
) -> dict[str, Samples]:
    """`runs` fresh processes per handler, interleaved so drift hits all alike, after
    one unmeasured run each (it warms the OS cache). A request's event is made before
    each process (a Stripe delivery is signed when it is sent, and each run gets its
    own)."""
    requests = requests or {}

    def run_one(h: Handler, what: str) -> Run:
        request = requests.get(h.request_name)
        extra = request.env if request else {}
        return run_child(child_command(mode, h, request), env | extra, what)

    for h in handlers:
        run_one(h, f"{h.label} ({mode}, warm-up)")
    results = {h.name: Samples() for h in handlers}
    for _ in range(runs):
        for h in handlers:
            run = run_one(h, f"{h.label} ({mode})")
            if run.answer_s is None:
                raise BenchError(f"{h.label} ({mode}): the child printed no BENCH line")
            samples = results[h.name]
            samples.wall_s.append(run.wall_s)
            samples.answer_s.append(run.answer_s)
            samples.compiled.append(len(run.split.get("compiled", [])))
            if "import_s" in run.split:
                samples.import_s.append(run.split["import_s"])
            if "request_s" in run.split:
                samples.request_s.append(run.split["request_s"])
            if "after_restore_s" in run.split:
                samples.restore_s.append(run.split["after_restore_s"])
    return results


_IMPORTTIME = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$")


def import_profile(
    handler: Handler, env: dict[str, str], runs: int = 3, top: int = 10
) -> dict[str, Any]:
    """`python -X importtime`, per-module medians over `runs` processes: the top
    modules by cumulative and by self time, and self time summed per top-level package."""
    cumulative: dict[str, list[int]] = defaultdict(list)
    own: dict[str, list[int]] = defaultdict(list)
    totals: list[int] = []
    for _ in range(runs):
        stderr = run_child(
            child_command("import", handler, python_flags=("-X", "importtime")),
            env,
            f"{handler.label} (-X importtime)",
        ).stderr
        total = 0
        for line in stderr.splitlines():
            match = _IMPORTTIME.match(line)
            if not match:
                continue
            self_us, cumulative_us, indent, module = match.groups()
            cumulative[module].append(int(cumulative_us))
            own[module].append(int(self_us))
            total += int(self_us)
        totals.append(total)
    cumulative_ms = {m: statistics.median(v) / 1000 for m, v in cumulative.items()}
    self_ms = {m: statistics.median(v) / 1000 for m, v in own.items()}
    packages: dict[str, float] = defaultdict(float)
    for module, ms in self_ms.items():
        packages[module.split(".")[0]] += ms

    def ranked(values: dict[str, float]) -> list[dict[str, Any]]:
        best = sorted(values.items(), key=lambda kv: kv[1], reverse=True)[:top]
        return [{"module": m, "ms": round(ms, 1)} for m, ms in best]

    return {
        "handler": handler.label,
        "runs": runs,
        "modules_imported": len(self_ms),
        "total_import_ms": round(statistics.median(totals) / 1000, 1),
        "top_cumulative": ranked(cumulative_ms),
        "top_self": ranked(self_ms),
        "top_packages_self": ranked(dict(packages)),
    }
