"""The rules package: one import for every rule, published constants, a cheap import."""

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from dualcredit import rules
from dualcredit.rules import (
    BASE_FEE_CENTS,
    CROCKFORD_ALPHABET,
    LATE_FEE_CENTS,
    PACIFIC,
    calendar,
    fees,
    grades,
    names,
    requests,
    sers_id,
    stages,
    stripe,
    transcripts,
)

TOPICS = (calendar, fees, grades, names, requests, sers_id, stages, stripe, transcripts)
SHARED = Path(rules.__file__).parents[2]


def test_constants_match_the_published_program():
    # Given the program page ($50 fee, $15 late fee, grade B, TP3 IDs)
    # When the module constants are read
    # Then they carry exactly those values
    assert BASE_FEE_CENTS == 5000
    assert LATE_FEE_CENTS == 1500
    assert rules.DEFAULT_GRADE_THRESHOLD == "B"
    assert rules.DEFAULT_SERS_PREFIX == "TP3"
    assert len(CROCKFORD_ALPHABET) == 32
    assert not set("ILOU") & set(CROCKFORD_ALPHABET)
    assert str(PACIFIC) == "America/Los_Angeles"


def test_the_package_re_exports_every_public_rule_of_every_topic():
    # Given the topic modules, When the package is asked for their public names,
    # Then each is the very same object, listed once in rules.__all__
    assert len(rules.__all__) == len(set(rules.__all__))
    topic_names = [name for module in TOPICS for name in module.__all__]
    assert set(topic_names) <= set(rules.__all__)
    for module in TOPICS:
        for name in module.__all__:
            assert getattr(rules, name) is getattr(module, name), name
    for name in rules.__all__:
        assert hasattr(rules, name), name
        assert not name.startswith("_")


def test_each_public_name_lives_in_one_topic():
    # PACIFIC, the program's clock, is shared from the base module by calendar.
    listed = [name for module in TOPICS for name in module.__all__]
    assert sorted(listed) == sorted(set(listed))
    assert set(rules.__all__) - set(listed) == {"RuleError"}


def test_the_old_keyword_boolean_fee_rules_are_gone():
    assert not hasattr(rules, "amount_due_cents")


def test_long_date_writes_dates_as_messages_do():
    # Given calendar dates, When written for a message, Then 'Month D, YYYY' (no padding)
    assert rules.long_date(date(2027, 6, 15)) == "June 15, 2027"
    assert rules.long_date(date(2026, 12, 1)) == "December 1, 2026"
    assert rules.long_date(date(2030, 1, 9)) == "January 9, 2030"


def test_long_date_refuses_a_datetime():
    # A datetime's own date is not necessarily its Pacific date.
    with pytest.raises(TypeError):
        rules.long_date(datetime(2027, 6, 15, tzinfo=PACIFIC))


def test_the_rules_use_long_date_in_their_messages():
    with pytest.raises(rules.RuleError, match=r"closes on June 15, 2027\."):
        rules.validate_close_extension(rules.SchoolYear(2026), date(2027, 6, 1))


def test_importing_the_rules_loads_only_the_standard_library():
    # Given a fresh interpreter, When dualcredit.rules is imported,
    # Then every module it brings in is the standard library's or the package's own
    code = (
        "import sys; before = set(sys.modules); import dualcredit.rules; "
        "print('\\n'.join(sorted(set(sys.modules) - before)))"
    )
    loaded = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(SHARED)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    top_level = {name.partition(".")[0] for name in loaded}
    top_level = {name for name in top_level if not name.startswith("_sysconfigdata")}
    assert top_level - set(sys.stdlib_module_names) == {"dualcredit"}
    assert {n for n in loaded if n.startswith("dualcredit")} == {
        "dualcredit",
        "dualcredit.rules",
        *(module.__name__ for module in TOPICS),
        "dualcredit.rules._base",
        "dualcredit.rules._confusables",
    }
