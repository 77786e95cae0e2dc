"""A district's grade file through S3 (issue 12): rows per second, and the DynamoDB
requests per 1,000 rows against the fewest the batch limits allow.

On a stack of its own: a class of 20,000 students (one registered through the API, the
rest copies of their records, BatchWriteItem, not measured), the grade-files bucket as
the template sets it up, its events on a local queue (moto builds them as S3 does). The
route gives the presigned POST, the file is posted to moto's bucket as a browser posts
it, and the grade-import function (in-process, with its template role's permissions)
takes the bucket's event. Every AWS request the function makes for the event is counted
(botocore's entry point, bench.stack.AwsCalls), and set against the fewest:

- the import's status record: read (GetItem), claimed (UpdateItem), marked writing and
  then done (UpdateItem each): 4;
- the year's window (finalized or not): 1 GetItem;
- the roster: GSI1 Query pages, one per started MB of what it returns (measured);
- the grades: each is an UpdateItem with its audit record (a Put), 2 items, and each
  TransactWriteItems (100 items at most) starts with the year's guard: 49 grades per
  transaction. Without the guard the item limit alone allows 50 (also reported);
- S3: the file read (GetObject) and its report written (PutObject).

The page's progress (the status's rows written, recorded about every 1,000 grades:
logic.grade_files.PROGRESS_EVERY) is not among the fewest: it is what it costs, about
one UpdateItem per 1,000 rows.

Two cases: every row a new grade (all written), and the same file again (none). The
wall time is moto's in-process speed (its serializer and expression parser), far slower
than DynamoDB: the figure compares runs of this code, not AWS.

    uv run python -m bench.grade_files [ROWS]
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import sys
import time
from typing import Any

from bench.handlers import REPO
from bench.stack import SCHOOL_YEAR, Api, AwsCalls, MotoStack, load_module, seed
from bench.timing import BenchError

ROWS = 20_000
TARGET_RATIO = 1.1
TRANSACTION_ITEMS = 100  # items per TransactWriteItems
QUERY_PAGE_BYTES = 1024 * 1024  # a Query returns at most 1 MB per page
GRADES_PER_GUARDED_TRANSACTION = (TRANSACTION_ITEMS - 1) // 2  # the guard, then 2 per grade


def _fewest(rows: int, written: int, query_bytes: int) -> dict[str, dict[str, int]]:
    pages = max(1, math.ceil(query_bytes / QUERY_PAGE_BYTES))
    dynamodb = {"GetItem": 2, "UpdateItem": 3, "Query": pages}
    if written:
        dynamodb["TransactWriteItems"] = math.ceil(written / GRADES_PER_GUARDED_TRANSACTION)
    return {"dynamodb": dynamodb, "s3": {"GetObject": 1, "PutObject": 1}}


def _value_size(value: dict[str, Any]) -> int:
    """An attribute value's size as DynamoDB counts it (its item-size rules)."""
    ((kind, content),) = value.items()
    if kind == "S":
        return len(content.encode())
    if kind == "N":
        return (len(content.lstrip("-").replace(".", "")) + 1) // 2 + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + _value_size(v) + 1 for k, v in content.items())
    if kind == "L":
        return 3 + sum(_value_size(v) + 1 for v in content)
    if kind == "SS":
        return sum(len(v.encode()) for v in content)
    return len(json.dumps(content))


def _roster_bytes(school_id: str) -> int:
    """What the roster Query reads: the items' size by DynamoDB's rules (names and values)."""
    from dualcredit.dal import dynamo, keys

    items = dynamo.query(index="GSI1", pk_name="GSI1PK", pk=keys.roster_gsi(school_id, SCHOOL_YEAR))
    return sum(
        len(name.encode()) + _value_size(value)
        for item in items
        for name, value in dynamo.serialize(item).items()
    )


