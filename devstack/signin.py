"""Signing in as the web front end does, for the demo data and the tests: the students'
pool first, then the invited one (staff and school users), whose accounts answer a
TOTP challenge, and set up their authenticator at the first sign-in (MFA_SETUP)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from devstack import totp
from devstack.errors import StackError


def _initiate(stack: Any, email: str, password: str) -> tuple[str, dict[str, Any]]:
    """(client id, InitiateAuth's answer) from the pool that has the account."""
    cognito = stack.client("cognito-idp")
    refused: ClientError | None = None
    for client_id in (stack.client_id, stack.invited_client_id):  # noqa: B007 - returned
        try:
            answer = cognito.initiate_auth(
                ClientId=client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email, "PASSWORD": password},
            )
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code not in ("NotAuthorizedException", "UserNotFoundException"):
                raise
            refused = error
            continue
        return client_id, answer
    raise refused or StackError("no user pool to sign in to")


def answer_totp(stack: Any, client_id: str, email: str, session: str, secret: str) -> str:
    """The SOFTWARE_TOKEN_MFA challenge answered with the current code; the ID token."""
    answer = stack.client("cognito-idp").respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=session,
        ChallengeResponses={"USERNAME": email, "SOFTWARE_TOKEN_MFA_CODE": totp.code(secret)},
    )
    return str(answer["AuthenticationResult"]["IdToken"])


def id_token(stack: Any, email: str, password: str) -> str:
    client_id, answer = _initiate(stack, email, password)
    if "AuthenticationResult" in answer:
        return str(answer["AuthenticationResult"]["IdToken"])
    challenge = answer.get("ChallengeName")
    secret = stack.totp_secrets.get(email.lower())
    if challenge != "SOFTWARE_TOKEN_MFA" or secret is None:
        raise StackError(
            f"{email} must answer {challenge} first"
            + (" (enrol_totp() sets up its authenticator)" if challenge == "MFA_SETUP" else "")
        )
    return answer_totp(stack, client_id, email, answer["Session"], secret)


def enrol_totp(stack: Any, email: str, password: str) -> str:
    """Sign in and answer MFA_SETUP: associate a software token, verify it with a first
    code, finish signing in, and make TOTP the account's MFA; the secret."""
    cognito = stack.client("cognito-idp")
    client_id, answer = _initiate(stack, email, password)
    if answer.get("ChallengeName") != "MFA_SETUP":
        raise StackError(f"{email}: expected MFA_SETUP, got {answer.get('ChallengeName')}")
    associated = cognito.associate_software_token(Session=answer["Session"])
    secret = str(associated["SecretCode"])
    verified = cognito.verify_software_token(
        Session=associated["Session"], UserCode=totp.code(secret), FriendlyDeviceName="demo"
    )
    signed_in = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="MFA_SETUP",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": email},
    )
    cognito.set_user_mfa_preference(
        AccessToken=signed_in["AuthenticationResult"]["AccessToken"],
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    return secret
