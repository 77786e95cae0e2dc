"""The scheduled jobs (open, close, remind) and the reminder sender, end to end against
moto: the real handlers, SQS between them, SES, the Stripe stand-in. Time is set with
the `clock` fixture; SQS's visibility timeout passing is simulated by making the
in-flight messages visible again (no sleeps)."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from devstack import iam
from tests.support.events import LambdaContext, sqs_record
from tests.support.students import Student
from tests.support.world import STAFF, World

REPO_FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
STAFF_INBOX = "info@pnwcollegecredit.org"
REMINDER_SUBJECT = "Reminder: your 2026-27 CTE Dual Credit fee"
OPEN_SUBJECT = "CTE Dual Credit registration for 2027-28 is open"


def _load(folder: str):
    spec = importlib.util.spec_from_file_location(
        f"{folder}_app", REPO_FUNCTIONS / folder / "app.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scheduled_module():
    return _load("scheduled")


@pytest.fixture(scope="module")
def sender_module():
    return _load("reminder_sender")


class Jobs:
    """EventBridge Scheduler and Lambda's SQS poller, played in-process."""

    def __init__(self, scheduled, sender, queue_url: str):
        from dualcredit.dal.aws import client

        self.scheduled, self.sender, self.queue_url = scheduled, sender, queue_url
        self.sqs = client("sqs")
        self.in_flight: list[str] = []  # receipt handles of messages whose record failed
        self.responses: list[dict[str, Any]] = []

    def run(self, action: str, **extra: Any) -> dict[str, Any]:
        return iam.guarded_handler(self.scheduled)(
            {"action": action, **extra}, LambdaContext(function_name="scheduled")
        )

    def deliver(self, batch_size: int = 50) -> list[dict[str, Any]]:
        """Receive every visible message, gathering up to `batch_size` (the template's
        BatchSize) from receives of ten, hand each batch to the sender as Lambda's poller
        does, delete the records that succeeded; return the responses."""
        responses = []
        while True:
            messages: list[dict[str, Any]] = []
            while len(messages) < batch_size:
                got = self.sqs.receive_message(
                    QueueUrl=self.queue_url,
                    MaxNumberOfMessages=min(10, batch_size - len(messages)),
                    AttributeNames=["All"],
                ).get("Messages", [])
                if not got:
                    break
                messages += got
            if not messages:
                self.responses += responses
                return responses
            event = {"Records": [sqs_record(m) for m in messages]}
            response = iam.guarded_handler(self.sender)(
                event, LambdaContext(function_name="reminder-sender")
            )
            failed = {f["itemIdentifier"] for f in response["batchItemFailures"]}
            for message in messages:
                if message["MessageId"] in failed:
                    self.in_flight.append(message["ReceiptHandle"])
                else:
                    self.sqs.delete_message(
                        QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"]
                    )
            responses.append({"ids": [m["MessageId"] for m in messages], **response})

    def visibility_timeout_passes(self) -> None:
        """What SQS does once the visibility timeout of the failed records has run out."""
        for handle in self.in_flight:
            self.sqs.change_message_visibility(
                QueueUrl=self.queue_url, ReceiptHandle=handle, VisibilityTimeout=0
            )
        self.in_flight = []

    def queued(self) -> int:
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=self.queue_url, AttributeNames=["ApproximateNumberOfMessages"]
        )
        return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


@pytest.fixture
def jobs(aws, monkeypatch, scheduled_module, sender_module) -> Jobs:
    from dualcredit.dal.aws import client
    from dualcredit.settings import get_settings

    url = client("sqs").create_queue(
        QueueName="reminders", Attributes={"VisibilityTimeout": "360"}
    )["QueueUrl"]
    monkeypatch.setenv("REMINDER_QUEUE_URL", url)
    get_settings.cache_clear()
    return Jobs(scheduled_module, sender_module, url)


def _emails(sent_emails, subject: str) -> list[str]:
    """Recipients of the messages whose subject starts with `subject`."""
    return sorted(to for to, s, _ in sent_emails() if s.startswith(subject))


def _register(world: World, name: str, **details: Any) -> Student:
    student = world.student(name, **details)
    world.ok(
        "POST", "/students/me/registrations", as_=student, body={"offering_ids": [world.offering_x]}
    )
    return student


def _pay_by_check(world: World, student: Student, year: str = "2026-27") -> None:
    world.ok(
        "POST",
        f"/students/{student.student_id}/payments",
        body={
            "kind": "check",
            "school_year": year,
            "instrument_number": "1001",
            "amount_cents": 5000,
            "received_on": "2027-01-14",
            "payer_name": "Pat Parent",
        },
    )


