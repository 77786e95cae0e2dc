"""Student accounts: the profile that earns a SERS ID, and getting the ID back."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from dualcredit import mail, rules
from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import students as student_data
from dualcredit.dal import throttle
from dualcredit.dal.records import ProfileRecord
from dualcredit.errors import Conflict, Forbidden, InvalidInput, NotFound, TooManyRequests
from dualcredit.i18n import DEFAULT, Language
from dualcredit.logic import notify
from dualcredit.logic.caller import Caller, Role
from dualcredit.logic.guardians import guardian_fields
from dualcredit.models.student import Profile, ProfileIn, ProfileUpdate
from dualcredit.observability import logger, metrics
from dualcredit.settings import get_settings

#: Random draws before giving up on a SERS ID; with ~1M IDs a year, more than two is rare.
SERS_ID_ATTEMPTS = 8

RECOVERY_HINT = (
    "If you forgot your SERS ID, use 'Find my SERS ID' with the email address you "
    "signed up with, or email info@PNWcollegecredit.org."
)


def _school_or_error(school_id: str) -> dict[str, Any]:
    school = catalog_data.get_school(school_id)
    if school is None:
        raise InvalidInput("There is no such high school or skill center.", field="school_id")
    return school


def create_profile(
    caller: Caller, data: ProfileIn, at: datetime, *, request_language: Language = DEFAULT
) -> Profile:
    """Create the student's record and give them a SERS ID, once per person. The
    language of their emails is the form's, else the one the request asked in."""
    caller.require(Role.STUDENT)
    if not caller.email:
        raise Forbidden("Your sign-in carries no verified email address.")
    school = _school_or_error(data.school_id)
    language = data.language or request_language
    guardian = (
        guardian_fields(
            None,
            {
                **data.model_dump(mode="json", include={"guardian_email", "guardian_language"}),
                "language": language,
            },
            student_email=caller.email,
        )
        if data.guardian_email
        else {}
    )
    new = ProfileRecord(
        student_id=caller.user,
        sers_id="",
        email=caller.email.lower(),
        legal_first_name=data.legal_first_name,
        legal_last_name=data.legal_last_name,
        preferred_name=data.preferred_name,
        birth_date=data.birth_date,
        phone=data.phone,
        mailing_address=data.mailing_address.model_dump(mode="json", exclude_none=True),
        school_id=data.school_id,
        school_name=school["name"],
        expected_graduation_year=data.expected_graduation_year,
        created_at=at.isoformat(),
        version=1,
        language=language,
        **guardian,
    )
    fingerprint = rules.identity_fingerprint(
        data.legal_first_name, data.legal_last_name, data.birth_date
    )
    prefix = get_settings().sers_prefix
    for _ in range(SERS_ID_ATTEMPTS):
        profile = replace(new, sers_id=rules.new_sers_id(at, prefix=prefix))
        try:
            student_data.create_student(
                profile=profile,
                email=caller.email,
                fingerprint=fingerprint,
                name_index=rules.last_name_index_key(data.legal_last_name),
                name_sort=rules.name_sort_key(data.legal_first_name, data.legal_last_name),
                actor=caller.actor,
                at=at,
            )
        except student_data.UniquenessViolation as taken:
            _refuse_duplicate(taken.taken)
            metrics.add_metric(name="SersIdCollision", unit="Count", value=1)
            continue
        break
    else:
        raise Conflict("We could not assign a SERS ID just now. Please try again.")
    logger.info("student created", extra={"student_id": caller.user, "sers_id": profile.sers_id})
    metrics.add_metric(name="StudentCreated", unit="Count", value=1)
    _send_welcome(profile, at)
    return Profile.model_validate(profile, from_attributes=True)


def _refuse_duplicate(taken: set[student_data.Claimed]) -> None:
    """Anything but a SERS ID collision is a person who already has an account."""
    if student_data.Claimed.PROFILE in taken:
        raise Conflict("Your profile is already complete.", code="profile_exists")
    if student_data.Claimed.EMAIL in taken:
        raise Conflict(
            "An account already uses this email address. " + RECOVERY_HINT,
            field="email",
            code="duplicate_account",
        )
    if student_data.Claimed.IDENTITY in taken:
        raise Conflict(
            "A student with this legal name and date of birth already has an account. "
            "One person keeps one account so no credit is lost. " + RECOVERY_HINT,
            field="legal_last_name",
            code="duplicate_account",
        )


