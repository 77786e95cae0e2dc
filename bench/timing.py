"""Fresh-process timings: spawn-to-exit wall time measured by the parent."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.handlers import CHILD, SHARED, Handler


class BenchError(RuntimeError):
    """A measured process failed: the figures would be meaningless."""


@dataclass
class Samples:
    wall_s: list[float] = field(default_factory=list)
    import_s: list[float] = field(default_factory=list)
    request_s: list[float] = field(default_factory=list)

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
        if self.import_s:
            out["in_process_import_median_s"] = statistics.median(self.import_s)
        if self.request_s:
            out["in_process_first_request_median_s"] = statistics.median(self.request_s)
        return out


def _run(command: Sequence[str], env: dict[str, str], what: str) -> tuple[float, dict[str, float], str]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise BenchError(
            f"{what}: exit status {done.returncode}\n--- stderr ---\n{done.stderr[-3000:]}"
            f"\n--- stdout ---\n{done.stdout[-1500:]}"
        )
    split: dict[str, float] = {}
    for line in done.stdout.splitlines():
        if line.startswith("BENCH "):
            split = json.loads(line[6:])
    return wall, split, done.stderr


def child_command(mode: str, handler: Handler, event: dict | None = None,
                  python_flags: Sequence[str] = ()) -> list[str]:
    command = [sys.executable, *python_flags, str(CHILD), mode, str(handler.path), str(SHARED)]
    if mode == "request":
        command.append(json.dumps(event))
    return command


def interpreter_start(runs: int, env: dict[str, str]) -> Samples:
    """A bare `python -c pass`: the floor under every figure."""
    samples = Samples()
    command = [sys.executable, "-c", "pass"]
    _run(command, env, "python -c pass")
    for _ in range(runs):
        samples.wall_s.append(_run(command, env, "python -c pass")[0])
    return samples


def measure(handlers: Sequence[Handler], mode: str, runs: int, env: dict[str, str],
            events: dict[str, dict] | None = None) -> dict[str, Samples]:
    """`runs` fresh processes per handler, interleaved so drift hits all alike,
    after one unmeasured run each (it writes the .pyc files and warms the OS cache)."""
    events = events or {}
    commands = {h.name: child_command(mode, h, events.get(h.name)) for h in handlers}
    for h in handlers:
        _run(commands[h.name], env, f"{h.label} ({mode}, warm-up)")
    results = {h.name: Samples() for h in handlers}
    for _ in range(runs):
        for h in handlers:
            wall, split, _ = _run(commands[h.name], env, f"{h.label} ({mode})")
            results[h.name].wall_s.append(wall)
            if "import_s" in split:
                results[h.name].import_s.append(split["import_s"])
            if "request_s" in split:
                results[h.name].request_s.append(split["request_s"])
    return results


_IMPORTTIME = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$")


def import_profile(handler: Handler, env: dict[str, str], runs: int = 3, top: int = 10) -> dict[str, Any]:
    """`python -X importtime`, per-module medians over `runs` processes: the top
    modules by cumulative and by self time, and self time summed per top-level package."""
    cumulative: dict[str, list[int]] = defaultdict(list)
    own: dict[str, list[int]] = defaultdict(list)
    totals: list[int] = []
    for _ in range(runs):
        _, _, stderr = _run(child_command("import", handler, python_flags=("-X", "importtime")),
                            env, f"{handler.label} (-X importtime)")
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
