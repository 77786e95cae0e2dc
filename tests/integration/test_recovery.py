"""SERS ID recovery: same answer for everyone, mail only to the address on file, throttled."""

from __future__ import annotations

import pytest

from tests.support.world import World


@pytest.fixture
def world(api, clock) -> World:
    clock("2027-01-15T10:00:00-08:00")
    built = World(api).build("2026-27")
    built.student("alice")
    return built


def test_known_and_unknown_addresses_get_the_same_answer(api, world, sent_emails):
    before = len(sent_emails())
    known = api("POST", "/sers-id/recovery", body={"email": "ALICE@example.org"})
    unknown = api("POST", "/sers-id/recovery", body={"email": "nobody@example.org"})
    assert known == unknown
    assert known[0] == 202
    # And only the address on file got mail, with the SERS ID
    ((to, _, html),) = sent_emails()[before:]
    assert to == "alice@example.org"
    assert world.students["alice"].sers_id in html


def test_one_address_is_throttled(api, world, sent_emails):
    statuses = [
        api(
            "POST",
            "/sers-id/recovery",
            body={"email": "alice@example.org"},
            source_ip=f"203.0.113.{i}",
        )[0]
        for i in range(5)
    ]
    assert statuses == [202, 202, 202, 429, 429]
    assert (
        sum(1 for m in sent_emails() if "SERS ID" in m[1] and m[0] == "alice@example.org") == 1 + 3
    )


def test_one_client_is_throttled(api, world):
    statuses = [
        api("POST", "/sers-id/recovery", body={"email": f"p{i}@example.org"})[0] for i in range(22)
    ]
    assert statuses[:20] == [202] * 20 and statuses[20:] == [429, 429]


def test_the_throttle_resets_after_an_hour(api, world, clock):
    for _ in range(3):
        api("POST", "/sers-id/recovery", body={"email": "alice@example.org"})
    assert api("POST", "/sers-id/recovery", body={"email": "alice@example.org"})[0] == 429
    clock("2027-01-15T11:00:01-08:00")
    assert api("POST", "/sers-id/recovery", body={"email": "alice@example.org"})[0] == 202


def test_a_bad_email_is_a_field_error(api, world):
    status, body = api("POST", "/sers-id/recovery", body={"email": "not-an-email"})
    assert status == 422 and body["errors"][0]["field"] == "email"
