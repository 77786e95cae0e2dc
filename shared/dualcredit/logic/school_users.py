"""School users after their invitation: sending it again when it half-failed, moving
a user to another school, removing one, and the record's word on who a school caller
is. Staff only, except `current`, which every school user's request goes through."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import identity, keys
from dualcredit.errors import Conflict, Forbidden, InvalidInput, NotFound, Unavailable
from dualcredit.logic.caller import Caller, Role
from dualcredit.models.catalog import SchoolUser, SchoolUserInvite, SchoolUserMove

REMOVED = "removed"


def current(caller: Caller) -> Caller:
    """A school caller as their record has them now: refused once removed, at the
    school they were moved to (an ID token keeps its claims until it expires; the
    record changes at once). Callers of other roles pass unchanged, and so does a
    school caller without a record (none is invited without one)."""
    if caller.role is not Role.SCHOOL or caller.user_id is None:
        return caller
    record = catalog_data.get(keys.school_user_pk(caller.user_id))
    if record is None:
        return caller
    if record.get("status") == REMOVED:
        raise Forbidden("This account was removed. Contact the consortium office.")
    return replace(caller, school_id=str(record["school_id"]))


def _record(user_id: str) -> dict[str, Any]:
    record = catalog_data.get(keys.school_user_pk(user_id))
    if record is None or record.get("type") != "school_user":
        raise NotFound("There is no such school user.")
    return record


def _school(school_id: str) -> None:
    if catalog_data.get_school(school_id) is None:
        raise InvalidInput("There is no such school.", field="school_id")


def _cognito(action: str, call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except identity.IdentityBusy:
        raise Unavailable(f"The sign-in service is busy; {action} again in a minute.") from None


def remove(caller: Caller, user_id: str, at: datetime) -> SchoolUser:
    """Staff take a school user's access away: the record says removed first (the API
    refuses them from then on), then Cognito disables the account, signs it out
    everywhere and takes it out of the school group. Idempotent: a removal whose
    Cognito part failed is finished by running it again."""
    caller.require(Role.STAFF)
    record = _record(user_id)
    if record.get("status") != REMOVED:
        after = {**record, "status": REMOVED, "removed_at": at.isoformat()}
        try:
            record = catalog_data.replace("school_user", record, after, actor=caller.actor, at=at)
        except catalog_data.StaleRecord:
            raise Conflict("Someone changed this user at the same time; try again.") from None
    try:
        _cognito("remove the user", identity.remove_school_user, record["email"])
    except identity.IdentityRefused as refused:
        if refused.code != "UserNotFoundException":  # already gone from the pool
            raise InvalidInput("The sign-in service refused to remove this user.") from None
    return SchoolUser.model_validate(record)


def move(caller: Caller, user_id: str, change: SchoolUserMove, at: datetime) -> SchoolUser:
    """Staff move a school user to another school: their record (and the school lists
    they appear in) first, then their token's school attribute, and their sessions end
    so the next sign-in carries the new school."""
    caller.require(Role.STAFF)
    record = _record(user_id)
    if record.get("status") == REMOVED:
        raise Conflict("This user was removed; invite them again instead.")
    _school(change.school_id)
    if record["school_id"] != change.school_id:
        moved = catalog_data.school_user_item(
            user_id, record["email"], change.school_id, datetime.fromisoformat(record["invited_at"])
        )
        after = {**record, **moved, "moved_at": at.isoformat()}
        try:
            record = catalog_data.replace("school_user", record, after, actor=caller.actor, at=at)
        except catalog_data.StaleRecord:
            raise Conflict("Someone changed this user at the same time; try again.") from None
    try:
        _cognito("move the user", identity.move_school_user, record["email"], change.school_id)
    except identity.IdentityRefused:
        raise InvalidInput("The sign-in service refused to change this user.") from None
    return SchoolUser.model_validate(record)


#: Cognito's status of an invited user who has not chosen a password yet.
NOT_SIGNED_IN = "FORCE_CHANGE_PASSWORD"


def resend(caller: Caller, invite: SchoolUserInvite, at: datetime) -> SchoolUser:
    """Send an invitation again: a new temporary password by email, and whatever a
    half-failed invitation left undone (the school attribute, the group, the record).
    Only for someone who has not signed in yet, at the school they were invited to."""
    caller.require(Role.STAFF)
    _school(invite.school_id)
    email = str(invite.email)
    found = _cognito("send it", identity.invited_user, email)
    if found is None:
        raise NotFound("Nobody was invited with this email address.", field="email")
    user_id, status = found
    if status != NOT_SIGNED_IN:
        raise Conflict(
            "This person already chose a password, so there is no invitation to send again.",
            field="email",
        )
    existing = catalog_data.get(keys.school_user_pk(user_id))
    if existing is not None and (
        existing.get("status") == REMOVED or existing["school_id"] != invite.school_id
    ):
        raise Conflict("This user is at another school or was removed.", field="school_id")
    try:
        _cognito("send it", identity.resend_invitation, email, invite.school_id)
    except identity.IdentityRefused:
        raise InvalidInput("The sign-in service would not send the invitation.") from None
    if existing is None:
        item = catalog_data.school_user_item(user_id, email, invite.school_id, at)
        try:
            record = catalog_data.create("school_user", item, actor=caller.actor, at=at)
        except catalog_data.AlreadyExists:
            record = _record(user_id)
        return SchoolUser.model_validate(record)
    after = {**existing, "invitation_resent_at": at.isoformat()}
    try:
        record = catalog_data.replace("school_user", existing, after, actor=caller.actor, at=at)
    except catalog_data.StaleRecord:
        raise Conflict("Someone changed this user at the same time; try again.") from None
    return SchoolUser.model_validate(record)
