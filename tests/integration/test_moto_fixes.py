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
    return {
        (i["PK"]["S"], i["SK"]["S"]): i.get("v", {}).get("N")
        for i in ddb.query(
            TableName=name,
            KeyConditionExpression="PK = :a",
            ExpressionAttributeValues={":a": {"S": "A"}},
        )["Items"]
    }


def test_a_cancelled_transaction_leaves_every_item_as_it_was(table):
    ddb, name = table
    # Given a transaction that updates A/1, creates A/2, and fails its last condition
    with pytest.raises(ClientError, match="TransactionCanceled"):
        ddb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": name,
                        "Key": {"PK": {"S": "A"}, "SK": {"S": "1"}},
                        "UpdateExpression": "SET v = :two",
                        "ExpressionAttributeValues": {":two": {"N": "2"}},
                    }
                },
                {
                    "Put": {
                        "TableName": name,
                        "Item": {"PK": {"S": "A"}, "SK": {"S": "2"}, "v": {"N": "9"}},
                    }
                },
                {
                    "ConditionCheck": {
                        "TableName": name,
                        "Key": {"PK": {"S": "B"}, "SK": {"S": "1"}},
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
            ]
        )
    # Then neither write is visible
    assert _items(ddb, name) == {("A", "1"): "1"}


def test_a_committed_transaction_writes_every_item(table):
    ddb, name = table
    ddb.transact_write_items(
        TransactItems=[
            {
                "Update": {
                    "TableName": name,
                    "Key": {"PK": {"S": "A"}, "SK": {"S": "1"}},
                    "UpdateExpression": "SET v = :two",
                    "ExpressionAttributeValues": {":two": {"N": "2"}},
                }
            },
            {
                "Put": {
                    "TableName": name,
                    "Item": {"PK": {"S": "A"}, "SK": {"S": "2"}, "v": {"N": "9"}},
                }
            },
        ]
    )
    assert _items(ddb, name) == {("A", "1"): "2", ("A", "2"): "9"}


def test_an_unconfirmed_user_can_ask_for_a_new_sign_up_code(aws):
    from dualcredit.dal.aws import client

    cognito = client("cognito-idp")
    pool = cognito.create_user_pool(PoolName="resend", UsernameAttributes=["email"])["UserPool"][
        "Id"
    ]
    client_id = cognito.create_user_pool_client(UserPoolId=pool, ClientName="web")[
        "UserPoolClient"
    ]["ClientId"]
    cognito.sign_up(
        ClientId=client_id,
        Username="ana@example.org",
        Password="Student-Pass-42",
        UserAttributes=[{"Name": "email", "Value": "ana@example.org"}],
    )
    # When an unconfirmed user asks for a new code, Then Cognito's answer says where it went
    sent = cognito.resend_confirmation_code(ClientId=client_id, Username="ana@example.org")
    assert sent["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    # And an unknown or already confirmed user is refused as Cognito refuses them
    with pytest.raises(ClientError, match="UserNotFoundException"):
        cognito.resend_confirmation_code(ClientId=client_id, Username="nobody@example.org")
    cognito.confirm_sign_up(
        ClientId=client_id, Username="ana@example.org", ConfirmationCode="123456"
    )
    with pytest.raises(ClientError, match="InvalidParameterException"):
        cognito.resend_confirmation_code(ClientId=client_id, Username="ana@example.org")


def test_entries_of_several_items_are_written_in_as_few_transactions_as_the_limit_allows(aws):
    from dualcredit.dal import dynamo

    # Given 60 entries of two items each (120 items: more than one transaction holds)
    def write(tx, i):
        tx.put({"PK": f"T#{i}", "SK": "A"}, condition="attribute_not_exists(PK)")
        tx.put({"PK": f"T#{i}", "SK": "B"})

    aws.clear()
    assert dynamo.transact_each(60, write) == set()
    # Then two transactions wrote them, no entry split between the two
    assert dict(aws) == {"TransactWriteItems": 2}

    # When the same entries are written again with four of them new, Then the 56 taken
    # fail their condition and are dropped; the four are written
    def write_again(tx, i):
        write(tx, i if i < 56 else 100 + i)

    assert dynamo.transact_each(60, write_again) == set(range(56))
    assert dynamo.get_item("T#159", "B") is not None


@pytest.mark.parametrize("auto_verified", [["email"], []])
def test_confirming_a_sign_up_verifies_the_email_when_the_pool_auto_verifies_it(aws, auto_verified):
    from dualcredit.dal.aws import client

    # Given a pool that auto-verifies email (as the template's does), or one that does not
    cognito = client("cognito-idp")
    pool = cognito.create_user_pool(
        PoolName="verify", UsernameAttributes=["email"], AutoVerifiedAttributes=auto_verified
    )["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(UserPoolId=pool, ClientName="web")[
        "UserPoolClient"
    ]["ClientId"]
    cognito.sign_up(
        ClientId=client_id,
        Username="bea@example.org",
        Password="Student-Pass-42",
        UserAttributes=[{"Name": "email", "Value": "bea@example.org"}],
    )
    # When the user confirms with the emailed code
    cognito.confirm_sign_up(
        ClientId=client_id, Username="bea@example.org", ConfirmationCode="123456"
    )
    # Then, as in Cognito, the address is verified only where the pool verifies it
    user = cognito.admin_get_user(UserPoolId=pool, Username="bea@example.org")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes.get("email_verified") == ("true" if auto_verified else None)
