"""Staff and school accounts (the invited pool) against the local stack: a TOTP second
factor, required and set up at the first sign-in; the API's authorizer taking both
pools' tokens; staff removing a school user or moving them to another school; an
invitation that half-failed sent again. Real HTTP through the gateway stand-in, moto
checking real codes (MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from devstack import totp
from devstack.stack import DualCreditStack
from tests.integration.test_devstack import IN_WINDOW, call

PASSWORD = "Teacher-Pass-2026"


@pytest.fixture(scope="module")
def stack():
    local = DualCreditStack(
        port=0, moto_port=0, stripe_port=0, quiet=True, clock_override=IN_WINDOW, jobs=False
    ).start()
    yield local
    local.stop()


def _staff(stack) -> str:
    return "Bearer " + stack.id_token("staff@example.org", "Staff-Dev-Pass-1")


def _api(stack, method: str, path: str, token: str | None, body: Any = None):
    status, _, answer = call(f"{stack.api_url}{path}", method, token=token, body=body)
    return status, answer


def _invite(stack, email: str, school: int = 0) -> dict[str, Any]:
    """Staff invite a school user; they chose their password (NEW_PASSWORD_REQUIRED)."""
    school_id = stack.seeded.schools[school]["school_id"]
    status, user = _api(
        stack, "POST", "/school-users", _staff(stack), {"email": email, "school_id": school_id}
    )
    assert status == 201, user
    stack.client("cognito-idp").admin_set_user_password(
        UserPoolId=stack.invited_user_pool_id, Username=email, Password=PASSWORD, Permanent=True
    )
    return user


def _initiate(stack, email: str, password: str = PASSWORD) -> dict[str, Any]:
    return stack.client("cognito-idp").initiate_auth(
        ClientId=stack.invited_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )


def _error(call_: Any) -> str:
    with pytest.raises(ClientError) as refused:
        call_()
    return str(refused.value.response["Error"]["Code"])


def test_an_invited_user_sets_up_totp_at_the_first_sign_in_and_a_wrong_code_is_refused(stack):
    cognito = stack.client("cognito-idp")
    email = "first.signin@example.org"
    school_id = stack.seeded.schools[0]["school_id"]
    status, _ = _api(
        stack, "POST", "/school-users", _staff(stack), {"email": email, "school_id": school_id}
    )
    assert status == 201
    cognito.admin_set_user_password(
        UserPoolId=stack.invited_user_pool_id,
        Username=email,
        Password="Temporary-Pass-1",
        Permanent=False,
    )
    # Given the first sign-in with the invitation's temporary password
    first = _initiate(stack, email, "Temporary-Pass-1")
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    # When they choose a password, Then there are no tokens yet: an authenticator first
    setup = cognito.respond_to_auth_challenge(
        ClientId=stack.invited_client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=first["Session"],
        ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": PASSWORD},
    )
    assert setup["ChallengeName"] == "MFA_SETUP" and "AuthenticationResult" not in setup
    associated = cognito.associate_software_token(Session=setup["Session"])
    secret = associated["SecretCode"]
    # And a wrong first code is refused
    wrong = _error(
        lambda: cognito.verify_software_token(
            Session=associated["Session"], UserCode=totp.wrong_code(secret)
        )
    )
    assert wrong == "CodeMismatchException"
    # And the app's code sets it up and finishes signing in
    verified = cognito.verify_software_token(
        Session=associated["Session"], UserCode=totp.code(secret)
    )
    assert verified["Status"] == "SUCCESS"
    signed_in = cognito.respond_to_auth_challenge(
        ClientId=stack.invited_client_id,
        ChallengeName="MFA_SETUP",
        Session=verified["Session"],
        ChallengeResponses={"USERNAME": email},
    )
    token = "Bearer " + signed_in["AuthenticationResult"]["IdToken"]
    # And the API's authorizer takes the invited pool's token: their school's roster
    assert _api(stack, "GET", f"/schools/{school_id}/roster", token)[0] == 200
    # When they sign in again, Then the code is asked for, a wrong one refused
    later = _initiate(stack, email)
    assert later["ChallengeName"] == "SOFTWARE_TOKEN_MFA" and "AuthenticationResult" not in later

    def answer(code: str) -> dict[str, Any]:
        return cognito.respond_to_auth_challenge(
            ClientId=stack.invited_client_id,
            ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=later["Session"],
            ChallengeResponses={"USERNAME": email, "SOFTWARE_TOKEN_MFA_CODE": code},
        )

    assert _error(lambda: answer(totp.wrong_code(secret))) == "CodeMismatchException"
    later = _initiate(stack, email)
    assert "IdToken" in answer(totp.code(secret))["AuthenticationResult"]


def test_no_password_alone_signs_in_an_invited_account(stack):
    # Given an invited account whose password is set but who never set up an authenticator
    email = "no.authenticator@example.org"
    _invite(stack, email)
    # When they sign in with the right password, Then Cognito asks for MFA_SETUP first
    answer = _initiate(stack, email)
    assert answer["ChallengeName"] == "MFA_SETUP" and "AuthenticationResult" not in answer
    # And the demo staff account, set up, is asked for its code
    assert _initiate(stack, "staff@example.org", "Staff-Dev-Pass-1")["ChallengeName"] == (
        "SOFTWARE_TOKEN_MFA"
    )
    # And the students' pool signs students in without one
    student = stack.id_token("student@example.org", "Student-Dev-Pass-1")
    assert _api(stack, "GET", "/students/me", f"Bearer {student}")[0] == 200


def _sign_in(stack, email: str) -> dict[str, Any]:
    """Password, then the authenticator's code: the AuthenticationResult."""
    challenge = _initiate(stack, email)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    return stack.client("cognito-idp").respond_to_auth_challenge(
        ClientId=stack.invited_client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={
            "USERNAME": email,
            "SOFTWARE_TOKEN_MFA_CODE": totp.code(stack.totp_secrets[email]),
        },
    )["AuthenticationResult"]