def _waiver(world: World, student: Student, *, approve: bool | None) -> None:
    world.ok("POST", "/students/me/waivers", as_=student, body={"reason": "free_reduced_lunch"})
    if approve is not None:
        world.ok(
            "POST",
            "/waivers/decisions",
            body={
                "decisions": [
                    {
                        "student_id": student.student_id,
                        "school_year": "2026-27",
                        "approve": approve,
                    }
                ]
            },
        )


def _window_record(year: str) -> dict[str, Any]:
    from dualcredit.dal import dynamo, keys

    return dynamo.get_item(keys.window_pk(year), keys.META_SK) or {}


# --------------------------------------------------------------------------- reminders


@pytest.fixture
def fees(api, clock) -> World:
    """2026-27: Ann and Eve owe the fee; Bob paid by check; Cy's fee is waived; Di's
    waiver is pending."""
    clock("2027-01-15T10:00:00-08:00")
    world = World(api).build("2026-27")
    for name in ("ann", "bob", "cy", "di", "eve"):
        _register(world, name)
    _pay_by_check(world, world.students["bob"])
    _waiver(world, world.students["cy"], approve=True)
    _waiver(world, world.students["di"], approve=None)
    return world


@pytest.mark.parametrize(
    ("now", "reminder"),
    [
        ("2027-05-16T09:00:00-07:00", "2026-27:30"),
        ("2027-06-01T09:00:00-07:00", "2026-27:14"),
        ("2027-06-08T09:00:00-07:00", "2026-27:7"),  # June 8 is 7 days before June 15
        ("2027-06-08T16:00:00Z", "2026-27:7"),  # 09:00 PDT, given in UTC
        ("2027-06-12T09:00:00-07:00", "2026-27:3"),
        ("2027-06-14T09:00:00-07:00", "2026-27:1"),
        ("2027-06-08T06:30:00Z", None),  # June 8 in UTC, still June 7 in Washington
        ("2027-06-01T03:00:00Z", None),  # June 1 in UTC, May 31 (15 days) in Washington
        ("2027-06-09T09:00:00-07:00", None),
        ("2027-06-15T09:00:00-07:00", None),
        ("2027-05-15T09:00:00-07:00", None),
    ],
)
def test_reminders_go_out_on_the_reminder_days_only(fees, jobs, clock, sent_emails, now, reminder):
    # Given students who owe the fee, When the daily job runs at `now`
    clock(now)
    result = jobs.run("remind")
    jobs.deliver()
    # Then only on a reminder day (a Pacific date) are they reminded
    if reminder is None:
        assert result["outcome"] == "no_reminder_today"
        assert _emails(sent_emails, REMINDER_SUBJECT) == []
    else:
        assert (result["outcome"], result["reminder"], result["enqueued"]) == (
            "enqueued",
            reminder,
            2,
        )
        assert _emails(sent_emails, REMINDER_SUBJECT) == ["ann@example.org", "eve@example.org"]


def test_a_reminder_carries_the_sers_id_amount_deadline_and_pay_link(
    fees, jobs, clock, sent_emails
):
    clock("2027-06-08T09:00:00-07:00")
    jobs.run("remind")
    jobs.deliver()
    ((to, subject, body),) = [
        m for m in sent_emails() if m[0] == "ann@example.org" and m[1].startswith(REMINDER_SUBJECT)
    ]
    assert subject == "Reminder: your 2026-27 CTE Dual Credit fee is due by June 15, 2027"
    assert fees.students["ann"].sers_id in body
    assert "$50.00" in body
    assert "June 15, 2027, 11:59 pm Pacific time" in body and "in 7 days" in body
    assert 'href="https://app.test/pay"' in body


def test_only_due_students_are_reminded_and_each_once_when_the_job_runs_twice(
    fees, jobs, clock, sent_emails
):
    # Given the reminder day, When the job runs twice (a retry) and the sender drains the queue
    clock("2027-06-08T09:00:00-07:00")
    first, second = jobs.run("remind"), jobs.run("remind")
    assert first["enqueued"] == second["enqueued"] == 2
    jobs.deliver()
    # Then each due student got the reminder once; the paid, waived and pending did not
    assert _emails(sent_emails, REMINDER_SUBJECT) == ["ann@example.org", "eve@example.org"]
    # And the duplicates were answered as done, not failed
    assert all(r["batchItemFailures"] == [] for r in jobs.responses)
    # When the job runs once more later that day, Then nobody is emailed again
    clock("2027-06-08T15:00:00-07:00")
    jobs.run("remind")
    jobs.deliver()
    assert _emails(sent_emails, REMINDER_SUBJECT) == ["ann@example.org", "eve@example.org"]


