"""The transcript batch delta: a later batch holds only what is new, corrected or withdrawn."""

from hypothesis import given
from hypothesis import strategies as st

from dualcredit.rules import BatchLine, LineMark, SentLine, sent_state, transcript_delta

KEYS = st.sampled_from([f"reg-{i}" for i in range(8)])
FIELDS = st.fixed_dictionaries(
    {"grade": st.sampled_from(["A", "A-", "B+", "B"]), "last_name": st.sampled_from(["Ng", "Li"])}
)
STATES = st.dictionaries(KEYS, FIELDS, max_size=8)


def test_a_first_batch_holds_every_credit_as_new():
    # Given two credits to send and nothing sent yet
    to_send = {"r1": {"grade": "A"}, "r2": {"grade": "B"}}
    # When the batch is worked out
    lines = transcript_delta(to_send, {})
    # Then both are new, with their fields
    assert [(line.key, line.mark, line.fields) for line in lines] == [
        ("r1", LineMark.NEW, {"grade": "A"}),
        ("r2", LineMark.NEW, {"grade": "B"}),
    ]


def test_a_later_batch_holds_only_what_changed():
    # Given r1 sent unchanged, r2 sent with another grade, r3 sent and no longer earned,
    # r4 never sent
    sent = {
        "r1": SentLine({"grade": "A"}),
        "r2": SentLine({"grade": "B"}),
        "r3": SentLine({"grade": "B+"}),
    }
    to_send = {"r1": {"grade": "A"}, "r2": {"grade": "A-"}, "r4": {"grade": "B"}}
    # When the next batch is worked out
    lines = {line.key: line for line in transcript_delta(to_send, sent)}
    # Then r1 is left out, r2 is corrected, r4 new, and r3 withdrawn with what was sent
    assert set(lines) == {"r2", "r3", "r4"}
    assert lines["r2"].mark is LineMark.CORRECTED and lines["r2"].fields == {"grade": "A-"}
    assert lines["r4"].mark is LineMark.NEW
    assert lines["r3"].mark is LineMark.WITHDRAWN and lines["r3"].fields == {"grade": "B+"}


def test_a_withdrawn_credit_earned_again_is_new_and_not_withdrawn_twice():
    # Given r1 withdrawn by an earlier batch, r2 withdrawn and still not earned
    sent = {"r1": SentLine({"grade": "A"}, withdrawn=True), "r2": SentLine({}, withdrawn=True)}
    # When r1 is to send again
    lines = transcript_delta({"r1": {"grade": "A"}}, sent)
    # Then it is new again, and r2 is not withdrawn a second time
    assert [(line.key, line.mark) for line in lines] == [("r1", LineMark.NEW)]


def test_the_sent_state_is_the_last_line_naming_each_credit():
    # Given a first batch sending r1 and r2, and a second correcting r1 and withdrawing r2
    first = [
        BatchLine("r1", LineMark.NEW, {"grade": "B"}),
        BatchLine("r2", LineMark.NEW, {"grade": "A"}),
    ]
    second = [
        BatchLine("r1", LineMark.CORRECTED, {"grade": "A"}),
        BatchLine("r2", LineMark.WITHDRAWN, {"grade": "A"}),
    ]
    # When the state is folded, oldest first
    state = sent_state([first, second])
    # Then r1 holds its corrected fields and r2 is withdrawn
    assert state == {"r1": SentLine({"grade": "A"}), "r2": SentLine({"grade": "A"}, True)}


@given(STATES, st.lists(STATES, max_size=4))
def test_after_a_batch_the_college_holds_exactly_what_is_to_send(now, history):
    # Given any history of batches, each worked out from some earlier state
    batches: list[list[BatchLine[str]]] = []
    for earlier in history:
        batches.append(transcript_delta(earlier, sent_state(batches)))
    # When the next batch is worked out from the state now and applied
    batches.append(transcript_delta(now, sent_state(batches)))
    after = sent_state(batches)
    # Then what the college holds (not withdrawn) is exactly what is to send now
    assert {k: dict(v.fields) for k, v in after.items() if not v.withdrawn} == now
    # And a batch worked out again at once holds nothing (the same state twice adds nothing)
    assert transcript_delta(now, after) == []


@given(STATES, STATES)
def test_each_credit_appears_at_most_once_with_the_right_mark(now, before):
    # Given what was sent (none withdrawn) and what is to send now
    sent = {k: SentLine(v) for k, v in before.items()}
    # When the batch is worked out
    lines = transcript_delta(now, sent)
    keys = [line.key for line in lines]
    # Then no credit is named twice, and every mark matches the two states
    assert len(keys) == len(set(keys))
    for line in lines:
        if line.mark is LineMark.NEW:
            assert line.key in now and line.key not in before
        elif line.mark is LineMark.CORRECTED:
            assert now[line.key] != before[line.key] and line.fields == now[line.key]
        else:
            assert line.key in before and line.key not in now
    # And every credit that differs between the two states is named
    differing = {k for k in now.keys() | before.keys() if now.get(k) != before.get(k)}
    assert set(keys) == differing
