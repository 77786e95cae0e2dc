"""DynamoDB's failures as domain-shaped exceptions: a request it refused as invalid
(Unstorable, a 400), a cancelled transaction, a failed condition."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import ClientError

from dualcredit.dal.codec import Item
from dualcredit.errors import InvalidInput
from dualcredit.observability import logger


class Unstorable(InvalidInput):
    """DynamoDB refused a request as invalid (ValidationException, or a transaction item
    cancelled for a validation reason): a value it cannot store, such as a number outside its
    range or an item over 400 KB. The models bound what they take, so this is the last
    guard; it is the caller's input, a 400, and nothing was written."""

    code = "unstorable_value"

    def __init__(self) -> None:
        super().__init__("The request holds a value that cannot be stored; check what you entered.")


#: A transaction item's cancellation reason when DynamoDB refused its values (moto says
#: ValidationException).
VALIDATION_REASONS = frozenset({"ValidationError", "ValidationException"})


@contextmanager
def _refusing_invalid(operation: str) -> Iterator[None]:
    """Turn DynamoDB's ValidationException into Unstorable (logged without its text,
    which may quote the values)."""
    try:
        yield
    except ClientError as error:
        if error.response["Error"]["Code"] != "ValidationException":
            raise
        logger.warning("DynamoDB refused a request", extra={"operation": operation})
        raise Unstorable() from error


class TransactionCancelled(Exception):
    """A transaction's condition failed; `failed` holds the indexes of the failing items."""

    def __init__(self, failed: list[int], reasons: list[str]):
        super().__init__(f"transaction cancelled at items {failed}")
        self.failed = failed
        self.reasons = reasons


class ConditionFailed(Exception):
    """A single conditional write found the item in another state; `item` is that state
    when the write asked for it (return_old_on_failure), else None."""

    def __init__(self, item: Item | None = None):
        super().__init__("condition failed")
        self.item = item
