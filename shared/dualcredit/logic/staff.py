"""Consortium staff and school users: finding students, rosters, inviting school users."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from dualcredit import rules
from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import identity
from dualcredit.dal import registrations as registration_data
from dualcredit.dal import students as student_data
from dualcredit.dal.records import StudentClaim
from dualcredit.errors import Conflict, InvalidInput, NotFound, Unavailable
from dualcredit.logic.caller import Caller, Role
from dualcredit.models.catalog import RosterEntry, SchoolUser, SchoolUserInvite
from dualcredit.models.student import IdentityCorrection, Profile, StudentSummary
from dualcredit.settings import get_settings


def find_students(
    caller: Caller,
    *,
    sers_id: str | None = None,
    email: str | None = None,
    last_name: str | None = None,
    first_name: str | None = None,
) -> list[StudentSummary]:
    """Exactly one way to search: SERS ID, email, or last name (with an optional first name)."""
    caller.require(Role.STAFF)
    given = [
        name
        for name, value in (("sers_id", sers_id), ("email", email), ("last_name", last_name))
        if value
    ]
    if len(given) != 1:
        raise InvalidInput("Search by exactly one of sers_id, email or last_name.", field="query")
    if sers_id:
        try:
            claim = student_data.claim_for_sers_id(
                rules.parse_sers_id(sers_id, prefix=get_settings().sers_prefix)
            )
        except rules.InvalidSersId as error:
            raise InvalidInput(str(error), field="sers_id") from None
        return _summaries_from_claim(claim)
    if email:
        return _summaries_from_claim(student_data.claim_for_email(email))
    last = last_name or ""
    prefix = rules.name_search_prefix(last, first_name)
    items = student_data.search_by_name(rules.last_name_index_key(last), prefix)
    return [StudentSummary.model_validate(item, from_attributes=True) for item in items]


def _summaries_from_claim(claim: StudentClaim | None) -> list[StudentSummary]:
    if claim is None:
        return []
    profile = student_data.get_profile(claim.student_id)
    return [StudentSummary.model_validate(profile, from_attributes=True)] if profile else []


def roster(caller: Caller, school_id: str, school_year: str) -> list[RosterEntry]:
    """Who registered which class at a school: that school's users and staff only."""
    caller.require_school(school_id)
    return [
        RosterEntry.model_validate(item, from_attributes=True)
        for item in registration_data.roster(school_id, school_year)
    ]


def invite_school_user(caller: Caller, invite: SchoolUserInvite, at: datetime) -> SchoolUser:
    """Create a school user's sign-in, tied to one school; Cognito emails the invitation."""
    caller.require(Role.STAFF)
    if catalog_data.get_school(invite.school_id) is None:
        raise InvalidInput("There is no such school.", field="school_id")
    email = str(invite.email)
    try:
        user_id = identity.invite_school_user(email, invite.school_id)
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
    item = catalog_data.school_user_item(user_id, email, invite.school_id, at)
    try:
        record = catalog_data.create("school_user", item, actor=caller.actor, at=at)
    except Exception:
        identity.remove_user(email)  # no sign-in without its record: the invitation can be redone
        raise
    return SchoolUser.model_validate(record)


#: Cognito's status of an invited user who has not chosen a password yet.
INVITATION_PENDING = "FORCE_CHANGE_PASSWORD"


def list_school_users(caller: Caller, school_id: str) -> list[SchoolUser]:
    """A school's users, each active one with whether their invitation is still pending
    (they have not signed in and chosen a password: one AdminGetUser each, a school has a
    handful), so staff know whom to send it again."""
    caller.require(Role.STAFF)
    users = []
    for item in catalog_data.list_school_users(school_id):
        pending = False
        if item.get("status") != "removed":
            try:
                found = identity.invited_user(item["email"])
            except identity.IdentityBusy:
                raise Unavailable("The sign-in service is busy; reload in a minute.") from None
            pending = found is not None and found[1] == INVITATION_PENDING
        users.append(SchoolUser.model_validate({**item, "invitation_pending": pending}))
    return users


def correct_identity(
    caller: Caller, student_id: str, correction: IdentityCorrection, at: datetime
) -> Profile:
    """Staff correct a student's legal name or date of birth. The "one person, one
    account" claim moves with it, so a correction that makes the student match another
    student is refused (they may be one person with two accounts). Giving the values the
    profile already has changes nothing."""
    caller.require(Role.STAFF)
    partition = student_data.read_partition(student_id)
    before = partition.profile
    if before is None:
        raise NotFound("There is no student profile here.")
    corrected = replace(
        before,
        legal_first_name=correction.legal_first_name or before.legal_first_name,
        legal_last_name=correction.legal_last_name or before.legal_last_name,
        birth_date=correction.birth_date or before.birth_date,
    )
    if corrected == before:
        return Profile.model_validate(before, from_attributes=True)
    fingerprints = (
        rules.identity_fingerprint(
            before.legal_first_name, before.legal_last_name, before.birth_date
        ),
        rules.identity_fingerprint(
            corrected.legal_first_name, corrected.legal_last_name, corrected.birth_date
        ),
    )
    stored_before, stored_after = before.fields(), corrected.fields()
    changes = {
        name: stored_after[name]
        for name in student_data.IDENTITY_FIELDS
        if stored_after[name] != stored_before[name]
    }
    try:
        after = student_data.correct_identity(
            before=before,
            changes=changes,
            fingerprints=fingerprints,
            name_index=rules.last_name_index_key(corrected.legal_last_name),
            name_sort=rules.name_sort_key(corrected.legal_first_name, corrected.legal_last_name),
            registrations=partition.registrations,
            reason=correction.reason,
            actor=caller.actor,
            at=at,
        )
    except student_data.UniquenessViolation:
        raise Conflict(
            "Another student already has this legal name and date of birth. Find them by "
            "name: the two accounts may be one person.",
            field="legal_last_name",
        ) from None
    except student_data.StaleRecord:
        raise Conflict(
            "This student's profile changed a moment ago. Reload and try again."
        ) from None
    return Profile.model_validate(after, from_attributes=True)
