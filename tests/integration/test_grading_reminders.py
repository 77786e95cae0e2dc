"""Grading reminders end to end on moto: the scheduled job fans out one message per school
user whose roster is not done, the reminder sender emails each one list, once per user
and reminder, under retries, duplicates and a lost mark. SQS's visibility timeout passing
is played by making the failed messages visible again (no sleeps)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from devstack import iam
from tests.support.events import LambdaContext, claims, sqs_record
from tests.support.world import STAFF, World

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
SUBJECT = "Grades are due by June 25, 2027"


def _load(folder: str):
    spec = importlib.util.spec_from_file_location(
        f"grading_{folder}", FUNCTIONS / folder / "app.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def handlers():
    return _load("scheduled"), _load("reminder_sender")


class Jobs:
    """EventBridge Scheduler and Lambda's SQS poller, played in-process."""

    def __init__(self, handlers, queue_url: str):
        from dualcredit.dal.aws import client

        self.scheduled, self.sender = handlers
        self.queue_url, self.sqs = queue_url, client("sqs")
        self.failed: list[str] = []

    def run(self) -> dict[str, Any]:
        return iam.guarded_handler(self.scheduled)(
            {"action": "grading_remind"}, LambdaContext(function_name="scheduled")
        )

    def deliver(self) -> list[dict[str, Any]]:
        """Hand every visible message to the sender in one batch; delete the successes."""
        messages: list[dict[str, Any]] = []
        while got := self.sqs.receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]
        ).get("Messages", []):
            messages += got
        if not messages:
            return []
        response = iam.guarded_handler(self.sender)(
            {"Records": [sqs_record(m) for m in messages]},
            LambdaContext(function_name="reminder-sender"),
        )
        failed = {f["itemIdentifier"] for f in response["batchItemFailures"]}
        for m in messages:
            if m["MessageId"] in failed:
                self.failed.append(m["ReceiptHandle"])
            else:
                self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=m["ReceiptHandle"])
        return response["batchItemFailures"]

    def visibility_timeout_passes(self) -> None:
        for handle in self.failed:
            self.sqs.change_message_visibility(
                QueueUrl=self.queue_url, ReceiptHandle=handle, VisibilityTimeout=0
            )
        self.failed = []


@pytest.fixture
def jobs(aws, monkeypatch, handlers) -> Jobs:
    from dualcredit.dal.aws import client
    from dualcredit.settings import get_settings

    url = client("sqs").create_queue(
        QueueName="grading-reminders", Attributes={"VisibilityTimeout": "360"}
    )["QueueUrl"]
    monkeypatch.setenv("REMINDER_QUEUE_URL", url)
    get_settings.cache_clear()
    return Jobs(handlers, url)


@pytest.fixture
def schools(api, clock) -> World:
    """2026-27: at school X, Ann graded, Bea confirmed without a grade, Cy not answered
    for; two teachers there. School Y is done (Dee graded) and has one teacher."""
    clock("2027-01-15T10:00:00-08:00")
    world = World(api).build("2026-27")
    for name, school, offering in (
        ("ann", world.school_x, world.offering_x),
        ("bea", world.school_x, world.offering_x),
        ("cy", world.school_x, world.offering_x),
        ("dee", world.school_y, world.offering_y),
    ):
        world.ok(
            "POST",
            "/students/me/registrations",
            as_=world.student(name, school_id=school),
            body={"offering_ids": [offering]},
        )
    for email, school in (
        ("rivera@lake.example.org", world.school_x),
        ("chen@lake.example.org", world.school_x),
        ("ortiz@tech.example.org", world.school_y),
    ):
        world.ok("POST", "/school-users", body={"email": email, "school_id": school})
    return world


def _post(grades_api, world: World, school: str, offering: str, path: str, rows: list) -> None:
    key = "grades" if path == "grades" else "entries"
    status, answer = grades_api(
        "PUT",
        f"/schools/{school}/{path}",
        as_=claims("teacher", groups=["school"], school_id=school),
        body={"school_year": "2026-27", key: [{"offering_id": offering, **r} for r in rows]},
    )
    assert status == 200, answer


@pytest.fixture
def rosters(schools, grades_api) -> World:
    w = schools
    s = w.students
    _post(
        grades_api,
        w,
        w.school_x,
        w.offering_x,
        "grades",
        [{"sers_id": s["ann"].sers_id, "grade": "A"}],
    )
    _post(
        grades_api,
        w,
        w.school_x,
        w.offering_x,
        "enrollments",
        [{"sers_id": s["bea"].sers_id, "in_class": True}],
    )
    _post(
        grades_api,
        w,
        w.school_y,
        w.offering_y,
        "grades",
        [{"sers_id": s["dee"].sers_id, "grade": "B"}],
    )
    return w


def _received(sent_emails) -> dict[str, str]:
    return {to: body for to, subject, body in sent_emails() if subject.startswith(SUBJECT)}


def test_each_teacher_of_a_school_behind_gets_one_list_on_a_reminder_day(
    rosters, jobs, clock, sent_emails
):
    # Given June 11, 2027: 14 days before the June 25 grading deadline
    clock("2027-06-11T08:00:00-07:00")
    # When the job runs and the sender takes the queue
    result = jobs.run()
    assert (result["outcome"], result["reminder"], result["schools_behind"]) == (
        "enqueued",
        "2026-27:grading-14",
        1,
    )
    assert jobs.deliver() == []
    # Then both teachers of school X get one email, and school Y's teacher none
    received = _received(sent_emails)
    assert sorted(received) == ["chen@lake.example.org", "rivera@lake.example.org"]
    # And it lists Cy as not confirmed and Bea as without a grade, not Ann (graded)
    body = received["rivera@lake.example.org"]
    s = rosters.students
    assert s["cy"].sers_id in body and "not confirmed in the class" in body
    assert s["bea"].sers_id in body and "no grade yet" in body
    assert s["ann"].sers_id not in body


