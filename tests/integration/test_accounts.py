"""Student sign-up: a profile earns a SERS ID; one person keeps one account."""

from __future__ import annotations

import re

import pytest

from tests.support.events import claims
from tests.support.students import Student, a_student
from tests.support.world import STAFF, World

SERS_ID = re.compile(r"^TP3-26-[0-9A-HJKMNP-TV-Z]{4}$")


@pytest.fixture
def world(api, clock) -> World:
    clock("2026-11-27T12:00:00-08:00")
    return World(api).build("2026-27")


@pytest.fixture
def jane(world) -> Student:
    """Jane Smith, born 2009-04-02, signed in (sub s-1) but without a profile yet."""
    return a_student("jane", sub="s-1", email="s-1@example.org", school_id=world.school_x)


def test_profile_gets_a_sers_id_and_a_confirmation_email(api, jane, sent_emails):
    # Given a signed-up student without a profile
    student = jane.but(email="Jane.Smith@Example.org")
    # When they complete their profile
    status, body = api("POST", "/students/me", as_=student, body=student.profile())
    # Then they get a SERS ID at once, shown on the profile
    assert status == 201, body
    assert SERS_ID.match(body["sers_id"])
    assert body["school_name"] == "Lake High School"
    assert body["email"] == "jane.smith@example.org"
    status, profile = api("GET", "/students/me", as_=student)
    assert status == 200 and profile["sers_id"] == body["sers_id"]
    # And an account-confirmation email carries it
    ((to, subject, html),) = [m for m in sent_emails() if "SERS ID" in m[1]]
    assert to == "jane.smith@example.org"
    assert body["sers_id"] in html


def test_second_account_with_the_same_email_is_refused(api, jane):
    # Given a student with a profile
    jane = jane.but(email="jane@example.org")
    api("POST", "/students/me", as_=jane, body=jane.profile())
    # When another sign-in with the same email completes a profile
    other = jane.but(
        sub="s-2", email="JANE@example.org", first_name="Other", birth_date="2008-01-01"
    )
    status, body = api("POST", "/students/me", as_=other, body=other.profile())
    # Then it is refused with the way to recover the SERS ID
    assert status == 409
    assert body["code"] == "duplicate_account"
    assert "Find my SERS ID" in body["message"]


def test_same_legal_name_and_birth_date_is_refused(api, jane, aws):
    # Given Jane Smith born 2009-04-02 has an account
    api("POST", "/students/me", as_=jane, body=jane.profile())
    writes_before = aws["TransactWriteItems"]
    # When someone signs up again as "  JANE   smith " with the same birth date
    twin = jane.but(sub="s-2", email="s-2@example.org", first_name="  JANE  ", last_name="smith")
    status, body = api("POST", "/students/me", as_=twin, body=twin.profile())
    # Then it is stopped, nothing is half written
    assert status == 409, body
    assert body["code"] == "duplicate_account"
    assert "legal name and date of birth" in body["message"]
    assert aws["TransactWriteItems"] == writes_before + 1
    assert api("GET", "/students/me", as_=twin)[0] == 404


@pytest.mark.parametrize(
    ("first_name", "last_name"),
    [
        ("\u0410lice", "Smith"),  # Cyrillic capital A
        ("\uff21lice", "Smith"),  # a fullwidth A
        ("Alice", "\u0405mith"),  # Cyrillic capital dze
        ("\u0391l\u0456ce", "Sm\u0456th"),  # Greek Alpha, Cyrillic i
    ],
)
def test_a_look_alike_of_the_same_name_is_refused_like_the_exact_duplicate(
    api, world, first_name, last_name
):
    # Given Alice Smith born 2009-04-02 has an account
    alice = a_student("alice", school_id=world.school_x)
    assert api("POST", "/students/me", as_=alice, body=alice.profile())[0] == 201
    exact = alice.but(sub="s-exact", email="exact@example.org")
    refused_exact = api("POST", "/students/me", as_=exact, body=exact.profile())
    # When someone signs up with a name that renders the same, and the same birth date
    alike = alice.but(
        sub="s-alike", email="alike@example.org", first_name=first_name, last_name=last_name
    )
    status, body = api("POST", "/students/me", as_=alike, body=alike.profile())
    # Then it is refused exactly as the exact duplicate is, and no profile is made
    assert (status, body) == refused_exact
    assert status == 409 and body["code"] == "duplicate_account"
    assert api("GET", "/students/me", as_=alike)[0] == 404


