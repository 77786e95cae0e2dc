"""Class registration inside the window, and the dashboard."""

from __future__ import annotations

import threading

import pytest

from tests.support.world import STAFF, World

IN_WINDOW = "2027-01-15T10:00:00-08:00"


@pytest.fixture
def world(api, clock) -> World:
    clock(IN_WINDOW)
    built = World(api).build("2026-27")
    built.student("alice")
    return built


def test_student_registers_and_gets_a_confirmation(api, world, sent_emails):
    alice = world.students["alice"]
    # When Alice registers two classes of her school
    status, body = api(
        "POST",
        "/students/me/registrations",
        as_=alice,
        body={"offering_ids": [world.offering_x, world.offering_x2]},
    )
    # Then both are registered for this school year
    assert status == 201, body
    assert body["school_year"] == "2026-27"
    assert {r["high_school_course"] for r in body["registrations"]} == {"Welding 1", "Welding 2"}
    # And the confirmation email carries her SERS ID and her classes
    to, subject, html = sent_emails()[-1]
    assert to == "alice@example.org"
    assert alice.sers_id in subject and alice.sers_id in html
    assert "Welding 1" in html and "WELD 101" in html


def test_dashboard_shows_registrations_and_fee_due_in_one_query(api, world, aws):
    alice = world.students["alice"]
    api("POST", "/students/me/registrations", as_=alice, body={"offering_ids": [world.offering_x]})
    aws.clear()
    # When Alice opens her dashboard
    status, body = api("GET", "/students/me/dashboard", as_=alice)
    # Then it took one Query and shows the year with the fee due
    assert status == 200, body
    assert dict(aws) == {"Query": 1}
    assert body["sers_id"] == alice.sers_id
    (year,) = body["years"]
    assert year["school_year"] == "2026-27"
    assert year["fee_status"] == "due" and year["amount_due_cents"] == 5000
    assert [r["offering_id"] for r in year["registrations"]] == [world.offering_x]


def test_registration_takes_two_round_trips(api, world, aws):
    aws.clear()
    api(
        "POST",
        "/students/me/registrations",
        as_=world.students["alice"],
        body={"offering_ids": [world.offering_x, world.offering_x2]},
    )
    assert dict(aws) == {"BatchGetItem": 1, "TransactWriteItems": 1}


def test_the_same_class_cannot_be_registered_twice(api, world):
    alice = world.students["alice"]
    api("POST", "/students/me/registrations", as_=alice, body={"offering_ids": [world.offering_x]})
    status, body = api(
        "POST",
        "/students/me/registrations",
        as_=alice,
        body={"offering_ids": [world.offering_x2, world.offering_x]},
    )
    assert status == 409, body
    assert body["code"] == "already_registered"
    assert body["errors"][0]["field"] == "offering_ids[1]"
    # And nothing of the refused request was written
    dashboard = api("GET", "/students/me/dashboard", as_=alice)[1]
    assert [r["offering_id"] for r in dashboard["years"][0]["registrations"]] == [world.offering_x]


def test_concurrent_registrations_of_one_class_leave_one(api, world, atomic_requests):
    alice = world.students["alice"]
    results: list[int] = []

    def register() -> None:
        results.append(
            api(
                "POST",
                "/students/me/registrations",
                as_=alice,
                body={"offering_ids": [world.offering_x]},
            )[0]
        )

    threads = [threading.Thread(target=register) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [201] + [409] * 7
    dashboard = api("GET", "/students/me/dashboard", as_=alice)[1]
    assert len(dashboard["years"][0]["registrations"]) == 1


def test_a_class_of_another_school_is_refused(api, world):
    status, body = api(
        "POST",
        "/students/me/registrations",
        as_=world.students["alice"],
        body={"offering_ids": [world.offering_y]},
    )
    assert status == 400 and body["errors"][0]["field"] == "offering_ids[0]"


def test_an_unknown_class_is_refused(api, world):
    status, body = api(
        "POST",
        "/students/me/registrations",
        as_=world.students["alice"],
        body={"offering_ids": ["nope"]},
    )
    assert status == 400 and body["errors"][0]["field"] == "offering_ids[0]"


def test_registration_needs_a_profile(api, world):
    from tests.support.events import claims

    status, body = api(
        "POST",
        "/students/me/registrations",
        as_=claims("no-profile"),
        body={"offering_ids": [world.offering_x]},
    )
    assert status == 409 and body["code"] == "profile_missing"


@pytest.mark.parametrize(
    ("now", "code", "words"),
    [
        ("2026-11-30T23:59:59-08:00", "window_not_open", "opens on December 1, 2026"),
        ("2027-06-16T00:00:00-07:00", "window_closed", "prior-year credit"),
    ],
)
def test_outside_the_window_registration_is_refused(api, world, clock, now, code, words):
    clock(now)
    status, body = api(
        "POST",
        "/students/me/registrations",
        as_=world.students["alice"],
        body={"offering_ids": [world.offering_x]},
    )
    assert status == 409, body
    assert body["code"] == code and words in body["message"]


def test_window_edges_are_pacific_and_inclusive(api, world, clock):
    alice = world.students["alice"]
    clock("2027-06-15T23:59:59-07:00")
    assert (
        api(
            "POST",
            "/students/me/registrations",
            as_=alice,
            body={"offering_ids": [world.offering_x]},
        )[0]
        == 201
    )
    clock("2026-12-01T08:00:00+00:00")  # midnight December 1 in Seattle
    assert (
        api(
            "POST",
            "/students/me/registrations",
            as_=alice,
            body={"offering_ids": [world.offering_x2]},
        )[0]
        == 201
    )


def test_staff_extension_keeps_the_window_open(api, world, clock):
    # Given staff extend 2026-27 to June 22
    status, window = api("PUT", "/windows/2026-27", as_=STAFF, body={"closes_on": "2027-06-22"})
    assert status == 200 and window["extended"] and window["closes_on"] == "2027-06-22"
    # When Alice registers on June 20
    clock("2027-06-20T09:00:00-07:00")
    status, _ = api(
        "POST",
        "/students/me/registrations",
        as_=world.students["alice"],
        body={"offering_ids": [world.offering_x]},
    )
    # Then it is accepted, and the public window says so
    assert status == 201
    assert api("GET", "/window")[1]["closes_on"] == "2027-06-22"


def test_window_cannot_be_shortened(api, world):
    status, body = api("PUT", "/windows/2026-27", as_=STAFF, body={"closes_on": "2027-06-01"})
    assert status == 400 and body["errors"][0]["field"] == "closes_on"


def test_catalog_lists_the_schools_classes_for_the_year(api, world, aws):
    aws.clear()
    status, body = api("GET", f"/schools/{world.school_x}/offerings")
    assert status == 200 and dict(aws) == {"Query": 1}
    assert [
        (o["high_school_course"], o["college_course_code"], o["credits"], o["teacher"])
        for o in body
    ] == [("Welding 1", "WELD 101", 5, "Ms. Rivera"), ("Welding 2", "WELD 101", 5, "Ms. Rivera")]
    assert api("GET", f"/schools/{world.school_x}/offerings?school_year=2027-28")[1] == []
    status, body = api("GET", f"/schools/{world.school_x}/offerings?school_year=27-28")
    assert status == 422 and body["errors"][0]["field"] == "query.school_year"
