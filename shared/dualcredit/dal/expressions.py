"""Building the requests dal/dynamo.py sends, without sending them: the table's key
shape, the UpdateExpression builder, and the Transaction that collects writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dualcredit.dal.codec import Item, serialize
from dualcredit.settings import get_settings

Key = tuple[str, str]


KEY_ATTRIBUTES = frozenset({"PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK"})


def without_keys(item: Item) -> Item:
    """The record's own fields, without the table and index keys."""
    return {k: v for k, v in item.items() if k not in KEY_ATTRIBUTES}


def key(pk: str, sk: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


@dataclass
class Transaction:
    """Collects writes so one TransactWriteItems call carries a change and its audit record."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def put(
        self,
        item: Item,
        *,
        condition: str | None = None,
        names: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> int:
        op: dict[str, Any] = {"TableName": table_name(), "Item": serialize(item)}
        _conditions(op, condition, names, values)
        self.items.append({"Put": op})
        return len(self.items) - 1

    def update(
        self,
        pk: str,
        sk: str,
        *,
        expression: str,
        names: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        condition: str | None = None,
    ) -> int:
        op: dict[str, Any] = {
            "TableName": table_name(),
            "Key": key(pk, sk),
            "UpdateExpression": expression,
        }
        _conditions(op, condition, names, values)
        self.items.append({"Update": op})
        return len(self.items) - 1

    def delete(
        self,
        pk: str,
        sk: str,
        *,
        condition: str | None = None,
        names: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> int:
        op: dict[str, Any] = {"TableName": table_name(), "Key": key(pk, sk)}
        _conditions(op, condition, names, values)
        self.items.append({"Delete": op})
        return len(self.items) - 1

    def check(
        self,
        pk: str,
        sk: str,
        *,
        condition: str,
        names: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> int:
        op: dict[str, Any] = {"TableName": table_name(), "Key": key(pk, sk)}
        _conditions(op, condition, names, values)
        self.items.append({"ConditionCheck": op})
        return len(self.items) - 1


def set_expression(
    fields: dict[str, Any],
    *,
    remove: Iterable[str] = (),
    also: Iterable[str] = (),
    if_not_exists: bool = False,
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """An UpdateExpression setting every field of `fields` (then the clauses in `also`,
    written with their own placeholders) and removing `remove`, with its name and value
    placeholders: ("SET #f0 = :v0 REMOVE #r0", names, values). `if_not_exists` keeps
    values already stored (an upsert that merges)."""
    names = {f"#f{i}": name for i, name in enumerate(fields)}
    values = {f":v{i}": value for i, value in enumerate(fields.values())}
    assign = "#f{0} = if_not_exists(#f{0}, :v{0})" if if_not_exists else "#f{0} = :v{0}"
    clauses = [assign.format(i) for i in range(len(fields))] + list(also)
    expression = "SET " + ", ".join(clauses) if clauses else ""
    removed = list(remove)
    if removed:
        names |= {f"#r{i}": name for i, name in enumerate(removed)}
        expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(removed)))
    return expression.strip(), names, values


def _conditions(
    op: dict[str, Any],
    condition: str | None,
    names: dict[str, str] | None,
    values: dict[str, Any] | None,
) -> None:
    if condition:
        op["ConditionExpression"] = condition
    if names:
        op["ExpressionAttributeNames"] = names
    if values:
        op["ExpressionAttributeValues"] = serialize(values)


def table_name() -> str:
    return get_settings().table_name
