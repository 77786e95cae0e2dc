"""The one source of "now" for request handling, so tests and `make dev` can move time."""

from __future__ import annotations

from datetime import UTC, datetime

from dualcredit.settings import CLOCK_STAGES, get_settings


def now() -> datetime:
    settings = get_settings()
    if settings.clock_override is not None and settings.stage in CLOCK_STAGES:
        override = settings.clock_override
        return override if override.tzinfo else override.replace(tzinfo=UTC)
    return datetime.now(UTC)
