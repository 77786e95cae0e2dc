"""The roster at scale (issue 12): a school user answers for many students in one request,
saves the roster's grades in one request, and a grade never silently puts back a student
the school marked not in the class. CSV errors name the file's own columns."""

from __future__ import annotations

import pytest

from tests.support.events import claims
from tests.support.world import World

YEAR = "2026-27"


@pytest.fixture
def world(api, clock) -> World:
    """2026-27: Ann, Bea and Cy registered in Welding 1 at school X; Dee in Metal
    Fabrication at school Y. Nobody confirmed or graded yet."""
    clock("2027-01-15T10:00:00-08:00")
    built = World(api).build(YEAR)
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
    clock("2027-06-10T10:00:00-07:00")
    return built


def _teacher(world: World, school: str = "x") -> dict[str, str]:
    school_id = world.school_x if school == "x" else world.school_y
    return claims(f"teacher-{school}", groups=["school"], school_id=school_id)


def _entries(world: World, in_class: bool, *names: str, offering: str = "") -> dict:
    return {
        "school_year": YEAR,
        "entries": [
            {
                "sers_id": world.students[name].sers_id,
                "offering_id": offering or world.offering_x,
                "in_class": in_class,
            }
            for name in names
        ],
    }


def _grades(world: World, **grades: str) -> dict:
    return {
        "school_year": YEAR,
        "grades": [
            {"sers_id": world.students[n].sers_id, "offering_id": world.offering_x, "grade": g}
            for n, g in grades.items()
        ],
    }


def _roster(api, world: World) -> dict[str, dict]:
    status, rows = api(
        "GET", f"/schools/{world.school_x}/roster?school_year={YEAR}", as_=_teacher(world)
    )
    assert status == 200, rows
    return {world_name(world, r["sers_id"]): r for r in rows}


def world_name(world: World, sers_id: str) -> str:
    return next(name for name, s in world.students.items() if s.sers_id == sers_id)


# ------------------------------------------------------------------ many answers at once


def test_a_teacher_confirms_the_whole_roster_in_one_request(api, grades_api, world, aws):
    # Given three students nobody has confirmed yet
    assert {r["in_class"] for r in _roster(api, world).values()} == {None}
    # When the teacher selects all and confirms them
    aws.clear()
    status, result = grades_api(
        "PUT",
        f"/schools/{world.school_x}/enrollments",
        as_=_teacher(world),
        body=_entries(world, True, "ann", "bea", "cy"),
    )
    # Then all three are in the class, read once and written in one transaction
    assert status == 200, result
    assert (result["recorded"], result["unchanged"]) == (3, 0)
    # (GetItem: the teacher's record, read once: not removed, still at this school; and
    # the year's window record: its grades not finalized)
    assert dict(aws) == {"GetItem": 2, "Query": 1, "TransactWriteItems": 1}
    assert {name: r["in_class"] for name, r in _roster(api, world).items()} == {
        "ann": True,
        "bea": True,
        "cy": True,
    }
    # And marking two of them not in the class is one more request
    status, result = grades_api(
        "PUT",
        f"/schools/{world.school_x}/enrollments",
        as_=_teacher(world),
        body=_entries(world, False, "bea", "cy"),
    )
    assert status == 200 and result["recorded"] == 2, result
    assert {n: r["in_class"] for n, r in _roster(api, world).items()} == {
        "ann": True,
        "bea": False,
        "cy": False,
    }


def test_a_selection_with_another_schools_student_changes_nobody(api, grades_api, world):
    # Given a selection of Ann and Bea, and Dee who is a student of school Y
    body = _entries(world, False, "ann", "bea")
    body["entries"] += _entries(world, False, "dee", offering=world.offering_y)["entries"]
    # When school X's teacher sends it
    status, answer = grades_api(
        "PUT", f"/schools/{world.school_x}/enrollments", as_=_teacher(world), body=body
    )
    # Then it is refused naming Dee's row, and neither Ann nor Bea changed
    assert status == 400, answer
    assert [e["field"] for e in answer["errors"]] == ["entries[2].offering_id"]
    assert "nothing was saved" in answer["message"]
    assert {r["in_class"] for r in _roster(api, world).values()} == {None}


