"""The AWS resources of infra/template.yaml, built in moto: the table, the sender
identity, the user pools (students'; invited staff and school users') with their
clients and groups, and the SQS event sources' queues."""

from __future__ import annotations

import json
from typing import Any

from devstack import template
from devstack.names import (
    CLIENT_NAME,
    EMAIL_SENDER,
    INVITED_CLIENT_NAME,
    INVITED_POOL_NAME,
    POOL_NAME,
    STACK_NAME,
)


def create_table(dynamodb: Any, table_name: str) -> None:
    template.create_table(dynamodb, table_name)


def verify_sender(ses: Any) -> None:
    # SES v2 SendEmail (what the app uses) checks the v1 verified identities.
    ses.verify_email_identity(EmailAddress=EMAIL_SENDER)


#: The template's user pools: (pool, its web client, the names moto gives them).
STUDENT_POOL = ("UserPool", "UserPoolClient", POOL_NAME, CLIENT_NAME)
INVITED_POOL = ("InvitedUserPool", "InvitedUserPoolClient", INVITED_POOL_NAME, INVITED_CLIENT_NAME)


def user_pool_arguments(logical_id: str = "UserPool", name: str = POOL_NAME) -> dict[str, Any]:
    """CreateUserPool arguments from one of the template's UserPool resources."""
    props = template.resources()[logical_id]["Properties"]
    arguments: dict[str, Any] = {"PoolName": name}
    for key in (
        "Policies",
        "Schema",
        "UsernameAttributes",
        "AutoVerifiedAttributes",
        "AccountRecoverySetting",
        "AdminCreateUserConfig",
        "MfaConfiguration",
        "UserAttributeUpdateSettings",
        "VerificationMessageTemplate",
    ):
        if key in props:
            arguments[key] = props[key]
    return arguments


def user_pool_client_arguments(
    user_pool_id: str, logical_id: str = "UserPoolClient", name: str = CLIENT_NAME
) -> dict[str, Any]:
    """CreateUserPoolClient arguments from one of the template's UserPoolClient resources."""
    props = template.resources()[logical_id]["Properties"]
    arguments: dict[str, Any] = {"UserPoolId": user_pool_id, "ClientName": name}
    for key in (
        "GenerateSecret",
        "ExplicitAuthFlows",
        "PreventUserExistenceErrors",
        "EnableTokenRevocation",
        "ReadAttributes",
        "WriteAttributes",
        "RefreshTokenValidity",
        "AccessTokenValidity",
        "IdTokenValidity",
        "TokenValidityUnits",
    ):
        if key in props:
            arguments[key] = props[key]
    return arguments


def user_pool_groups(pool_logical_id: str | None = None) -> list[dict[str, Any]]:
    """CreateGroup arguments (without the pool id) for each UserPoolGroup resource (of
    the pool `pool_logical_id`, when given)."""
    groups = []
    for resource in template.resources().values():
        if resource["Type"] == "AWS::Cognito::UserPoolGroup":
            props = resource["Properties"]
            if pool_logical_id is not None and props["UserPoolId"] != {"Ref": pool_logical_id}:
                continue
            groups.append(
                {k: props[k] for k in ("GroupName", "Description", "Precedence") if k in props}
            )
    return groups


def create_user_pool(
    cognito: Any, pool: tuple[str, str, str, str] = STUDENT_POOL
) -> tuple[str, str]:
    """One of the template's user pools, its web client and its groups; (pool id,
    client id). A pool with MFA on gets its EnabledMfas, which CloudFormation sets
    through SetUserPoolMfaConfig (CreateUserPool has no such argument)."""
    pool_id, client_id, pool_name, client_name = pool
    props = template.resources()[pool_id]["Properties"]
    user_pool_id = cognito.create_user_pool(**user_pool_arguments(pool_id, pool_name))["UserPool"][
        "Id"
    ]
    if props.get("MfaConfiguration", "OFF") != "OFF":
        cognito.set_user_pool_mfa_config(
            UserPoolId=user_pool_id,
            MfaConfiguration=props["MfaConfiguration"],
            SoftwareTokenMfaConfiguration={
                "Enabled": "SOFTWARE_TOKEN_MFA" in props.get("EnabledMfas", [])
            },
        )
    client = cognito.create_user_pool_client(
        **user_pool_client_arguments(user_pool_id, client_id, client_name)
    )
    for group in user_pool_groups(pool_id):
        cognito.create_group(UserPoolId=user_pool_id, **group)
    return user_pool_id, client["UserPoolClient"]["ClientId"]


def create_queues(sqs: Any) -> dict[str, str]:
    """The template's SQS event sources' queues (and their dead-letter queues): their
    URLs by logical id."""
    urls: dict[str, str] = {}
    for source in template.queue_sources():
        props = dict(source.queue_properties)
        attributes = {"VisibilityTimeout": str(props.get("VisibilityTimeout", 30))}
        redrive = props.get("RedrivePolicy")
        if redrive:
            dlq = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
            urls[dlq] = sqs.create_queue(QueueName=f"{STACK_NAME}-{dlq}")["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=urls[dlq], AttributeNames=["QueueArn"])
            attributes["RedrivePolicy"] = json.dumps(
                {
                    "deadLetterTargetArn": arn["Attributes"]["QueueArn"],
                    "maxReceiveCount": str(redrive["maxReceiveCount"]),
                }
            )
        urls[source.queue] = sqs.create_queue(
            QueueName=f"{STACK_NAME}-{source.queue}", Attributes=attributes
        )["QueueUrl"]
    return urls


def queue_environment(urls: dict[str, str]) -> dict[str, str]:
    """The functions' variables that name the queues (e.g. REMINDER_QUEUE_URL)."""
    return {
        variable: urls[logical_id]
        for variable, logical_id in template.queue_variables().items()
        if logical_id in urls
    }
