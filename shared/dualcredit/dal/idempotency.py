"""Powertools idempotency records in the application's table (one partition per use),
written through the application's own DynamoDB client rather than a second one."""

from __future__ import annotations

from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

from dualcredit.dal.aws import LazyClient
from dualcredit.settings import get_settings


def persistence_layer(partition: str) -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(
        table_name=get_settings().table_name,
        key_attr="PK",
        sort_key_attr="SK",
        static_pk_value=partition,
        expiry_attr="expires_at",
        boto3_client=LazyClient("dynamodb"),
    )
