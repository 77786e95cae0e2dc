"""The school-user list says whose invitation is still pending (not signed in yet), and
staff send it again to them only."""

from __future__ import annotations

import pytest

from tests.support.world import STAFF, World


@pytest.fixture
def world(api, clock) -> World:
    clock("2027-01-15T10:00:00-08:00")
    built = World(api).build("2026-27")
    for email in ("new@lake.example.org", "settled@lake.example.org"):
        built.ok("POST", "/school-users", body={"email": email, "school_id": built.school_x})
    # Given one of them signed in and chose a password
    from dualcredit.dal.aws import client
    from dualcredit.settings import get_settings

    client("cognito-idp").admin_set_user_password(
        UserPoolId=get_settings().invited_user_pool_id,
        Username="settled@lake.example.org",
        Password="A-long-pass-phrase-1",
        Permanent=True,
    )
    return built


def _users(api, world: World) -> dict[str, dict]:
    status, users = api("GET", f"/schools/{world.school_x}/users", as_=STAFF)
    assert status == 200, users
    return {u["email"]: u for u in users}


def test_the_list_says_whose_invitation_is_pending_and_staff_send_it_again(api, world, clock):
    # When staff list the school's users
    users = _users(api, world)
    # Then the one who never signed in is pending, the other is not
    assert users["new@lake.example.org"]["invitation_pending"] is True
    assert users["settled@lake.example.org"]["invitation_pending"] is False
    # When staff send the pending invitation again
    clock("2027-01-16T10:00:00-08:00")
    body = {"email": "new@lake.example.org", "school_id": world.school_x}
    status, again = api("POST", "/school-users/resend", as_=STAFF, body=body)
    # Then it is sent, recorded with its time, and still pending until they sign in
    assert status == 200, again
    users = _users(api, world)
    assert users["new@lake.example.org"]["invitation_pending"] is True
    assert users["new@lake.example.org"]["invitation_resent_at"].startswith("2027-01-16")
    # When staff try to send one to the user who signed in, Then it is a 409 on the email
    body = {"email": "settled@lake.example.org", "school_id": world.school_x}
    status, refused = api("POST", "/school-users/resend", as_=STAFF, body=body)
    assert status == 409 and refused["errors"][0]["field"] == "email", refused


def test_a_removed_user_is_listed_as_removed_and_not_pending(api, world):
    # Given the pending user removed
    user = _users(api, world)["new@lake.example.org"]
    assert api("POST", f"/school-users/{user['user_id']}/remove", as_=STAFF)[0] == 200
    # When staff list the users, Then they are removed, with no invitation pending
    removed = _users(api, world)["new@lake.example.org"]
    assert (removed["status"], removed["invitation_pending"]) == ("removed", False)
