"""SERS ID rules: format, parse, draw."""

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualcredit.rules import (
    CROCKFORD_ALPHABET,
    PACIFIC,
    InvalidSersId,
    RuleError,
    format_sers_id,
    new_sers_id,
    parse_sers_id,
    sers_id_year,
)
from tests.unit.rules.helpers import instants, pt, utc

crockford_codes = st.text(alphabet=CROCKFORD_ALPHABET, min_size=4, max_size=4)


def test_format_sers_id():
    # Given a year and a code
    # When the ID is formatted
    # Then it reads PREFIX-YY-CODE with a two-digit year
    assert format_sers_id(26, "7KQ2") == "TP3-26-7KQ2"
    assert format_sers_id(5, "0000") == "TP3-05-0000"
    assert format_sers_id(26, "7kq2", prefix="xy9") == "XY9-26-7KQ2"


@pytest.mark.parametrize(
    ("year", "code"), [(100, "7KQ2"), (-1, "7KQ2"), (26, "7KQ"), (26, "7KQ22"), (26, "7KU2")]
)
def test_format_sers_id_rejects_bad_parts(year, code):
    # Given a year outside 0-99 or a code that is not 4 Crockford characters
    # Then no ID is formatted
    with pytest.raises(InvalidSersId):
        format_sers_id(year, code)


def test_sers_id_year_uses_pacific_date():
    # Given account creation on Jan 1 2027 07:59 UTC (still Dec 31 2026 in PT)
    # When the ID's year is taken
    # Then it is 26; at 08:00 UTC (midnight PST) it is 27
    assert sers_id_year(utc(2027, 1, 1, 7, 59)) == 26
    assert sers_id_year(utc(2027, 1, 1, 8, 0)) == 27
    with pytest.raises(ValueError):
        sers_id_year(datetime(2027, 1, 1))


def test_new_sers_id_uses_injected_choice_and_creation_year():
    # Given a deterministic chooser returning 7, K, Q, 2
    picks = iter("7KQ2")
    # When a new ID is drawn on Oct 3 2026 PT
    sers_id = new_sers_id(pt(2026, 10, 3, 9), choose=lambda alphabet: next(picks))
    # Then it is TP3-26-7KQ2
    assert sers_id == "TP3-26-7KQ2"


def test_new_sers_id_draws_from_the_crockford_alphabet():
    # Given the chooser sees what it is asked to choose from
    seen: list[str] = []

    def choose(alphabet):
        seen.append(alphabet)
        return alphabet[-1]

    # When a new ID is drawn
    sers_id = new_sers_id(pt(2026, 10, 3), prefix="AB1", choose=choose)
    # Then four draws were made from the Crockford alphabet
    assert seen == [CROCKFORD_ALPHABET] * 4
    assert sers_id == "AB1-26-ZZZZ"


def test_new_sers_id_refuses_a_chooser_outside_the_alphabet():
    # Given a broken chooser returning "U"
    # Then the candidate is refused rather than issued
    with pytest.raises(InvalidSersId):
        new_sers_id(pt(2026, 10, 3), choose=lambda alphabet: "U")


@pytest.mark.parametrize(
    "text",
    [
        "TP3-26-7KQ2",
        "tp3-26-7kq2",
        " tp3-26-7kq2 ",
        "tp3 26 7kq2",
        "TP3267KQ2",
        "Tp3 - 26 - 7Kq2",
        "TP3\u201326\u20137KQ2",  # en dashes pasted from a document
    ],
)
def test_parse_sers_id_accepts_any_case_with_or_without_separators(text):
    # Given a SERS ID as a person might type it
    # When it is parsed
    # Then the canonical form comes back
    assert parse_sers_id(text) == "TP3-26-7KQ2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TP3-26-IL0O", "TP3-26-1100"),
        ("tp3-26-i1lo", "TP3-26-1110"),
        ("TP3-26-7KQO", "TP3-26-7KQ0"),
    ],
)
def test_parse_sers_id_crockford_aliases(text, expected):
    # Given a code with the look-alikes I, L (for 1) and O (for 0)
    # When it is parsed
    # Then they read as digits
    assert parse_sers_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "TP3-26-7KU2",  # U is never used
        "TP3-26-7KQ",  # too short
        "TP3-26-7KQ22",  # too long
        "TP3-2-7KQ2",  # one-digit year
        "TP3-2O-7KQ2",  # letter in the year
        "TP3-26-7K!2",  # punctuation
        "TP4-26-7KQ2",  # wrong prefix
        "26-7KQ2",  # no prefix
        "",
        "   ",
    ],
)
def test_parse_sers_id_rejects_non_ids(text):
    # Given text that is not a SERS ID
    # When it is parsed
    # Then InvalidSersId says what an ID looks like
    with pytest.raises(InvalidSersId, match="A SERS ID looks like TP3-26-7KQ2"):
        parse_sers_id(text)


def test_parse_sers_id_with_another_prefix():
    # Given the consortium prefix is set to AB1
    # When IDs are parsed
    # Then AB1 IDs are accepted and TP3 IDs are not
    assert parse_sers_id("ab1267kq2", prefix="AB1") == "AB1-26-7KQ2"
    with pytest.raises(InvalidSersId, match="AB1-26-7KQ2"):
        parse_sers_id("TP3-26-7KQ2", prefix="AB1")


def test_invalid_sers_id_is_a_rule_error():
    # Given the error hierarchy handlers rely on
    # Then InvalidSersId is a RuleError, which is a ValueError
    assert issubclass(InvalidSersId, RuleError)
    assert issubclass(RuleError, ValueError)


# --------------------------------------------------------------------------- properties


@given(st.integers(min_value=0, max_value=99), crockford_codes)
def test_format_then_parse_round_trips(year, code):
    canonical = format_sers_id(year, code)
    assert parse_sers_id(canonical) == canonical
    assert parse_sers_id(canonical.lower()) == canonical
    assert parse_sers_id(canonical.replace("-", "")) == canonical
    assert parse_sers_id(" " + canonical.lower().replace("-", " ") + " ") == canonical


@given(instants, st.randoms(use_true_random=False))
def test_new_sers_id_parses_to_itself(instant, rnd):
    sers_id = new_sers_id(instant, choose=rnd.choice)
    assert parse_sers_id(sers_id) == sers_id
    assert sers_id[4:6] == f"{instant.astimezone(PACIFIC).year % 100:02d}"


@given(
    st.integers(min_value=0, max_value=99),
    crockford_codes,
    st.integers(min_value=0, max_value=3),
    st.sampled_from("Uu"),
)
def test_a_u_anywhere_in_the_code_is_refused(year, code, position, bad):
    text = format_sers_id(year, code)  # "TP3-YY-" is 7 characters
    broken = text[: 7 + position] + bad + text[8 + position :]
    with pytest.raises(InvalidSersId):
        parse_sers_id(broken)