def test_each_reminder_of_the_list_is_its_own(fees, jobs, clock, sent_emails):
    for now in ("2027-06-08T09:00:00-07:00", "2027-06-12T09:00:00-07:00"):
        clock(now)
        jobs.run("remind")
        jobs.deliver()
    assert (
        _emails(sent_emails, REMINDER_SUBJECT) == ["ann@example.org"] * 2 + ["eve@example.org"] * 2
    )


def test_a_student_who_paid_after_the_job_ran_is_not_emailed(fees, jobs, clock, api, sent_emails):
    # Given the job put Ann's reminder on the queue
    clock("2027-06-08T09:00:00-07:00")
    jobs.run("remind")
    # When Ann's parent pays (a check recorded) before the sender gets to it
    _pay_by_check(fees, fees.students["ann"])
    jobs.deliver()
    # Then only Eve is emailed, and Ann's reminder is recorded as skipped because paid
    assert _emails(sent_emails, REMINDER_SUBJECT) == ["eve@example.org"]
    status, history = api("GET", "/reminders/history?school_year=2026-27&days=7", as_=STAFF)
    assert status == 200
    by_student = {e["sers_id"]: e for e in history["entries"]}
    ann = by_student[fees.students["ann"].sers_id]
    assert (ann["status"], ann["reason"], ann["sent_at"]) == ("skipped", "paid", None)
    assert by_student[fees.students["eve"].sers_id]["status"] == "sent"
    assert history["counts"] == {"sent": 1, "skipped": 1, "sending": 0}


def test_a_failed_send_is_reported_alone_and_finished_by_the_next_run_without_doubles(
    fees, jobs, clock, monkeypatch, sent_emails
):
    from dualcredit.dal import mailer

    real_send = mailer.send_bulk

    def flaky(name: str, destinations: list[tuple[str, dict[str, str]]]) -> list[str | None]:
        # SES answers the bulk request, refusing one destination (AccountThrottled)
        ids = real_send(name, [d for d in destinations if d[0] != "eve@example.org"])
        return [None if to == "eve@example.org" else ids.pop(0) for to, _ in destinations]

    # Given SES refuses Eve's reminder
    clock("2027-06-08T09:00:00-07:00")
    jobs.run("remind")
    monkeypatch.setattr(mailer, "send_bulk", flaky)
    responses = jobs.deliver()
    # Then only Eve's record is reported failed; Ann's went out
    (response,) = responses
    eve_message = next(i for i in response["ids"] if i not in _done_ids(response))
    assert response["batchItemFailures"] == [{"itemIdentifier": eve_message}]
    assert _emails(sent_emails, REMINDER_SUBJECT) == ["ann@example.org"]

    # When SES recovers and the job runs again before the failed claim's lease runs out
    monkeypatch.setattr(mailer, "send_bulk", real_send)
    clock("2027-06-08T09:01:00-07:00")
    jobs.run("remind")
    jobs.deliver()
    # Then Eve's new message waits (her claim is still held), and nobody gets a second email
    assert _emails(sent_emails, REMINDER_SUBJECT) == ["ann@example.org"]
    assert len(jobs.in_flight) == 2
    # When the visibility timeout passes (the lease has run out by then)
    clock("2027-06-08T09:07:00-07:00")
    jobs.visibility_timeout_passes()
    jobs.deliver()
    # Then Eve gets her reminder, once
    assert _emails(sent_emails, REMINDER_SUBJECT) == ["ann@example.org", "eve@example.org"]
    assert jobs.queued() == 0 and jobs.in_flight == []


def _ses_requests() -> Counter:
    """SES requests made from now on, by operation."""
    from dualcredit.dal.aws import client

    counted: Counter = Counter()
    client("ses").meta.events.register(
        "before-call.ses.*", lambda event_name, **_: counted.update([event_name.rsplit(".", 1)[-1]])
    )
    return counted


def _done_ids(response: dict[str, Any]) -> set[str]:
    failed = {f["itemIdentifier"] for f in response["batchItemFailures"]}
    return set(response["ids"]) - failed


