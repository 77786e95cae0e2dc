"""DynamoDB's typed JSON (AttributeValue) for the few types the table holds."""

from __future__ import annotations

from typing import Any

Item = dict[str, Any]

# Written here rather than taken from boto3.dynamodb.types because importing boto3 (and
# s3transfer with it) cost every handler's cold start ~80 ms for these forty lines.


def to_attribute(value: Any) -> dict[str, Any]:
    """A Python value as a DynamoDB AttributeValue (None is never stored)."""
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | float):
        return {"N": repr(value) if isinstance(value, float) else str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, dict):
        return {"M": {k: to_attribute(v) for k, v in value.items() if v is not None}}
    if isinstance(value, list | tuple):
        return {"L": [to_attribute(v) for v in value]}
    if isinstance(value, set | frozenset) and value and all(isinstance(v, str) for v in value):
        return {"SS": sorted(value)}
    raise TypeError(f"cannot store a {type(value).__name__} in DynamoDB")


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        number = float(text)
        return int(number) if number.is_integer() else number


def from_attribute(attribute: dict[str, Any]) -> Any:
    ((kind, value),) = attribute.items()
    match kind:
        case "S" | "BOOL":
            return value
        case "N":
            return _number(value)
        case "NULL":
            return None
        case "M":
            return {k: from_attribute(v) for k, v in value.items()}
        case "L":
            return [from_attribute(v) for v in value]
        case "SS":
            return set(value)
        case "NS":
            return {_number(v) for v in value}
    raise TypeError(f"unexpected DynamoDB type {kind}")


def serialize(item: Item) -> dict[str, Any]:
    return {k: to_attribute(v) for k, v in item.items() if v is not None}


def deserialize(raw: dict[str, Any]) -> Item:
    return {k: from_attribute(v) for k, v in raw.items()}
