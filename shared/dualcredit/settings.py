"""Settings: one validated model, read from the environment once per process."""

from __future__ import annotations

import os
from datetime import datetime
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dualcredit.rules import DEFAULT_REMINDER_DAYS, DEFAULT_SERS_PREFIX, parse_reminder_days

#: Stages where a fixed clock may be injected (tests and `make dev`). Never production.
CLOCK_STAGES = frozenset({"local", "test"})


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str = Field(min_length=3)
    stage: str = "prod"
    email_sender: str = "no-reply@pnwcollegecredit.org"
    app_base_url: str = "https://pnwcollegecredit.org"
    #: Stored SES templates (bulk reminders) are named `<prefix>-<name>`: the stack's name.
    email_template_prefix: str = Field(default="dual-credit", pattern=r"^[A-Za-z0-9_-]{1,40}$")
    sers_prefix: str = Field(default=DEFAULT_SERS_PREFIX, pattern=r"^[A-Z0-9]{2,6}$")
    user_pool_id: str = ""
    staff_email: str = "info@pnwcollegecredit.org"
    #: SSM parameter names (SecureString) of the Stripe secret key and webhook signing secret.
    stripe_secret_key_parameter: str = "/dual-credit/prod/stripe/secret-key"  # noqa: S105 - a name
    stripe_webhook_secret_parameter: str = "/dual-credit/prod/stripe/webhook-secret"  # noqa: S105
    #: Only for the local stand-in: where the Stripe API is. Unset means api.stripe.com.
    stripe_api_base: str | None = None
    #: Only honoured in CLOCK_STAGES, so a stray variable cannot move production's clock.
    clock_override: datetime | None = None
    #: SERS ID recovery throttles, per rolling hour.
    recovery_limit_per_email: int = Field(default=3, ge=1)
    recovery_limit_per_client: int = Field(default=20, ge=1)
    #: Days before the window's last day on which deadline reminders go out ("30,14,7,3,1").
    reminder_days: tuple[int, ...] = DEFAULT_REMINDER_DAYS
    #: The SQS queue the scheduled job fans reminders out to (the sender function reads it).
    reminder_queue_url: str = ""

    @field_validator("reminder_days", mode="before")
    @classmethod
    def _reminder_days(cls, value: object) -> tuple[int, ...]:
        return parse_reminder_days(value)  # type: ignore[arg-type]


_ENV = {
    "table_name": "TABLE_NAME",
    "stage": "STAGE",
    "email_sender": "EMAIL_SENDER",
    "app_base_url": "APP_BASE_URL",
    "email_template_prefix": "EMAIL_TEMPLATE_PREFIX",
    "sers_prefix": "SERS_PREFIX",
    "user_pool_id": "USER_POOL_ID",
    "staff_email": "STAFF_EMAIL",
    "clock_override": "CLOCK_OVERRIDE",
    "stripe_secret_key_parameter": "STRIPE_SECRET_KEY_PARAMETER",
    "stripe_webhook_secret_parameter": "STRIPE_WEBHOOK_SECRET_PARAMETER",
    "stripe_api_base": "STRIPE_API_BASE",
    "recovery_limit_per_email": "RECOVERY_LIMIT_PER_EMAIL",
    "recovery_limit_per_client": "RECOVERY_LIMIT_PER_CLIENT",
    "reminder_days": "REMINDER_DAYS",
    "reminder_queue_url": "REMINDER_QUEUE_URL",
}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Fail at cold start, not mid-request, when the environment is wrong."""
    values = {field: os.environ[var] for field, var in _ENV.items() if os.environ.get(var)}
    return Settings.model_validate(values)
