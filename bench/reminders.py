"""Requests and wall time per 1,000 deadline reminders (issue 4).

On a stack of its own (so only the seeded students are due): 1,000 due student-years
are written straight to the table (BatchWriteItem, not measured), the clock is set on
a reminder day (June 8, 2027: 7 days before the 2026-27 window's last day, June 15),
the scheduled function's `remind` action runs in-process, and the reminder queue is
drained through the reminder sender's handler, in-process, in batches of the
template's BatchSize (50, gathered from receives of ten) as Lambda's SQS poller
would. Every AWS request the two handlers make is counted and compared with the
fewest the batch limits allow; the poller's own requests
(ReceiveMessage, DeleteMessageBatch: Lambda makes them, not the function) are
counted apart.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import time
from collections import Counter
from typing import Any

from bench.handlers import REPO
from bench.stack import REMINDER_CLOCK, SCHOOL_YEAR, Api, AwsCalls, MotoStack, load_module
from bench.timing import BenchError
from devstack.jobs import sqs_record
from dualcredit.i18n import LANGUAGES

#: The reminder's stored SES templates: the student's and the guardian's copy, per language.
TEMPLATES = 2 * len(LANGUAGES)

STUDENTS = 1000
REMINDER = f"{SCHOOL_YEAR}:7"
TARGET_RATIO = 1.1

# Batch limits (AWS quotas) behind the minimums below.
SQS_BATCH = 10  # SendMessageBatch entries, and messages per ReceiveMessage
QUERY_PAGE_BYTES = 1024 * 1024  # a Query returns at most 1 MB per page
SES_BULK_DESTINATIONS = (
    50  # destinations per SES bulk send (SendBulkTemplatedEmail / SendBulkEmail)
)
BATCH_GET_KEYS = 100  # keys per BatchGetItem
TRANSACTION_ITEMS = 100  # items per TransactWriteItems
#: The sender's batch: the template's BatchSize, one SES bulk send's worth.
SENDER_BATCH = SES_BULK_DESTINATIONS


def _minimums(messages: int, query_bytes: int) -> dict[str, dict[str, Any]]:
    """The fewest requests the batch limits allow for `messages` reminders, by phase and
    service: {phase: {"service": {op: n}, ..., "why": {service: text}}}."""
    batches = math.ceil(messages / SQS_BATCH)
    pages = max(1, math.ceil(query_bytes / QUERY_PAGE_BYTES))
    full, rest = divmod(messages, SENDER_BATCH)
    per_batch_reads = math.ceil((2 * SENDER_BATCH + 1) / BATCH_GET_KEYS)
    reads = full * per_batch_reads + (math.ceil((2 * rest + 1) / BATCH_GET_KEYS) if rest else 0)
    transactions = math.ceil(messages / SENDER_BATCH) * math.ceil(SENDER_BATCH / TRANSACTION_ITEMS)
    sends = math.ceil(messages / SENDER_BATCH)
    return {
        "dispatcher": {
            # The window record (it may have been extended: the close date decides the
            # reminder day) is one GetItem; the year's student-years are read from GSI2,
            # one Query page per started MB (the projection of 1,000 student-years is far
            # under 1 MB, so one page). The queue takes 10 entries per SendMessageBatch.
            "dynamodb": {"GetItem": 1, "Query": pages},
            "sqs": {"SendMessageBatch": batches},
            # The reminder's SES templates are kept current once per run: one UpdateTemplate
            # each, and there is one per language for the student and one per language for
            # a parent's or guardian's copy (logic.reminders.notices.stored_templates)
            # (the seeding stored it, as the year's first reminder run does).
            "ses": {"UpdateTemplate": TEMPLATES},
            "why": {
                "dynamodb": f"1 GetItem (window) + {pages} GSI2 Query page(s) of <= 1 MB "
                f"({query_bytes / 1024:.0f} KB of student-years)",
                "sqs": f"{batches} SendMessageBatch of {SQS_BATCH}",
                "ses": f"{TEMPLATES} UpdateTemplate per run, one per stored template (the "
                "year's first run also creates each: + 1)",
            },
        },
        "sender": {
            # Per sender batch of up to 50 messages (one invocation): the consistent
            # re-read of each student's profile and student-year, plus the year's window,
            # is 2 keys per message + 1 (101 for 50: two BatchGetItem of <= 100 keys).
            # Every claim is conditional, and a TransactWriteItems takes up to 100
            # conditional writes, so the claims are one request and the outcomes (each
            # conditional on its claim token) one more. BatchWriteItem cannot carry
            # conditions, so it can do neither.
            "dynamodb": {"BatchGetItem": reads, "TransactWriteItems": 2 * transactions},
            # One templated bulk send carries up to 50 destinations, each with its own
            # values. (One SendEmail per message would make the minimum `messages`.)
            "ses": {"SendBulkTemplatedEmail": sends},
            "why": {
                "dynamodb": f"per batch of {SENDER_BATCH}: {per_batch_reads} BatchGetItem "
                f"({2 * SENDER_BATCH + 1} keys: profile + student-year each, + window) "
                f"+ 1 TransactWriteItems of claims + 1 of outcomes",
                "ses": f"1 bulk send per batch of {SENDER_BATCH} "
                f"(<= {SES_BULK_DESTINATIONS} destinations)",
            },
        },
    }


def _seed(api: Api, count: int) -> str:
    """A program and one registered student through the API, then `count - 1` copies
    of that student's records (profile, registration, student-year: each copy due),
    25 items per BatchWriteItem. Returns the template student's id."""
    from dualcredit.dal import dynamo, keys
    from dualcredit.dal.aws import client
    from tests.support.world import World

    world = World(api).build(SCHOOL_YEAR)
    template = world.student("remy", last_name="Bench")
    world.ok(
        "POST",
        "/students/me/registrations",
        as_=template,
        body={"offering_ids": [world.offering_x]},
    )
    student_id, sers_id, email = template.student_id, template.sers_id, template.email
    items = dynamo.query(pk=keys.student_pk(student_id))
    if not any(item["SK"] == keys.year_sk(SCHOOL_YEAR) for item in items):
        raise BenchError("reminders: the template student has no student-year")

    def copy(value: Any, i: int) -> Any:
        if isinstance(value, str):
            return (
                value.replace(student_id, f"{student_id}-{i:04d}")
                .replace(sers_id, f"BEN-27-{i:04d}")
                .replace(email, f"remy{i:04d}@example.org")
            )
        if isinstance(value, dict):
            return {k: copy(v, i) for k, v in value.items()}
        return value

    copies = [copy(item, i) for i in range(1, count) for item in items]
    ddb, table = client("dynamodb"), dynamo.table_name()
    for start in range(0, len(copies), 25):
        request: dict[str, Any] | None = {
            table: [
                {"PutRequest": {"Item": dynamo.serialize(item)}}
                for item in copies[start : start + 25]
            ]
        }
        while request:
            request = ddb.batch_write_item(RequestItems=request).get("UnprocessedItems") or None
    return student_id


