"""The year's end for grades on moto: each school's progress, finalizing after the grading
deadline (audited, once), a school's change refused after it, and a staff correction with
its reason (audited)."""

from __future__ import annotations

import pytest

from tests.support.events import claims
from tests.support.world import STAFF, World


@pytest.fixture
def world(api, clock) -> World:
    """2026-27: Ann, Bea and Cy registered in Welding 1 at school X, Dee in Metal
    Fabrication at school Y; the clock in June, before the June 25 grading deadline."""
    clock("2027-01-15T10:00:00-08:00")
    built = World(api).build("2026-27")
    for name in ("ann", "bea", "cy"):
        built.ok(
            "POST",
            "/students/me/registrations",
            as_=built.student(name),
            body={"offering_ids": [built.offering_x]},
        )
    built.ok(
        "POST",
        "/students/me/registrations",
        as_=built.student("dee", school_id=built.school_y),
        body={"offering_ids": [built.offering_y]},
    )
    clock("2027-06-20T10:00:00-07:00")
    return built


def _teacher(world: World) -> dict[str, str]:
    return claims("teacher-x", groups=["school"], school_id=world.school_x)


def _grades(world: World, **grades: str) -> dict:
    return {
        "school_year": "2026-27",
        "grades": [
            {"sers_id": world.students[n].sers_id, "offering_id": world.offering_x, "grade": g}
            for n, g in grades.items()
        ],
    }


def _answers(world: World, **in_class: bool) -> dict:
    return {
        "school_year": "2026-27",
        "entries": [
            {"sers_id": world.students[n].sers_id, "offering_id": world.offering_x, "in_class": v}
            for n, v in in_class.items()
        ],
    }


def test_staff_see_each_schools_progress_confirmed_graded_and_credit_earned(api, grades_api, world):
    # Given at school X: Ann graded B (credit), Bea confirmed without a grade, Cy not
    # answered for; at school Y: Dee marked not in the class
    grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=_teacher(world),
        body=_grades(world, ann="B"),
    )
    grades_api(
        "PUT",
        f"/schools/{world.school_x}/enrollments",
        as_=_teacher(world),
        body=_answers(world, bea=True),
    )
    teacher_y = claims("teacher-y", groups=["school"], school_id=world.school_y)
    grades_api(
        "PUT",
        f"/schools/{world.school_y}/enrollments",
        as_=teacher_y,
        body={
            "school_year": "2026-27",
            "entries": [
                {
                    "sers_id": world.students["dee"].sers_id,
                    "offering_id": world.offering_y,
                    "in_class": False,
                }
            ],
        },
    )
    # When staff read the year's progress
    status, year = api("GET", "/grading/2026-27", as_=STAFF)
    # Then each school's counts and the totals say where it stands
    assert status == 200, year
    assert (year["deadline"], year["deadline_passed"], year["finalized"]) == (
        "2027-06-25",
        False,
        False,
    )
    by_name = {row["school_name"]: row for row in year["schools"]}
    fields = ("registered", "confirmed", "unconfirmed", "graded", "missing_grades")
    assert [by_name["Lake High School"][f] for f in fields] == [3, 2, 1, 1, 1]
    assert by_name["Lake High School"]["credit_earned"] == 1
    assert [by_name["Tech Skill Center"][f] for f in (*fields, "not_in_class")] == [
        1,
        0,
        0,
        0,
        0,
        1,
    ]
    assert year["totals"]["registered"] == 4 and year["totals"]["credit_earned"] == 1


def test_the_year_is_finalized_only_after_its_deadline_once_and_audited(api, world, clock):
    from dualcredit.dal import audit, keys

    # When staff finalize on June 20, before the June 25 deadline, Then it is refused
    status, refused = api("POST", "/grading/2026-27/finalize", as_=STAFF)
    assert status == 409 and "June 25, 2027" in refused["message"]
    assert api("GET", "/grading/2026-27", as_=STAFF)[1]["finalized"] is False
    # When they finalize on June 26, Then the year is final, with when and who
    clock("2027-06-26T09:00:00-07:00")
    status, year = api("POST", "/grading/2026-27/finalize", as_=STAFF)
    assert status == 200 and year["finalized"] is True, year
    assert year["finalized_by"] == "staff-1" and year["deadline_passed"] is True
    # When the request is sent again (a retry), Then the first finalization stands
    clock("2027-06-27T09:00:00-07:00")
    status, again = api("POST", "/grading/2026-27/finalize", as_=STAFF)
    assert status == 200 and again["finalized_at"] == year["finalized_at"]
    # And the audit history holds exactly one finalization
    entries = [
        e for e in audit.history(keys.window_pk("2026-27")) if e["action"] == "grades.finalized"
    ]
    assert [(e["actor_id"], e["actor_role"]) for e in entries] == [("staff-1", "staff")]


