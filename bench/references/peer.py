"""Reference row "peer": a CRUD handler written the way the Powertools documentation
and the AWS serverless samples write one, as SAM ships it (no bytecode): Logger, Tracer
and Metrics decorators, a resolver validating with pydantic, a boto3 resource, and one
GetItem per request (GET /items/{item_id})."""

import os

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayRestResolver(enable_validation=True)
table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


class Item(BaseModel):
    item_id: str
    found: bool


@app.get("/items/<item_id>")
@tracer.capture_method
def get_item(item_id: str) -> Item:
    response = table.get_item(Key={"PK": f"ITEM#{item_id}", "SK": "ITEM"})
    metrics.add_metric(name="ItemRead", unit=MetricUnit.Count, value=1)
    return Item(item_id=item_id, found="Item" in response)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event, context):
    return app.resolve(event, context)
