"""The local stack's fix to moto's transaction rollback keeps a cancelled transaction
all-or-nothing while backing up only the items it touches."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def table(aws):
    from dualcredit.dal.aws import client
    from tests.support import env

    ddb = client("dynamodb")
    name = env.TEST_ENV["TABLE_NAME"]
    ddb.put_item(TableName=name, Item={"PK": {"S": "A"}, "SK": {"S": "1"}, "v": {"N": "1"}})
    return ddb, name


def _items(ddb, name):
    return {(i["PK"]["S"], i["SK"]["S"]): i.get("v", {}).get("N") for i in
            ddb.query(TableName=name, KeyConditionExpression="PK = :a",
                      ExpressionAttributeValues={":a": {"S": "A"}})["Items"]}


def test_a_cancelled_transaction_leaves_every_item_as_it_was(table):
    ddb, name = table
    # Given a transaction that updates A/1, creates A/2, and fails its last condition
    with pytest.raises(ClientError, match="TransactionCanceled"):
        ddb.transact_write_items(TransactItems=[
            {"Update": {"TableName": name, "Key": {"PK": {"S": "A"}, "SK": {"S": "1"}},
                        "UpdateExpression": "SET v = :two", "ExpressionAttributeValues": {":two": {"N": "2"}}}},
            {"Put": {"TableName": name, "Item": {"PK": {"S": "A"}, "SK": {"S": "2"}, "v": {"N": "9"}}}},
            {"ConditionCheck": {"TableName": name, "Key": {"PK": {"S": "B"}, "SK": {"S": "1"}},
                                "ConditionExpression": "attribute_exists(PK)"}},
        ])
    # Then neither write is visible
    assert _items(ddb, name) == {("A", "1"): "1"}


def test_a_committed_transaction_writes_every_item(table):
    ddb, name = table
    ddb.transact_write_items(TransactItems=[
        {"Update": {"TableName": name, "Key": {"PK": {"S": "A"}, "SK": {"S": "1"}},
                    "UpdateExpression": "SET v = :two", "ExpressionAttributeValues": {":two": {"N": "2"}}}},
        {"Put": {"TableName": name, "Item": {"PK": {"S": "A"}, "SK": {"S": "2"}, "v": {"N": "9"}}}},
    ])
    assert _items(ddb, name) == {("A", "1"): "2", ("A", "2"): "9"}
