"""The Lambda side of the gateway stand-in: a template function loaded in-process
(its handler and settings), and the Lambda context its handler is given."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ACCOUNT_ID = "123456789012"


@dataclass
class LambdaContext:
    """What the handler (and Powertools' logger) reads from a Lambda context."""

    aws_request_id: str
    function_name: str = "dual-credit-local-ApiFunction"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = (
        f"arn:aws:lambda:us-west-2:{ACCOUNT_ID}:function:dual-credit-local-ApiFunction"
    )
    log_group_name: str = "/aws/lambda/dual-credit-local/api"
    log_stream_name: str = "local"
    timeout_seconds: int = 10
    _started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        left = self.timeout_seconds - (time.monotonic() - self._started)
        return max(0, int(left * 1000))


@dataclass(frozen=True)
class LambdaFunction:
    """One function of the template, loaded in-process: its handler and what its
    Lambda context says about it."""

    logical_id: str  # e.g. StripeWebhookFunction
    handler: Callable[[dict, Any], dict]
    function_name: str  # e.g. dual-credit-local-StripeWebhookFunction
    log_group_name: str
    timeout_seconds: int = 10
    memory_limit_in_mb: int = 512
    region: str = "us-west-2"

    def context(self, request_id: str) -> LambdaContext:
        return LambdaContext(
            aws_request_id=request_id,
            function_name=self.function_name,
            memory_limit_in_mb=self.memory_limit_in_mb,
            invoked_function_arn=(
                f"arn:aws:lambda:{self.region}:{ACCOUNT_ID}:function:{self.function_name}"
            ),
            log_group_name=self.log_group_name,
            timeout_seconds=self.timeout_seconds,
        )