def test_a_legal_name_is_stored_as_it_renders(api, world):
    # Given a student who types their last name with a fullwidth letter
    alice = a_student("alice", school_id=world.school_x)
    body = alice.profile(legal_last_name="\uff33mith")
    # When they complete their profile
    status, created = api("POST", "/students/me", as_=alice, body=body)
    # Then the name is kept as it renders
    assert status == 201, created
    profile = api("GET", "/students/me", as_=alice)[1]
    assert (profile["legal_first_name"], profile["legal_last_name"]) == ("Alice", "Smith")


@pytest.mark.parametrize(
    ("field", "typed", "label"),
    [
        ("legal_first_name", "Al\u200bice", "Legal first name"),  # a zero-width space
        ("legal_last_name", "Sm\u2060ith", "Legal last name"),  # a word joiner
        ("legal_first_name", "\u202eecilA", "Legal first name"),  # a right-to-left override
    ],
)
def test_a_legal_name_with_a_character_that_does_not_show_is_refused(
    api, world, aws, field, typed, label
):
    # Given a student who types a legal name holding an invisible character
    alice = a_student("alice", school_id=world.school_x)
    writes_before = aws["TransactWriteItems"]
    # When they complete their profile
    status, body = api("POST", "/students/me", as_=alice, body=alice.profile(**{field: typed}))
    # Then it is refused, naming the field as the form does, and nothing is written
    assert status == 422, body
    [error] = body["errors"]
    assert error["field"] == field
    assert error["message"].startswith(f"{label} has a character that does not show")
    assert aws["TransactWriteItems"] == writes_before
    assert api("GET", "/students/me", as_=alice)[0] == 404


def test_completing_a_profile_twice_is_a_conflict(api, jane):
    api("POST", "/students/me", as_=jane, body=jane.profile())
    status, body = api("POST", "/students/me", as_=jane, body=jane.profile())
    assert status == 409 and body["code"] == "profile_exists"


def test_a_sers_id_collision_draws_again(api, jane, monkeypatch):
    # Given the first random draw hits an ID already claimed
    from dualcredit import rules

    first = api("POST", "/students/me", as_=jane, body=jane.profile())[1]["sers_id"]
    draws = iter([first, "TP3-26-ZZZZ"])
    monkeypatch.setattr(rules, "new_sers_id", lambda *a, **k: next(draws))
    # When another student completes a profile
    ann = jane.but(sub="s-2", email="s-2@example.org", first_name="Ann", birth_date="2008-02-02")
    status, body = api("POST", "/students/me", as_=ann, body=ann.profile())
    # Then they get a fresh ID and the first one is not reused
    assert status == 201, body
    assert body["sers_id"] == "TP3-26-ZZZZ"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"birth_date": "2999-01-01"}, "birth_date"),
        (
            {
                "mailing_address": {
                    "line1": "1 A St",
                    "city": "X",
                    "state": "Washington",
                    "postal_code": "98007",
                }
            },
            "mailing_address.state",
        ),
        (
            {
                "mailing_address": {
                    "line1": "1 A St",
                    "city": "X",
                    "state": "WA",
                    "postal_code": "9800",
                }
            },
            "mailing_address.postal_code",
        ),
        ({"legal_first_name": "  "}, "legal_first_name"),
        ({"nickname": "JJ"}, "nickname"),
        ({"expected_graduation_year": "soon"}, "expected_graduation_year"),
    ],
)
def test_bad_profile_input_names_the_field(api, jane, change, field):
    status, body = api("POST", "/students/me", as_=jane, body=jane.profile(**change))
    assert status == 422, body
    assert field in [e["field"] for e in body["errors"]]


