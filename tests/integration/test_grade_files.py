"""Large grade files through S3: the school's user gets a presigned POST for their school,
the browser uploads the CSV straight to the bucket, and the bucket's event runs the
grade-import function, which streams the file, checks every row against the roster with
the CSV route's rules, writes only what changes, and records a status and a report."""

from __future__ import annotations

import csv
import io
import os
import re
import time
from urllib.parse import unquote_plus

import pytest
import requests

from devstack import s3events
from devstack.names import GRADE_FILES_BUCKET
from tests.support.events import LambdaContext, claims
from tests.support.rosters import copy_student
from tests.support.world import World

#: A whole district's export, as the issue sizes it (GRADE_FILE_ROWS=2000 for a quick run).
DISTRICT_ROWS = int(os.environ.get("GRADE_FILE_ROWS", "20000"))


@pytest.fixture
def grade_function(aws, grades_api, monkeypatch):
    """The grade-files bucket as the template sets it up, its events (moto builds them
    as S3 does) on a local queue, and the grade-import handler (with its role's
    permissions) they go to."""
    from dualcredit.dal import aws as aws_clients

    monkeypatch.setenv("GRADE_FILES_BUCKET", GRADE_FILES_BUCKET)
    sqs = aws_clients.client("sqs")
    (queue,) = s3events.create_buckets(aws_clients.client("s3"), sqs).values()
    return Delivery(grades_api, sqs, queue)


class Delivery:
    """The bucket's events, handed to the grade-import function as S3 would."""

    def __init__(self, grades_api, sqs, queue: str) -> None:
        self.grades_api, self.sqs, self.queue = grades_api, sqs, queue
        self.events: list[dict] = []

    def deliver(self) -> int:
        events = s3events.s3_events(self.sqs, self.queue)
        for event in events:
            self.grades_api.handler(event, LambdaContext())
        self.events += events
        return len(events)


@pytest.fixture
def world(api, clock) -> World:
    """2026-27 at school X: Ann, Bea and Cy registered for the class at school X."""
    clock("2027-01-15T10:00:00-08:00")
    built = World(api).build("2026-27")
    for name in ("ann", "bea", "cy"):
        built.ok(
            "POST",
            "/students/me/registrations",
            as_=built.student(name),
            body={"offering_ids": [built.offering_x]},
        )
    clock("2027-06-10T10:00:00-07:00")
    return built


def _teacher(world: World):
    return claims("teacher-x", groups=["school"], school_id=world.school_x)


def _code(api, world: World) -> str:
    years = api("GET", "/students/me/dashboard", as_=world.students["ann"])[1]["years"]
    return next(y for y in years if y["school_year"] == "2026-27")["registrations"][0][
        "college_course_code"
    ]


def _upload(world: World, text: str, delivery: Delivery) -> str:
    """Ask the route for the presigned POST, upload as the browser does, and deliver the
    bucket's event."""
    import_id = _send(world, text, delivery)
    assert delivery.deliver() == 1
    return import_id


def _send(world: World, text: str, delivery: Delivery) -> str:
    """Ask the route for the presigned POST and upload as the browser does."""
    status, started = delivery.grades_api(
        "POST",
        f"/schools/{world.school_x}/grade-files",
        as_=_teacher(world),
        body={"school_year": "2026-27"},
    )
    assert status == 201, started
    answer = requests.post(
        started["url"],
        data=started["fields"],
        files={"file": ("grades.csv", text.encode("utf-8"), "text/csv")},
        timeout=10,
    )
    assert answer.status_code in (200, 204), answer.text
    return started["import_id"]


def _file(world: World, code: str, **grades: str) -> str:
    lines = ["SERS ID,College Course Code,Grade"]
    lines += [f"{world.students[n].sers_id},{code},{g}" for n, g in grades.items()]
    return "\n".join(lines) + "\n"


def _status(world: World, import_id: str, delivery: Delivery) -> dict:
    status, found = delivery.grades_api(
        "GET", f"/schools/{world.school_x}/grade-files/{import_id}", as_=_teacher(world)
    )
    assert status == 200, found
    return found