def _refresh(stack, tokens: dict[str, Any]) -> dict[str, Any]:
    return stack.client("cognito-idp").initiate_auth(
        ClientId=stack.invited_client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )


def test_a_removed_school_user_is_refused_at_once_and_cannot_sign_in_again(stack):
    cognito = stack.client("cognito-idp")
    email = "removed.teacher@example.org"
    user = _invite(stack, email)
    stack.enrol_totp(email, PASSWORD)
    tokens = _sign_in(stack, email)
    token = "Bearer " + tokens["IdToken"]
    roster = f"/schools/{user['school_id']}/roster"
    assert _api(stack, "GET", roster, token)[0] == 200
    # When staff remove them
    status, removed = _api(stack, "POST", f"/school-users/{user['user_id']}/remove", _staff(stack))
    assert status == 200, removed
    assert removed["status"] == "removed" and removed["removed_at"]
    # Then their still-unexpired ID token is refused by the API
    status, answer = _api(stack, "GET", roster, token)
    assert status == 403 and answer["code"] == "forbidden"
    # And they are signed out everywhere (refresh refused) and cannot sign in again
    assert _error(lambda: _refresh(stack, tokens)) == "NotAuthorizedException"
    assert _error(lambda: _initiate(stack, email)) == "NotAuthorizedException"
    invited = cognito.admin_get_user(UserPoolId=stack.invited_user_pool_id, Username=email)
    assert invited["Enabled"] is False
    groups = cognito.admin_list_groups_for_user(
        UserPoolId=stack.invited_user_pool_id, Username=email
    )["Groups"]
    assert groups == []
    # And the school's list shows them removed, and the change is audited
    listed = _api(stack, "GET", f"/schools/{user['school_id']}/users", _staff(stack))[1]
    assert {u["email"]: u["status"] for u in listed}[email] == "removed"
    from dualcredit.dal import audit, keys

    history = audit.history(keys.school_user_pk(user["user_id"]))
    assert sorted(a["action"] for a in history) == ["school_user.created", "school_user.updated"]
    # And removing again is harmless (a removal that failed halfway can be finished)
    assert _api(stack, "POST", f"/school-users/{user['user_id']}/remove", _staff(stack))[0] == 200


