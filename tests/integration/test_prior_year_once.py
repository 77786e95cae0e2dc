"""One prior-year credit request per class and year may wait for staff: a second one for
the same class and year is refused (409 naming the class field, nothing written), even
when both are sent at once; once staff decide, the class may be asked about again."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.support.world import STAFF, World

IN_WINDOW = "2027-01-15T10:00:00-08:00"


@pytest.fixture
def world(api, clock) -> World:
    clock(IN_WINDOW)
    built = World(api).build("2026-27")
    built.student("ann")
    return built


def _ask(api, world: World, course: str = "Welding 1", year: str = "2025-26") -> tuple[int, Any]:
    return api(
        "POST",
        "/students/me/prior-year-requests",
        as_=world.students["ann"],
        body={
            "school_year": year,
            "school_id": world.school_x,
            "high_school_course": course,
            "teacher": "Ms. Ray",
            "reason": "I did not know about the program.",
        },
    )


def _requests(api, world: World) -> list[tuple[str, str, str]]:
    overview = api("GET", "/students/me/overview", as_=world.students["ann"])[1]
    return [
        (r["school_year"], r["high_school_course"], r["status"])
        for r in overview["requests"]
        if r["kind"] == "prior_year"
    ]


def _history_count(api, world: World) -> int:
    student_id = world.students["ann"].student_id
    record = api("GET", f"/students/{student_id}/record", as_=STAFF)[1]
    return sum(1 for e in record["history"] if e["action"] == "prior_year.requested")


def test_a_second_request_for_the_same_class_and_year_is_refused_while_one_waits(api, world):
    # Given Ann asked for 2025-26 credit for Welding 1, and staff have not decided
    status, first = _ask(api, world)
    assert status == 201, first
    # When she asks again for the same class, typed another way
    status, body = _ask(api, world, course="  welding   1 ")
    # Then it is refused, naming the class field, and nothing more is written
    assert status == 409, body
    assert body["code"] == "prior_year_pending"
    assert [e["field"] for e in body["errors"]] == ["high_school_course"]
    assert "has not decided yet" in body["message"]
    assert _requests(api, world) == [("2025-26", "Welding 1", "pending")]
    assert _history_count(api, world) == 1
    # And the queue holds the one request
    assert len(api("GET", "/prior-year-requests", as_=STAFF)[1]) == 1


def test_another_class_or_another_year_may_wait_beside_it(api, world):
    # Given a waiting request for Welding 1 in 2025-26
    assert _ask(api, world)[0] == 201
    # When Ann asks for Welding 2 that year, and for Welding 1 the year before
    # Then both are taken
    assert _ask(api, world, course="Welding 2")[0] == 201
    assert _ask(api, world, year="2024-25")[0] == 201
    assert len(_requests(api, world)) == 3


@pytest.mark.parametrize("approve", [True, False])
def test_once_staff_decide_the_class_may_be_asked_about_again(api, world, approve):
    # Given Ann's request for Welding 1 in 2025-26, decided by staff
    status, first = _ask(api, world)
    assert status == 201, first
    decision = {
        "student_id": world.students["ann"].student_id,
        "school_year": "2025-26",
        "approve": approve,
        "request_id": first["request_id"],
    }
    (result,) = world.ok(
        "POST", "/prior-year-requests/decisions", as_=STAFF, body={"decisions": [decision]}
    )
    assert result["outcome"] == ("approved" if approve else "denied")
    # When she asks about the same class and year again / Then it is taken, and waits
    status, again = _ask(api, world)
    assert status == 201, again
    assert ("2025-26", "Welding 1", "pending") in _requests(api, world)
    # And a third request while that one waits is refused again
    assert _ask(api, world)[0] == 409


def test_two_requests_sent_at_once_make_one(api, world):
    # Given Ann sends the same request from eight tabs at once
    results: list[int] = []
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        results.append(_ask(api, world)[0])

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then one is taken and the others refused, and one request waits
    assert sorted(results) == [201] + [409] * 7
    assert _requests(api, world) == [("2025-26", "Welding 1", "pending")]
    assert _history_count(api, world) == 1


def test_a_second_waiver_request_for_the_year_is_refused_naming_the_year(api, world):
    # Given Ann registered for 2026-27 and asked for a fee waiver, which waits
    ann = world.students["ann"]
    world.ok(
        "POST", "/students/me/registrations", as_=ann, body={"offering_ids": [world.offering_x]}
    )
    world.ok("POST", "/students/me/waivers", as_=ann, body={"reason": "free_reduced_lunch"})
    # When she asks again for the same year
    status, body = api(
        "POST", "/students/me/waivers", as_=ann, body={"reason": "free_reduced_lunch"}
    )
    # Then it is refused, naming the school year field, and one waiver waits
    assert status == 409, body
    assert (body["code"], [e["field"] for e in body["errors"]]) == (
        "waiver_not_allowed",
        ["school_year"],
    )
    assert len(api("GET", "/waivers", as_=STAFF)[1]) == 1
