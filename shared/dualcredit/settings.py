"""Settings: one validated, frozen value, read from the environment once per process."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from datetime import datetime
from functools import lru_cache

from dualcredit.rules import (
    DEFAULT_GRADING_REMINDER_DAYS,
    DEFAULT_RECONCILIATION_DAYS,
    DEFAULT_REMINDER_DAYS,
    DEFAULT_SERS_PREFIX,
    RuleError,
    parse_reconciliation_days,
    parse_reminder_days,
)

#: Stages where a fixed clock may be injected (tests and `make dev`). Never production.
CLOCK_STAGES = frozenset({"local", "test"})

_TEMPLATE_PREFIX = re.compile(r"[A-Za-z0-9_-]{1,40}")
_SERS_PREFIX = re.compile(r"[A-Z0-9]{2,6}")


class InvalidSettings(ValueError):
    """The environment names a setting the functions cannot run with."""


@dataclass(frozen=True)
class Settings:
    """The functions' settings, checked once per process. A frozen dataclass rather than a
    pydantic model: the webhook and the reminder sender then start without pydantic."""

    table_name: str
    stage: str = "prod"
    email_sender: str = "no-reply@pnwcollegecredit.org"
    app_base_url: str = "https://pnwcollegecredit.org"
    #: Stored SES templates (bulk reminders) are named `<prefix>-<name>`: the stack's name.
    email_template_prefix: str = "dual-credit"
    sers_prefix: str = DEFAULT_SERS_PREFIX
    user_pool_id: str = ""
    #: The pool of invited accounts (staff, school users), TOTP required.
    invited_user_pool_id: str = ""
    staff_email: str = "info@pnwcollegecredit.org"
    #: The consortium as families know it (the printable confirmation's heading).
    consortium_name: str = "PNW College Credit"
    #: Checks and money orders: whom they are made out to and where they are mailed
    #: (program-info.md; CHECK_MAILING_ADDRESS gives the lines separated by "|").
    check_payee: str = "PNW College Credit"
    check_mailing_address: tuple[str, ...] = (
        "PNW College Credit",
        "Bellevue College, MS N-211",
        "3000 Landerholm Circle SE",
        "Bellevue WA 98007",
    )
    #: SSM parameter names (SecureString) of the Stripe secret key and webhook signing secret.
    stripe_secret_key_parameter: str = "/dual-credit/prod/stripe/secret-key"  # noqa: S105 - a name
    stripe_webhook_secret_parameter: str = "/dual-credit/prod/stripe/webhook-secret"  # noqa: S105
    #: Only for the local stand-in: where the Stripe API is. Unset means api.stripe.com.
    stripe_api_base: str | None = None
    #: Only honoured in CLOCK_STAGES, so a stray variable cannot move production's clock.
    clock_override: datetime | None = None
    #: SERS ID recovery throttles, per rolling hour.
    recovery_limit_per_email: int = 3
    recovery_limit_per_client: int = 20
    #: Days before the window's last day on which deadline reminders go out ("30,14,7,3,1").
    reminder_days: tuple[int, ...] = DEFAULT_REMINDER_DAYS
    #: Days before the grading deadline on which school users with students unconfirmed or
    #: ungraded get one email listing them ("14,7,1").
    grading_reminder_days: tuple[int, ...] = DEFAULT_GRADING_REMINDER_DAYS
    #: The SQS queue the scheduled job fans reminders out to (the sender function reads it).
    reminder_queue_url: str = ""
    #: Days of Stripe's events the daily reconciliation reads (1 to Stripe's 30).
    reconciliation_days: int = DEFAULT_RECONCILIATION_DAYS

    def __post_init__(self) -> None:
        if len(self.table_name) < 3:
            raise InvalidSettings("TABLE_NAME must have at least 3 characters")
        if not _TEMPLATE_PREFIX.fullmatch(self.email_template_prefix):
            raise InvalidSettings("EMAIL_TEMPLATE_PREFIX must be 1-40 letters, digits, - or _")
        if not _SERS_PREFIX.fullmatch(self.sers_prefix):
            raise InvalidSettings("SERS_PREFIX must be 2-6 capital letters or digits")
        if not self.check_payee.strip() or not any(
            line.strip() for line in self.check_mailing_address
        ):
            raise InvalidSettings("CHECK_PAYEE and CHECK_MAILING_ADDRESS must not be empty")
        for name in ("recovery_limit_per_email", "recovery_limit_per_client"):
            if getattr(self, name) < 1:
                raise InvalidSettings(f"{name.upper()} must be at least 1")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        """The settings the environment names (an unset or empty variable keeps the
        default)."""
        given = {field: environ[var] for field, var in _ENV.items() if environ.get(var)}
        values: dict[str, object] = dict(given)
        try:
            if "clock_override" in given:
                values["clock_override"] = datetime.fromisoformat(given["clock_override"])
            for name in ("recovery_limit_per_email", "recovery_limit_per_client"):
                if name in given:
                    values[name] = int(given[name])
            if "reminder_days" in given:
                values["reminder_days"] = parse_reminder_days(given["reminder_days"])
            if "grading_reminder_days" in given:
                values["grading_reminder_days"] = parse_reminder_days(
                    given["grading_reminder_days"]
                )
            if "check_mailing_address" in given:
                values["check_mailing_address"] = tuple(
                    line.strip()
                    for line in given["check_mailing_address"].split("|")
                    if line.strip()
                )
            if "reconciliation_days" in given:
                values["reconciliation_days"] = parse_reconciliation_days(
                    given["reconciliation_days"]
                )
        except (ValueError, RuleError) as error:
            raise InvalidSettings(str(error)) from None
        if "table_name" not in values:
            raise InvalidSettings("TABLE_NAME is not set")
        return cls(**values)  # type: ignore[arg-type]


_ENV = {
    "table_name": "TABLE_NAME",
    "stage": "STAGE",
    "email_sender": "EMAIL_SENDER",
    "app_base_url": "APP_BASE_URL",
    "email_template_prefix": "EMAIL_TEMPLATE_PREFIX",
    "sers_prefix": "SERS_PREFIX",
    "user_pool_id": "USER_POOL_ID",
    "invited_user_pool_id": "INVITED_USER_POOL_ID",
    "staff_email": "STAFF_EMAIL",
    "consortium_name": "CONSORTIUM_NAME",
    "check_payee": "CHECK_PAYEE",
    "check_mailing_address": "CHECK_MAILING_ADDRESS",
    "clock_override": "CLOCK_OVERRIDE",
    "stripe_secret_key_parameter": "STRIPE_SECRET_KEY_PARAMETER",
    "stripe_webhook_secret_parameter": "STRIPE_WEBHOOK_SECRET_PARAMETER",
    "stripe_api_base": "STRIPE_API_BASE",
    "recovery_limit_per_email": "RECOVERY_LIMIT_PER_EMAIL",
    "recovery_limit_per_client": "RECOVERY_LIMIT_PER_CLIENT",
    "reminder_days": "REMINDER_DAYS",
    "grading_reminder_days": "GRADING_REMINDER_DAYS",
    "reminder_queue_url": "REMINDER_QUEUE_URL",
    "reconciliation_days": "RECONCILIATION_DAYS",
}


def default_of(variable: str) -> str | None:
    """What the app takes when the environment variable is not set (None: no default)."""
    defaults = {f.name: f.default for f in fields(Settings) if f.default is not MISSING}
    name = next((field for field, env in _ENV.items() if env == variable), None)
    value = defaults.get(name) if name else None
    return value if isinstance(value, str) else None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Fail at cold start, not mid-request, when the environment is wrong."""
    return Settings.from_environment(os.environ)
