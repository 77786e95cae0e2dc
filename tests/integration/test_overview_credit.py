"""Issue 11 with issue 12: the student's overview says where earned credit stands with
the college: sent (the day staff's transcript batch was closed), then posted by the
college (the day its registrar marked it), and neither once a batch withdrew it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_transcript_batches import (
    BELLEVUE,
    YEAR,
    _close,
    _grades,
    _pay,
    _registrar,
)
from tests.support.world import World


@pytest.fixture
def world(api, clock) -> World:
    """2026-27: Ann registered for Welding 1 (Bellevue College) and paid; June 10."""
    clock("2027-01-15T10:00:00-08:00")
    built = World(api).build(YEAR)
    ann = built.student("ann")
    built.ok(
        "POST", "/students/me/registrations", as_=ann, body={"offering_ids": [built.offering_x]}
    )
    _pay(built, "ann")
    clock("2027-06-10T10:00:00-07:00")
    return built


def _class(world: World) -> dict[str, Any]:
    overview = world.ok("GET", "/students/me/overview", as_=world.students["ann"])
    (year,) = [y for y in overview["years"] if y["school_year"] == YEAR]
    (registered,) = year["classes"]
    return registered


def _where(registered: dict[str, Any]) -> tuple[Any, ...]:
    return (
        registered["stage"],
        registered["next_step"],
        registered["credit_sent_on"],
        registered["credit_posted_on"],
    )


def test_earned_credit_is_sent_then_posted_by_the_college(api, grades_api, world, clock):
    # Given Ann's A- earns the credit, and her fee is paid
    _grades(grades_api, world, ann="A-")
    # Then her class waits for our office to send it
    assert _where(_class(world)) == ("graded", "credit_to_be_sent", None, None)
    # When staff close Bellevue College's batch on June 10
    status, batch = _close(api)
    assert status == 201, batch
    # Then the class says the credit was sent that day, and the college posts it next
    assert _where(_class(world)) == ("credit_sent", "college_posts", "2027-06-10", None)
    # When the college's registrar marks the batch posted on June 14
    clock("2027-06-14T09:00:00-07:00")
    registrar = _registrar(world)
    status, _ = api(
        "POST", f"/transcript-batches/{batch['batch_id']}/posted", as_=registrar, body={}
    )
    assert status == 200
    # Then the class says the credit was posted by the college on June 14: nothing is left
    registered = _class(world)
    assert _where(registered) == ("credit_posted", "none", "2027-06-10", "2027-06-14")
    assert registered["college"] == BELLEVUE


def test_a_withdrawn_credit_is_no_longer_shown_as_sent(api, grades_api, world):
    # Given Ann's credit sent in batch 1, then her grade corrected to a C and batch 2
    # (withdrawing it) closed
    _grades(grades_api, world, ann="A-")
    assert _close(api)[0] == 201
    _grades(grades_api, world, ann="C")
    assert _close(api)[0] == 201
    # Then the class says the C earns no credit
    assert _where(_class(world)) == ("graded", "no_credit", None, None)
    # When the grade is corrected again to a B+, before any new batch
    _grades(grades_api, world, ann="B+")
    # Then the credit waits to be sent again: the college holds none of it now
    registered = _class(world)
    assert _where(registered) == ("graded", "credit_to_be_sent", None, None)
    assert registered["earns_credit"] is True
