"""The Stripe stand-in's API errors, shaped like Stripe's ({"error": {...}})."""

from __future__ import annotations

from typing import Any


class StandInError(Exception):
    """A Stripe-shaped API error: `status` and `body` ({"error": {...}})."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code

    @property
    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.param is not None:
            error["param"] = self.param
        if self.code is not None:
            error["code"] = self.code
        return {"error": error}


def missing(param: str) -> StandInError:
    return StandInError(
        400, f"Missing required param: {param}.", param=param, code="parameter_missing"
    )


def unknown(param: str) -> StandInError:
    return StandInError(
        400, f"Received unknown parameter: {param}", param=param, code="parameter_unknown"
    )


def no_such(kind: str, object_id: str, param: str) -> StandInError:
    return StandInError(404, f"No such {kind}: '{object_id}'", param=param, code="resource_missing")
