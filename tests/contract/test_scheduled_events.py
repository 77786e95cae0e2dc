"""The sample events of the scheduled function and the reminder sender (events/, for
`sam local invoke` and people) are answered by their functions."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from devstack.template import load_template
from tests.support.events import LambdaContext

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "events"
SCHEDULED = sorted(EVENTS.glob("scheduled-*.json"))
SENDER = sorted(EVENTS.glob("sqs-reminder-sender*.json"))


def _handler(folder: str):
    spec = importlib.util.spec_from_file_location(
        f"{folder}_sample", REPO / "functions" / folder / "app.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.lambda_handler


@pytest.fixture
def queue(aws, monkeypatch):
    from dualcredit.dal.aws import client
    from dualcredit.settings import get_settings

    url = client("sqs").create_queue(QueueName="reminders")["QueueUrl"]
    monkeypatch.setenv("REMINDER_QUEUE_URL", url)
    get_settings.cache_clear()
    return url


def test_there_is_a_sample_event_for_each_schedule_and_the_sender():
    schedules = load_template()["Resources"]["ScheduledFunction"]["Properties"]["Events"]
    actions = {json.loads(e["Properties"]["Input"])["action"] for e in schedules.values()}
    assert (
        {json.loads(p.read_text())["action"] for p in SCHEDULED}
        == actions
        == {"open", "close", "remind", "reconcile", "grading_remind"}
    )
    assert SENDER


@pytest.mark.parametrize(
    "now", ["2027-12-01T00:00:00-08:00", "2027-06-08T09:00:00-07:00", "2027-06-16T00:05:00-07:00"]
)
@pytest.mark.parametrize("path", SCHEDULED, ids=lambda p: p.name)
def test_scheduled_sample_event_is_answered(queue, clock, path, now, request):
    clock(now)
    if path.name == "scheduled-reconcile.json":
        request.getfixturevalue("stripe_standin")  # the reconciliation reads Stripe
    result = _handler("scheduled")(
        json.loads(path.read_text()), LambdaContext(function_name="scheduled")
    )
    assert result["action"] == json.loads(path.read_text())["action"]
    assert result["outcome"]
    json.dumps(result)


@pytest.mark.parametrize("path", SENDER, ids=lambda p: p.name)
def test_sender_sample_event_is_answered_with_no_failures(aws, clock, path):
    clock("2027-06-08T09:00:00-07:00")
    response = _handler("reminder_sender")(
        json.loads(path.read_text()), LambdaContext(function_name="sender")
    )
    assert response == {"batchItemFailures": []}
