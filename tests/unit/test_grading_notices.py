"""A grading reminder's queue message, as the scheduled job writes it and the sender reads
it back; anything else is refused (to the dead-letter queue), never guessed at."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualcredit.logic.reminders.grading import GradingNotice, is_grading, label
from dualcredit.logic.reminders.notices import BadMessage

ids = st.text(alphabet="abcdef0123456789-", min_size=1, max_size=36)


@given(ids, ids, st.integers(min_value=2000, max_value=2098), st.integers(1, 45))
def test_a_notice_reads_back_as_written(user_id, school_id, start, days):
    # Given any notice the job may write
    year = f"{start}-{(start + 1) % 100:02d}"
    notice = GradingNotice(user_id, school_id, year, label(days))
    # When its body goes through the queue as JSON, Then it reads back the same
    text = json.dumps(notice.body())
    assert is_grading(text)
    assert GradingNotice.parse(text) == notice


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "reminder"},
        {"reminder": "2026-27:7"},
        {"reminder": "2025-26:grading-7"},
        {"reminder": "2026-27:grading-07"},
        {"user_id": ""},
        {"school_id": 7},
    ],
)
def test_a_message_that_is_not_a_grading_reminder_is_refused(change):
    # Given a grading reminder's body with one thing wrong
    body = {
        **GradingNotice("u-1", "s-1", "2026-27", label(7)).body(),
        **change,
    }
    # When the sender reads it, Then it is refused as a bad message
    with pytest.raises(BadMessage):
        GradingNotice.parse(json.dumps(body))


@pytest.mark.parametrize("text", ["not json", "[]", '{"kind": "reminder"}', "null"])
def test_other_messages_are_not_routed_to_the_grading_sender(text):
    # Given a message of another kind or none, Then the sender leaves it to the fee reminders
    assert not is_grading(text)
