"""The staff queues name who asks: each waiver and prior-year request carries the
student's legal name and the school."""

from __future__ import annotations

from tests.support.world import STAFF, World


def test_the_waiver_and_prior_year_queues_name_the_student_and_the_school(api, clock):
    # Given Alice Smith, registered at Lake High School, asked for a waiver and for
    # prior-year credit taken at Tech Skill Center
    clock("2027-01-15T10:00:00-08:00")
    world = World(api).build("2026-27")
    alice = world.student("alice", first_name="Alice", last_name="Smith")
    world.ok(
        "POST", "/students/me/registrations", as_=alice, body={"offering_ids": [world.offering_x]}
    )
    world.ok("POST", "/students/me/waivers", as_=alice, body={"reason": "free_reduced_lunch"})
    world.ok(
        "POST",
        "/students/me/prior-year-requests",
        as_=alice,
        body={
            "school_year": "2025-26",
            "school_id": world.school_y,
            "high_school_course": "Metal Fabrication",
            "teacher": "Mr. Lee",
            "reason": "Did not know",
        },
    )
    # When staff read the queues
    (waiver,) = api("GET", "/waivers", as_=STAFF)[1]
    (prior,) = api("GET", "/prior-year-requests", as_=STAFF)[1]
    # Then each names the student, and the school: hers for the waiver, the class's for
    # the prior-year credit
    assert (waiver["student_name"], waiver["school_name"]) == ("Alice Smith", "Lake High School")
    assert (prior["student_name"], prior["school_name"]) == ("Alice Smith", "Tech Skill Center")
