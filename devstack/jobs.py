"""EventBridge Scheduler and Lambda's SQS poller, played locally by `make dev`.

- ``Scheduler``: every few seconds, runs each ScheduleV2 event of the template whose
  cron time (in its time zone) has come on the app's clock, with the event's Input, as
  the scheduler would. A fixed ``--clock`` does not move: a schedule due at that minute
  runs once, at start. Any schedule can also be run now from ``/_dev/schedules``.
- ``QueuePoller``: hands each SQS event source's messages to its function in batches of
  the template's BatchSize, and deletes the records that succeeded; failed ones come back
  after the queue's visibility timeout, and go to the dead-letter queue after
  maxReceiveCount receives (moto applies the redrive policy).

Both call the functions through the gateway (one invocation at a time, as the API's).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from devstack.template import QueueSource, Schedule

#: How often the scheduler looks at the clock.
TICK_SECONDS = 5.0
#: A clock that jumps further than this between ticks fires only the schedules of its
#: last day, not every one in between (restarting with a later --clock is not a backlog).
MAX_CATCH_UP = timedelta(days=1)


# --------------------------------------------------------------------------- cron


class CronError(ValueError):
    """A schedule expression this stand-in does not read."""


def _field(text: str, low: int, high: int) -> frozenset[int]:
    """One cron field: *, ?, n, a-b, a/step, a-b/step, and comma lists of those."""
    values: set[int] = set()
    for part in text.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if span in ("*", "?"):
            start, end = low, high
        elif "-" in span:
            start, end = (int(v) for v in span.split("-", 1))
        elif span.isdigit():
            start = int(span)
            end = high if step_text else start
        else:
            raise CronError(f"unsupported cron field {text!r}")
        if not (low <= start <= end <= high) or step < 1:
            raise CronError(f"cron field {text!r} is out of range {low}-{high}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    """An EventBridge cron(minutes hours day-of-month month day-of-week year)."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int] | None  # None: "?" (the day of week decides)
    months: frozenset[int]
    weekdays: frozenset[int] | None  # 1 = Sunday, as EventBridge counts; None: "?"
    years: frozenset[int]

    @classmethod
    def parse(cls, expression: str) -> Cron:
        if not (expression.startswith("cron(") and expression.endswith(")")):
            raise CronError(f"not a cron expression: {expression!r}")
        fields = expression[5:-1].split()
        if len(fields) != 6:
            raise CronError(f"cron needs 6 fields: {expression!r}")
        minutes, hours, days, months, weekdays, years = fields
        return cls(
            _field(minutes, 0, 59),
            _field(hours, 0, 23),
            None if days == "?" else _field(days, 1, 31),
            _field(months, 1, 12),
            None if weekdays == "?" else _field(weekdays, 1, 7),
            _field(years, 1970, 2199),
        )

    def matches(self, local: datetime) -> bool:
        weekday = local.isoweekday() % 7 + 1  # Sunday 1 ... Saturday 7
        return (
            local.minute in self.minutes
            and local.hour in self.hours
            and local.month in self.months
            and local.year in self.years
            and (self.days is None or local.day in self.days)
            and (self.weekdays is None or weekday in self.weekdays)
        )


def due_minutes(cron: Cron, timezone: str, after: datetime, until: datetime) -> list[datetime]:
    """The minutes in (after, until] at which `cron` fires in `timezone` (UTC results)."""
    zone = ZoneInfo(timezone)
    start = max(after, until - MAX_CATCH_UP)
    minute = start.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
    out = []
    while minute <= until:
        if cron.matches(minute.astimezone(zone)):
            out.append(minute)
        minute += timedelta(minutes=1)
    return out


# --------------------------------------------------------------------------- scheduler

Invoke = Callable[[str, dict[str, Any], str], dict[str, Any]]


class Background:
    """A daemon thread that calls `step` until stopped; `step` returns how many seconds
    to wait before its next call (0: at once)."""

    def __init__(self, name: str, step: Callable[[], float]) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(step,), name=name, daemon=True)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _loop(self, step: Callable[[], float]) -> None:
        while not self._stop.is_set():
            self._stop.wait(step())


@dataclass
class Run:
    schedule: str
    at: str  # the app-clock minute it was due (or "now" for a run from the page)
    result: Any
    ok: bool


@dataclass
class Scheduler:
    schedules: list[Schedule]
    invoke: Invoke
    clock: Callable[[], datetime]
    log: Callable[[str], None] = print
    history: list[Run] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._crons = {s.name: Cron.parse(s.expression) for s in self.schedules}
        self._last = self.clock() - timedelta(minutes=1)  # a schedule due this minute runs
        self._lock = threading.Lock()
        self._worker = Background("devstack-scheduler", self._step)

    def start(self) -> None:
        self._worker.start()

    def stop(self) -> None:
        self._worker.stop()

    def _step(self) -> float:
        self.tick()
        return TICK_SECONDS

    def tick(self) -> list[Run]:
        """Run what has come due since the last tick."""
        with self._lock:
            now = self.clock()
            due = sorted(
                (minute, s)
                for s in self.schedules
                for minute in due_minutes(self._crons[s.name], s.timezone, self._last, now)
            )
            self._last = max(self._last, now)
        return [self._run(s, minute.isoformat()) for minute, s in due]

    def run_now(self, name: str) -> Run:
        schedule = next((s for s in self.schedules if s.name == name), None)
        if schedule is None:
            raise KeyError(name)
        return self._run(schedule, "now")

    def _run(self, schedule: Schedule, at: str) -> Run:
        result: dict[str, Any] | str  # the function's answer, or the error it raised
        try:
            result = self.invoke(schedule.function, dict(schedule.input), uuid.uuid4().hex)
            ok = True
        except Exception as error:  # noqa: BLE001 - shown on the page; the scheduler goes on
            result, ok = f"{type(error).__name__}: {error}", False
        run = Run(schedule.name, at, result, ok)
        self.history.append(run)
        self.log(f"devstack: schedule {schedule.name} ({at}) -> {result}")
        return run


