"""College registrars: invited by staff into the invited pool (the same TOTP sign-in as
staff and school users), each tied to one college by their record. A registrar sees
only their college's transcript batches, the students of its articulated courses."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import identity, keys
from dualcredit.errors import Conflict, Forbidden, InvalidInput, NotFound, Unavailable
from dualcredit.logic.caller import Caller, Role
from dualcredit.models.transcripts import CollegeUser, CollegeUserInvite

REMOVED = "removed"


def colleges() -> list[str]:
    """The colleges the catalog names (its articulated courses'), sorted."""
    return sorted({str(c["college"]) for c in catalog_data.list_college_courses()})


def known_college(college: str) -> str:
    """The college as the catalog spells it (any case), or a 400 naming the field."""
    for name in colleges():
        if name.casefold() == college.casefold():
            return name
    raise InvalidInput(
        "No articulated college course names this college; add its courses first.",
        field="college",
    )


def current(caller: Caller) -> Caller:
    """A registrar caller with their college from their record (one GetItem); a
    registrar without a record (none is invited without one) is refused. Callers of
    other roles pass unchanged."""
    if caller.role is not Role.COLLEGE or caller.user_id is None:
        return caller
    record = catalog_data.get(keys.college_user_pk(caller.user_id))
    if record is None or record.get("type") != "college_user":
        raise Forbidden("Your account is not tied to a college. Contact the consortium office.")
    if record.get("status") == REMOVED:
        raise Forbidden("This account was removed. Contact the consortium office.")
    return replace(caller, college=str(record["college"]))


def invite(caller: Caller, data: CollegeUserInvite, at: datetime) -> CollegeUser:
    """Create a registrar's sign-in, tied to one college; Cognito emails the invitation."""
    caller.require(Role.STAFF)
    college = known_college(data.college)
    email = str(data.email)
    try:
        user_id = identity.invite_college_user(email)
    except identity.UserExists:
        raise Conflict(
            "An account with this email address already exists.", field="email"
        ) from None
    except identity.IdentityBusy:
        raise Unavailable(
            "The sign-in service is busy; send the invitation again in a minute."
        ) from None
    except identity.IdentityRefused:
        raise InvalidInput(
            "The sign-in service would not make an account for this email address; check it.",
            field="email",
        ) from None
    item = catalog_data.college_user_item(user_id, email, college, at)
    try:
        record = catalog_data.create("college_user", item, actor=caller.actor, at=at)
    except Exception:
        identity.remove_user(email)  # no sign-in without its record: the invitation can be redone
        raise
    return CollegeUser.model_validate(record)


def list_users(caller: Caller, college: str) -> list[CollegeUser]:
    caller.require(Role.STAFF)
    return [
        CollegeUser.model_validate(item)
        for item in catalog_data.list_college_users(known_college(college))
    ]


def remove(caller: Caller, user_id: str, at: datetime) -> CollegeUser:
    """Staff take a registrar's access away: the record says removed first (the API
    refuses them from then on), then Cognito disables the account, signs it out
    everywhere and takes it out of the college group. Idempotent: a removal whose
    Cognito part failed is finished by running it again."""
    caller.require(Role.STAFF)
    record = catalog_data.get(keys.college_user_pk(user_id))
    if record is None or record.get("type") != "college_user":
        raise NotFound("There is no such college registrar.")
    if record.get("status") != REMOVED:
        after = {**record, "status": REMOVED, "removed_at": at.isoformat()}
        try:
            record = catalog_data.replace("college_user", record, after, actor=caller.actor, at=at)
        except catalog_data.StaleRecord:
            raise Conflict("Someone changed this registrar at the same time; try again.") from None
    try:
        identity.remove_invited_user(str(record["email"]), identity.COLLEGE_GROUP)
    except identity.IdentityBusy:
        raise Unavailable(
            "The sign-in service is busy; remove the user again in a minute."
        ) from None
    except identity.IdentityRefused as refused:
        if refused.code != "UserNotFoundException":  # already gone from the pool
            raise InvalidInput("The sign-in service refused to remove this user.") from None
    return CollegeUser.model_validate(record)
