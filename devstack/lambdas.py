"""The Lambda side of the gateway stand-in: a template function loaded in-process
(its handler and settings), the Lambda context its handler is given, and which of the
template's functions the stack loads."""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devstack import iam, template
from devstack.errors import StackError
from devstack.names import STACK_NAME

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


def load_function(logical_id: str, region: str) -> LambdaFunction:
    """A function of the template, its handler file (CodeUri + Handler) freshly imported
    so it reads this stack's environment. Its folder is on sys.path while it imports,
    as it is in Lambda."""
    code = template.function_code(logical_id)
    settings = template.function_settings(logical_id)
    spec = importlib.util.spec_from_file_location(f"devstack_{logical_id}", code.path)
    if spec is None or spec.loader is None or not code.path.is_file():
        raise StackError(f"cannot load {code.path} ({logical_id})")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(code.code_dir))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(code.code_dir))
    handler = getattr(module, code.attribute, None)
    if not callable(handler):
        raise StackError(f"{code.path} has no {code.attribute}() ({logical_id})")
    log_group = (settings["log_group"] or f"/aws/lambda/${{AWS::StackName}}/{logical_id}").replace(
        "${AWS::StackName}", STACK_NAME
    )
    return LambdaFunction(
        logical_id=logical_id,
        handler=iam.guarded(logical_id, handler),  # with its role's permissions only
        function_name=f"{STACK_NAME}-{logical_id}",
        log_group_name=log_group,
        timeout_seconds=settings["timeout"],
        memory_limit_in_mb=settings["memory"],
        region=region,
    )


def routed_functions() -> list[str]:
    """The template's functions that have Api routes, in template order."""
    return list(dict.fromkeys(route.function for route in template.api_routes()))


def job_functions() -> list[str]:
    """The template's functions that schedules or queues invoke, in template order."""
    return list(
        dict.fromkeys(
            [s.function for s in template.schedules()]
            + [q.function for q in template.queue_sources()]
        )
    )
