"""Reference row "minimal": the smallest useful Powertools REST handler, as SAM ships it
(no bytecode). It makes no AWS call."""

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

app = APIGatewayRestResolver()


@app.get("/ping")
def ping():
    return {"ok": True}


def lambda_handler(event, context):
    return app.resolve(event, context)