def test_a_job_that_died_while_enqueueing_is_finished_by_the_rerun_without_doubles(
    fees, jobs, clock, monkeypatch, sent_emails
):
    from dualcredit.dal import queue

    # Given batches of one message, and SQS failing on the second batch
    monkeypatch.setattr(queue, "BATCH_LIMIT", 1)
    real_send_batch = queue.send_batch
    calls = []

    def dies_on_second(url: str, bodies: list[dict]) -> None:
        calls.append(bodies)
        if len(calls) == 2:
            raise ConnectionError("SQS unreachable")
        real_send_batch(url, bodies)

    monkeypatch.setattr(queue, "send_batch", dies_on_second)
    clock("2027-06-08T09:00:00-07:00")
    with pytest.raises(ConnectionError):
        jobs.run("remind")  # the scheduler retries a failed run
    jobs.deliver()
    assert len(_emails(sent_emails, REMINDER_SUBJECT)) == 1
    # When the retry runs
    jobs.run("remind")
    jobs.deliver()
    # Then both due students have their reminder, once each
    assert _emails(sent_emails, REMINDER_SUBJECT) == ["ann@example.org", "eve@example.org"]


def test_a_batch_is_one_read_one_claim_transaction_one_bulk_send_and_one_mark(
    fees, jobs, clock, aws, sent_emails
):
    clock("2027-06-08T09:00:00-07:00")
    jobs.run("remind")
    aws.clear()
    ses = _ses_requests()
    (response,) = jobs.deliver()
    assert response["batchItemFailures"] == []
    # 2 messages: 1 BatchGetItem, 1 TransactWriteItems of claims, 1 of outcomes
    assert dict(aws) == {"BatchGetItem": 1, "TransactWriteItems": 2}
    assert ses == {"SendBulkTemplatedEmail": 1}


def test_staff_preview_lists_exactly_the_due_students(fees, jobs, clock, api):
    clock("2027-06-08T09:00:00-07:00")
    status, preview = api("GET", "/reminders/preview", as_=STAFF)
    assert status == 200
    assert (preview["reminder"], preview["due_today"], preview["reminder_on"]) == (
        "2026-27:7",
        True,
        "2027-06-08",
    )
    assert preview["student_count"] == 2 and preview["amount_cents_total"] == 10000
    rows = {
        (s["sers_id"], s["legal_first_name"], s["school_name"], s["amount_cents"])
        for s in preview["students"]
    }
    assert rows == {
        (fees.students["ann"].sers_id, "Ann", "Lake High School", 5000),
        (fees.students["eve"].sers_id, "Eve", "Lake High School", 5000),
    }
    # A dry run: nothing was sent or claimed
    assert api("GET", "/reminders/history?days=7", as_=STAFF)[1]["entries"] == []
    # After the reminder went out, nobody is left to remind today
    jobs.run("remind")
    jobs.deliver()
    after = api("GET", "/reminders/preview", as_=STAFF)[1]
    assert (after["student_count"], after["already_done"], after["students"]) == (0, 2, [])


def test_staff_preview_of_a_coming_reminder(fees, clock, api):
    clock("2027-06-09T09:00:00-07:00")
    preview = api("GET", "/reminders/preview", as_=STAFF)[1]
    assert (preview["days"], preview["reminder_on"], preview["due_today"]) == (
        3,
        "2027-06-12",
        False,
    )
    assert preview["student_count"] == 2
    chosen = api("GET", "/reminders/preview?days=14&school_year=2026-27", as_=STAFF)[1]
    assert (chosen["reminder"], chosen["reminder_on"]) == ("2026-27:14", "2027-06-01")


def test_staff_history_lists_what_was_sent_to_whom_and_when(fees, jobs, clock, api):
    clock("2027-06-08T09:00:00-07:00")
    jobs.run("remind")
    jobs.deliver()
    history = api("GET", "/reminders/history?school_year=2026-27", as_=STAFF)[1]
    assert history["reminders"] == [
        "2026-27:30",
        "2026-27:14",
        "2026-27:7",
        "2026-27:3",
        "2026-27:1",
        "2026-27:open",
    ]
    sent = {
        (e["reminder"], e["sers_id"], e["legal_last_name"], e["status"], e["amount_cents"])
        for e in history["entries"]
    }
    assert sent == {
        ("2026-27:7", fees.students[n].sers_id, "Smith", "sent", 5000) for n in ("ann", "eve")
    }
    assert all(
        datetime.fromisoformat(e["sent_at"]) == datetime.fromisoformat("2027-06-08T09:00:00-07:00")
        for e in history["entries"]
    )


