"""`GET /v1/events` as Stripe answers it: newest first, filtered by `type` (a `*` matches
the rest of a name, as in `charge.dispute.*`) or `types[]` (up to 20, not both),
`created` (a timestamp, or `gt`/`gte`/`lt`/`lte`), paged by `limit` (1 to 100, default
10) and `starting_after` / `ending_before` (an event id), with `has_more`."""

from __future__ import annotations

import copy
import fnmatch
from collections.abc import Mapping, Sequence
from typing import Any

from devstack.stripe_standin.errors import StandInError
from devstack.stripe_standin.parameters import integer

MAX_LIMIT = 100
DEFAULT_LIMIT = 10
MAX_TYPES = 20


def list_events(events: Sequence[Mapping[str, Any]], params: Mapping[str, Any]) -> dict[str, Any]:
    """One page of `events` (oldest first, as emitted) as Stripe lists them; `params`
    fit EventListParams."""
    if "type" in params and "types" in params:
        raise StandInError(
            400, "You may only specify one of these parameters: type, types.", param="type"
        )
    limit = _limit(params.get("limit"))
    _in_range(0, params.get("created"))  # a bad bound is refused even with nothing to list
    matching = [
        event
        for event in reversed(events)  # newest first; emission order breaks ties in a second
        if _of_type(event, params) and _in_range(event["created"], params.get("created"))
    ]
    after, before = params.get("starting_after"), params.get("ending_before")
    if after is not None and before is not None:
        raise StandInError(
            400,
            "You may only specify one of these parameters: ending_before, starting_after.",
            param="ending_before",
        )
    if after is not None:
        matching = matching[_position(events, matching, after, "starting_after") + 1 :]
        page = matching[:limit]
    elif before is not None:
        matching = matching[: _position(events, matching, before, "ending_before")]
        page = matching[-limit:]
    else:
        page = matching[:limit]
    return {
        "object": "list",
        "data": [copy.deepcopy(dict(event)) for event in page],
        "has_more": len(matching) > len(page),
        "url": "/v1/events",
    }


def _limit(value: Any) -> int:
    if value is None:
        return DEFAULT_LIMIT
    limit = integer(value, "limit", minimum=1)
    if limit > MAX_LIMIT:
        raise StandInError(
            400,
            f"This value must be less than or equal to {MAX_LIMIT}.",
            param="limit",
            code="parameter_invalid_integer",
        )
    return limit


def _of_type(event: Mapping[str, Any], params: Mapping[str, Any]) -> bool:
    kind = event["type"]
    if "type" in params:
        return fnmatch.fnmatchcase(kind, params["type"])
    if "types" in params:
        types = params["types"]
        if len(types) > MAX_TYPES:
            raise StandInError(
                400,
                f"You may only specify up to {MAX_TYPES} types.",
                param="types",
                code="parameter_invalid_array",
            )
        return kind in types
    return True


def _in_range(created: int, bounds: Any) -> bool:
    if bounds is None:
        return True
    if not isinstance(bounds, Mapping):
        return created == integer(bounds, "created")
    checks = {
        "gt": lambda limit: created > limit,
        "gte": lambda limit: created >= limit,
        "lt": lambda limit: created < limit,
        "lte": lambda limit: created <= limit,
    }
    return all(checks[name](integer(value, f"created[{name}]")) for name, value in bounds.items())


def _position(
    events: Sequence[Mapping[str, Any]],
    matching: list[Mapping[str, Any]],
    cursor: Any,
    param: str,
) -> int:
    """Where the cursor event sits in `matching` (Stripe needs it to exist, not to match)."""
    if not isinstance(cursor, str) or not any(event["id"] == cursor for event in events):
        # A parameter naming a missing object is a 400 (a missing URL's object a 404).
        raise StandInError(400, f"No such event: '{cursor}'", param=param, code="resource_missing")
    for index, event in enumerate(matching):
        if event["id"] == cursor:
            return index
    # An existing event outside the filter: page from where it would sit (newest first).
    order = {event["id"]: index for index, event in enumerate(events)}
    position = order[cursor]
    return sum(1 for event in matching if order[event["id"]] > position) - (
        0 if param == "ending_before" else 1
    )
