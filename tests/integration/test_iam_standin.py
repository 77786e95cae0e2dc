"""devstack.iam: the local stand-in for IAM. Each function may make only the calls its
role in the template grants, answered as AWS answers a refusal; these tests hold its
evaluation to IAM's own rules."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from devstack import iam
from dualcredit.dal import aws as aws_clients
from tests.support import env

TABLE = f"arn:aws:dynamodb:us-west-2:{iam.ACCOUNT_ID}:table/{env.TEST_ENV['TABLE_NAME']}"


def _statements(role: str) -> list[dict]:
    return iam._statements(role, tuple(sorted(iam._environment_refs(role).items())))


def test_an_action_the_role_grants_on_its_table_is_allowed(aws):
    # Given the API's role, When it reads an item of its table, Then IAM allows it
    request = iam.Request("dynamodb:GetItem", TABLE, {"dynamodb:LeadingKeys": ["STUDENT#a"]})
    assert iam.allows(_statements("ApiFunction"), request)
    # but not on another table, nor an action it is not granted
    other = iam.Request("dynamodb:GetItem", TABLE + "-other")
    assert not iam.allows(_statements("ApiFunction"), other)
    assert not iam.allows(_statements("ApiFunction"), iam.Request("dynamodb:Scan", TABLE))


def test_delete_is_allowed_only_under_the_granted_key_prefixes(aws):
    statements = _statements("ApiFunction")

    def delete(pk: str) -> iam.Request:
        return iam.Request("dynamodb:DeleteItem", TABLE, {"dynamodb:LeadingKeys": [pk]})

    assert iam.allows(statements, delete("IDENTITY#abc"))
    assert not iam.allows(statements, delete("STUDENT#abc"))
    webhook = _statements("StripeWebhookFunction")
    assert iam.allows(webhook, delete("IDEMPOTENCY#stripe-webhook"))
    assert not iam.allows(webhook, delete("PAYMENT#x"))


def test_a_transaction_is_authorized_item_by_item():
    # Given a transaction that puts one item and deletes another
    requests = iam.requests_of(
        "dynamodb",
        "TransactWriteItems",
        {
            "TransactItems": [
                {"Put": {"TableName": "t", "Item": {"PK": {"S": "STUDENT#a"}}}},
                {"Delete": {"TableName": "t", "Key": {"PK": {"S": "IDENTITY#x"}}}},
            ]
        },
    )
    # Then IAM sees a PutItem and a DeleteItem, each with its own partition key
    assert [(r.action, r.context["dynamodb:LeadingKeys"]) for r in requests] == [
        ("dynamodb:PutItem", ["STUDENT#a"]),
        ("dynamodb:DeleteItem", ["IDENTITY#x"]),
    ]


def test_for_all_values_holds_for_an_empty_set_as_in_iam():
    # IAM: ForAllValues:* is true when the request has no value for the key.
    statement = {
        "Action": ["dynamodb:deleteitem"],
        "Resource": [TABLE],
        "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["IDENTITY#*"]}},
    }
    assert iam.allows([statement], iam.Request("dynamodb:DeleteItem", TABLE, {}))
    # StringEquals on a key the request lacks does not hold.
    needs_sender = {
        "Action": ["ses:sendemail"],
        "Resource": ["*"],
        "Condition": {"StringEquals": {"ses:FromAddress": ["a@b.org"]}},
    }
    assert not iam.allows([needs_sender], iam.Request("ses:SendEmail", "x", {}))


def test_email_is_allowed_only_from_the_program_s_sender(aws):
    statements = _statements("ApiFunction")
    ok, forged = (
        iam.requests_of("sesv2", "SendEmail", {"FromEmailAddress": f"CTE <{sender}>"})
        for sender in (env.TEST_ENV["EMAIL_SENDER"], "someone@else.example")
    )
    assert all(iam.allows(statements, r) for r in ok)
    assert not any(iam.allows(statements, r) for r in forged)


def test_a_call_the_role_does_not_grant_is_refused_as_aws_refuses_it(aws):
    # Given the webhook's role, which may not manage users
    cognito = aws_clients.client("cognito-idp")
    pool = cognito.list_user_pools(MaxResults=1)["UserPools"][0]["Id"]

    def invite() -> None:
        cognito.admin_create_user(UserPoolId=pool, Username="x@example.org")

    # When the webhook's code makes the call, Then botocore raises AccessDeniedException
    with pytest.raises(ClientError) as refused:
        iam.guarded("StripeWebhookFunction", invite)()
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "cognito-idp:AdminCreateUser" in refused.value.response["Error"]["Message"]
    # and the same call from the API's role, which is granted it, goes through
    iam.guarded("ApiFunction", invite)()
    # and outside any function (a test's own set-up) nothing is checked
    cognito.admin_get_user(UserPoolId=pool, Username="x@example.org")


def test_every_function_s_policy_resolves_locally(aws, monkeypatch):
    # Every statement of every function resolves with what its environment carries: a
    # policy naming something new fails here, not silently in the guard.
    monkeypatch.setenv("EMAIL_TEMPLATE_PREFIX", "dual-credit-test")
    monkeypatch.setenv("REMINDER_QUEUE_URL", "https://sqs.us-west-2.amazonaws.com/1/q")
    for role in iam.functions():
        assert _statements(role), role


def test_a_grant_no_call_made_is_reported_unused():
    # Given every function's grants, all made but one of the API's
    made = iam.granted()
    made["ApiFunction"] = made["ApiFunction"] - {"dynamodb:batchgetitem"}
    # Then exactly that one is reported
    assert iam.unused(made) == {"ApiFunction": ["dynamodb:batchgetitem"]}
    assert iam.unused(iam.granted()) == {}