def test_after_finalizing_a_schools_grades_csv_and_answers_are_refused_in_clear_words(
    api, grades_api, world, clock
):
    # Given Ann's B posted, then the year finalized after the deadline
    grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=_teacher(world),
        body=_grades(world, ann="B"),
    )
    clock("2027-06-26T09:00:00-07:00")
    assert api("POST", "/grading/2026-27/finalize", as_=STAFF)[0] == 200
    # When the teacher posts a grade, a CSV file or a class answer
    posts = [
        grades_api(
            "PUT",
            f"/schools/{world.school_x}/grades",
            as_=_teacher(world),
            body=_grades(world, ann="A", bea="B"),
        ),
        grades_api(
            "POST",
            f"/schools/{world.school_x}/grades/csv?school_year=2026-27",
            as_=_teacher(world),
            raw_body=f"sers_id,college_course_code,grade\n{world.students['bea'].sers_id},"
            "WELD 101,A\n",
        ),
        grades_api(
            "PUT",
            f"/schools/{world.school_x}/enrollments",
            as_=_teacher(world),
            body=_answers(world, cy=False),
        ),
    ]
    # Then each is a 409 saying the grades are final and what to do instead
    for status, answer in posts:
        assert status == 409, answer
        assert "final" in answer["message"] and "email the office" in answer["message"]
    # And nothing changed
    by_sers = {
        r["sers_id"]: r
        for r in api("GET", f"/schools/{world.school_x}/roster?school_year=2026-27", as_=STAFF)[1]
    }
    assert by_sers[world.students["ann"].sers_id]["grade"] == "B"
    assert by_sers[world.students["bea"].sers_id]["grade"] is None
    assert by_sers[world.students["cy"].sers_id]["in_class"] is None
    # And staff posting through the school's form are pointed to the correction
    status, answer = grades_api(
        "PUT", f"/schools/{world.school_x}/grades", as_=STAFF, body=_grades(world, ann="A")
    )
    assert status == 409 and "correction" in answer["message"]


def test_a_staff_correction_after_finalizing_changes_the_grade_with_its_reason_audited(
    api, grades_api, world, clock
):
    from dualcredit.dal import audit, keys

    # Given Ann's C posted and the year finalized
    grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=_teacher(world),
        body=_grades(world, ann="C"),
    )
    clock("2027-06-26T09:00:00-07:00")
    api("POST", "/grading/2026-27/finalize", as_=STAFF)
    ann = world.students["ann"].student_id
    correction = {
        "school_year": "2026-27",
        "offering_id": world.offering_x,
        "grade": "b+",
        "reason": "The teacher's gradebook said B+; C was typed by mistake.",
    }
    # When staff correct it to B+
    status, fixed = api("POST", f"/students/{ann}/grades/correction", body=correction, as_=STAFF)
    # Then the grade and the credit change
    assert status == 200, fixed
    assert (fixed["previous_grade"], fixed["grade"], fixed["credit_earned"], fixed["status"]) == (
        "C",
        "B+",
        True,
        "corrected",
    )
    roster = api("GET", f"/schools/{world.school_x}/roster?school_year=2026-27", as_=STAFF)[1]
    assert next(r for r in roster if r["student_id"] == ann)["grade"] == "B+"
    # And the audit history keeps before, after, who and the reason
    entries = [e for e in audit.history(keys.student_pk(ann)) if e["action"] == "grade.corrected"]
    assert len(entries) == 1
    assert entries[0]["before"]["grade"] == "C" and entries[0]["after"]["grade"] == "B+"
    assert entries[0]["after"]["reason"] == correction["reason"]
    assert entries[0]["actor_id"] == "staff-1"
    # When the same correction is sent again (a retry), Then nothing more is written
    status, again = api("POST", f"/students/{ann}/grades/correction", body=correction, as_=STAFF)
    assert status == 200 and again["status"] == "unchanged"
    entries = [e for e in audit.history(keys.student_pk(ann)) if e["action"] == "grade.corrected"]
    assert len(entries) == 1


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"reason": ""}, 422, "reason"),
        ({"grade": "E"}, 400, "grade"),
        ({"offering_id": "not-a-class"}, 404, None),
        ({"school_year": "2026-28"}, 422, "school_year"),
    ],
)
def test_a_bad_correction_is_refused_naming_the_field_and_writes_nothing(
    api, world, change, status, field
):
    from dualcredit.dal import audit, keys

    ann = world.students["ann"].student_id
    body = {
        "school_year": "2026-27",
        "offering_id": world.offering_x,
        "grade": "A",
        "reason": "Gradebook mistake",
        **change,
    }
    # When staff send a correction with `change`
    got, answer = api("POST", f"/students/{ann}/grades/correction", body=body, as_=STAFF)
    # Then it is refused with `status`, naming the field, and nothing is written
    assert got == status, answer
    if field:
        named = [e["field"] for e in answer["errors"]]
        assert any(name.endswith(field) for name in named), answer
    assert not [e for e in audit.history(keys.student_pk(ann)) if e["action"] == "grade.corrected"]


