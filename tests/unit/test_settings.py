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
