"""Cognito administration: inviting school users into the user pool."""

from __future__ import annotations

from botocore.exceptions import ClientError

from dualcredit.dal.aws import client
from dualcredit.settings import get_settings

SCHOOL_GROUP = "school"


class UserExists(Exception):
    pass


def invite_school_user(email: str, school_id: str) -> str:
    """Create the user (Cognito emails a temporary password), tie it to one school
    through the admin-only `custom:school_id` attribute, and put it in the school
    group. Returns the user's `sub`."""
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
        if error.response["Error"]["Code"] == "UsernameExistsException":
            raise UserExists() from error
        raise
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=SCHOOL_GROUP)
    attributes = {a["Name"]: a["Value"] for a in response["User"]["Attributes"]}
    return str(attributes.get("sub") or response["User"]["Username"])