# --------------------------------------------------------------------------- SQS poller


@dataclass
class QueuePoller:
    source: QueueSource
    queue_url: str
    sqs: Any
    invoke: Invoke
    log: Callable[[str], None] = print
    invocations: int = 0

    def __post_init__(self) -> None:
        self._worker = Background(f"devstack-poller-{self.source.queue}", self._step)

    def start(self) -> None:
        self._worker.start()

    def stop(self) -> None:
        self._worker.stop()

    def _step(self) -> float:
        try:
            return 0.0 if self.poll(wait_seconds=1) else 1.0
        except Exception as error:  # noqa: BLE001 - the stack stopping, or moto busy: poll again
            if not self._worker.stopping:
                self.log(f"devstack: {self.source.queue} poller: {type(error).__name__}: {error}")
            return 2.0

    def poll(self, wait_seconds: int = 0) -> int:
        """One batch (up to BatchSize, from receives of ten); returns how many it handed over."""
        messages: list[dict[str, Any]] = []
        while len(messages) < self.source.batch_size:
            got = self.sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=min(10, self.source.batch_size - len(messages)),
                WaitTimeSeconds=wait_seconds if not messages else 0,
                AttributeNames=["All"],
            ).get("Messages", [])
            if not got:
                break
            messages += got
        if not messages:
            return 0
        event = {"Records": [sqs_record(m, self.queue_url.rsplit("/", 1)[-1]) for m in messages]}
        response = self.invoke(self.source.function, event, uuid.uuid4().hex) or {}
        self.invocations += 1
        failed = {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        for start in range(0, len(done), 10):
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                    for i, m in enumerate(done[start : start + 10])
                ],
            )
        self.log(
            f"devstack: {self.source.function} took {len(messages)} messages, {len(failed)} failed"
        )
        return len(messages)


def sqs_record(message: dict[str, Any], queue: str = "reminders") -> dict[str, Any]:
    """The SQS event record Lambda's poller builds from a received message (the one
    factory: the local stack, the tests and the bench use it)."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:us-west-2:123456789012:{queue}",
        "awsRegion": "us-west-2",
    }


# --------------------------------------------------------------------------- dev page


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}\n"
    "table{border-collapse:collapse;width:100%}"
    "td,th{border-bottom:1px solid #ddd;padding:.5rem;text-align:left;vertical-align:top}"
)
_LINKS = '<a href="/_dev/emails">Emails sent</a> · <a href="/">Site</a>'
_PAGE = """<!doctype html>
<html lang=en><head><meta charset=utf-8><title>Dev schedules</title>
<meta name=viewport content="width=device-width, initial-scale=1">
<style>{style}</style>
</head><body><h1>Schedules (EventBridge Scheduler, played locally)</h1>
<p>App clock: <time>{clock}</time>. A schedule runs when its time comes on
this clock; <em>Run now</em> runs it at once. {links}</p>
<table><thead><tr><th>Schedule</th><th>When</th><th>Input</th><th></th></tr></thead><tbody>
{rows}
</tbody></table>
<h2>Queue pollers</h2><ul>{queues}</ul>
<h2>Runs, newest first</h2><ul>{runs}</ul>
</body></html>
"""
_SCHEDULE = (
    "<tr><td><strong>{name}</strong><br><small>{description}</small></td>"
    "<td><code>{expression}</code><br><small>{timezone}</small></td>"
    "<td><code>{input}</code></td>"
    '<td><form method=post action="/_dev/schedules/{name}">'
    "<button type=submit>Run now</button></form></td></tr>"
)
_RUN = "<li><strong>{schedule}</strong> ({at}): {outcome} <code>{result}</code></li>"
_POLLER = "<li>{queue} → {function}: batches of {batch_size}, {invocations} invocations so far</li>"


def render_page(scheduler: Scheduler, pollers: list[QueuePoller]) -> str:
    """/_dev/schedules: the template's schedules, a button to run each now, and the runs."""
    import html
    import json

    rows = "\n".join(
        _SCHEDULE.format(
            name=html.escape(s.name),
            description=html.escape(s.description),
            expression=html.escape(s.expression),
            timezone=html.escape(s.timezone),
            input=html.escape(json.dumps(s.input)),
        )
        for s in scheduler.schedules
    )
    runs = (
        "\n".join(
            _RUN.format(
                schedule=html.escape(r.schedule),
                at=html.escape(r.at),
                outcome="ok" if r.ok else "FAILED",
                result=html.escape(json.dumps(r.result, default=str)),
            )
            for r in reversed(scheduler.history)
        )
        or "<li>None yet.</li>"
    )
    queues = "".join(
        _POLLER.format(
            queue=html.escape(p.source.queue),
            function=html.escape(p.source.function),
            batch_size=p.source.batch_size,
            invocations=p.invocations,
        )
        for p in pollers
    )
    return _PAGE.format(
        style=_STYLE,
        clock=html.escape(scheduler.clock().isoformat()),
        links=_LINKS,
        rows=rows,
        queues=queues,
        runs=runs,
    )
