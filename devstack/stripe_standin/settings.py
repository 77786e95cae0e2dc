"""How a stand-in is set up: what `StripeStandIn(...)` was given, in one frozen value
that each layer (EventLog, Store, Api) reads its part of."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DEFAULT_API_KEY = "sk_test_standin"
DEFAULT_WEBHOOK_SECRET = "whsec_standin"  # noqa: S105 - a fixed local test secret


@dataclass(frozen=True)
class StandInSettings:
    """A stand-in's settings (their defaults and meaning: see `StripeStandIn`)."""

    api_key: str
    webhook_secret: str
    webhook_url: str | None
    deliver: Callable[[bytes, str], Any] | None
    public_base_url: str | None
    clock: Callable[[], float]
    api_version: str
    auto_deliver: bool
    webhook_timeout: float
