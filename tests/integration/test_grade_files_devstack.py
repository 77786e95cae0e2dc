"""Large grade files on the local stack, over real HTTP as the school's page does: the
route gives a presigned POST, the file goes straight to moto's bucket (which checks the
POST's policy as S3 does), the bucket's event reaches the grade-import function through
the gateway, and the page's routes read the progress and the per-row report."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import requests

from devstack.seed import SCHOOL_USER_EMAIL, SCHOOL_USER_PASSWORD
from devstack.stack import DualCreditStack

IN_WINDOW = "2027-01-15T10:00:00-08:00"
LOCAL = {"http": "", "https": ""}  # never through a proxy


@pytest.fixture(scope="module")
def stack():
    # The bucket's events are delivered when a test asks (no threads).
    local = DualCreditStack(
        port=0,
        moto_port=0,
        stripe_port=0,
        quiet=True,
        clock_override=IN_WINDOW,
        background_jobs=False,
    ).start()
    yield local
    local.stop()


@pytest.fixture(scope="module")
def teacher(stack) -> dict[str, str]:
    token = stack.id_token(SCHOOL_USER_EMAIL, SCHOOL_USER_PASSWORD)
    return {"Authorization": f"Bearer {token}", "Origin": stack.site_url}


def _school(stack) -> str:
    return str(stack.seeded.schools[0]["school_id"])


def _start(stack, teacher) -> dict[str, Any]:
    answer = requests.post(
        f"{stack.api_url}/schools/{_school(stack)}/grade-files",
        json={"school_year": "2026-27"},
        headers=teacher,
        proxies=LOCAL,
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def _post(stack, started: dict[str, Any], data: bytes, content_type: str = "text/csv"):
    return requests.post(
        started["url"],
        data=started["fields"],
        files={"file": ("grades.csv", data, content_type)},
        headers={"Origin": stack.site_url},
        proxies=LOCAL,
        timeout=30,
    )


def _file(stack, grade: str) -> bytes:
    student = stack.seeded.student
    return f"SERS ID,College Course Code,Grade\n{student['sers_id']},WELD 101,{grade}\n".encode()


def test_a_file_posted_to_the_bucket_is_imported_and_its_report_downloaded(stack, teacher):
    # Given a presigned POST for the school's demo user
    started = _start(stack, teacher)
    assert started["fields"]["key"] == f"imports/{_school(stack)}/{started['import_id']}.csv"
    status_url = f"{stack.api_url}/schools/{_school(stack)}/grade-files/{started['import_id']}"
    waiting = requests.get(status_url, headers=teacher, proxies=LOCAL, timeout=30).json()
    assert (waiting["state"], waiting["rows_checked"]) == ("waiting", 0)
    # When the browser posts the file to the bucket, from the site
    posted = _post(stack, started, _file(stack, "B+"))
    # Then S3 takes it, and answers the site's origin (CORS)
    assert posted.status_code == 204, posted.text
    assert posted.headers.get("Access-Control-Allow-Origin") in (stack.site_url, "*")
    # When the bucket's event is played, Then the function is invoked once, with AWS's shape
    events = stack.bucket_events[0]
    assert events.deliver() == 1
    # And the status says done, one row checked and written
    done = requests.get(status_url, headers=teacher, proxies=LOCAL, timeout=30).json()
    assert (done["state"], done["rows_checked"], done["rows_written"]) == ("done", 1, 1)
    # And the report is a CSV download naming the row
    report = requests.get(f"{status_url}/report", headers=teacher, proxies=LOCAL, timeout=30)
    assert report.status_code == 200
    assert report.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert [(r["line"], r["status"]) for r in rows] == [("Line 2", "posted")]


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        (b"x" * (10 * 1024 * 1024 + 1), "text/csv", 400, "EntityTooLarge"),
        (b"", "text/csv", 400, "EntityTooSmall"),
        (b"sers_id,college_course_code,grade\n", "text/html", 403, "AccessDenied"),
    ],
    ids=["over 10 MB", "empty", "not text/csv"],
)
def test_the_bucket_refuses_a_post_its_policy_does_not_allow(
    stack, teacher, data, content_type, status, code
):
    # Given a presigned POST
    started = _start(stack, teacher)
    # When the browser posts a file the policy does not allow (the object's type is the
    # form's Content-Type field)
    fields = dict(started["fields"], **{"Content-Type": content_type})
    posted = _post(stack, {**started, "fields": fields}, data, content_type)
    # Then S3 refuses it with its own error, and nothing is imported
    assert (posted.status_code, f"<Code>{code}</Code>" in posted.text) == (status, True)
    assert stack.bucket_events[0].deliver() == 0


def test_a_post_for_another_key_is_refused(stack, teacher):
    # Given a presigned POST, When the form's key is changed to another school's
    started = _start(stack, teacher)
    fields = dict(started["fields"], key=f"imports/another-school/{started['import_id']}.csv")
    posted = _post(stack, {**started, "fields": fields}, _file(stack, "A"))
    # Then S3 refuses it: the policy names the key
    assert posted.status_code == 403 and "Policy Condition failed" in posted.text
    assert stack.bucket_events[0].deliver() == 0
