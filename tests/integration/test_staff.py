"""Staff: catalog upkeep, finding students, inviting school users, rosters."""

from __future__ import annotations

import pytest

from tests.support.events import claims
from tests.support.students import a_student
from tests.support.world import STAFF, World


@pytest.fixture
def world(api, clock) -> World:
    clock("2027-01-15T10:00:00-08:00")
    built = World(api).build("2026-27")
    built.student("alice", last_name="Zamora")
    built.student("bob", last_name="Zamorano", birth_date="2008-08-08")
    return built


@pytest.mark.parametrize(
    "query",
    [
        "sers_id={sers}",
        "sers_id={sers_lower}",
        "email=ALICE@example.org",
        "last_name=zamora&first_name=ali",
    ],
)
def test_staff_find_a_student(api, world, query):
    sers = world.students["alice"].sers_id
    url = "/students?" + query.format(sers=sers, sers_lower=sers.lower().replace("-", " "))
    status, body = api("GET", url, as_=STAFF)
    assert status == 200, body
    assert [s["sers_id"] for s in body] == [sers]


def test_name_search_is_a_prefix_query(api, world, aws):
    aws.clear()
    status, body = api("GET", "/students?last_name=ZAMO", as_=STAFF)
    assert status == 200 and dict(aws) == {"Query": 1}
    assert sorted(s["legal_last_name"] for s in body) == ["Zamora", "Zamorano"]


def test_search_needs_exactly_one_criterion(api, world):
    assert api("GET", "/students", as_=STAFF)[0] == 400
    status, body = api("GET", "/students?sers_id=TP3-26-UUUU", as_=STAFF)
    assert status == 400 and body["errors"][0]["field"] == "sers_id"


def test_staff_see_a_students_dashboard(api, world):
    alice = world.students["alice"]
    status, body = api("GET", f"/students/{alice.student_id}", as_=STAFF)
    assert status == 200 and body["sers_id"] == alice.sers_id


def test_staff_invite_a_school_user_tied_to_one_school(api, world):
    # When staff invite a counselor for school X
    status, body = api(
        "POST",
        "/school-users",
        as_=STAFF,
        body={"email": "counselor@lake.example.org", "school_id": world.school_x},
    )
    # Then a Cognito user exists in the school group, tied to school X
    assert status == 201, body
    from dualcredit.dal.aws import client
    from dualcredit.settings import get_settings

    cognito = client("cognito-idp")
    user = cognito.admin_get_user(
        UserPoolId=get_settings().user_pool_id, Username="counselor@lake.example.org"
    )
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["custom:school_id"] == world.school_x
    groups = cognito.admin_list_groups_for_user(
        UserPoolId=get_settings().user_pool_id, Username="counselor@lake.example.org"
    )
    assert [g["GroupName"] for g in groups["Groups"]] == ["school"]
    # And the school's user list shows them; a second invite is a conflict
    assert [u["email"] for u in api("GET", f"/schools/{world.school_x}/users", as_=STAFF)[1]] == [
        "counselor@lake.example.org"
    ]
    assert (
        api(
            "POST",
            "/school-users",
            as_=STAFF,
            body={"email": "counselor@lake.example.org", "school_id": world.school_x},
        )[0]
        == 409
    )


def test_school_user_sees_their_own_roster_only(api, world):
    api(
        "POST",
        "/students/me/registrations",
        as_=world.students["alice"],
        body={"offering_ids": [world.offering_x]},
    )
    teacher_x = claims("t-x", groups=["school"], school_id=world.school_x)
    status, roster = api("GET", f"/schools/{world.school_x}/roster", as_=teacher_x)
    assert status == 200
    assert [(r["sers_id"], r["high_school_course"]) for r in roster] == [
        (world.students["alice"].sers_id, "Welding 1")
    ]
    assert api("GET", f"/schools/{world.school_y}/roster", as_=teacher_x)[0] == 403


def test_staff_edit_schools_and_offerings_with_audit(api, world, clock):
    clock("2027-01-16T10:00:00-08:00")
    status, school = api("PATCH", f"/schools/{world.school_x}", as_=STAFF, body={"name": "Lake HS"})
    assert status == 200 and school["name"] == "Lake HS"
    status, offering = api(
        "PATCH",
        f"/offerings/{world.offering_x}",
        as_=STAFF,
        body={"teacher": "Mr. Chen", "grade_threshold": "b+"},
    )
    assert (
        status == 200 and offering["teacher"] == "Mr. Chen" and offering["grade_threshold"] == "B+"
    )
    from dualcredit.dal import audit, keys

    (change, created) = audit.history(keys.offering_pk(world.offering_x))
    assert change["action"] == "offering.updated" and change["actor_id"] == "staff-1"
    assert change["before"]["teacher"] == "Ms. Rivera" and change["after"]["teacher"] == "Mr. Chen"
    assert created["action"] == "offering.created" and created.get("before") is None
    assert created["after"]["teacher"] == "Ms. Rivera"