def test_a_moved_school_user_sees_only_their_new_school_at_once(stack):
    cognito = stack.client("cognito-idp")
    email = "moved.teacher@example.org"
    user = _invite(stack, email, school=0)
    stack.enrol_totp(email, PASSWORD)
    tokens = _sign_in(stack, email)
    token = "Bearer " + tokens["IdToken"]
    old, new = (stack.seeded.schools[i]["school_id"] for i in (0, 1))
    # When staff move them to the second school
    status, moved = _api(
        stack, "PATCH", f"/school-users/{user['user_id']}", _staff(stack), {"school_id": new}
    )
    assert status == 200 and moved["school_id"] == new, moved
    # Then their token from before, which still says the old school, reads the new one only
    assert _api(stack, "GET", f"/schools/{old}/roster", token)[0] == 403
    assert _api(stack, "GET", f"/schools/{new}/roster", token)[0] == 200
    # And their sessions ended; a new sign-in carries the new school
    assert _error(lambda: _refresh(stack, tokens)) == "NotAuthorizedException"
    attributes = cognito.admin_get_user(UserPoolId=stack.invited_user_pool_id, Username=email)[
        "UserAttributes"
    ]
    assert {a["Name"]: a["Value"] for a in attributes}["custom:school_id"] == new
    # And each school's list says where they are now
    staff = _staff(stack)
    assert email not in [u["email"] for u in _api(stack, "GET", f"/schools/{old}/users", staff)[1]]
    assert email in [u["email"] for u in _api(stack, "GET", f"/schools/{new}/users", staff)[1]]
    # And moving to a school that does not exist is a clear error
    status, answer = _api(
        stack, "PATCH", f"/school-users/{user['user_id']}", staff, {"school_id": "nope"}
    )
    assert status in (400, 422) and answer["errors"][0]["field"] == "school_id", answer


def test_an_invitation_that_half_failed_can_be_sent_again(stack):
    cognito = stack.client("cognito-idp")
    email = "half.invited@example.org"
    school_id = stack.seeded.schools[2]["school_id"]
    staff = _staff(stack)
    # Given an account the invitation made in Cognito before it failed (no group, no
    # school, no record), so inviting again is a conflict
    cognito.admin_create_user(
        UserPoolId=stack.invited_user_pool_id,
        Username=email,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    body = {"email": email, "school_id": school_id}
    assert _api(stack, "POST", "/school-users", staff, body)[0] == 409
    # When staff send the invitation again
    status, user = _api(stack, "POST", "/school-users/resend", staff, body)
    # Then the account is complete: the school, the group, the record in the school's list
    assert status == 200 and user["school_id"] == school_id, user
    attributes = cognito.admin_get_user(UserPoolId=stack.invited_user_pool_id, Username=email)
    assert {a["Name"]: a["Value"] for a in attributes["UserAttributes"]}[
        "custom:school_id"
    ] == school_id
    groups = cognito.admin_list_groups_for_user(
        UserPoolId=stack.invited_user_pool_id, Username=email
    )["Groups"]
    assert [g["GroupName"] for g in groups] == ["school"]
    listed = _api(stack, "GET", f"/schools/{school_id}/users", staff)[1]
    assert [u["user_id"] for u in listed if u["email"] == email] == [user["user_id"]]
    # And sending it again once more is fine, while they have not signed in
    assert _api(stack, "POST", "/school-users/resend", staff, body)[0] == 200
    # And once they chose a password, there is no invitation to send
    cognito.admin_set_user_password(
        UserPoolId=stack.invited_user_pool_id, Username=email, Password=PASSWORD, Permanent=True
    )
    assert _api(stack, "POST", "/school-users/resend", staff, body)[0] == 409
    # And nobody invited at that address is a 404
    unknown = {"email": "never.invited@example.org", "school_id": school_id}
    assert _api(stack, "POST", "/school-users/resend", staff, unknown)[0] == 404
