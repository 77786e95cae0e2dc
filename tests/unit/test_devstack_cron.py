"""The local scheduler reads the template's cron expressions as EventBridge Scheduler
does, in the schedule's time zone (daylight saving included)."""

from __future__ import annotations

from datetime import datetime

import pytest

from devstack import template
from devstack.jobs import Cron, CronError, due_minutes


def _utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def test_every_schedule_of_the_template_is_readable():
    for schedule in template.schedules():
        Cron.parse(schedule.expression)


@pytest.mark.parametrize(
    ("expression", "after", "until", "expected"),
    [
        # 09:00 Pacific in June is 16:00 UTC (daylight time)
        (
            "cron(0 9 * 5,6 ? *)",
            "2027-06-08T15:58:00+00:00",
            "2027-06-08T16:01:00+00:00",
            ["2027-06-08T16:00:00+00:00"],
        ),
        # ... and midnight December 1 is 08:00 UTC (standard time)
        (
            "cron(0 0 1 12 ? *)",
            "2027-12-01T07:00:00+00:00",
            "2027-12-01T09:00:00+00:00",
            ["2027-12-01T08:00:00+00:00"],
        ),
        # not in July
        ("cron(0 9 * 5,6 ? *)", "2027-07-01T15:00:00+00:00", "2027-07-01T17:00:00+00:00", []),
        # 00:05 on June 16-30 only
        (
            "cron(5 0 16-30 6 ? *)",
            "2027-06-15T06:00:00+00:00",
            "2027-06-16T08:00:00+00:00",
            ["2027-06-16T07:05:00+00:00"],
        ),
        # the start of the span is excluded, its end included
        ("cron(0 9 * 5,6 ? *)", "2027-06-08T16:00:00+00:00", "2027-06-08T16:00:00+00:00", []),
        # a clock that jumps a month catches up one day only
        (
            "cron(0 9 * 5,6 ? *)",
            "2027-05-01T00:00:00+00:00",
            "2027-06-08T17:00:00+00:00",
            ["2027-06-08T16:00:00+00:00"],
        ),
    ],
)
def test_a_schedule_is_due_at_its_pacific_minute(expression, after, until, expected):
    due = due_minutes(Cron.parse(expression), "America/Los_Angeles", _utc(after), _utc(until))
    assert [d.isoformat() for d in due] == expected


def test_day_of_week_counts_from_sunday_as_eventbridge_does():
    # 2027-06-06 is a Sunday
    cron = Cron.parse("cron(0 12 ? * 1 *)")
    assert [
        d.isoformat()
        for d in due_minutes(
            cron, "UTC", _utc("2027-06-05T23:00:00+00:00"), _utc("2027-06-06T22:00:00+00:00")
        )
    ] == ["2027-06-06T12:00:00+00:00"]


@pytest.mark.parametrize(
    "expression", ["rate(5 minutes)", "cron(0 9 * * ?)", "cron(0 9 L * ? *)", "cron(61 9 * * ? *)"]
)
def test_expressions_it_cannot_read_are_refused(expression):
    with pytest.raises(CronError):
        Cron.parse(expression)