def test_a_reminder_follows_a_staff_extension(fees, jobs, clock, api, sent_emails):
    # Given staff extended the close to June 22
    api("PUT", "/windows/2026-27", as_=STAFF, body={"closes_on": "2027-06-22"})
    # Then the reminders count down to June 22: June 8 is the 14-day one, June 15 the 7-day one
    clock("2027-06-08T09:00:00-07:00")
    assert jobs.run("remind")["reminder"] == "2026-27:14"
    clock("2027-06-09T09:00:00-07:00")
    assert jobs.run("remind")["outcome"] == "no_reminder_today"
    clock("2027-06-15T09:00:00-07:00")
    assert jobs.run("remind")["reminder"] == "2026-27:7"
    jobs.deliver()
    bodies = [
        b
        for to, s, b in sent_emails()
        if to == "ann@example.org" and s.startswith(REMINDER_SUBJECT)
    ]
    assert len(bodies) == 2
    assert all("June 22, 2027, 11:59 pm Pacific time" in body for body in bodies)


# --------------------------------------------------------------------------- opening


@pytest.fixture
def last_year(api, clock) -> World:
    """2026-27 students: Gil graduates in 2027, Hal in 2028; Ida has an account but did
    not register in 2026-27."""
    clock("2027-01-15T10:00:00-08:00")
    world = World(api).build("2026-27")
    _register(world, "gil", expected_graduation_year=2027)
    _register(world, "hal", expected_graduation_year=2028)
    world.student("ida", expected_graduation_year=2029)
    return world


@pytest.mark.parametrize("early", ["2027-11-30T23:59:00-08:00", "2027-12-01T07:59:59Z"])
def test_the_window_opens_on_december_first_pacific_time(last_year, jobs, clock, api, early):
    # Given it is still November 30 in Washington, When the opening job runs
    clock(early)
    assert jobs.run("open")["outcome"] == "not_yet_open"
    # Then nothing is recorded
    assert "opened_at" not in _window_record("2027-28")
    # When it runs at midnight on December 1, Pacific time
    clock("2027-12-01T00:00:00-08:00")
    result = jobs.run("open")
    # Then the 2027-28 window is recorded open
    assert (result["outcome"], result["school_year"]) == ("opened", "2027-28")
    assert _window_record("2027-28")["opened_on"] == "2027-12-01"
    window = api("GET", "/window")[1]
    assert (window["school_year"], window["status"]) == ("2027-28", "open")
    assert datetime.fromisoformat(window["opened_at"]) == datetime.fromisoformat(
        "2027-12-01T00:00:00-08:00"
    )


def test_opening_tells_last_years_students_still_in_school_once(
    last_year, jobs, clock, sent_emails
):
    # When the opening job runs twice (a retry)
    clock("2027-12-01T00:00:00-08:00")
    first = jobs.run("open")
    clock("2027-12-01T00:02:00-08:00")
    second = jobs.run("open")
    jobs.deliver()
    # Then the second run changed nothing and told nobody
    assert (first["outcome"], first["notified"]) == ("opened", 1)
    assert second["outcome"] == "already_open"
    assert _window_record("2027-28")["opened_at"].startswith("2027-12-01T00:00:00")
    # And only Hal, who registered last year and graduates in 2028, is told
    assert _emails(sent_emails, OPEN_SUBJECT) == ["hal@example.org"]
    (body,) = [b for to, s, b in sent_emails() if s.startswith(OPEN_SUBJECT)]
    assert last_year.students["hal"].sers_id in body and "June 15, 2028" in body


def test_an_opening_that_died_before_announcing_is_finished_by_the_rerun(
    last_year, jobs, clock, monkeypatch, sent_emails
):
    from dualcredit.dal import queue

    real = queue.send_all
    monkeypatch.setattr(
        queue, "send_all", lambda url, bodies: (_ for _ in ()).throw(TimeoutError())
    )
    clock("2027-12-01T00:00:00-08:00")
    with pytest.raises(TimeoutError):
        jobs.run("open")
    monkeypatch.setattr(queue, "send_all", real)
    rerun = jobs.run("open")
    jobs.deliver()
    assert (rerun["outcome"], rerun["notified"]) == ("announced", 1)
    assert _emails(sent_emails, OPEN_SUBJECT) == ["hal@example.org"]


# --------------------------------------------------------------------------- closing


