"""The sample events in events/ (for `sam local invoke` and people) are answered by
their function, run with its template role's permissions: no 5xx, a JSON body."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devstack import iam
from tests.support.events import LambdaContext

EVENTS = sorted((Path(__file__).resolve().parents[2] / "events").glob("api-*.json"))


def test_there_is_a_sample_event_for_the_api():
    assert EVENTS


@pytest.mark.parametrize("path", EVENTS, ids=lambda p: p.name)
def test_sample_event_is_answered(aws, api_module, path):
    handler = iam.guarded_handler(api_module)
    response = handler(json.loads(path.read_text()), LambdaContext())
    assert response["statusCode"] < 500
    json.loads(response["body"])


GRADE_EVENTS = sorted((Path(__file__).resolve().parents[2] / "events").glob("grades-*.json"))


@pytest.mark.parametrize("path", GRADE_EVENTS, ids=lambda p: p.name)
def test_grade_import_sample_event_is_answered(aws, grade_module, path):
    assert GRADE_EVENTS
    handler = iam.guarded_handler(grade_module)
    response = handler(json.loads(path.read_text()), LambdaContext())
    assert response["statusCode"] < 500
    json.loads(response["body"])


S3_EVENTS = sorted((Path(__file__).resolve().parents[2] / "events").glob("s3-*.json"))


@pytest.mark.parametrize("path", S3_EVENTS, ids=lambda p: p.name)
def test_grade_files_bucket_sample_event_is_taken(aws, grade_module, path):
    # Given S3's event for a file whose import this table never recorded
    assert S3_EVENTS
    handler = iam.guarded_handler(grade_module)
    # When the grade-import function takes it, Then it is looked up (not an error) and left
    assert handler(json.loads(path.read_text()), LambdaContext()) == {"imported": 1}