@pytest.mark.parametrize("day", ["2027-06-12", "2027-06-25", "2027-06-26", "2027-05-01"])
def test_nothing_goes_out_on_other_days(rosters, jobs, clock, sent_emails, day):
    # Given a day that is not 14, 7 or 1 days before the deadline
    clock(f"{day}T08:00:00-07:00")
    # When the job runs, Then nothing is enqueued nor sent
    assert jobs.run()["outcome"] == "no_reminder_today"
    assert jobs.deliver() == []
    assert _received(sent_emails) == {}


def test_the_job_run_twice_and_a_duplicate_delivery_send_each_teacher_one_email(
    rosters, jobs, clock, sent_emails
):
    # Given the 7-day reminder run twice (a scheduler retry), every message delivered twice
    clock("2027-06-18T08:00:00-07:00")
    jobs.run()
    jobs.run()
    jobs.deliver()
    # When the job runs once more later the same day and the queue is delivered again
    clock("2027-06-18T15:00:00-07:00")
    jobs.run()
    jobs.deliver()
    # Then each of the two teachers got exactly one email
    subjects = [to for to, subject, _ in sent_emails() if subject.startswith(SUBJECT)]
    assert sorted(subjects) == ["chen@lake.example.org", "rivera@lake.example.org"]


def test_a_failed_send_is_retried_after_its_lease_and_sent_once(
    rosters, jobs, clock, monkeypatch, sent_emails
):
    from dualcredit.dal import mailer

    real = mailer.send

    def refuses_chen(*, to: str, **message: str) -> str:
        if to == "chen@lake.example.org":
            raise RuntimeError("throttled")
        return real(to=to, **message)

    # Given SES refuses Chen's email on the 1-day reminder
    clock("2027-06-24T08:00:00-07:00")
    jobs.run()
    monkeypatch.setattr(mailer, "send", refuses_chen)
    failures = jobs.deliver()
    # Then only Chen's record is reported failed; Rivera's went out
    assert len(failures) == 1
    assert sorted(_received(sent_emails)) == ["rivera@lake.example.org"]
    # When SES recovers, the visibility timeout passes (the lease has run out by then)
    monkeypatch.setattr(mailer, "send", real)
    clock("2027-06-24T08:07:00-07:00")
    jobs.visibility_timeout_passes()
    assert jobs.deliver() == []
    # Then Chen gets the email, and Rivera no second one
    subjects = [to for to, subject, _ in sent_emails() if subject.startswith(SUBJECT)]
    assert sorted(subjects) == ["chen@lake.example.org", "rivera@lake.example.org"]


def test_a_mark_that_fails_after_sending_never_sends_again(
    rosters, jobs, clock, monkeypatch, sent_emails
):
    from dualcredit.dal import reminders

    def mark_fails(*args: Any, **kwargs: Any) -> list:
        raise RuntimeError("DynamoDB unavailable")

    # Given the sends succeed but marking them sent fails
    clock("2027-06-11T08:00:00-07:00")
    jobs.run()
    real = reminders.finish_all
    monkeypatch.setattr(reminders, "finish_all", mark_fails)
    # When the sender runs, Then the records still succeed (SQS must not redeliver them)
    assert jobs.deliver() == []
    assert len(_received(sent_emails)) == 2
    # When the job runs again while the claims' leases are live
    monkeypatch.setattr(reminders, "finish_all", real)
    clock("2027-06-11T08:01:00-07:00")
    jobs.run()
    jobs.deliver()
    # Then nobody gets a second email
    subjects = [to for to, subject, _ in sent_emails() if subject.startswith(SUBJECT)]
    assert len(subjects) == 2


def test_a_roster_finished_after_the_job_ran_is_not_reminded(
    rosters, jobs, clock, grades_api, sent_emails
):
    # Given the job enqueued school X's reminders on June 11
    clock("2027-06-11T08:00:00-07:00")
    jobs.run()
    # When the school finishes its roster before the sender runs
    w, s = rosters, rosters.students
    _post(
        grades_api,
        w,
        w.school_x,
        w.offering_x,
        "grades",
        [{"sers_id": s["bea"].sers_id, "grade": "B"}, {"sers_id": s["cy"].sers_id, "grade": "C"}],
    )
    jobs.deliver()
    # Then no email goes out
    assert _received(sent_emails) == {}


def test_a_removed_teacher_is_not_reminded_nor_anyone_once_the_year_is_final(
    rosters, jobs, clock, api, sent_emails
):
    # Given Chen removed by staff
    users = api("GET", f"/schools/{rosters.school_x}/users", as_=STAFF)[1]
    chen = next(u for u in users if u["email"] == "chen@lake.example.org")
    assert api("POST", f"/school-users/{chen['user_id']}/remove", as_=STAFF)[0] == 200
    # When the 14-day reminder goes out, Then only Rivera gets it
    clock("2027-06-11T08:00:00-07:00")
    jobs.run()
    jobs.deliver()
    assert sorted(_received(sent_emails)) == ["rivera@lake.example.org"]
    # And once staff finalize the year, the job sends nothing more
    clock("2027-06-26T09:00:00-07:00")
    assert api("POST", "/grading/2026-27/finalize", as_=STAFF)[0] == 200
    assert jobs.run()["outcome"] == "finalized"
