"""Settings: read once from the environment, checked at cold start (a bad variable fails
the start, not a request); an unset or empty variable keeps the default."""

from datetime import datetime, timedelta

import pytest

from dualcredit.settings import InvalidSettings, Settings

BASE = {"TABLE_NAME": "dual-credit-test"}


def test_the_defaults_hold_when_only_the_table_is_named():
    settings = Settings.from_environment(BASE)
    assert settings.table_name == "dual-credit-test"
    assert settings.stage == "prod"
    assert settings.sers_prefix == "TP3"
    assert settings.reminder_days == (30, 14, 7, 3, 1)
    assert settings.clock_override is None
    assert (settings.recovery_limit_per_email, settings.recovery_limit_per_client) == (3, 20)


def test_variables_are_read_into_their_types():
    settings = Settings.from_environment(
        {
            **BASE,
            "STAGE": "local",
            "CLOCK_OVERRIDE": "2027-01-15T10:00:00-08:00",
            "RECOVERY_LIMIT_PER_EMAIL": "5",
            "REMINDER_DAYS": "7, 30,1",
            "SERS_PREFIX": "TP4",
            "STRIPE_API_BASE": "",
        }
    )
    assert settings.stage == "local"
    assert settings.clock_override == datetime.fromisoformat("2027-01-15T10:00:00-08:00")
    assert settings.clock_override.utcoffset() == timedelta(hours=-8)
    assert settings.recovery_limit_per_email == 5
    assert settings.reminder_days == (30, 7, 1)
    assert settings.sers_prefix == "TP4"
    assert settings.stripe_api_base is None  # empty means unset


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TABLE_NAME", "ab"),
        ("SERS_PREFIX", "tp3"),
        ("SERS_PREFIX", "TOOLONG7"),
        ("EMAIL_TEMPLATE_PREFIX", "has space"),
        ("RECOVERY_LIMIT_PER_CLIENT", "0"),
        ("RECOVERY_LIMIT_PER_EMAIL", "three"),
        ("CLOCK_OVERRIDE", "next tuesday"),
        ("REMINDER_DAYS", "30,60"),
    ],
)
def test_a_bad_variable_fails_the_cold_start(variable, value):
    with pytest.raises(InvalidSettings):
        Settings.from_environment({**BASE, variable: value})


def test_the_table_must_be_named():
    with pytest.raises(InvalidSettings, match="TABLE_NAME"):
        Settings.from_environment({})


def test_settings_are_frozen():
    settings = Settings.from_environment(BASE)
    with pytest.raises(AttributeError):
        settings.stage = "local"  # type: ignore[misc]


def test_how_to_pay_by_check_is_the_program_pages_unless_set():
    # Given no check settings, Then the program page's payee and address hold
    settings = Settings.from_environment(BASE)
    assert settings.check_payee == "PNW College Credit"
    assert settings.check_mailing_address[-1] == "Bellevue WA 98007"
    # When the address is set as lines separated by "|", Then each line is kept, trimmed
    moved = Settings.from_environment({**BASE, "CHECK_MAILING_ADDRESS": " PNW | PO Box 1 |"})
    assert moved.check_mailing_address == ("PNW", "PO Box 1")
    # When it has no line, Then the cold start fails
    with pytest.raises(InvalidSettings, match="CHECK_MAILING_ADDRESS"):
        Settings.from_environment({**BASE, "CHECK_MAILING_ADDRESS": " | "})
