"""Four gaps in moto (5.2.5) filled for the local stack, the tests and the bench.

- Cognito's ConfirmSignUp leaves the address unverified: moto sets no `email_verified`,
  so the ID token carries none, where Cognito, for a pool that auto-verifies email
  (AutoVerifiedAttributes), marks it verified on confirmation. `install()` does that.
- Cognito's ResendConfirmationCode (the sign-up page's "send a new code") is missing:
  `install()` adds it, answering as Cognito does (the code goes by email; moto accepts
  any code at ConfirmSignUp, so no code is kept).
- DynamoDB transactions: to roll a cancelled TransactWriteItems back, moto deep-copies
  the whole table once per item of the transaction: a 50-item transaction on a table
  of 6,000 items spends ~10 s copying (DynamoDB takes milliseconds), long enough for
  botocore's read timeout to fire and retry while the first attempt still runs.
  `install()` makes the rollback back up only the items the transaction touches, and
  restore those. What a transaction does, commits or cancels is unchanged: moto's own
  code still runs it.
- DynamoDB reads: moto runs each answer through its generic shape-driven serializer,
  about 4 ms per item read, so reading a 20,000-student roster took over a minute. The
  items of GetItem, BatchGetItem and Query answers are already DynamoDB's JSON, so
  `install()` answers those with json.dumps (anything it cannot dump takes moto's way).
"""

from __future__ import annotations

import copy
from types import SimpleNamespace
from typing import Any

_INSTALLED = "_dual_credit_item_backups"


def _no_table_copies(value: Any, memo: dict | None = None) -> Any:
    """moto's module-level deepcopy, except for tables (the per-item whole-table backup)."""
    from moto.dynamodb.models.table import Table

    if isinstance(value, Table):
        return value
    return copy.deepcopy(value, memo)


def install() -> None:
    """Idempotent; call before the first AWS request."""
    from devstack import moto_mfa

    moto_mfa.install()  # Cognito's TOTP MFA, as the invited pool requires it
    _install_resend_confirmation_code()
    _install_email_verified_on_confirmation()
    _install_plain_json_reads()
    from moto.dynamodb import models
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType

    if getattr(DynamoDBBackend.transact_write_items, _INSTALLED, False):
        return
    original = DynamoDBBackend.transact_write_items
    # Only transact_write_items copies tables through this name; other copies stay deep.
    _patch(models, "copy", SimpleNamespace(deepcopy=_no_table_copies, copy=copy.copy))

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        backups: list[tuple[Any, Any, Any, Any]] = []  # (table, hash, range, item or None)
        for entry in transact_items:
            op: Any = next(iter(entry.values()), {})
            table = self.tables.get(op.get("TableName")) if isinstance(op, dict) else None
            if table is None:
                continue
            key = op.get("Key") or op.get("Item") or {}
            try:
                hash_key = DynamoType(key[table.hash_key_attr])
                range_key = DynamoType(key[table.range_key_attr]) if table.has_range_key else None
            except KeyError:
                continue  # moto's own validation answers this one
            item = (
                table.get_item(hash_key, range_key)
                if (range_key or not table.has_range_key)
                else None
            )
            backups.append((table, hash_key, range_key, copy.deepcopy(item)))
        try:
            original(self, transact_items)
        except Exception:
            for table, hash_key, range_key, item in reversed(backups):
                _restore(table, hash_key, range_key, item)
            raise

    setattr(transact_write_items, _INSTALLED, True)
    _patch(DynamoDBBackend, "transact_write_items", transact_write_items)


#: DynamoDB answers whose result is plain DynamoDB JSON (items of AttributeValues).
_PLAIN_JSON_READS = frozenset({"GetItem", "BatchGetItem", "Query"})


def _install_plain_json_reads() -> None:
    import json

    from moto.dynamodb.responses import DynamoResult

    if getattr(DynamoResult.execute_result, _INSTALLED, False):
        return
    original = DynamoResult.execute_result

    def execute_result(self: Any, context: Any) -> Any:
        if str(context.operation_model.name) in _PLAIN_JSON_READS and isinstance(self.result, dict):
            try:
                body = json.dumps(self.result)
            except (TypeError, ValueError):
                return original(self, context)
            return 200, {"Content-Type": "application/x-amz-json-1.0"}, body
        return original(self, context)

    setattr(execute_result, _INSTALLED, True)
    _patch(DynamoResult, "execute_result", execute_result)


def _patch(owner: object, name: str, value: object) -> None:
    """Replace (or add) `owner.name`: these fixes patch moto on purpose."""
    setattr(owner, name, value)


def _restore(table: Any, hash_key: Any, range_key: Any, item: Any) -> None:
    """Put one item back as it was before the transaction (absent when `item` is None)."""
    if item is not None:
        if range_key:
            table.items[hash_key][range_key] = item
        else:
            table.items[hash_key] = item
    elif range_key:
        partition = table.items.get(hash_key)
        if partition is not None:
            partition.pop(range_key, None)
            if not partition:
                del table.items[hash_key]
    else:
        table.items.pop(hash_key, None)


def _install_email_verified_on_confirmation() -> None:
    from moto.cognitoidp.models import CognitoIdpBackend

    if getattr(CognitoIdpBackend.confirm_sign_up, _INSTALLED, False):
        return
    original = CognitoIdpBackend.confirm_sign_up

    def confirm_sign_up(self: Any, client_id: str, username: str) -> str:
        answer = original(self, client_id, username)
        pool = next(p for p in self.user_pools.values() if client_id in p.clients)
        user = self.admin_get_user(pool.id, username)
        if "email" in (pool.extended_config.get("AutoVerifiedAttributes") or []):
            if "email" in user.attribute_lookup:
                user.update_attributes([{"Name": "email_verified", "Value": "true"}])
        return answer

    setattr(confirm_sign_up, _INSTALLED, True)
    CognitoIdpBackend.confirm_sign_up = confirm_sign_up  # type: ignore[method-assign]


def _install_resend_confirmation_code() -> None:
    from moto.cognitoidp.exceptions import InvalidParameterException, UserNotFoundError
    from moto.cognitoidp.models import UserStatus, cognitoidp_backends
    from moto.cognitoidp.responses import CognitoIdpResponse
    from moto.core.responses import ActionResult

    if hasattr(CognitoIdpResponse, "resend_confirmation_code"):
        return

    def resend_confirmation_code(self: Any) -> ActionResult:
        client_id, username = self._get_param("ClientId"), self._get_param("Username")
        for backends in cognitoidp_backends.values():
            for region, backend in backends.items():
                pool = next(
                    (p for p in backend.user_pools.values() if client_id in p.clients), None
                )
                if region == "global" or pool is None:
                    continue
                user = pool._get_user(username)
                if user is None:
                    raise UserNotFoundError("Username/client id combination not found.")
                if user.status is not UserStatus.UNCONFIRMED:
                    raise InvalidParameterException("User is already confirmed.")
                email = {a["Name"]: a["Value"] for a in user.attributes}.get("email", username)
                local, _, domain = email.partition("@")
                return ActionResult(
                    {
                        "CodeDeliveryDetails": {
                            "Destination": f"{local[:1]}***@{domain[:1]}***",
                            "DeliveryMedium": "EMAIL",
                            "AttributeName": "email",
                        }
                    }
                )
        raise UserNotFoundError("Username/client id combination not found.")

    _patch(CognitoIdpResponse, "resend_confirmation_code", resend_confirmation_code)