def test_unknown_school_is_a_field_error(api, jane):
    status, body = api("POST", "/students/me", as_=jane, body=jane.profile(school_id="nope"))
    assert status == 400 and body["errors"][0]["field"] == "school_id"


def test_malformed_json_is_a_400(api, jane):
    status, body = api("POST", "/students/me", as_=jane, raw_body="{not json")
    assert status == 400, body
    assert body["code"] == "invalid_json"


def test_student_updates_contact_details_but_not_identity(api, world, jane):
    student = jane
    api("POST", "/students/me", as_=student, body=student.profile())
    status, body = api(
        "PATCH",
        "/students/me",
        as_=student,
        body={"phone": "206-555-0199", "school_id": world.school_y},
    )
    assert status == 200, body
    assert body["phone"] == "206-555-0199" and body["school_name"] == "Tech Skill Center"
    status, body = api("PATCH", "/students/me", as_=student, body={"legal_last_name": "Jones"})
    assert status == 422 and body["errors"][0]["field"] == "legal_last_name"


def test_student_clears_an_optional_contact_detail_but_not_a_required_one(api, jane):
    student = jane.but(phone="206-555-0100", preferred_name="Sam")
    api("POST", "/students/me", as_=student, body=student.profile())
    # When the student empties the phone and preferred name (null clears them)
    status, body = api(
        "PATCH", "/students/me", as_=student, body={"phone": None, "preferred_name": None}
    )
    # Then they are gone, and the rest of the profile is as it was
    assert status == 200, body
    assert body["phone"] is None and body["preferred_name"] is None
    assert api("GET", "/students/me", as_=student)[1]["phone"] is None
    # When the student tries to empty a field the profile needs, Then it is refused by name
    for field in ("mailing_address", "school_id", "expected_graduation_year"):
        status, body = api("PATCH", "/students/me", as_=student, body={field: None})
        assert status == 422 and body["errors"][0]["field"] == field, body
        assert "cannot be emptied" in body["errors"][0]["message"]
    assert api("GET", "/students/me", as_=student)[1]["mailing_address"]["city"]


def test_staff_and_school_users_cannot_create_student_profiles(api, jane):
    status, _ = api("POST", "/students/me", as_=STAFF, body=jane.profile())
    assert status == 403


def test_an_unverified_email_in_the_sign_in_makes_no_profile(api, world):
    # Given a sign-in whose email Cognito has not verified
    who = a_student("uma", sub="s-uma").but(school_id=world.school_x)
    unverified = claims(who.sub, email=who.email) | {"email_verified": "false"}
    # When it creates a profile
    status, body = api("POST", "/students/me", as_=unverified, body=who.profile())
    # Then it is refused, and the address is not claimed
    assert status == 403, body
    assert api("POST", "/sers-id/recovery", body={"email": who.email})[0] == 202
    assert api("GET", "/students/me", as_=who)[0] == 404


def test_the_profile_follows_a_verified_email_change(api, world, sent_emails):
    # Given a student with a profile
    who = a_student("vic", sub="s-vic").but(school_id=world.school_x)
    assert api("POST", "/students/me", as_=who, body=who.profile())[0] == 201
    new = "vic.new@example.org"
    # When an unverified new address shows up in the sign-in, nothing moves
    pending = claims(who.sub, email=new) | {"email_verified": "false"}
    assert api("GET", "/students/me", as_=pending)[1]["email"] == who.email
    # When Cognito has verified it and the student signs in again
    status, profile = api("GET", "/students/me", as_=claims(who.sub, email=new))
    # Then the profile has the new address, and SERS ID recovery knows it, not the old
    assert status == 200 and profile["email"] == new
    sent = len(sent_emails())
    api("POST", "/sers-id/recovery", body={"email": new})
    api("POST", "/sers-id/recovery", body={"email": who.email})
    recovered = [to for to, subject, _ in sent_emails()[sent:] if "SERS ID" in subject]
    assert recovered == [new]
    # and the old address is free for a new account
    other = a_student("wes", sub="s-wes", email=who.email).but(school_id=world.school_x)
    assert api("POST", "/students/me", as_=other, body=other.profile())[0] == 201
