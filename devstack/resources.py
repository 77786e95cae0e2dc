"""The AWS resources of infra/template.yaml, built in moto: the table, the sender
identity, the user pool (its client and groups) and the SQS event sources' queues."""

from __future__ import annotations

import json
from typing import Any

from devstack import template
from devstack.names import CLIENT_NAME, EMAIL_SENDER, POOL_NAME, STACK_NAME


def create_table(dynamodb: Any, table_name: str) -> None:
    template.create_table(dynamodb, table_name)


def verify_sender(ses: Any) -> None:
    # SES v2 SendEmail (what the app uses) checks the v1 verified identities.
    ses.verify_email_identity(EmailAddress=EMAIL_SENDER)


def user_pool_arguments() -> dict[str, Any]:
    """CreateUserPool arguments from the template's UserPool resource."""
    props = template.resources()["UserPool"]["Properties"]
    arguments: dict[str, Any] = {"PoolName": POOL_NAME}
    for name in (
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
        if name in props:
            arguments[name] = props[name]
    return arguments


def user_pool_client_arguments(user_pool_id: str) -> dict[str, Any]:
    """CreateUserPoolClient arguments from the template's UserPoolClient resource."""
    props = template.resources()["UserPoolClient"]["Properties"]
    arguments: dict[str, Any] = {"UserPoolId": user_pool_id, "ClientName": CLIENT_NAME}
    for name in (
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
        if name in props:
            arguments[name] = props[name]
    return arguments


def user_pool_groups() -> list[dict[str, Any]]:
    """CreateGroup arguments (without the pool id) for each UserPoolGroup resource."""
    groups = []
    for resource in template.resources().values():
        if resource["Type"] == "AWS::Cognito::UserPoolGroup":
            props = resource["Properties"]
            groups.append(
                {k: props[k] for k in ("GroupName", "Description", "Precedence") if k in props}
            )
    return groups


def create_user_pool(cognito: Any) -> tuple[str, str]:
    """The user pool, its web client and its groups; (pool id, client id)."""
    user_pool_id = cognito.create_user_pool(**user_pool_arguments())["UserPool"]["Id"]
    client = cognito.create_user_pool_client(**user_pool_client_arguments(user_pool_id))
    for group in user_pool_groups():
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
