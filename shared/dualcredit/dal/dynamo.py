"""Thin typed access to the one DynamoDB table: reads and transactions, with DynamoDB's
failures turned into domain-shaped exceptions (the item codec is dal/codec.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from botocore.exceptions import ClientError

from dualcredit.dal.aws import client
from dualcredit.dal.codec import Item, deserialize, serialize
from dualcredit.dal.dynamo_errors import (
    VALIDATION_REASONS,
    ConditionFailed,
    TransactionCancelled,
    Unstorable,
    _refusing_invalid,
)
from dualcredit.dal.expressions import (
    KEY_ATTRIBUTES,
    Key,
    Transaction,
    _conditions,
    key,
    set_expression,
    table_name,
    without_keys,
)
from dualcredit.observability import logger

# The request builders (dal/expressions.py) and the exceptions (dal/dynamo_errors.py)
# are re-exported, so callers write `dynamo.Transaction()` and `dynamo.TransactionCancelled`.
__all__ = [
    "KEY_ATTRIBUTES",
    "VALIDATION_REASONS",
    "ConditionFailed",
    "Item",
    "Key",
    "Transaction",
    "TransactionCancelled",
    "Unstorable",
    "deserialize",
    "key",
    "serialize",
    "set_expression",
    "table_name",
    "without_keys",
]


def _ddb() -> Any:
    return client("dynamodb")


def get_item(pk: str, sk: str, *, consistent: bool = False) -> Item | None:
    with _refusing_invalid("GetItem"):
        response = _ddb().get_item(
            TableName=table_name(), Key=key(pk, sk), ConsistentRead=consistent
        )
    raw = response.get("Item")
    return deserialize(raw) if raw else None


#: DynamoDB's limit of keys per BatchGetItem request.
BATCH_GET_LIMIT = 100


def batch_get(keys: Iterable[Key], *, consistent: bool = False) -> dict[Key, Item]:
    """Fetch distinct items, 100 per BatchGetItem request (retrying only unprocessed keys)."""
    wanted = list(dict.fromkeys(keys))
    found: dict[Key, Item] = {}
    for start in range(0, len(wanted), BATCH_GET_LIMIT):
        chunk = wanted[start : start + BATCH_GET_LIMIT]
        request: dict[str, Any] | None = {
            table_name(): {"Keys": [key(pk, sk) for pk, sk in chunk], "ConsistentRead": consistent}
        }
        while request:
            with _refusing_invalid("BatchGetItem"):
                response = _ddb().batch_get_item(RequestItems=request)
            for raw in response.get("Responses", {}).get(table_name(), []):
                item = deserialize(raw)
                found[(item["PK"], item["SK"])] = item
            request = response.get("UnprocessedKeys") or None
    return found


def query_pages(
    *,
    pk_name: str = "PK",
    pk: str,
    sk_name: str = "SK",
    sk_prefix: str | None = None,
    index: str | None = None,
    forward: bool = True,
    consistent: bool = False,
    page_size: int | None = None,
) -> Iterator[list[Item]]:
    """One partition, page by page (each page one Query request, up to 1 MB), so a
    caller can work through a large partition without holding all of it."""
    params: dict[str, Any] = {
        "TableName": table_name(),
        "KeyConditionExpression": "#pk = :pk",
        "ExpressionAttributeNames": {"#pk": pk_name},
        "ExpressionAttributeValues": {":pk": {"S": pk}},
        "ScanIndexForward": forward,
    }
    if sk_prefix:
        params["KeyConditionExpression"] += " AND begins_with(#sk, :sk)"
        params["ExpressionAttributeNames"]["#sk"] = sk_name
        params["ExpressionAttributeValues"][":sk"] = {"S": sk_prefix}
    if index:
        params["IndexName"] = index
    elif consistent:
        params["ConsistentRead"] = True
    if page_size:
        params["Limit"] = page_size
    while True:
        with _refusing_invalid("Query"):
            response = _ddb().query(**params)
        yield [deserialize(raw) for raw in response.get("Items", [])]
        last = response.get("LastEvaluatedKey")
        if not last:
            return
        params["ExclusiveStartKey"] = last


def query(
    *,
    pk_name: str = "PK",
    pk: str,
    sk_name: str = "SK",
    sk_prefix: str | None = None,
    index: str | None = None,
    limit: int | None = None,
    forward: bool = True,
    consistent: bool = False,
) -> list[Item]:
    """One partition, optionally narrowed by a sort-key prefix; follows pagination."""
    items: list[Item] = []
    for page in query_pages(
        pk_name=pk_name,
        pk=pk,
        sk_name=sk_name,
        sk_prefix=sk_prefix,
        index=index,
        forward=forward,
        consistent=consistent,
        page_size=limit,
    ):
        items.extend(page)
        if limit and len(items) >= limit:
            return items[:limit]
    return items


def put_item(
    item: Item,
    *,
    condition: str | None = None,
    names: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> None:
    params: dict[str, Any] = {"TableName": table_name(), "Item": serialize(item)}
    _conditions(params, condition, names, values)
    try:
        with _refusing_invalid("PutItem"):
            _ddb().put_item(**params)
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            raise ConditionFailed() from error
        raise


def update_item(
    pk: str,
    sk: str,
    *,
    expression: str,
    names: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    condition: str | None = None,
    return_old_on_failure: bool = False,
) -> Item:
    """Update and return the item as it now stands. A failed condition raises
    ConditionFailed, carrying the item as it was when `return_old_on_failure`."""
    params: dict[str, Any] = {
        "TableName": table_name(),
        "Key": key(pk, sk),
        "UpdateExpression": expression,
        "ReturnValues": "ALL_NEW",
    }
    _conditions(params, condition, names, values)
    if return_old_on_failure:
        params["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    try:
        with _refusing_invalid("UpdateItem"):
            response = _ddb().update_item(**params)
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            old = error.response.get("Item")
            raise ConditionFailed(deserialize(old) if old else None) from error
        raise
    return deserialize(response.get("Attributes", {}))


#: DynamoDB's limit of items per TransactWriteItems request.
TRANSACTION_LIMIT = 100


def transact_each(
    count: int,
    write: Callable[[Transaction, int], None],
    *,
    drop_failed: bool = True,
    written: Callable[[int], None] | None = None,
) -> set[int]:
    """Write entries 0..count-1 in as few transactions as the item limit allows, each
    entry's items (`write(tx, i)` adds them, conditional or not) kept in one transaction.
    `written(n)`, when given, hears how many entries are written after each transaction.

    A transaction whose conditions fail is cancelled whole. With `drop_failed` it runs
    again without the entries whose conditions failed (each round drops at least one),
    and their indexes are returned; without it, TransactionCancelled propagates (the
    earlier transactions stay written)."""
    failed: set[int] = set()
    pending = list(range(count))
    while pending:
        tx, owner = Transaction(), []  # owner[k]: the entry that wrote item k
        taken = 0
        for i in pending:
            before = len(tx.items)
            write(tx, i)
            if len(tx.items) > TRANSACTION_LIMIT:
                if before == 0:
                    raise ValueError(f"entry {i} alone is more than {TRANSACTION_LIMIT} items")
                tx.items = tx.items[:before]
                break
            owner += [i] * (len(tx.items) - before)
            taken += 1
        try:
            transact(tx)
        except TransactionCancelled as cancelled:
            if not drop_failed or not cancelled.failed:
                raise
            dropped = {owner[k] for k in cancelled.failed}
            failed |= dropped
            pending = [i for i in pending if i not in dropped]
            continue
        pending = pending[taken:]
        if written is not None:
            written(count - len(failed) - len(pending))
    return failed


def transact(transaction: Transaction, *, token: str | None = None) -> None:
    """Run the writes atomically; a failed condition raises TransactionCancelled."""
    params: dict[str, Any] = {"TransactItems": transaction.items}
    if token:
        params["ClientRequestToken"] = token
    try:
        with _refusing_invalid("TransactWriteItems"):
            _ddb().transact_write_items(**params)
    except ClientError as error:
        if error.response["Error"]["Code"] != "TransactionCanceledException":
            raise
        reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
        if VALIDATION_REASONS & set(reasons):
            logger.warning("DynamoDB refused a request", extra={"operation": "TransactWriteItems"})
            raise Unstorable() from error
        failed = [i for i, code in enumerate(reasons) if code not in ("None", None)]
        if not reasons or any(reasons[i] != "ConditionalCheckFailed" for i in failed):
            raise
        raise TransactionCancelled(failed, reasons) from error
