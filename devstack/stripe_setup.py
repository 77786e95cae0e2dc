"""How the local stack reaches Stripe: the stand-in on its own port, or Stripe's test
mode with a test key; the webhook route the events come back to; and the secrets the
app reads from SSM under the names the template uses."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from devstack import template
from devstack.errors import StackError
from devstack.names import STAGE
from devstack.stripe_standin import StripeStandIn

#: Where the template's functions read the Stripe secrets (/dual-credit/${Stage}/stripe/...).
STRIPE_SECRET_KEY_PARAMETER = f"/dual-credit/{STAGE}/stripe/secret-key"  # noqa: S105 - a name
STRIPE_WEBHOOK_SECRET_PARAMETER = f"/dual-credit/{STAGE}/stripe/webhook-secret"  # noqa: S105 - a name
WEBHOOK_FUNCTION = "StripeWebhookFunction"


@dataclass(frozen=True)
class StripeTestKeys:
    """A Stripe test-mode secret key and webhook signing secret: `make dev` then uses
    Stripe's test mode instead of the stand-in."""

    secret_key: str = field(repr=False)
    webhook_secret: str = field(repr=False)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> StripeTestKeys | None:
        """STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or None when neither is set.
        A live key is refused: the local stack must never move real money."""
        key = (environ.get("STRIPE_SECRET_KEY") or "").strip()
        secret = (environ.get("STRIPE_WEBHOOK_SECRET") or "").strip()
        if not key and not secret:
            return None
        if not key.startswith(("sk_test_", "rk_test_")):
            raise StackError(
                "STRIPE_SECRET_KEY must be a Stripe test-mode key (sk_test_...); "
                "unset it to use the local Stripe stand-in"
            )
        if not secret.startswith("whsec_"):
            raise StackError(
                "STRIPE_WEBHOOK_SECRET (whsec_..., printed by `stripe listen`) must be "
                "set with STRIPE_SECRET_KEY"
            )
        return cls(key, secret)

    @property
    def masked_key(self) -> str:
        return f"{self.secret_key[:8]}...{self.secret_key[-4:]}"


def webhook_path() -> str:
    """The Stripe webhook route, from the template (e.g. /stripe/webhook)."""
    for route in template.api_routes():
        if route.function == WEBHOOK_FUNCTION and route.method == "POST":
            return route.path
    raise StackError(f"infra/template.yaml has no POST route for {WEBHOOK_FUNCTION}")


def _app_clock() -> float:
    """The app's now (CLOCK_OVERRIDE in the local stage), for the Stripe stand-in."""
    from dualcredit import clock

    return clock.now().timestamp()


def serve_standin(
    host: str, port: int, *, webhook_url: str, quiet: bool
) -> tuple[StripeStandIn, str]:
    """The stand-in serving on `port` (0: a free one), on the app's clock, delivering
    its events to `webhook_url`; and the URL the app calls it at (http://127.0.0.1:PORT,
    while a browser opens its checkout pages at localhost)."""
    standin = StripeStandIn(webhook_url=webhook_url, clock=_app_clock)
    try:
        server, _ = standin.serve(host, port, quiet=quiet)
    except OSError as error:
        raise StackError(
            f"the Stripe stand-in could not listen on {host}:{port} ({error.strerror}); "
            "choose another port with --stripe-port"
        ) from error
    served = standin.base_url
    if host in ("127.0.0.1", "localhost"):  # checkout pages, as a browser opens them
        standin.public_base_url = f"http://localhost:{server.server_address[1]}"
    return standin, served


def store_secrets(ssm: Any, secret_key: str, webhook_secret: str) -> dict[str, str]:
    """The secrets in SSM; the variables that tell the functions where they are."""
    for name, value in (
        (STRIPE_SECRET_KEY_PARAMETER, secret_key),
        (STRIPE_WEBHOOK_SECRET_PARAMETER, webhook_secret),
    ):
        ssm.put_parameter(Name=name, Value=value, Type="SecureString", Overwrite=True)
    return {
        "STRIPE_SECRET_KEY_PARAMETER": STRIPE_SECRET_KEY_PARAMETER,
        "STRIPE_WEBHOOK_SECRET_PARAMETER": STRIPE_WEBHOOK_SECRET_PARAMETER,
    }