def _report(world: World, import_id: str, delivery: Delivery) -> list[dict[str, str]]:
    status, text = delivery.grades_api(
        "GET", f"/schools/{world.school_x}/grade-files/{import_id}/report", as_=_teacher(world)
    )
    assert status == 200, text
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_a_file_uploaded_to_s3_is_imported_and_the_same_file_again_changes_nothing(
    api, world, grade_function
):
    code = _code(api, world)
    # Given a district export with a grade for each student
    text = _file(world, code, ann="B", bea="C", cy="A")
    # When it is uploaded with the presigned POST and the bucket's event delivered
    first = _upload(world, text, grade_function)
    # Then every row is checked and written, and the report says so per row
    status = _status(world, first, grade_function)
    assert (status["state"], status["rows_checked"], status["rows_written"]) == ("done", 3, 3)
    assert [r["status"] for r in _report(world, first, grade_function)] == ["posted"] * 3
    # When the same file comes again, Then nothing is written
    again = _upload(world, text, grade_function)
    status = _status(world, again, grade_function)
    assert (status["rows_written"], status["rows_unchanged"]) == (0, 3)
    # When a corrected file changes Bea's grade only, Then only that row is written
    corrected = _upload(world, _file(world, code, ann="B", bea="B+", cy="A"), grade_function)
    assert _status(world, corrected, grade_function)["rows_written"] == 1
    assert {r["sers_id"]: r["status"] for r in _report(world, corrected, grade_function)} == {
        world.students["ann"].sers_id: "unchanged",
        world.students["bea"].sers_id: "posted",
        world.students["cy"].sers_id: "unchanged",
    }


def test_a_bad_row_in_the_middle_refuses_the_whole_file(api, world, grade_function):
    code = _code(api, world)
    # Given a file whose middle row has a grade that is not a grade
    text = _file(world, code, ann="B", bea="Q", cy="A")
    # When it is imported
    imported = _upload(world, text, grade_function)
    # Then nothing is written, and the report names the line and the column
    status = _status(world, imported, grade_function)
    assert (status["state"], status["rows_written"], status["rows_refused"]) == ("refused", 0, 1)
    (row,) = _report(world, imported, grade_function)
    assert row["line"] == "Line 3" and 'column "Grade"' in row["problem"]
    roster = api(
        "GET", f"/schools/{world.school_x}/roster?school_year=2026-27", as_=_teacher(world)
    )[1]
    assert {r.get("grade") for r in roster} == {None}


def test_a_school_user_reads_only_their_own_schools_imports(api, world, grade_function):
    imported = _upload(world, _file(world, _code(api, world), ann="B"), grade_function)
    other = claims("teacher-y", groups=["school"], school_id=world.school_y)
    base = f"/schools/{world.school_x}/grade-files"
    # When a user of another school asks for a POST to school X, its import's status or
    # its report, Then each is refused
    for method, url, body in (
        ("POST", base, {"school_year": "2026-27"}),
        ("GET", f"{base}/{imported}", None),
        ("GET", f"{base}/{imported}/report", None),
    ):
        assert grade_function.grades_api(method, url, as_=other, body=body)[0] == 403
    # And an import id school X never had is a 404 to its own user
    assert grade_function.grades_api("GET", f"{base}/{'0' * 32}", as_=_teacher(world))[0] == 404


def test_the_function_gets_the_event_as_s3_sends_it_and_a_second_delivery_does_nothing(
    api, world, grade_function
):
    # Given an imported file
    imported = _upload(world, _file(world, _code(api, world), ann="B"), grade_function)
    # Then its event was S3's: the bucket, the key URL-encoded, the file's size
    (record,) = grade_function.events[-1]["Records"]
    assert record["eventSource"] == "aws:s3" and record["eventName"].startswith("ObjectCreated")
    assert record["s3"]["bucket"]["name"] == GRADE_FILES_BUCKET
    # (URL-encoded: moto's quote_plus encodes "/" too, AWS keeps it; both decode the same)
    key = unquote_plus(record["s3"]["object"]["key"])
    assert key == f"imports/{world.school_x}/{imported}.csv"
    assert record["s3"]["object"]["size"] > 0
    # When S3 delivers the same event again (at least once), Then nothing more is written
    grade_function.grades_api.handler(grade_function.events[-1], LambdaContext())
    assert _status(world, imported, grade_function)["rows_written"] == 1


def test_a_report_the_bucket_no_longer_keeps_is_a_404(api, world, grade_function):
    from dualcredit.dal import aws as aws_clients

    # Given an imported file whose report the bucket's lifecycle has expired
    imported = _upload(world, _file(world, _code(api, world), ann="B"), grade_function)
    aws_clients.client("s3").delete_object(
        Bucket=GRADE_FILES_BUCKET, Key=f"reports/{world.school_x}/{imported}.csv"
    )
    # When its user asks for it, Then it is a 404 saying reports are kept 7 days
    status, body = grade_function.grades_api(
        "GET",
        f"/schools/{world.school_x}/grade-files/{imported}/report",
        as_=_teacher(world),
    )
    assert status == 404 and "no longer kept (7 days)" in body["message"]


