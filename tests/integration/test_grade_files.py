"""Large grade files through S3: the school's user gets a presigned POST for their school,
the browser uploads the CSV straight to the bucket, and the bucket's event runs the
grade-import function, which streams the file, checks every row against the roster with
the CSV route's rules, writes only what changes, and records a status and a report."""

from __future__ import annotations

import csv
import importlib.util
import io

import pytest
import requests

from tests.conftest import REPO
from tests.support.events import LambdaContext, claims
from tests.support.world import World

BUCKET = "grade-files-test"


@pytest.fixture
def grade_function(aws, monkeypatch):
    """The grade-import handler, with the grade-files bucket it reads."""
    from dualcredit.dal import aws as aws_clients

    monkeypatch.setenv("GRADE_FILES_BUCKET", BUCKET)
    aws_clients.client("s3").create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "us-west-2"}
    )
    spec = importlib.util.spec_from_file_location(
        "grade_import_files", REPO / "functions" / "grade_import" / "app.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def _caller(world: World):
    from dualcredit.logic.caller import Caller, Role

    return Caller(user_id="teacher-x", role=Role.SCHOOL, school_id=world.school_x)


def _code(api, world: World) -> str:
    years = api("GET", "/students/me/dashboard", as_=world.students["ann"])[1]["years"]
    return next(y for y in years if y["school_year"] == "2026-27")["registrations"][0][
        "college_course_code"
    ]


def _upload(world: World, text: str, function) -> str:
    """Ask for the presigned POST, upload as the browser does, deliver the S3 event."""
    from datetime import UTC, datetime

    from dualcredit.logic import grade_files

    started = grade_files.start(_caller(world), world.school_x, "2026-27", datetime.now(UTC))
    answer = requests.post(
        started["url"],
        data=started["fields"],
        files={"file": ("grades.csv", text.encode("utf-8"), "text/csv")},
        timeout=10,
    )
    assert answer.status_code in (200, 204), answer.text
    key = started["fields"]["key"]
    function.lambda_handler({"Records": [{"s3": {"object": {"key": key}}}]}, LambdaContext())
    return started["import_id"]


def _file(world: World, code: str, **grades: str) -> str:
    lines = ["SERS ID,College Course Code,Grade"]
    lines += [f"{world.students[n].sers_id},{code},{g}" for n, g in grades.items()]
    return "\n".join(lines) + "\n"


def _status(world: World, import_id: str) -> dict:
    from dualcredit.logic import grade_files

    return grade_files.status(_caller(world), world.school_x, import_id)


def _report(world: World, import_id: str) -> list[dict[str, str]]:
    from dualcredit.logic import grade_files

    _, text = grade_files.report(_caller(world), world.school_x, import_id)
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
    status = _status(world, first)
    assert (status["state"], status["rows_checked"], status["rows_written"]) == ("done", 3, 3)
    assert [r["status"] for r in _report(world, first)] == ["posted"] * 3
    # When the same file comes again, Then nothing is written
    again = _upload(world, text, grade_function)
    assert (_status(world, again)["rows_written"], _status(world, again)["rows_unchanged"]) == (
        0,
        3,
    )
    # When a corrected file changes Bea's grade only, Then only that row is written
    corrected = _upload(world, _file(world, code, ann="B", bea="B+", cy="A"), grade_function)
    assert _status(world, corrected)["rows_written"] == 1
    assert {r["sers_id"]: r["status"] for r in _report(world, corrected)} == {
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
    status = _status(world, imported)
    assert (status["state"], status["rows_written"], status["rows_refused"]) == ("refused", 0, 1)
    (row,) = _report(world, imported)
    assert row["line"] == "Line 3" and 'column "Grade"' in row["problem"]
    roster = api(
        "GET", f"/schools/{world.school_x}/roster?school_year=2026-27", as_=_teacher(world)
    )[1]
    assert {r.get("grade") for r in roster} == {None}


def test_a_school_user_reads_only_their_own_schools_imports(api, world, grade_function):
    from datetime import UTC, datetime

    from dualcredit.errors import Forbidden
    from dualcredit.logic import grade_files
    from dualcredit.logic.caller import Caller, Role

    imported = _upload(world, _file(world, _code(api, world), ann="B"), grade_function)
    other = Caller(user_id="teacher-y", role=Role.SCHOOL, school_id="another-school")
    # When a user of another school asks for a POST to school X, or its import's status
    # Then both are refused
    with pytest.raises(Forbidden):
        grade_files.start(other, world.school_x, "2026-27", datetime.now(UTC))
    with pytest.raises(Forbidden):
        grade_files.status(other, world.school_x, imported)


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
    assert _status(world, imported)["rows_written"] == 120
    per_transaction = (dynamo.TRANSACTION_LIMIT - 1) // 2
    assert aws["TransactWriteItems"] == -(-120 // per_transaction)


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
    assert _status(world, imported)["state"] == "refused"
    (row,) = _report(world, imported)
    assert row["sers_id"] == world.students["cy"].sers_id
    assert "marked this student not in this class" in row["problem"]
    roster = api(
        "GET", f"/schools/{world.school_x}/roster?school_year=2026-27", as_=_teacher(world)
    )[1]
    assert {r["sers_id"]: r.get("grade") for r in roster}[world.students["ann"].sers_id] is None