@pytest.fixture
def checkouts(api, clock, stripe_standin) -> dict[str, Any]:
    """Late on June 15: Joy has an open card checkout for 2026-27; Kai, approved for
    2025-26 prior-year credit, has an open checkout for that year; Lee paid by check."""
    clock("2027-01-15T10:00:00-08:00")
    world = World(api).build("2026-27")
    joy, kai, lee = (_register(world, name) for name in ("joy", "kai", "lee"))
    _pay_by_check(world, lee)
    request = world.ok(
        "POST",
        "/students/me/prior-year-requests",
        as_=kai,
        body={
            "school_year": "2025-26",
            "school_id": world.school_x,
            "high_school_course": "Welding 1",
            "teacher": "Ms. Rivera",
            "reason": "I took the class but missed the deadline.",
        },
    )
    world.ok(
        "POST",
        "/prior-year-requests/decisions",
        body={
            "decisions": [
                {
                    "student_id": kai.student_id,
                    "school_year": "2025-26",
                    "approve": True,
                    "request_id": request["request_id"],
                }
            ]
        },
    )
    clock("2027-06-15T23:40:00-07:00")
    joy_session = world.ok("POST", "/students/me/checkout", as_=joy, body={})["session_id"]
    kai_session = world.ok(
        "POST", "/students/me/checkout", as_=kai, body={"school_year": "2025-26"}
    )["session_id"]
    return {"world": world, "joy": joy_session, "kai": kai_session, "standin": stripe_standin}


def _checkout_of(student: Student, year: str) -> dict | None:
    from dualcredit.dal import dynamo, keys

    item = dynamo.get_item(keys.student_pk(student.student_id), keys.year_sk(year))
    return (item or {}).get("checkout")


def test_the_window_closes_after_june_15_and_expires_open_checkouts(
    checkouts, jobs, clock, sent_emails, api
):
    world, standin = checkouts["world"], checkouts["standin"]
    # When the closing job runs at 00:05 on June 16, Pacific time
    clock("2027-06-16T00:05:00-07:00")
    result = jobs.run("close")
    # Then the 2026-27 window is recorded closed
    assert (result["outcome"], result["school_year"], result["sessions_expired"]) == (
        "closed",
        "2026-27",
        1,
    )
    assert _window_record("2026-27")["closed_on"] == "2027-06-15"
    staff_view = api("GET", "/windows/2026-27", as_=STAFF)[1]
    assert staff_view["status"] == "closed" and staff_view["closed_at"]
    # And Joy's open checkout is expired at Stripe and cleared, so nobody pays after the deadline
    assert standin.sessions[checkouts["joy"]]["status"] == "expired"
    assert _checkout_of(world.students["joy"], "2026-27") is None
    # But Kai's prior-year checkout stays open: approved prior-year credit may be paid late
    assert standin.sessions[checkouts["kai"]]["status"] == "open"
    assert _checkout_of(world.students["kai"], "2025-26") is not None
    # And staff get a summary with counts by fee status and by school
    ((to, subject, body),) = [m for m in sent_emails() if m[0] == STAFF_INBOX]
    assert subject == "2026-27 registration window closed: summary"
    assert '<tr><th align="left">Due (not paid)</th><td>2</td></tr>' in body
    assert '<tr><th align="left">Paid by check or money order</th><td>1</td></tr>' in body
    assert (
        "<tr><td>Lake High School</td><td>0</td><td>1</td><td>0</td><td>0</td><td>2</td></tr>"
        in body
    )
    assert "Open card checkouts expired: 1" in body
    # When the job runs again (the next day's schedule), Then nothing more happens
    clock("2027-06-17T00:05:00-07:00")
    assert jobs.run("close")["outcome"] == "already_closed"
    assert len([m for m in sent_emails() if m[0] == STAFF_INBOX]) == 1


def test_closing_keeps_prior_year_checkouts_of_the_year_it_closes(
    checkouts, jobs, clock, sent_emails
):
    # When the 2025-26 year (closed a year ago) is closed by hand, its prior-year checkout is kept
    clock("2027-06-16T00:05:00-07:00")
    result = jobs.run("close", school_year="2025-26")
    assert (result["sessions_expired"], result["sessions_kept"]) == (0, 1)
    assert checkouts["standin"].sessions[checkouts["kai"]]["status"] == "open"