def _query_bytes() -> int:
    """What the GSI2 Query returns for the year: DynamoDB's item size is close to the
    length of the names and values (measured on the JSON form, a slight overestimate)."""
    import json

    from dualcredit.dal import payments as payment_data

    return sum(
        len(json.dumps(item, default=str))
        for page in payment_data.student_year_pages(SCHOOL_YEAR)
        for item in page
    )


def _phase_rows(
    phase: str, calls: dict[str, Counter], minimum: dict[str, Any]
) -> list[dict[str, Any]]:
    rows = []
    services = [s for s in ("dynamodb", "sqs", "sesv2", "ses") if s in calls or s in minimum]
    services += sorted(s for s in calls if s not in services)
    for service in services:
        ops = dict(sorted(calls.get(service, {}).items()))
        fewest = minimum.get(service, {})
        total, fewest_total = sum(ops.values()), sum(fewest.values())
        ratio = total / fewest_total if fewest_total else (0.0 if total == 0 else math.inf)
        rows.append(
            {
                "phase": phase,
                "service": service,
                "requests": ops,
                "total": total,
                "fewest": fewest,
                "fewest_total": fewest_total,
                "why": minimum.get("why", {}).get(service, ""),
                "ratio": ratio,
                "verdict": "ok" if ratio <= TARGET_RATIO else "OVER TARGET",
            }
        )
    return rows