def test_a_report_waits_for_the_file(world, grade_function):
    # Given an import whose file has not come yet
    status, started = grade_function.grades_api(
        "POST", f"/schools/{world.school_x}/grade-files", as_=_teacher(world), body={}
    )
    assert status == 201
    assert started["max_bytes"] == 10 * 1024 * 1024 and started["content_type"] == "text/csv"
    # Then it is waiting, and its report is a 409 saying it comes when the file is done
    assert _status(world, started["import_id"], grade_function)["state"] == "waiting"
    status, body = grade_function.grades_api(
        "GET",
        f"/schools/{world.school_x}/grade-files/{started['import_id']}/report",
        as_=_teacher(world),
    )
    assert status == 409 and "when it is done" in body["message"]


def test_a_district_file_of_20000_rows_is_imported_in_as_few_transactions_as_the_limit_allows(
    api, world, grade_function, aws
):
    # (The same file twice, a corrected file and a bad middle row are the small files'
    # tests above: on moto each more pass over 20,000 rows costs minutes, not the point.)
    rows = DISTRICT_ROWS
    # Given 20,000 students in the class (Ann, and copies of her registration)
    ann = world.students["ann"]
    sers_ids = [ann.sers_id, *copy_student(ann.student_id, ann.sers_id, ann.email, rows - 1)]
    assert len(sers_ids) == rows
    code = _code(api, world)
    grades = ["A", "B+", "B", "C", "A-"]
    text = "SERS ID,Student,College Course Code,Grade\n" + "".join(
        f"{sers},Student {i},{code},{grades[i % 5]}\n" for i, sers in enumerate(sers_ids)
    )
    # When the district's file is uploaded and its event delivered
    aws.clear()
    began = time.perf_counter()
    imported = _upload(world, text, grade_function)
    seconds = time.perf_counter() - began
    # Then every row is checked and written, in as few transactions as the limit allows:
    # each starts with the year's guard, then a grade and its audit record per row
    status = _status(world, imported, grade_function)
    assert (status["state"], status["rows_checked"], status["rows_written"]) == ("done", rows, rows)
    assert aws["TransactWriteItems"] == -(-rows // ((dynamo_limit() - 1) // 2))
    # And the report has a line per row, each posted
    report = _report(world, imported, grade_function)
    assert len(report) == rows and {r["status"] for r in report} == {"posted"}
    assert report[rows // 2]["line"] == f"Line {rows // 2 + 2}"
    print(f"\n{rows} rows imported in {seconds:.1f} s on moto")


def dynamo_limit() -> int:
    from dualcredit.dal import dynamo

    return dynamo.TRANSACTION_LIMIT


def test_a_file_is_written_in_as_few_transactions_as_the_limits_allow(
    api, world, grade_function, aws
):
    from dualcredit.dal import dynamo

    # Given 120 students in the class (the world's three and 117 more)
    for i in range(117):
        name = f"student{i}"
        world.ok(
            "POST",
            "/students/me/registrations",
            as_=world.student(name),
            body={"offering_ids": [world.offering_x]},
        )
    code = _code(api, world)
    text = _file(world, code, **{name: "B" for name in world.students})
    # When their file is imported
    aws.clear()
    imported = _upload(world, text, grade_function)
    # Then each transaction is full: a grade and its audit record are two items, and
    # each transaction starts with the year's guard, so 49 grades per transaction
    assert _status(world, imported, grade_function)["rows_written"] == 120
    per_transaction = (dynamo.TRANSACTION_LIMIT - 1) // 2
    assert aws["TransactWriteItems"] == -(-120 // per_transaction)


def test_the_status_says_the_rows_written_as_the_file_is_written(
    api, world, grade_function, monkeypatch
):
    from dualcredit.dal import aws as aws_clients
    from dualcredit.logic import grade_files

    # Given 120 students in the class, and progress recorded every 50 grades or so
    for i in range(117):
        world.ok(
            "POST",
            "/students/me/registrations",
            as_=world.student(f"student{i}"),
            body={"offering_ids": [world.offering_x]},
        )
    monkeypatch.setattr(grade_files, "PROGRESS_EVERY", 50)
    recorded: list[int] = []

    def watch(params, **_):
        # A progress update sets the grades written and when (not the state)
        names = {v: k for k, v in (params.get("ExpressionAttributeNames") or {}).items()}
        values = params.get("ExpressionAttributeValues") or {}
        if params["Key"]["PK"]["S"].startswith("GRADEIMPORT#") and set(names) == {
            "rows_written",
            "updated_at",
        }:
            assigned = dict(re.findall(r"(#\w+) = (:\w+)", params["UpdateExpression"]))
            recorded.append(int(values[assigned[names["rows_written"]]]["N"]))

    aws_clients.client("dynamodb").meta.events.register(
        "provide-client-params.dynamodb.UpdateItem", watch
    )
    # When their file is imported (transactions of 49 grades: 49, 98, 120 written)
    text = _file(world, _code(api, world), **{name: "B" for name in world.students})
    imported = _upload(world, text, grade_function)
    # Then the status said 98 written once the second transaction was in, then 120
    assert recorded == [98]
    assert _status(world, imported, grade_function)["rows_written"] == 120


def test_a_grade_for_a_student_marked_not_in_the_class_is_a_row_error(
    api, grades_api, world, grade_function
):
    # Given the teacher marked Cy not in the class
    status, _ = grades_api(
        "PUT",
        f"/schools/{world.school_x}/enrollments",
        as_=_teacher(world),
        body={
            "school_year": "2026-27",
            "entries": [
                {
                    "sers_id": world.students["cy"].sers_id,
                    "offering_id": world.offering_x,
                    "in_class": False,
                }
            ],
        },
    )
    assert status == 200
    # When a file grades Ann and Cy
    imported = _upload(world, _file(world, _code(api, world), ann="A", cy="B"), grade_function)
    # Then the file is refused, its report naming Cy's row and the conflict, Ann not graded
    assert _status(world, imported, grade_function)["state"] == "refused"
    (row,) = _report(world, imported, grade_function)
    assert row["sers_id"] == world.students["cy"].sers_id
    assert "marked this student not in this class" in row["problem"]
    roster = api(
        "GET", f"/schools/{world.school_x}/roster?school_year=2026-27", as_=_teacher(world)
    )[1]
    assert {r["sers_id"]: r.get("grade") for r in roster}[world.students["ann"].sers_id] is None


def test_an_import_that_never_finishes_reads_as_stopped_after_20_minutes(
    world, grade_function, clock
):
    # Given an import asked for at 10:00 whose file never came (or whose run died)
    clock("2027-06-10T10:00:00-07:00")
    status, started = grade_function.grades_api(
        "POST", f"/schools/{world.school_x}/grade-files", as_=_teacher(world), body={}
    )
    assert status == 201
    # When the page asks at 10:19, Then it is still waiting
    clock("2027-06-10T10:19:00-07:00")
    assert _status(world, started["import_id"], grade_function)["state"] == "waiting"
    # When it asks at 10:21, Then it has stopped, and says to send the file again
    clock("2027-06-10T10:21:00-07:00")
    found = _status(world, started["import_id"], grade_function)
    assert found["state"] == "failed"
    assert "send the same file again" in found["message"]
    # And its report is a 409 saying the same, in Spanish for a Spanish page
    status, body = grade_function.grades_api(
        "GET",
        f"/schools/{world.school_x}/grade-files/{started['import_id']}/report",
        as_=_teacher(world),
        headers={"Accept-Language": "es"},
    )
    assert status == 409 and "envíe el mismo archivo otra vez" in body["message"]
    status, spanish = grade_function.grades_api(
        "GET",
        f"/schools/{world.school_x}/grade-files/{started['import_id']}",
        as_=_teacher(world),
        headers={"Accept-Language": "es"},
    )
    assert status == 200 and spanish["message"].startswith("Este archivo se detuvo")


def test_a_run_that_fails_midway_says_so_and_the_same_file_again_writes_the_rest(
    api, world, grade_function, monkeypatch
):
    from dualcredit.logic import grades

    code = _code(api, world)
    text = _file(world, code, ann="B", bea="C", cy="A")
    # Given DynamoDB failing past botocore's retries while the file is written
    written = grades.post_csv_rows

    def failing(*args, **kwargs):
        raise RuntimeError("ProvisionedThroughputExceededException")

    monkeypatch.setattr(grades, "post_csv_rows", failing)
    # When the file is uploaded, Then the function's run fails (its error alarm sees it)
    import_id = _send(world, text, grade_function)
    with pytest.raises(RuntimeError):
        grade_function.deliver()
    # And the status says it stopped, at once, without waiting for the 20 minutes
    found = _status(world, import_id, grade_function)
    assert (found["state"], found["message"].startswith("This file stopped")) == ("failed", True)
    # When DynamoDB is back and the same file is sent again, Then every grade is written
    monkeypatch.setattr(grades, "post_csv_rows", written)
    again = _upload(world, text, grade_function)
    assert _status(world, again, grade_function)["rows_written"] == 3


def test_staff_cannot_start_an_import_for_a_school_that_does_not_exist(world, grade_function):
    # Given staff, When they ask for an upload for a school id nobody has
    staff = claims("staff-1", groups=["staff"])
    status, body = grade_function.grades_api(
        "POST", "/schools/no-such-school/grade-files", as_=staff, body={}
    )
    # Then it is a 404 naming the school, and no import is recorded
    assert status == 404 and body["message"] == "There is no such school."