def test_staff_move_the_grading_deadline_within_june_16_to_30_until_the_year_is_final(
    api, world, clock
):
    from dualcredit.dal import audit, keys

    # When staff set 2026-27's deadline to June 18
    status, year = api("PUT", "/grading/2026-27", as_=STAFF, body={"deadline": "2027-06-18"})
    # Then the year's deadline is June 18, audited, and finalizing waits only for it
    assert status == 200 and year["deadline"] == "2027-06-18", year
    actions = [e["action"] for e in audit.history(keys.window_pk("2026-27"))]
    assert actions.count("grading_deadline.set") == 1
    clock("2027-06-19T09:00:00-07:00")
    assert api("POST", "/grading/2026-27/finalize", as_=STAFF)[0] == 200
    # When a deadline outside June 16 .. June 30 is asked, Then a 400 names the field
    status, refused = api("PUT", "/grading/2026-27", as_=STAFF, body={"deadline": "2027-07-02"})
    assert status == 400 and refused["errors"][0]["field"] == "deadline", refused
    # When the finalized year's deadline is moved, Then it is a 409 and it stays
    status, refused = api("PUT", "/grading/2026-27", as_=STAFF, body={"deadline": "2027-06-28"})
    assert status == 409, refused
    assert api("GET", "/grading/2026-27", as_=STAFF)[1]["deadline"] == "2027-06-18"


def test_a_finalization_landing_while_a_batch_is_written_keeps_every_grade_out(
    api, grades_api, world, clock, monkeypatch
):
    from dualcredit.dal import registrations

    # Given the deadline is over, and staff finalize the year right after the teacher's
    # batch read the roster (before it writes)
    clock("2027-06-26T09:00:00-07:00")
    read_roster = registrations.roster
    finalized: list[int] = []

    def roster_then_finalized(school_id: str, school_year: str) -> list:
        found = read_roster(school_id, school_year)
        if not finalized:  # once (finalizing reads the rosters too)
            finalized.append(0)
            finalized[0] = api("POST", "/grading/2026-27/finalize", as_=STAFF)[0]
        return found

    monkeypatch.setattr(registrations, "roster", roster_then_finalized)
    # When the batch is written
    status, answer = grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=_teacher(world),
        body=_grades(world, ann="A", bea="B"),
    )
    monkeypatch.setattr(registrations, "roster", read_roster)
    assert finalized == [200]
    # Then it is refused in the words of a finalized year, and no grade landed
    assert status == 409 and "final" in answer["message"], answer
    roster = api("GET", f"/schools/{world.school_x}/roster?school_year=2026-27", as_=STAFF)[1]
    assert {r["grade"] for r in roster} == {None}