def test_the_close_waits_for_a_staff_extension(checkouts, jobs, clock, api, sent_emails):
    world, standin = checkouts["world"], checkouts["standin"]
    # Given staff extended the 2026-27 window to June 22 (before the session expired on its own)
    api("PUT", "/windows/2026-27", as_=STAFF, body={"closes_on": "2027-06-22"})
    # When the closing job runs on June 16 and on June 22, Then it is postponed
    for day in ("2027-06-16T00:05:00-07:00", "2027-06-22T00:05:00-07:00"):
        clock(day)
        result = jobs.run("close")
        assert (result["outcome"], result["closes_on"]) == ("postponed", "2027-06-22")
    assert "closed_on" not in _window_record("2026-27")
    assert [m for m in sent_emails() if m[0] == STAFF_INBOX] == []
    # Joy opens a new checkout on the extension's last evening
    clock("2027-06-22T23:40:00-07:00")
    joy_session = world.ok("POST", "/students/me/checkout", as_=world.students["joy"], body={})[
        "session_id"
    ]
    # When it runs on June 23, Then the year closes and the session expires
    clock("2027-06-23T00:05:00-07:00")
    assert jobs.run("close")["outcome"] == "closed"
    assert _window_record("2026-27")["closed_on"] == "2027-06-22"
    assert standin.sessions[joy_session]["status"] == "expired"
    assert len([m for m in sent_emails() if m[0] == STAFF_INBOX]) == 1


def test_an_extension_after_the_close_reopens_and_the_next_run_closes_again(
    checkouts, jobs, clock, api, sent_emails
):
    clock("2027-06-16T00:05:00-07:00")
    assert jobs.run("close")["outcome"] == "closed"
    # Staff extend the closed window to June 20 on June 16
    clock("2027-06-16T09:00:00-07:00")
    assert api("PUT", "/windows/2026-27", as_=STAFF, body={"closes_on": "2027-06-20"})[0] == 200
    assert api("GET", "/window?school_year=2026-27")[1]["closed_at"] is None
    clock("2027-06-21T00:05:00-07:00")
    assert jobs.run("close")["outcome"] == "closed"
    assert len([m for m in sent_emails() if m[0] == STAFF_INBOX]) == 2


def test_unknown_actions_fail_loudly(jobs):
    with pytest.raises(ValueError, match="unknown scheduled action"):
        jobs.run("reopen")


def test_the_scheduled_jobs_never_scan(fees, jobs, clock, aws):
    # The `aws` fixture fails any Scan; each job walks one GSI2 partition.
    for now, action in (
        ("2027-06-08T09:00:00-07:00", "remind"),
        ("2027-06-16T00:05:00-07:00", "close"),
        ("2027-12-01T00:00:00-08:00", "open"),
    ):
        clock(now)
        jobs.run(action)
    assert aws["Scan"] == 0


def test_a_malformed_message_fails_until_it_is_dead_lettered(jobs, clock):
    from dualcredit.dal.aws import client

    clock("2027-06-08T09:00:00-07:00")
    client("sqs").send_message(
        QueueUrl=jobs.queue_url, MessageBody=json.dumps({"kind": "nonsense"})
    )
    (response,) = jobs.deliver()
    assert len(response["batchItemFailures"]) == 1


def test_a_message_for_a_student_without_a_profile_is_skipped(jobs, clock, api):
    from dualcredit.dal.aws import client

    clock("2027-06-08T09:00:00-07:00")
    client("sqs").send_message(
        QueueUrl=jobs.queue_url,
        MessageBody=json.dumps(
            {
                "kind": "reminder",
                "student_id": "nobody",
                "school_year": "2026-27",
                "reminder": "2026-27:7",
            }
        ),
    )
    (response,) = jobs.deliver()
    assert response["batchItemFailures"] == []
    entry = api("GET", "/reminders/history?school_year=2026-27&days=7", as_=STAFF)[1]["entries"][0]
    assert (entry["student_id"], entry["status"], entry["reason"]) == (
        "nobody",
        "skipped",
        "no_profile",
    )


# --------------------------------------------------------------------------- sender failures


def _claims(year: str = "2026-27", label: str = "7") -> dict[str, str]:
    """Each student's claim status for one reminder."""
    from dualcredit.dal import reminders

    return {item["student_id"]: item["status"] for item in reminders.of_reminder(year, label)}


def test_a_claim_taken_by_another_sender_after_the_read_is_left_to_it(
    fees, jobs, clock, monkeypatch, sent_emails
):
    from dualcredit.dal import reminders

    clock("2027-06-08T09:00:00-07:00")
    jobs.run("remind")
    eve = fees.students["eve"].student_id
    real_load = reminders.load_for_sending

    def racing_read(wanted):
        # Given our read sees no claim for Eve, and another sender takes it right after
        facts = real_load(wanted)
        reminders.take_all(
            [reminders.Take("2026-27", "7", eve, "reminder")],
            at=datetime.fromisoformat("2027-06-08T09:00:00-07:00"),
            lease_seconds=180,
        )
        return facts

    monkeypatch.setattr(reminders, "load_for_sending", racing_read)
    # When our sender claims the batch
    (response,) = jobs.deliver()
    # Then it sends Ann's reminder, leaves Eve's to the other sender (SQS asks again later)
    assert _emails(sent_emails, REMINDER_SUBJECT) == ["ann@example.org"]
    assert len(response["batchItemFailures"]) == 1
    assert _claims() == {fees.students["ann"].student_id: "sent", eve: "sending"}


