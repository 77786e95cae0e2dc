"""What one measured fresh process runs: import a built handler as Lambda does, and
answer one event with it.

Run by path with `python -I -B` (never imported), so it loads nothing of bench/,
tests/ or the virtual environment:

    python -I -B bench/child.py MODE SPEC_JSON

MODE is `import`, `request` (import, then answer the event) or `snapstart` (import,
run the SnapStart before-snapshot hooks, then the after-restore hooks, then answer:
the first answer of a restored environment). SPEC_JSON names the function's folder
(Lambda's /var/task), the layer's python/ folder (/opt/python), the runtime folder
(/var/runtime), the event and what a good answer is (`api`: statusCode 200; `sqs`: no
batch item failures; `any`).

The path is what Lambda's is: the function, the layer, the standard library, the
runtime; no site-packages. Bytecode writing is off (-B), as on Lambda's read-only
file system, and every module the process compiles from source is recorded.

It prints (and flushes) one line ``BENCH {...}`` with its own split of the time and
the compiled files as soon as the module is imported or the event is answered; the
parent measures from spawn to that line and to the process's exit. A bad answer exits
with status 3.
"""

import sys
import time

STARTED = time.perf_counter()

import _frozen_importlib_external  # noqa: E402 - the loader in use, patched before any import

COMPILED: list[str] = []
_source_to_code = _frozen_importlib_external.SourceLoader.source_to_code


def _recording_source_to_code(self, data, path, *args, **kwargs):
    COMPILED.append(str(path))
    return _source_to_code(self, data, path, *args, **kwargs)


_frozen_importlib_external.SourceLoader.source_to_code = _recording_source_to_code  # type: ignore[method-assign]


class LambdaContext:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-west-2:123456789012:function:bench"
    aws_request_id = "bench-request-1"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


def _bad_answer(expect: str, response: object) -> str | None:
    if expect == "api":
        status = response.get("statusCode") if isinstance(response, dict) else None
        if status != 200:
            body = response.get("body") if isinstance(response, dict) else response
            return f"expected statusCode 200, got {status}: {str(body)[:500]}"
    elif expect == "sqs":
        failures = response.get("batchItemFailures") if isinstance(response, dict) else None
        if failures != []:
            return f"expected no batch item failures, got {str(response)[:500]}"
    return None


def _run_hooks(registry: list) -> None:
    for hook, args, kwargs in registry:
        hook(*args, **kwargs)


def main(argv: list[str]) -> int:
    import json

    mode, spec = argv[1], json.loads(argv[2])
    if mode not in ("import", "request", "snapstart"):
        print(f"bench: unknown mode {mode!r}", file=sys.stderr)
        return 2
    sys.path[:] = [spec["function"], spec["layer"]] + [
        p for p in sys.path if "site-packages" not in p
    ]
    if spec.get("runtime"):
        sys.path.append(spec["runtime"])
    import importlib

    module = importlib.import_module("app")
    imported = time.perf_counter()
    split = {"import_s": imported - STARTED}
    if mode != "import":
        ready = imported
        if mode == "snapstart":
            import snapshot_restore_py

            _run_hooks(snapshot_restore_py.get_before_snapshot())
            snapshotted = time.perf_counter()
            split["before_snapshot_s"] = snapshotted - imported
            _run_hooks(snapshot_restore_py.get_after_restore())
            ready = time.perf_counter()
            split["after_restore_s"] = ready - snapshotted
        response = module.lambda_handler(spec["event"], LambdaContext())
        split["request_s"] = time.perf_counter() - ready
        problem = _bad_answer(spec.get("expect", "api"), response)
        if problem:
            print(f"bench: {problem}", file=sys.stderr)
            return 3
    # Flushed at once: the parent takes the time this line arrives as "answered".
    split["cpu_s"] = time.process_time()  # this process's CPU time so far (user + system)
    print("BENCH " + json.dumps({**split, "compiled": COMPILED}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
