"""The results as text tables (stdout), Markdown and JSON (bench/results/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().with_name("results")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _ops(ops: dict[str, int]) -> str:
    return " + ".join(f"{n} {op}" for op, n in sorted(ops.items())) or "none"


def _text_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in out)


def _md_table(headers: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(out)


def _x(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2f}x"


def _verdict(h: dict[str, Any]) -> str:
    if h["reference"]:
        return "reference"
    if h.get("before"):
        return "before (not held)"
    wanted = f"<={h['peer_target']}x peer"
    if h["floor_target"] is not None:
        wanted += f", <={h['floor_target']}x floor"
    return ("ok " if h["meets_target"] else "OVER TARGET ") + f"({wanted})"


def _timing_rows(section: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    with_request = any(h.get("request") for h in section["handlers"])
    headers = [
        "handler",
        "request",
        "to answer",
        "/ peer",
        "/ floor",
        "/ minimal",
        "target",
        "min",
        "max",
        "to exit",
        "compiled from source",
        "in-process split",
    ]
    rows = []
    for h in section["handlers"]:
        split = []
        if "in_process_import_median_s" in h:
            split.append(f"import {_ms(h['in_process_import_median_s'])}")
        if "in_process_first_request_median_s" in h:
            split.append(f"1st request {_ms(h['in_process_first_request_median_s'])}")
        rows.append(
            [
                h["handler"],
                h.get("request") or "-",
                _ms(h["to_answer_median_s"]),
                _x(h["to_peer"]),
                _x(h["to_floor"]),
                _x(h["to_minimal"]),
                _verdict(h),
                _ms(min(h["to_answer_samples_s"])),
                _ms(max(h["to_answer_samples_s"])),
                _ms(h["median_s"]),
                str(h.get("compiled_from_source", 0)),
                ", ".join(split) or "-",
            ]
        )
    if not with_request:
        headers.pop(1)
        rows = [r[:1] + r[2:] for r in rows]
    return headers, rows


def _snapstart_rows(section: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    headers = [
        "handler",
        "restored: after-restore hooks + first request",
        "after-restore hooks",
        "first request after restore",
        "first request, cold (in-process)",
        "cold: spawn to answer",
    ]
    rows = [
        [
            h["handler"],
            _ms(h["restored_answer_median_s"]),
            _ms(h["after_restore_median_s"]),
            _ms(h["request_median_s"]),
            _ms(h["cold_first_request_median_s"]) if h["cold_first_request_median_s"] else "-",
            _ms(h["cold_to_answer_median_s"]),
        ]
        for h in section["handlers"]
    ]
    return headers, rows


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _route_rows(routes: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    headers = ["route", "case", "DynamoDB", "fewest possible", "other (AWS, Stripe)", "verdict"]
    rows = [
        [
            f"{r['method']} {r['route']}" + ("" if r["required"] else " *"),
            r["case"],
            _ops(r["dynamodb"]),
            _ops(r["expected"]),
            _ops(r["other_aws"]) if r["other_aws"] else "-",
            r["verdict"],
        ]
        for r in routes
    ]
    return headers, rows


def _import_rows(profile: dict[str, Any], key: str) -> tuple[list[str], list[list[str]]]:
    return ["module", "ms"], [[m["module"], f"{m['ms']:.1f}"] for m in profile[key]]


def _sections(results: dict[str, Any], table) -> list[str]:
    meta = results["meta"]
    built = results["artifact"]
    out = [
        f"CTE Dual Credit bench - {meta['when']} - Python {meta['python']} on {meta['machine']} "
        f"({meta['cpus']} CPUs), {meta['runs']} fresh processes per figure, medians"
        + (
            " (fewer than 10: a smoke run, not a measurement of the target)."
            if meta["runs"] < 10
            else "."
        ),
        f"What is measured: the artifact built by the template's own steps "
        f"(infra/build/Makefile) for {built['arch']} in {built['root']}, imported as Lambda "
        "runs it: `python -I -B`, the function's folder, the layer's python/ folder, the "
        "standard library and the runtime folder on the path, no site-packages, no bytecode "
        f"written. Layer as built: {_mb(built['layer']['unzipped_bytes'])} unzipped, "
        f"{_mb(built['layer']['zipped_bytes'])} zipped; as SAM ships it without bytecode: "
        f"{_mb(built['layer_as_sam_ships']['unzipped_bytes'])} unzipped, "
        f"{_mb(built['layer_as_sam_ships']['zipped_bytes'])} zipped.",
        "Interpreter start (python -I -B -c pass): "
        f"median {_ms(results['interpreter_start']['median_s'])}.",
        "'to answer' (held to the targets): spawn to the moment the module was imported or the "
        "first request answered, as a ratio to the references measured in the same run: the "
        "peer (a cookbook-style CRUD handler) and the minimal Powertools handler as SAM ships "
        "them, and the floor (a botocore client and one GetItem), precompiled. 'to exit': the "
        "same process until it exited (Lambda never pays the teardown per request). "
        "'compiled from source': modules the process compiled (0 when the bytecode shipped).",
    ]
    for key, title in (
        ("cold_import", "1. Cold import (spawn -> module imported)"),
        (
            "first_request",
            "2. Fresh process to first answered request (the figure held to the targets)",
        ),
    ):
        out.append(title)
        out.append(table(*_timing_rows(results[key])))
    out.append(
        "2b. SnapStart (template parameter SnapStart, on by default): the first answer of a "
        "restored environment (the before-snapshot hooks ran before the snapshot; a restore "
        "runs the after-restore hooks, then answers)"
    )
    out.append(table(*_snapstart_rows(results["snapstart"])))
    rt = results["roundtrips"]
    out.append(
        "3. AWS requests per route and per Stripe webhook event (one call each, in-process "
        "against moto and the Stripe stand-in; * = extra route; webhook rows: the secrets cache "
        "emptied first, so SSM shows what an event needs at most once per 5 minutes)"
    )
    out.append(table(*_route_rows(rt["routes"])))
    if rt["not_measured"]:
        out.append(
            "Not measured: "
            + "; ".join(f"{m['method']} {m['route']} ({m['why']})" for m in rt["not_measured"])
        )
    if "reminders" in results:
        out += _reminder_parts(results["reminders"], table)
    if "reconciliation" in results:
        from bench.reconciliation import as_lines

        out += as_lines(results["reconciliation"])
    if "grade_files" in results:
        from bench import grade_files

        out += grade_files.as_lines(results["grade_files"])
    for profile in results["import_profiles"]:
        out.append(
            f"Where {profile['handler']}'s import time goes, from the built artifact "
            f"(-X importtime, median of {profile['runs']}; {profile['modules_imported']} "
            f"modules, {profile['total_import_ms']:.1f} ms of imports)"
        )
        for key, title in (
            ("top_cumulative", "Top 10 by cumulative time"),
            ("top_packages_self", "Top 10 top-level packages by own time"),
        ):
            out.append(title)
            out.append(table(*_import_rows(profile, key)))
    out.append(summary_line(results))
    return out


def _reminder_parts(rem: dict[str, Any], table) -> list[str]:
    headers = [
        "phase",
        "service",
        "requests",
        "fewest the batch limits allow",
        "why that is the fewest",
        "ratio",
        f"target <={rem['target_ratio']}x",
    ]
    rows = [
        [
            r["phase"],
            r["service"],
            f"{r['total']} ({_ops(r['requests'])})",
            f"{r['fewest_total']} ({_ops(r['fewest'])})",
            r["why"],
            f"{r['ratio']:.2f}x",
            r["verdict"],
        ]
        for r in rem["rows"]
    ]
    poller = rem["poller"]
    return [
        f"4. Reminders per 1,000 ({rem['enqueued']} due students, reminder {rem['reminder']} on "
        f"{rem['clock']}; the scheduled remind action and {rem['invocations']} reminder-sender "
        f"invocations of up to {rem['sender_batch']}, in-process against moto)",
        table(headers, rows),
        f"DynamoDB, both functions: {rem['dynamodb_total']} requests "
        f"against {rem['dynamodb_fewest']} "
        f"({rem['dynamodb_ratio']:.2f}x). SES, both functions: {rem['ses_total']} against "
        f"{rem['ses_fewest']} ({rem['ses_ratio']:.2f}x; one SendEmail per message would be "
        f"{rem['ses_per_message_minimum']}). The sender "
        f"makes no SQS request; Lambda's poller (played by the bench, not counted above) made "
        f"{_ops(poller)}. Wall time per 1,000 on the local stack: {rem['wall_per_1000_s']:.1f} s "
        f"(dispatcher {rem['dispatcher_s']:.1f} s, queue drained through the sender "
        f"{rem['sender_s']:.1f} s; seeding not measured).",
    ]


def summary_line(results: dict[str, Any]) -> str:
    over = [
        f"{h['handler']} first answer {_x(h['to_peer'])} of the peer, {_x(h['to_floor'])} "
        "of the floor"
        for h in results["first_request"]["handlers"]
        if not h["reference"] and h["meets_target"] is False
    ]
    over += [
        f"{r['method']} {r['route']} ({r['case']}) {r['dynamodb_total']} > {r['expected_total']}"
        for r in results["roundtrips"]["routes"]
        if r["verdict"] == "OVER TARGET"
    ]
    over += [
        f"reminders {r['phase']} {r['service']} {r['total']} > {r['fewest_total']} per 1,000 "
        f"({r['ratio']:.1f}x)"
        for r in results.get("reminders", {}).get("rows", [])
        if r["verdict"] == "OVER TARGET"
    ]
    over += [
        f"grade file ({c['case']}) dynamodb {c['dynamodb_per_1000_rows']} > "
        f"{c['fewest_per_1000_rows']} per 1,000 rows ({c['ratio']:.2f}x)"
        for c in results.get("grade_files", {}).get("cases", [])
        if c["verdict"] == "OVER TARGET"
    ]
    differs = [
        f"{r['method']} {r['route']} ({r['case']})"
        for r in results["roundtrips"]["routes"]
        if r["verdict"] == "differs"
    ]
    text = "Targets: all met." if not over else "OVER TARGET: " + "; ".join(over) + "."
    if differs:
        text += " Same count, different operations: " + "; ".join(differs) + "."
    return text


def as_text(results: dict[str, Any]) -> str:
    return "\n\n".join(_sections(results, _text_table)) + "\n"


def as_markdown(results: dict[str, Any]) -> str:
    parts = _sections(results, _md_table)
    heading = ["# make bench: latest results", "", ""]
    body = []
    for part in parts:
        if part.startswith("|"):
            body.append(part)
        elif part[:2] in {"1.", "2.", "3.", "4."}:
            body.append(f"## {part}")
        elif part.startswith("Top 10"):
            body.append(f"### {part}")
        elif part.startswith("Where "):
            body.append(f"## {part}")
        else:
            body.append(part)
    return "\n".join(heading) + "\n\n".join(body) + "\n"


def write(results: dict[str, Any]) -> tuple[Path, Path]:
    RESULTS.mkdir(exist_ok=True)
    json_path, md_path = RESULTS / "latest.json", RESULTS / "latest.md"
    json_path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    md_path.write_text(as_markdown(results), encoding="utf-8")
    return json_path, md_path