def _send_welcome(profile: ProfileRecord, at: datetime) -> None:
    window = rules.window_for(rules.school_year_of(at))
    language = mail.language(profile.language)
    message = mail.render(
        "account_created",
        language,
        sers_id=profile.sers_id,
        school_year=window.school_year.name,
        opens_on=rules.long_date(window.opens_on, language),
        closes_on=rules.long_date(window.closes_on, language),
        dashboard_url=f"{get_settings().app_base_url}/dashboard",
    )
    notify.deliver(profile.email, message, kind="account_created")


def get_profile(caller: Caller, at: datetime) -> Profile:
    caller.require(Role.STUDENT)
    profile = student_data.get_profile(caller.user)
    if profile is None:
        raise NotFound("Complete your profile to get your SERS ID.", code="profile_missing")
    return Profile.model_validate(_follow_verified_email(caller, profile, at), from_attributes=True)


def _follow_verified_email(caller: Caller, profile: ProfileRecord, at: datetime) -> ProfileRecord:
    """The profile's email follows the sign-in's once Cognito has verified a change (the
    pool keeps the old address until the new one's code is entered, and the caller
    carries an email only when it is verified)."""
    if not caller.email or caller.email.strip().lower() == profile.email:
        return profile
    try:
        changed = student_data.change_email(
            before=profile, email=caller.email, actor=caller.actor, at=at
        )
    except (student_data.StaleRecord, student_data.UniquenessViolation):
        logger.warning("profile email not moved", extra={"student_id": profile.student_id})
        return profile
    logger.info("profile email moved", extra={"student_id": profile.student_id})
    return changed


def update_profile(caller: Caller, changes: ProfileUpdate, at: datetime) -> Profile:
    caller.require(Role.STUDENT)
    fields = changes.model_dump(mode="json", exclude_unset=True)
    if not fields:
        raise InvalidInput("Nothing to change.")
    before = student_data.get_profile(caller.user)
    if before is None:
        raise NotFound("Complete your profile to get your SERS ID.", code="profile_missing")
    if "school_id" in fields and fields["school_id"] != before.school_id:
        fields["school_name"] = _school_or_error(fields["school_id"])["name"]
    fields.update(guardian_fields(before, fields, student_email=before.email))
    try:
        after = student_data.update_profile(
            before=before, changes=fields, actor=caller.actor, at=at
        )
    except student_data.StaleRecord:
        raise Conflict("Your profile changed in another window. Reload and try again.") from None
    return Profile.model_validate(after, from_attributes=True)


RECOVERY_WINDOW = timedelta(hours=1)


def recover_sers_id(email: str, client_address: str, at: datetime) -> None:
    """Email the SERS ID to the address on file, if there is one.

    The caller always gets the same answer, so this cannot be used to learn who
    has an account; throttles per address and per client stop mail bombing.
    """
    settings = get_settings()
    allowed = throttle.take(
        [
            ("recovery-email", email, settings.recovery_limit_per_email),
            ("recovery-client", client_address, settings.recovery_limit_per_client),
        ],
        at=at,
        window=RECOVERY_WINDOW,
    )
    if not allowed:
        metrics.add_metric(name="RecoveryThrottled", unit="Count", value=1)
        raise TooManyRequests("Too many requests. Please wait an hour and try again.")
    claim = student_data.claim_for_email(email)
    if claim is None:
        return
    profile = student_data.get_profile(claim.student_id)
    message = mail.render(
        "sers_id_recovery",
        mail.language(profile.language if profile else None),
        sers_id=claim.sers_id,
        dashboard_url=f"{settings.app_base_url}/dashboard",
    )
    notify.deliver(email.strip().lower(), message, kind="sers_id_recovery")
