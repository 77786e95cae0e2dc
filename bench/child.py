"""What one measured fresh process runs: import a handler from its file, and in
`request` mode answer one API Gateway event with it.

Run by path (never imported), so it loads nothing of bench/ or tests/:

    python bench/child.py import  HANDLER_PATH SHARED_DIR
    python bench/child.py request HANDLER_PATH SHARED_DIR EVENT_JSON

It prints (and flushes) one line ``BENCH {"import_s": .., "request_s": ..}`` with
its own split of the time as soon as the module is imported or the request is
answered; the parent measures from spawn to that line and to the process's exit.
A request answered with anything but 200 exits with status 3.
"""

import sys
import time


class LambdaContext:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-west-2:123456789012:function:bench"
    aws_request_id = "bench-request-1"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    mode, handler_path, shared_dir = argv[1], argv[2], argv[3]
    import importlib.util
    import os

    # Like Lambda: the function's own directory and the layer (shared/) on the path.
    sys.path[0:1] = [os.path.dirname(os.path.abspath(handler_path)), shared_dir]
    spec = importlib.util.spec_from_file_location("handler_under_bench", handler_path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {handler_path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    imported = time.perf_counter()
    split = {"import_s": imported - started}
    if mode == "request":
        import json

        response = module.lambda_handler(json.loads(argv[4]), LambdaContext())
        split["request_s"] = time.perf_counter() - imported
        status = response.get("statusCode") if isinstance(response, dict) else None
        if status != 200:
            body = response.get("body") if isinstance(response, dict) else response
            print(
                f"bench: expected statusCode 200, got {status}: {str(body)[:500]}", file=sys.stderr
            )
            return 3
    elif mode != "import":
        print(f"bench: unknown mode {mode!r}", file=sys.stderr)
        return 2
    # Flushed at once: the parent takes the time this line arrives as "answered".
    print("BENCH " + repr(split).replace("'", '"'), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