def measure(rows: int = ROWS) -> dict[str, Any]:
    import os

    from devstack import iam, s3events
    from devstack.names import GRADE_FILES_BUCKET
    from dualcredit.dal import aws as aws_clients
    from tests.support.events import LambdaContext, claims
    from tests.support.rosters import copy_student

    with MotoStack():
        os.environ["GRADE_FILES_BUCKET"] = GRADE_FILES_BUCKET
        _patient_clients()
        api = Api()
        world = seed(api)
        alice = world.students["alice"]
        sers_ids = [
            alice.sers_id,
            *copy_student(alice.student_id, alice.sers_id, alice.email, rows - 1),
        ]
        module = load_module(REPO / "functions" / "grade_import" / "app.py", "bench_grade_files")
        handler = iam.guarded_handler(module)
        sqs = aws_clients.client("sqs")
        (queue,) = s3events.create_buckets(aws_clients.client("s3"), sqs).values()
        teacher = claims("bench-teacher", groups=["school"], school_id=world.school_x)
        code = _course_code(api, alice)
        text = "SERS ID,College Course Code,Grade\n" + "".join(
            f"{sers},{code},{'AB'[i % 2]}\n" for i, sers in enumerate(sers_ids)
        )
        calls = AwsCalls()
        calls.install()
        out = []
        try:
            for case, written in (("every row a new grade", rows), ("the same file again", 0)):
                query_bytes = _roster_bytes(world.school_x)
                event = _upload(handler, teacher, world.school_x, text, sqs, queue)
                calls.clear()
                calls.enabled = True
                began = time.perf_counter()
                try:
                    with contextlib.redirect_stdout(io.StringIO()):  # the metrics' EMF lines
                        handler(event, LambdaContext(function_name="grade_import"))
                finally:
                    calls.enabled = False
                seconds = time.perf_counter() - began
                status = _status(handler, teacher, world.school_x, event)
                if (status["state"], status["rows_written"]) != ("done", written):
                    raise BenchError(f"grade file ({case}): {status}")
                measured = {s: dict(sorted(ops.items())) for s, ops in calls.by_service.items()}
                fewest = _fewest(rows, written, query_bytes)
                total = sum(measured.get("dynamodb", {}).values())
                least = sum(fewest["dynamodb"].values())
                out.append(
                    {
                        "case": case,
                        "rows": rows,
                        "roster_mb": round(query_bytes / QUERY_PAGE_BYTES, 2),
                        "written": status["rows_written"],
                        "seconds": round(seconds, 1),
                        "rows_per_second": round(rows / seconds),
                        "requests": measured,
                        "fewest": fewest,
                        "dynamodb_per_1000_rows": round(total * 1000 / rows, 2),
                        "fewest_per_1000_rows": round(least * 1000 / rows, 2),
                        "item_limit_per_1000_rows": round(
                            (
                                least
                                - fewest["dynamodb"].get("TransactWriteItems", 0)
                                + math.ceil(2 * written / TRANSACTION_ITEMS)
                            )
                            * 1000
                            / rows,
                            2,
                        ),
                        "ratio": round(total / least, 3),
                        "verdict": "ok" if total <= TARGET_RATIO * least else "OVER TARGET",
                    }
                )
        finally:
            calls.uninstall()
    return {"rows": rows, "target_ratio": TARGET_RATIO, "cases": out}


def _patient_clients() -> None:
    """moto takes seconds for a transaction of 100 items on a busy machine (DynamoDB
    takes milliseconds): past the app's 5 s read timeout botocore would retry it while the
    first attempt still runs (moto's server is threaded), and the two would race. This
    process's clients wait for moto instead (a retry is not counted either way: the
    count is taken above botocore's retries)."""
    from botocore.config import Config

    from dualcredit.dal import aws as aws_clients

    aws_clients._CONFIG = aws_clients._CONFIG.merge(Config(read_timeout=600))
    aws_clients.reset_clients()


def _course_code(api: Api, student: Any) -> str:
    years = api("GET", "/students/me/dashboard", as_=student)[1]["years"]
    year = next(y for y in years if y["school_year"] == SCHOOL_YEAR)
    return str(year["registrations"][0]["college_course_code"])


def _upload(handler: Any, teacher: Any, school_id: str, text: str, sqs: Any, queue: str) -> dict:
    """The route's presigned POST, the file posted as a browser posts it; the bucket's event."""
    import requests

    from devstack import s3events
    from tests.support.events import LambdaContext, api_event

    with contextlib.redirect_stdout(io.StringIO()):
        answer = handler(
            api_event(
                "POST",
                f"/schools/{school_id}/grade-files",
                claims=teacher,
                body={"school_year": SCHOOL_YEAR},
            ),
            LambdaContext(function_name="grade_import"),
        )
    if answer["statusCode"] != 201:
        raise BenchError(f"grade file: start answered {answer['statusCode']}: {answer['body']}")
    started = json.loads(answer["body"])
    posted = requests.post(
        started["url"],
        data=started["fields"],
        files={"file": ("district.csv", text.encode(), "text/csv")},
        proxies={"http": "", "https": ""},
        timeout=120,
    )
    if posted.status_code not in (200, 204):
        raise BenchError(f"grade file: the bucket answered {posted.status_code}: {posted.text}")
    (event,) = s3events.s3_events(sqs, queue)
    event["import_id"] = started["import_id"]  # for the status read below (the handler ignores it)
    return event


def _status(handler: Any, teacher: Any, school_id: str, event: dict) -> dict[str, Any]:
    from tests.support.events import LambdaContext, api_event

    import_id = event.pop("import_id")
    with contextlib.redirect_stdout(io.StringIO()):
        answer = handler(
            api_event("GET", f"/schools/{school_id}/grade-files/{import_id}", claims=teacher),
            LambdaContext(function_name="grade_import"),
        )
    return dict(json.loads(answer["body"]))


def as_lines(section: dict[str, Any]) -> list[str]:
    """The report's lines for the grade-file section."""
    out = [
        f"6. A grade file of {section['rows']:,} rows through S3: DynamoDB requests per "
        f"1,000 rows against the fewest (target {section['target_ratio']}x), rows per "
        "second on moto"
    ]
    for case in section["cases"]:
        out.append(
            f"  {case['case']} (roster {case['roster_mb']} MB): {case['written']:,} written "
            f"in {case['seconds']} s "
            f"({case['rows_per_second']:,} rows/s); dynamodb {case['dynamodb_per_1000_rows']} "
            f"per 1,000 rows | fewest {case['fewest_per_1000_rows']} (item limit alone "
            f"{case['item_limit_per_1000_rows']}) | {case['ratio']}x {case['verdict']}"
        )
        out.append(f"    requests {case['requests']} | fewest {case['fewest']}")
    return out


if __name__ == "__main__":
    from bench.handlers import SHARED

    sys.path[:0] = [str(SHARED), str(REPO)]
    for line in as_lines(measure(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)):
        print(line)
    sys.exit(0)
