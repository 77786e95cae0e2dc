"""The process environment the handlers read: the variables the stack sets (saved
when first set, put back by restore()), and the app's per-process caches, cleared so
the app re-reads them."""

from __future__ import annotations

import os
from collections.abc import Mapping

from devstack.names import EMAIL_SENDER, STAFF_EMAIL, STAGE

#: Variables the stack sets (and restores on stop); the handler reads them.
MANAGED_ENV = (
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "TABLE_NAME",
    "STAGE",
    "EMAIL_SENDER",
    "APP_BASE_URL",
    "STAFF_EMAIL",
    "ALLOWED_ORIGIN",
    "POWERTOOLS_TRACE_DISABLED",
    "POWERTOOLS_METRICS_NAMESPACE",
    "POWERTOOLS_SERVICE_NAME",
    "USER_POOL_ID",
    "INVITED_USER_POOL_ID",
    "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP",
    "CLOCK_OVERRIDE",
    "NO_PROXY",
    "no_proxy",
    "STRIPE_SECRET_KEY_PARAMETER",
    "STRIPE_WEBHOOK_SECRET_PARAMETER",
    "STRIPE_API_BASE",
)
#: Unset on start: the handlers must not pick up a real session, profile or pool.
_CLEARED = (
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "USER_POOL_ID",
    "INVITED_USER_POOL_ID",
)


def app_environment(
    *, moto_url: str, region: str, table_name: str, site_url: str
) -> dict[str, str]:
    """The handlers' settings against moto, with local addresses kept off any proxy."""
    values = {
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "TABLE_NAME": table_name,
        "STAGE": STAGE,
        "EMAIL_SENDER": EMAIL_SENDER,
        "APP_BASE_URL": site_url,
        "STAFF_EMAIL": STAFF_EMAIL,
        "ALLOWED_ORIGIN": site_url,
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "DualCredit",
        "POWERTOOLS_SERVICE_NAME": "dual-credit",
        # moto (in this process) checks TOTP codes against the secret it hands out.
        "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP": "true",
    }
    no_proxy = os.environ.get("NO_PROXY") or os.environ.get("no_proxy") or ""
    local = ",".join(filter(None, [no_proxy, "127.0.0.1,localhost"]))
    values["NO_PROXY"] = values["no_proxy"] = local
    return values


class ProcessEnvironment:
    """os.environ as the stack changes it, and what it was before."""

    def __init__(self) -> None:
        self._saved: dict[str, str | None] = {}

    def apply(self, values: Mapping[str, str], clock_override: str | None = None) -> None:
        """Save every managed variable, then set `values` (and CLOCK_OVERRIDE)."""
        self._saved = {name: os.environ.get(name) for name in MANAGED_ENV}
        for name in _CLEARED:
            os.environ.pop(name, None)
        os.environ.update(values)
        if clock_override:
            os.environ["CLOCK_OVERRIDE"] = clock_override
        refresh_app_state()

    def add(self, values: Mapping[str, str]) -> None:
        """Set variables beyond the managed ones (e.g. REMINDER_QUEUE_URL), saved too."""
        for name, value in values.items():
            self._saved.setdefault(name, os.environ.get(name))
            os.environ[name] = value

    def restore(self) -> None:
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved = {}


def refresh_app_state() -> None:
    """The app caches clients, settings and secrets per process; make it re-read them."""
    from dualcredit.dal import aws, idempotency, secrets
    from dualcredit.settings import get_settings

    aws.reset_clients()
    idempotency.forget()  # its persistence layer holds a client and a table name
    get_settings.cache_clear()
    secrets.forget()  # the SSM provider: its client (endpoint) and cached values
