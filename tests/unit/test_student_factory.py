"""The one student factory every test uses (tests/support/students.py)."""

from __future__ import annotations

import dataclasses

import pytest

from tests.support.events import api_event, claims
from tests.support.students import PASSWORD, Address, a_student


def test_a_student_is_named_after_its_name_and_has_every_detail_a_profile_needs():
    # Given the factory's student called ann
    ann = a_student("ann")
    # Then who they are follows the name, and the rest are the defaults
    assert (ann.sub, ann.email, ann.first_name, ann.last_name) == (
        "student-ann",
        "ann@example.org",
        "Ann",
        "Smith",
    )
    assert (ann.birth_date, ann.password, ann.address) == ("2009-04-02", PASSWORD, Address())
    assert (ann.sers_id, ann.student_id, ann.token) == ("", "", "")
    assert ann.claims == claims("student-ann", email="ann@example.org")


def test_any_detail_can_be_given_and_the_student_does_not_change_afterwards():
    # Given a student with some details of their own
    bob = a_student("bob", last_name="Zamora", birth_date="2008-08-08", school_id="school-1")
    # Then those details are theirs
    assert (bob.last_name, bob.birth_date, bob.school_id) == ("Zamora", "2008-08-08", "school-1")
    # And changing one gives another student, leaving the first as it was
    moved = bob.but(school_id="school-2")
    assert (moved.school_id, bob.school_id) == ("school-2", "school-1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        bob.school_id = "school-3"  # type: ignore[misc]


def test_unique_students_never_share_an_email_or_a_legal_name():
    # Given two unique students of the same name
    one, two = a_student("cy", unique=True), a_student("cy", unique=True, last_name="Ng")
    # Then their subs, emails and last names differ, and each keeps the given name
    assert one.sub != two.sub and one.email != two.email
    assert one.first_name == two.first_name == "Cy"
    assert one.last_name.startswith("Smith") and two.last_name.startswith("Ng")
    assert one.last_name != "Smith" and two.last_name != "Ng"


def test_the_profile_is_the_body_of_post_students_me():
    # Given a student with no preferred name and a phone number
    dee = a_student("dee", school_id="school-1")
    # Then the profile carries their details as the API names them, without empty extras
    assert dee.profile() == {
        "legal_first_name": "Dee",
        "legal_last_name": "Smith",
        "birth_date": "2009-04-02",
        "mailing_address": {
            "line1": "1 Pine St",
            "city": "Redmond",
            "state": "WA",
            "postal_code": "98052",
        },
        "school_id": "school-1",
        "expected_graduation_year": 2027,
        "phone": "425-555-0100",
    }
    assert dee.but(preferred_name="D", phone=None).profile()["preferred_name"] == "D"
    assert "phone" not in dee.but(phone=None).profile()
    # And fields of the body can be replaced as they are sent (for bad input)
    assert dee.profile(nickname="DD", school_id="nope")["nickname"] == "DD"
    assert dee.profile(school_id="nope")["school_id"] == "nope"


def test_a_request_as_a_student_carries_their_claims():
    # Given a student, When a request is made as them
    eve = a_student("eve")
    event = api_event("GET", "/students/me", claims=eve)
    # Then API Gateway hands on their claims, as if they were given as claims
    assert event["requestContext"]["authorizer"] == {"claims": eve.claims}
    by_claims = api_event("GET", "/students/me", claims=eve.claims)
    for made in (event, by_claims):
        made["requestContext"].pop("requestId")
    assert event == by_claims
