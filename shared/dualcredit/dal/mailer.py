"""Outgoing email through SES: one message with SES v2 SendEmail, or one stored template
to many destinations with SES SendBulkTemplatedEmail (reminders and notices).

Templated bulk sends use the SES v1 API: SES v2's SendBulkEmail does the same thing,
but the local stack's SES (moto) implements only v1's. Templates are the same SES
resource for both APIs, named `<EMAIL_TEMPLATE_PREFIX>-<name>`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from botocore.exceptions import ClientError

from dualcredit.dal.aws import client
from dualcredit.settings import get_settings

#: SES's limit of destinations per SendBulkTemplatedEmail request.
BULK_LIMIT = 50


def send(*, to: str, subject: str, html: str, text: str) -> str:
    """Send one message; returns the SES message id."""
    response = client("sesv2").send_email(
        FromEmailAddress=get_settings().email_sender,
        Destination={"ToAddresses": [to]},
        Content={
            "Simple": {
                "Subject": {"Data": subject, "Charset": "UTF-8"},
                "Body": {
                    "Html": {"Data": html, "Charset": "UTF-8"},
                    "Text": {"Data": text, "Charset": "UTF-8"},
                },
            }
        },
    )
    return str(response["MessageId"])


def template_name(name: str) -> str:
    return f"{get_settings().email_template_prefix}-{name}"


def put_template(name: str, *, subject: str, html: str, text: str) -> None:
    """Create or replace the stored template `name` (Handlebars tags for the values)."""
    template = {
        "TemplateName": template_name(name),
        "SubjectPart": subject,
        "HtmlPart": html,
        "TextPart": text,
    }
    ses = client("ses")
    try:
        ses.update_template(Template=template)
        return
    except ClientError as error:
        if error.response["Error"]["Code"] != "TemplateDoesNotExist":
            raise
    try:
        ses.create_template(Template=template)
    except ClientError as error:
        # Another run created it a moment ago: ours is the same content, write it anyway.
        if error.response["Error"]["Code"] != "AlreadyExists":
            raise
        ses.update_template(Template=template)


def send_bulk(name: str, destinations: Sequence[tuple[str, dict[str, str]]]) -> list[str | None]:
    """Send the stored template `name` to each (address, values), up to BULK_LIMIT per
    request. Returns, in order, each destination's SES message id, or None where SES
    refused that destination (throttled, rejected); a failed request raises."""
    ses = client("ses")
    sender = get_settings().email_sender
    ids: list[str | None] = []
    for start in range(0, len(destinations), BULK_LIMIT):
        chunk = destinations[start : start + BULK_LIMIT]
        response = ses.send_bulk_templated_email(
            Source=sender,
            Template=template_name(name),
            DefaultTemplateData="{}",
            Destinations=[
                {
                    "Destination": {"ToAddresses": [to]},
                    "ReplacementTemplateData": json.dumps(values, separators=(",", ":")),
                }
                for to, values in chunk
            ],
        )
        statuses = response.get("Status", [])
        for i in range(len(chunk)):
            status = statuses[i] if i < len(statuses) else {}
            ok = status.get("Status", "Success") == "Success" and status.get("MessageId")
            ids.append(status["MessageId"] if ok else None)
    return ids
