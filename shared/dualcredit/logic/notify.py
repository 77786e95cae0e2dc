"""Sending the emails a change promises, after the change is stored."""

from __future__ import annotations

from dualcredit import mail
from dualcredit.dal import mailer
from dualcredit.observability import logger, metrics


def deliver(to: str, message: mail.Message, *, kind: str) -> bool:
    """A mail failure is logged and counted but does not undo or fail the change:
    the record is what matters, and a client retry would only meet a conflict."""
    try:
        mailer.send(to=to, subject=message.subject, html=message.html, text=message.text)
    except Exception as error:  # noqa: BLE001 - every delivery failure is reported the same way
        # The error's type only: SES messages can quote the address.
        logger.error("email not sent", extra={"email_kind": kind, "error": type(error).__name__})
        metrics.add_metric(name="EmailFailed", unit="Count", value=1)
        return False
    metrics.add_metric(name="EmailSent", unit="Count", value=1)
    return True
