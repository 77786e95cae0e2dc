"""What every record module shares: reading an optional attribute of an item, and
dropping the fields that are None before a write. Private to the records package
except `without_none`, which the package re-exports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dualcredit.dal.codec import Item


def _str(item: Item, name: str) -> str | None:
    value = item.get(name)
    return None if value is None else str(value)


def _instant(item: Item, name: str) -> datetime | None:
    value = item.get(name)
    return None if value is None else datetime.fromisoformat(value)


def _bool(item: Item, name: str) -> bool | None:
    value = item.get(name)
    return None if value is None else bool(value)


def without_none(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}