def test_bad_grade_threshold_names_the_field(api, world):
    status, body = api(
        "PATCH", f"/offerings/{world.offering_x}", as_=STAFF, body={"grade_threshold": "Q"}
    )
    assert status == 422 and body["errors"][0]["field"] == "grade_threshold"


def test_unknown_records_are_404(api, world):
    assert api("PATCH", "/schools/nope", as_=STAFF, body={"name": "X"})[0] == 404
    assert api("PATCH", "/offerings/nope", as_=STAFF, body={"teacher": "X"})[0] == 404
    assert api("GET", "/students/nope", as_=STAFF)[0] == 404


# ------------------------------------------------------------------ identity corrections


def test_staff_correct_a_misspelled_legal_name_everywhere_it_shows(api, world):
    from dualcredit.dal import audit, keys

    alice = world.students["alice"]
    api("POST", "/students/me/registrations", as_=alice, body={"offering_ids": [world.offering_x]})
    # When staff correct Alice's last name (typed "Zamora" at sign-up, really "Zamorra")
    status, profile = api(
        "PATCH",
        f"/students/{alice.student_id}/identity",
        as_=STAFF,
        body={"legal_last_name": "Zamorra", "reason": "Spelled as on her birth certificate"},
    )
    assert status == 200, profile
    assert profile["legal_last_name"] == "Zamorra" and profile["sers_id"] == alice.sers_id
    # Then her profile, the school's roster and the staff search all carry the new name
    assert api("GET", "/students/me", as_=alice)[1]["legal_last_name"] == "Zamorra"
    teacher_x = claims("t-x", groups=["school"], school_id=world.school_x)
    roster = api("GET", f"/schools/{world.school_x}/roster", as_=teacher_x)[1]
    assert [r["legal_last_name"] for r in roster] == ["Zamorra"]
    assert [s["sers_id"] for s in api("GET", "/students?last_name=zamorr", as_=STAFF)[1]] == [
        alice.sers_id
    ]
    # And the correction is audited with its reason
    (entry,) = [
        e
        for e in audit.history(keys.student_pk(alice.student_id))
        if e["action"] == "student.identity_corrected"
    ]
    assert (entry["before"]["legal_last_name"], entry["after"]["legal_last_name"]) == (
        "Zamora",
        "Zamorra",
    )
    assert entry["after"]["reason"] == "Spelled as on her birth certificate"
    # And the mistaken identity is free again: a real "Alice Zamora" born that day can sign up
    other = a_student("other", first_name="Alice", last_name="Zamora", school_id=world.school_x)
    status, _ = api("POST", "/students/me", as_=other, body=other.profile())
    assert status == 201


def test_a_correction_that_matches_another_student_is_refused(api, world):
    alice, bob = world.students["alice"], world.students["bob"]
    bob_profile = api("GET", "/students/me", as_=bob)[1]
    # When staff would give Alice exactly Bob's legal name and birth date
    status, answer = api(
        "PATCH",
        f"/students/{alice.student_id}/identity",
        as_=STAFF,
        body={
            "legal_first_name": bob_profile["legal_first_name"],
            "legal_last_name": bob_profile["legal_last_name"],
            "birth_date": bob_profile["birth_date"],
            "reason": "merge?",
        },
    )
    # Then it is refused (they may be one person), and nothing changed
    assert status == 409 and answer["errors"][0]["field"] == "legal_last_name"
    assert api("GET", "/students/me", as_=alice)[1]["legal_last_name"] == "Zamora"


def test_a_correction_needs_a_reason_and_a_real_birth_date(api, world):
    url = f"/students/{world.students['alice'].student_id}/identity"
    status, answer = api("PATCH", url, as_=STAFF, body={"legal_last_name": "Zamorra"})
    assert status == 422 and answer["errors"][0]["field"] == "reason"
    status, answer = api(
        "PATCH", url, as_=STAFF, body={"birth_date": "2090-01-01", "reason": "typo"}
    )
    assert status == 422 and answer["errors"][0]["field"] == "birth_date"
    # Giving the values it already has changes nothing
    status, profile = api(
        "PATCH", url, as_=STAFF, body={"legal_last_name": "Zamora", "reason": "check"}
    )
    assert status == 200 and profile["legal_last_name"] == "Zamora"