def test_a_teacher_of_another_school_cannot_answer_for_this_roster(api, grades_api, world):
    # When school Y's teacher sends answers for school X's students
    status, _ = grades_api(
        "PUT",
        f"/schools/{world.school_x}/enrollments",
        as_=_teacher(world, "y"),
        body=_entries(world, False, "ann", "bea", "cy"),
    )
    # Then it is forbidden and nothing changed
    assert status == 403
    assert {r["in_class"] for r in _roster(api, world).values()} == {None}


# ------------------------------------------------------------------ the roster's grades at once


def test_the_rosters_grades_are_saved_together_or_not_at_all(api, grades_api, world, aws):
    # When the teacher saves three grades typed in the roster, one of them not a grade
    status, answer = grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=_teacher(world),
        body=_grades(world, ann="A", bea="Q", cy="b+"),
    )
    # Then the error names Bea's row only, and no grade is saved
    assert status == 400, answer
    assert [e["field"] for e in answer["errors"]] == ["grades[1].grade"]
    assert '"Q" is not a grade' in answer["errors"][0]["message"]
    assert {r["grade"] for r in _roster(api, world).values()} == {None}
    # When the row is corrected and the roster saved again
    aws.clear()
    status, result = grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=_teacher(world),
        body=_grades(world, ann="A", bea="C", cy="b+"),
    )
    # Then all three are saved in one transaction, with the credit each earns
    assert status == 200 and result["posted"] == 3, result
    # (GetItem: the teacher's record, read once: not removed, still at this school; and
    # the year's window record: its grades not finalized)
    assert dict(aws) == {"GetItem": 2, "Query": 1, "TransactWriteItems": 1}
    assert {n: (r["grade"], r["credit_earned"]) for n, r in _roster(api, world).items()} == {
        "ann": ("A", True),
        "bea": ("C", False),
        "cy": ("B+", True),
    }


def test_a_grade_emptied_in_the_roster_is_named_on_its_row(grades_api, world):
    # When the roster sends an emptied grade box among typed ones
    status, answer = grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=_teacher(world),
        body=_grades(world, ann="A", bea="  "),
    )
    # Then the answer names that row's grade, in the page's words, and nothing is saved
    assert status == 422, answer
    assert [(e["field"], e["message"]) for e in answer["errors"]] == [
        ("grades.1.grade", "Grade is required")  # (a 422 path; the page reads both forms)
    ]


# ------------------------------------------------------------------ not in the class


def _mark_not_in_class(grades_api, world: World, *names: str) -> None:
    status, answer = grades_api(
        "PUT",
        f"/schools/{world.school_x}/enrollments",
        as_=_teacher(world),
        body=_entries(world, False, *names),
    )
    assert status == 200, answer


def test_a_posted_grade_for_a_student_marked_not_in_the_class_is_a_row_error(
    api, grades_api, world
):
    # Given the teacher marked Cy not in the class
    _mark_not_in_class(grades_api, world, "cy")
    # When grades for Ann and Cy are posted
    status, answer = grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=_teacher(world),
        body=_grades(world, ann="B", cy="A"),
    )
    # Then Cy's row is an error naming the conflict, nothing is saved, Cy stays out
    assert status == 400, answer
    assert [e["field"] for e in answer["errors"]] == ["grades[1].grade"]
    assert "not in this class" in answer["errors"][0]["message"]
    assert world.students["cy"].sers_id in answer["errors"][0]["message"]
    roster = _roster(api, world)
    assert (roster["cy"]["in_class"], roster["cy"]["grade"]) == (False, None)
    assert roster["ann"]["grade"] is None
    # When the teacher confirms Cy is in the class after all, Then the grade posts
    grades_api(
        "PUT",
        f"/schools/{world.school_x}/enrollments",
        as_=_teacher(world),
        body=_entries(world, True, "cy"),
    )
    status, result = grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=_teacher(world),
        body=_grades(world, ann="B", cy="A"),
    )
    assert status == 200 and result["posted"] == 2, result


