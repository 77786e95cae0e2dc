"""Run a function once per event id, with Powertools idempotency records kept in the
application's table (one partition per use, `expires_at` TTL).

A record's key is `<key_prefix>#<hash of the key>`, the same in every function: the
webhook, the API (a session settled from the success page) and the scheduled
reconciliation share one record per Stripe event and one per Checkout Session.
(Powertools' default prefix is the Lambda function's name, which would give each
function records of its own.)

The Powertools utility (and boto3, which it imports) is set up on the first call, so
a handler's cold import stays light; the first event pays for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, wraps
from typing import Any

from dualcredit.dal.aws import client
from dualcredit.settings import get_settings

#: Each guarded function's set-up (the Powertools utility and its persistence layer),
#: made once per process (functools.cache).
_SET_UPS: list[Any] = []
#: The invocation's Lambda context, so a record left in progress by a function that
#: timed out or crashed expires with the invocation, not with the record.
_invocation: dict[str, Any] = {}


def prepare() -> None:
    """Set up every guarded function now (it makes no request), instead of on its first
    event: a SnapStart snapshot then holds it."""
    for set_up in _SET_UPS:
        set_up()


def forget() -> None:
    """Drop every set-up: the next event makes it again, with the table and client of
    the environment then in force (tests and the dev stack switch them; Lambda never)."""
    for set_up in _SET_UPS:
        set_up.cache_clear()


def use_context(context: Any) -> None:
    """The Lambda context of the invocation under way (the handler calls this)."""
    _invocation["context"] = context


class InProgress(Exception):
    """The same event is being processed right now; the caller should retry later."""


Event = dict[str, Any]


@dataclass(frozen=True)
class Applied:
    """What a guarded function answered, and whether this call ran it (False: an earlier
    call did, and this is its stored answer)."""

    result: Event
    fresh: bool


class Guarded:
    """A function run once per key: call it for its answer, or `apply` it to learn also
    whether this call ran it."""

    def __init__(
        self,
        function: Callable[[Event], Event],
        *,
        partition: str,
        key_prefix: str,
        key_path: str,
        expires_after_seconds: int,
    ) -> None:
        self._ran = threading.local()

        @wraps(function)
        def marked(event: Event) -> Event:
            self._ran.value = True
            return function(event)

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
                data_keyword_argument="event",
                persistence_store=store,
                config=config,
                key_prefix=key_prefix,
            )(marked)

        self._guarded = guarded
        _SET_UPS.append(guarded)
        wraps(function)(self)

    def __call__(self, event: Event, context: Any = None) -> Event:
        return self.apply(event, context).result

    def apply(self, event: Event, context: Any = None) -> Applied:
        from aws_lambda_powertools.utilities.idempotency.exceptions import (
            IdempotencyAlreadyInProgressError,
        )

        if context is not None:
            use_context(context)
        config, run = self._guarded()
        if _invocation.get("context") is not None:
            config.register_lambda_context(_invocation["context"])
        self._ran.value = False
        try:
            result = run(event=event)
        except IdempotencyAlreadyInProgressError:
            raise InProgress() from None
        return Applied(result=result, fresh=bool(self._ran.value))


def once_per_event(
    *, partition: str, key_prefix: str, key_path: str, expires_after_seconds: int
) -> Callable[[Callable[[Event], Event]], Guarded]:
    def decorate(function: Callable[[Event], Event]) -> Guarded:
        return Guarded(
            function,
            partition=partition,
            key_prefix=key_prefix,
            key_path=key_path,
            expires_after_seconds=expires_after_seconds,
        )

    return decorate
