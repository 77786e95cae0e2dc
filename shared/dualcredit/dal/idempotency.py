"""Run a function once per event id, with Powertools idempotency records kept in the
application's table (one partition per use, `expires_at` TTL).

The Powertools utility (and boto3, which it imports) is set up on the first call, so
a handler's cold import stays light; the first event pays for it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from typing import Any

from dualcredit.dal.aws import client
from dualcredit.settings import get_settings

#: Each guarded function's set-up (the Powertools utility and its persistence layer).
_SET_UPS: list[Callable[[], object]] = []


def prepare() -> None:
    """Set up every guarded function now (it makes no request), instead of on its first
    event: a SnapStart snapshot then holds it."""
    for set_up in _SET_UPS:
        set_up()


class InProgress(Exception):
    """The same event is being processed right now; the caller should retry later."""


Event = dict[str, Any]


def once_per_event(
    *, partition: str, key_path: str, expires_after_seconds: int
) -> Callable[[Callable[[Event], Event]], Callable[..., Event]]:
    def decorate(function: Callable[[Event], Event]) -> Callable[..., Event]:
        @cache
        def guarded() -> tuple[Any, Callable[..., Event]]:
            from aws_lambda_powertools.utilities.idempotency import (
                DynamoDBPersistenceLayer,
                IdempotencyConfig,
                idempotent_function,
            )

            config = IdempotencyConfig(
                event_key_jmespath=key_path, expires_after_seconds=expires_after_seconds
            )
            store = DynamoDBPersistenceLayer(
                table_name=get_settings().table_name,
                key_attr="PK",
                sort_key_attr="SK",
                static_pk_value=partition,
                expiry_attr="expires_at",
                boto3_client=client("dynamodb"),
            )
            return config, idempotent_function(
                data_keyword_argument="event", persistence_store=store, config=config
            )(function)

        _SET_UPS.append(guarded)

        @wraps(function)
        def call(event: Event, context: Any = None) -> Event:
            from aws_lambda_powertools.utilities.idempotency.exceptions import (
                IdempotencyAlreadyInProgressError,
            )

            config, run = guarded()
            if context is not None:
                config.register_lambda_context(context)
            try:
                return run(event=event)
            except IdempotencyAlreadyInProgressError:
                raise InProgress() from None

        return call

    return decorate
