"""A parent or guardian on a student's profile: their stop link's token, and stopping the
copies from it (no sign-in: the unguessable token is the proof)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from dualcredit.dal import guardians as guardian_data
from dualcredit.dal.audit import Actor
from dualcredit.dal.records import ProfileRecord
from dualcredit.errors import InvalidInput, NotFound
from dualcredit.observability import logger, metrics

#: Who stopped the copies, in the audit history: whoever held the emailed link.
LINK_HOLDER = Actor(user_id="guardian-link", role="anonymous")

LINK_UNKNOWN = (
    "This link is no longer in use: the student changed or removed their parent or "
    "guardian email. No copies go out from it."
)


def new_token() -> str:
    """32 random bytes, URL-safe: the secret of one guardian's stop link."""
    return secrets.token_urlsafe(32)


def guardian_fields(
    before: ProfileRecord | None, fields: dict[str, Any], *, student_email: str
) -> dict[str, Any]:
    """The stored guardian fields for a profile change `fields` (as the API names them):
    a new guardian email gets a new token and its copies on, and their language (left
    out: the student's); a removed one takes its language, token and copies with it."""
    if "guardian_email" not in fields:
        return {}
    email = fields["guardian_email"]
    if email is None:
        return {
            "guardian_email": None,
            "guardian_language": None,
            "guardian_token": None,
            "guardian_copies": None,
        }
    email = str(email).strip().lower()
    if email == student_email.strip().lower():
        raise InvalidInput(
            "Parent or guardian email must be someone else's address, not your own.",
            field="guardian_email",
        )
    if before is not None and before.guardian_email == email:
        return {"guardian_email": email}
    language = fields.get("guardian_language") or (before.guardian_language if before else None)
    return {
        "guardian_email": email,
        "guardian_language": language
        or fields.get("language")
        or (before.language if before else "en"),
        "guardian_token": new_token(),
        "guardian_copies": True,
    }


def stop_copies(token: str, at: datetime) -> None:
    """Stop the copies to the guardian whose link holds `token`; again is the same."""
    for _ in range(2):
        profile = guardian_data.profile_of_token(token)
        if profile is None:
            raise NotFound(LINK_UNKNOWN, code="link_unknown")
        if guardian_data.stop_copies(profile, actor=LINK_HOLDER, at=at):
            logger.info("guardian copies stopped", extra={"student_id": profile.student_id})
            metrics.add_metric(name="GuardianCopiesStopped", unit="Count", value=1)
            return
    # The link changed twice while we stopped it: it is no longer the one in use.
    raise NotFound(LINK_UNKNOWN, code="link_unknown")
