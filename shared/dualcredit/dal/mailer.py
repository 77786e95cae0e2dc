"""Outgoing email through SES (v2 SendEmail with a simple HTML + text body)."""

from __future__ import annotations

from dualcredit.dal.aws import client
from dualcredit.settings import get_settings


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
    return response["MessageId"]