def test_a_csv_grade_for_a_student_marked_not_in_the_class_is_a_row_error(api, grades_api, world):
    # Given Ann graded B and in the class, then marked not in the class
    grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=_teacher(world),
        body=_grades(world, ann="B"),
    )
    _mark_not_in_class(grades_api, world, "ann")
    # When the school's export still lists her (with a corrected grade)
    text = (
        "SERS ID,College course code,Final Grade,Grade\n"
        f"{world.students['bea'].sers_id},WELD 101,,A\n"
        f"{world.students['ann'].sers_id},WELD 101,,A-\n"
    )
    status, answer = grades_api(
        "POST",
        f"/schools/{world.school_x}/grades/csv?school_year={YEAR}",
        as_=_teacher(world),
        raw_body=text,
    )
    # Then line 3 is refused in the file's words, and nothing changed
    assert status == 400, answer
    assert [e["field"] for e in answer["errors"]] == ["line 3.grade"]
    message = answer["errors"][0]["message"]
    assert message.startswith('Line 3, column "Grade": ')
    assert "not in this class" in message
    roster = _roster(api, world)
    assert (roster["ann"]["in_class"], roster["ann"]["grade"]) == (False, "B")
    assert roster["bea"]["grade"] is None


def test_a_grade_read_before_the_student_was_marked_out_is_not_written(grades_api, world, clock):
    """The write itself holds the rule: a grade matched to the roster as it was read,
    before a concurrent answer marked the student not in the class, is not written."""
    from datetime import datetime

    from dualcredit.dal import registrations as registration_data
    from dualcredit.dal.audit import Actor

    read_before = {r.sers_id: r for r in registration_data.roster(world.school_x, YEAR)}[
        world.students["cy"].sers_id
    ]
    _mark_not_in_class(grades_api, world, "cy")
    change = registration_data.GradeChange(read_before, "A", True)
    with pytest.raises(registration_data.RegistrationChanged):
        registration_data.post_grades(
            [change], actor=Actor(user_id="teacher-x", role="school"), at=datetime.now()
        )


# ------------------------------------------------------------------ CSV columns in its words


def test_csv_row_errors_name_the_column_as_the_files_header_does(grades_api, world):
    ann, bea, cy = (world.students[n].sers_id for n in ("ann", "bea", "cy"))
    # Given an export whose header names the columns its own way
    text = "Student,SERS id,Course Code (College),GRADE\n"  # not a known course-code header
    status, answer = grades_api(
        "POST",
        f"/schools/{world.school_x}/grades/csv?school_year={YEAR}",
        as_=_teacher(world),
        raw_body=text + f"Ann,{ann},WELD 101,A\n",
    )
    assert status == 400 and answer["errors"][0]["field"] == "file", answer
    text = "Student, SERS id ,College Course Code,GRADE\n"
    # When three lines are each wrong in a different column
    status, answer = grades_api(
        "POST",
        f"/schools/{world.school_x}/grades/csv?school_year={YEAR}",
        as_=_teacher(world),
        raw_body=text
        + "Ann,TP3-XX,WELD 101,A\n"
        + f"Bea,{bea},CS 999,A\n"
        + f"Cy,{cy},weld 101,E\n"
        + f"Ann,{ann},WELD 101,B\n",
    )
    # Then each error names its line and the column in the header's words
    assert status == 400, answer
    assert [(e["field"], e["message"].split(": ")[0]) for e in answer["errors"]] == [
        ("line 2.sers_id", 'Line 2, column "SERS id"'),
        ("line 3.college_course_code", 'Line 3, column "College Course Code"'),
        ("line 4.grade", 'Line 4, column "GRADE"'),
    ]
    assert answer["message"].startswith("3 of the rows cannot be saved; nothing was saved.")
    assert 'Line 2, column "SERS id"' in answer["message"]