def test_a_bulk_send_that_fails_whole_is_retried_after_the_lease_without_doubles(
    fees, jobs, clock, monkeypatch, sent_emails
):
    from dualcredit.dal import mailer

    real_send = mailer.send_bulk

    def unreachable(name, destinations):
        raise ConnectionError("SES unreachable")

    # Given SES cannot be reached when the batch is sent
    clock("2027-06-08T09:00:00-07:00")
    jobs.run("remind")
    monkeypatch.setattr(mailer, "send_bulk", unreachable)
    (response,) = jobs.deliver()
    # Then both records fail, nothing is sent, both claims wait under their lease
    assert len(response["batchItemFailures"]) == 2
    assert _emails(sent_emails, REMINDER_SUBJECT) == []
    assert set(_claims().values()) == {"sending"}
    # When SES is back and SQS delivers the records again after the visibility timeout
    monkeypatch.setattr(mailer, "send_bulk", real_send)
    clock("2027-06-08T09:07:00-07:00")
    jobs.visibility_timeout_passes()
    jobs.deliver()
    # Then each student gets the reminder once
    assert _emails(sent_emails, REMINDER_SUBJECT) == ["ann@example.org", "eve@example.org"]
    assert set(_claims().values()) == {"sent"}


def test_mail_that_went_out_is_not_sent_again_when_marking_it_fails(
    fees, jobs, clock, monkeypatch, sent_emails
):
    from dualcredit.dal import reminders

    def table_down(sent, *, at):
        raise ConnectionError("DynamoDB unreachable")

    # Given the claims cannot be marked after SES accepted the emails
    clock("2027-06-08T09:00:00-07:00")
    jobs.run("remind")
    monkeypatch.setattr(reminders, "finish_all", table_down)
    (response,) = jobs.deliver()
    # Then the records succeed, so SQS does not deliver them (and the emails) again
    assert response["batchItemFailures"] == []
    assert jobs.queued() == 0 and jobs.in_flight == []
    assert _emails(sent_emails, REMINDER_SUBJECT) == ["ann@example.org", "eve@example.org"]


def test_fifty_reminders_take_one_invocation_of_four_requests(api, jobs, clock, aws, sent_emails):
    # Given 50 due students
    clock("2027-01-15T10:00:00-08:00")
    world = World(api).build("2026-27")
    for i in range(50):
        _register(world, f"s{i:02d}")
    clock("2027-06-08T09:00:00-07:00")
    assert jobs.run("remind")["enqueued"] == 50
    aws.clear()
    ses = _ses_requests()
    # When the sender gets them as one batch
    (response,) = jobs.deliver()
    # Then 2 BatchGetItem (151 keys), 2 transactions and 1 bulk send carry all 50
    assert response["batchItemFailures"] == []
    assert dict(aws) == {"BatchGetItem": 2, "TransactWriteItems": 2}
    assert ses == {"SendBulkTemplatedEmail": 1}
    assert len(_emails(sent_emails, REMINDER_SUBJECT)) == 50


def test_a_message_that_cannot_be_composed_fails_alone(fees, jobs, clock, monkeypatch, sent_emails):
    from dualcredit.logic.reminders import sending

    real_values = sending.reminder_values
    eve_sers = fees.students["eve"].sers_id

    def broken_for_eve(profile, *args):
        if profile.sers_id == eve_sers:
            raise ValueError("a record this code cannot read")
        return real_values(profile, *args)

    # Given Eve's records cannot be turned into an email
    clock("2027-06-08T09:00:00-07:00")
    jobs.run("remind")
    monkeypatch.setattr(sending, "reminder_values", broken_for_eve)
    (response,) = jobs.deliver()
    # Then only her record fails (SQS retries it, then dead-letters it), and Ann is reminded
    assert len(response["batchItemFailures"]) == 1
    assert _emails(sent_emails, REMINDER_SUBJECT) == ["ann@example.org"]
    assert fees.students["eve"].student_id not in _claims()
