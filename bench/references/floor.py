"""Reference row "floor": a botocore client and one GetItem, no framework, precompiled:
what any handler that reads DynamoDB pays at least."""

import json
import os

import botocore.session

client = botocore.session.get_session().create_client("dynamodb")
TABLE = os.environ["TABLE_NAME"]


def lambda_handler(event, context):
    item_id = event["pathParameters"]["item_id"]
    response = client.get_item(
        TableName=TABLE, Key={"PK": {"S": f"ITEM#{item_id}"}, "SK": {"S": "ITEM"}}
    )
    return {"statusCode": 200, "body": json.dumps({"found": "Item" in response})}
