"""Cognito administration of the invited pool (staff, school users, college registrars):
inviting school users and registrars, sending an invitation again, moving a school user to
another school, removing one.

Cognito's answers become this module's exceptions, by error code: an existing user is
UserExists, throttling or an outage is IdentityBusy (the request can be retried), and
any other refusal (an address Cognito will not take, a pool limit) is IdentityRefused.
The logic layer words them."""

from __future__ import annotations

from botocore.exceptions import ClientError

from dualcredit.dal.aws import client
from dualcredit.observability import logger
from dualcredit.settings import get_settings

SCHOOL_GROUP = "school"
COLLEGE_GROUP = "college"

#: Cognito's error codes for "an account already has this name".
EXISTS = frozenset({"UsernameExistsException", "AliasExistsException"})
#: Cognito's error codes for "not now": throttling, limits on request rates, its outages.
BUSY = frozenset(
    {
        "TooManyRequestsException",
        "LimitExceededException",
        "ThrottlingException",
        "InternalErrorException",
        "ServiceUnavailable",
    }
)


class UserExists(Exception):
    pass


class IdentityBusy(Exception):
    """Cognito throttled the request or is down; `code` is its error code."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class IdentityRefused(Exception):
    """Cognito refused the request for what it holds; `code` is its error code."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _refusal(error: ClientError) -> Exception:
    code = str(error.response.get("Error", {}).get("Code", ""))
    # The code only: Cognito's message may quote the address.
    logger.warning("Cognito refused a request", extra={"cognito_error": code})
    if code in EXISTS:
        return UserExists()
    if code in BUSY:
        return IdentityBusy(code)
    return IdentityRefused(code)


def invite_school_user(email: str, school_id: str) -> str:
    """Create the user (Cognito emails a temporary password), tie it to one school
    through the admin-only `custom:school_id` attribute, and put it in the school
    group. Returns the user's `sub`. If putting it in the group fails, the user is
    deleted again, so no half-made account (one that would sign in as a student) stays."""
    return _invite(email, SCHOOL_GROUP, [{"Name": "custom:school_id", "Value": school_id}])


def invite_college_user(email: str) -> str:
    """Create a college registrar in the invited pool (the same TOTP sign-in as staff)
    and put it in the college group; their college is their record's, not a token
    attribute. Returns the user's `sub`; undone when the group step fails."""
    return _invite(email, COLLEGE_GROUP, [])


def _invite(email: str, group: str, attributes: list[dict[str, str]]) -> str:
    cognito = client("cognito-idp")
    pool = _pool()
    try:
        response = cognito.admin_create_user(
            UserPoolId=pool,
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                *attributes,
            ],
            DesiredDeliveryMediums=["EMAIL"],
        )
    except ClientError as error:
        raise _refusal(error) from error
    try:
        cognito.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=group)
    except ClientError as error:
        remove_user(email)
        raise _refusal(error) from error
    return _sub(response["User"])


def remove_user(username: str) -> None:
    """Delete a user just created, undoing an invitation that could not be completed. If
    Cognito refuses this too, the error is logged (by code) and the caller's stands."""
    try:
        client("cognito-idp").admin_delete_user(UserPoolId=_pool(), Username=username)
    except ClientError as error:
        _refusal(error)


def _pool() -> str:
    return get_settings().invited_user_pool_id


def _sub(user: dict[str, object]) -> str:
    attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}  # type: ignore[attr-defined]
    return str(attributes.get("sub") or user["Username"])


def invited_user(email: str) -> tuple[str, str] | None:
    """(sub, Cognito's UserStatus) of the invited pool's user with this address, or
    None when there is none."""
    try:
        user = client("cognito-idp").admin_get_user(UserPoolId=_pool(), Username=email)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "UserNotFoundException":
            return None
        raise _refusal(error) from error
    attributes = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
    return str(attributes.get("sub") or user["Username"]), str(user.get("UserStatus", ""))


def resend_invitation(email: str, school_id: str) -> None:
    """Send a user who has not signed in yet a new temporary password (AdminCreateUser,
    MessageAction RESEND), and finish what an invitation that failed halfway may have
    left undone: the school attribute and the school group (both idempotent)."""
    cognito = client("cognito-idp")
    pool = _pool()
    try:
        cognito.admin_create_user(
            UserPoolId=pool,
            Username=email,
            MessageAction="RESEND",
            DesiredDeliveryMediums=["EMAIL"],
        )
        cognito.admin_update_user_attributes(
            UserPoolId=pool,
            Username=email,
            UserAttributes=[{"Name": "custom:school_id", "Value": school_id}],
        )
        cognito.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=SCHOOL_GROUP)
    except ClientError as error:
        raise _refusal(error) from error


def move_school_user(email: str, school_id: str) -> None:
    """Tie a school user to another school, and end their sessions everywhere (their
    next sign-in carries the new school)."""
    cognito = client("cognito-idp")
    pool = _pool()
    try:
        cognito.admin_update_user_attributes(
            UserPoolId=pool,
            Username=email,
            UserAttributes=[{"Name": "custom:school_id", "Value": school_id}],
        )
        cognito.admin_user_global_sign_out(UserPoolId=pool, Username=email)
    except ClientError as error:
        raise _refusal(error) from error


def remove_school_user(email: str) -> None:
    """Take away a school user's sign-in: disabled (no new sign-in), signed out
    everywhere (their refresh tokens revoked), out of the school group. Each step is
    idempotent, so a removal that failed halfway can be run again."""
    remove_invited_user(email, SCHOOL_GROUP)


def remove_invited_user(email: str, group: str) -> None:
    """Disable an invited user, sign them out everywhere and take them out of `group`
    (each step idempotent)."""
    cognito = client("cognito-idp")
    pool = _pool()
    try:
        cognito.admin_disable_user(UserPoolId=pool, Username=email)
        cognito.admin_user_global_sign_out(UserPoolId=pool, Username=email)
        cognito.admin_remove_user_from_group(UserPoolId=pool, Username=email, GroupName=group)
    except ClientError as error:
        raise _refusal(error) from error
