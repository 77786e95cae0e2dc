"""Cognito administration: inviting school users into the user pool.

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
    cognito = client("cognito-idp")
    pool = get_settings().user_pool_id
    try:
        response = cognito.admin_create_user(
            UserPoolId=pool,
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "custom:school_id", "Value": school_id},
            ],
            DesiredDeliveryMediums=["EMAIL"],
        )
    except ClientError as error:
        raise _refusal(error) from error
    try:
        cognito.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=SCHOOL_GROUP)
    except ClientError as error:
        remove_user(email)
        raise _refusal(error) from error
    attributes = {a["Name"]: a["Value"] for a in response["User"]["Attributes"]}
    return str(attributes.get("sub") or response["User"]["Username"])


def remove_user(username: str) -> None:
    """Delete a user just created, undoing an invitation that could not be completed. If
    Cognito refuses this too, the error is logged (by code) and the caller's stands."""
    try:
        client("cognito-idp").admin_delete_user(
            UserPoolId=get_settings().user_pool_id, Username=username
        )
    except ClientError as error:
        _refusal(error)