def measure(count: int = STUDENTS) -> dict[str, Any]:
    """Seed, remind, drain; requests per phase against the minimums, and wall times."""
    from moto.moto_api._internal.models import moto_api_backend

    from dualcredit.dal import reminders as reminder_data
    from dualcredit.dal.aws import client
    from dualcredit.settings import get_settings
    from tests.support.events import LambdaContext

    # moto keeps its state in this process across servers: start from an empty AWS
    # (the earlier sections' stack has stopped by now).
    moto_api_backend.reset()
    saved = {k: os.environ.get(k) for k in ("CLOCK_OVERRIDE", "REMINDER_QUEUE_URL")}
    calls = AwsCalls()
    try:
        with MotoStack():
            api = Api()
            _seed(api, count)
            query_bytes = _query_bytes()
            # The template exists, as after the year's first reminder run (steady state).
            from dualcredit.logic.reminders.notices import REMINDER, publish_template

            publish_template(REMINDER)
            queue_url = client("sqs").create_queue(
                QueueName="bench-reminders", Attributes={"VisibilityTimeout": "360"}
            )["QueueUrl"]
            os.environ["REMINDER_QUEUE_URL"] = queue_url
            os.environ["CLOCK_OVERRIDE"] = REMINDER_CLOCK
            get_settings.cache_clear()
            scheduled = load_module(
                REPO / "functions" / "scheduled" / "app.py", "bench_scheduled_app"
            )
            sender = load_module(
                REPO / "functions" / "reminder_sender" / "app.py", "bench_reminder_sender_app"
            )
            sqs = client("sqs")
            calls.install()
            poller: Counter = Counter()
            phases: dict[str, dict[str, Counter]] = {}
            failures = invocations = 0
            sink = io.StringIO()  # the metrics' EMF lines
            started = time.perf_counter()
            calls.clear()
            calls.enabled = True
            with contextlib.redirect_stdout(sink):
                result = scheduled.lambda_handler(
                    {"action": "remind"}, LambdaContext(function_name="scheduled")
                )
            calls.enabled = False
            phases["dispatcher"] = calls.by_service
            dispatched = time.perf_counter()
            calls.clear()
            while True:
                messages: list[dict[str, Any]] = []
                while len(messages) < SENDER_BATCH:
                    got = sqs.receive_message(
                        QueueUrl=queue_url, MaxNumberOfMessages=SQS_BATCH, AttributeNames=["All"]
                    ).get("Messages", [])
                    poller["ReceiveMessage"] += 1
                    if not got:
                        break
                    messages += got
                if not messages:
                    break
                event = {"Records": [sqs_record(m, queue="bench-reminders") for m in messages]}
                calls.enabled = True
                with contextlib.redirect_stdout(sink):
                    response = sender.lambda_handler(
                        event, LambdaContext(function_name="reminder-sender")
                    )
                calls.enabled = False
                invocations += 1
                failed = {f["itemIdentifier"] for f in response["batchItemFailures"]}
                failures += len(failed)
                done = [m for m in messages if m["MessageId"] not in failed]
                for start in range(0, len(done), SQS_BATCH):
                    sqs.delete_message_batch(
                        QueueUrl=queue_url,
                        Entries=[
                            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                            for i, m in enumerate(done[start : start + SQS_BATCH])
                        ],
                    )
                    poller["DeleteMessageBatch"] += 1
            finished = time.perf_counter()
            phases["sender"] = calls.by_service
            calls.uninstall()
            sent = Counter(
                item.get("status") for item in reminder_data.of_reminder(SCHOOL_YEAR, "7")
            )
    finally:
        calls.uninstall()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()

    enqueued = result.get("enqueued", 0)
    if (
        result.get("outcome") != "enqueued"
        or enqueued != count
        or failures
        or sent.get("sent") != count
    ):
        raise BenchError(
            f"reminders: remind {result}, {failures} failed records, claims {dict(sent)}"
        )
    minimums = _minimums(enqueued, query_bytes)
    rows = _phase_rows("dispatcher", phases["dispatcher"], minimums["dispatcher"]) + _phase_rows(
        "sender", phases["sender"], minimums["sender"]
    )
    dynamo_total = sum(r["total"] for r in rows if r["service"] == "dynamodb")
    dynamo_fewest = sum(r["fewest_total"] for r in rows if r["service"] == "dynamodb")
    ses_total = sum(r["total"] for r in rows if r["service"] == "ses")
    ses_fewest = sum(r["fewest_total"] for r in rows if r["service"] == "ses")
    per_thousand = 1000 / enqueued
    wall = finished - started
    return {
        "students": count,
        "enqueued": enqueued,
        "reminder": result.get("reminder"),
        "clock": REMINDER_CLOCK,
        "invocations": invocations,
        "claims": dict(sent),
        "target_ratio": TARGET_RATIO,
        "rows": rows,
        "dynamodb_total": dynamo_total,
        "dynamodb_fewest": dynamo_fewest,
        "dynamodb_ratio": dynamo_total / dynamo_fewest,
        "ses_total": ses_total,
        "ses_fewest": ses_fewest,
        "ses_ratio": ses_total / ses_fewest,
        "sender_batch": SENDER_BATCH,
        "ses_per_message_minimum": enqueued,
        "poller": dict(poller),
        "wall_s": wall,
        "wall_per_1000_s": wall * per_thousand,
        "dispatcher_s": dispatched - started,
        "sender_s": finished - dispatched,
    }
