"""Grade import: a school posts grades (rows or a CSV export), the rules decide the
credit, staff export the credit to send to the colleges."""

from __future__ import annotations

import pytest

from tests.support.events import claims
from tests.support.world import STAFF, World


@pytest.fixture
def world(api, clock) -> World:
    """2026-27 at school X: Ann (fee paid by check), Bea (fee due), Cy (waived)."""
    clock("2027-01-15T10:00:00-08:00")
    built = World(api).build("2026-27")
    for name in ("ann", "bea", "cy"):
        student = built.student(name)
        built.ok(
            "POST",
            "/students/me/registrations",
            as_=student,
            body={"offering_ids": [built.offering_x]},
        )
    built.ok(
        "POST",
        f"/students/{built.students['ann'].student_id}/payments",
        body={
            "kind": "check",
            "school_year": "2026-27",
            "instrument_number": "7",
            "amount_cents": 5000,
            "received_on": "2027-01-14",
            "payer_name": "Pat",
        },
    )
    built.ok(
        "POST",
        "/students/me/waivers",
        as_=built.students["cy"],
        body={"reason": "free_reduced_lunch"},
    )
    built.ok(
        "POST",
        "/waivers/decisions",
        body={
            "decisions": [
                {
                    "student_id": built.students["cy"].student_id,
                    "school_year": "2026-27",
                    "approve": True,
                }
            ]
        },
    )
    clock("2027-06-10T10:00:00-07:00")
    return built


def _teacher(world: World) -> dict[str, str]:
    return claims("teacher-x", groups=["school"], school_id=world.school_x)


def _rows(world: World, **grades: str) -> dict:
    return {
        "school_year": "2026-27",
        "grades": [
            {
                "sers_id": world.students[name].sers_id,
                "offering_id": world.offering_x,
                "grade": grade,
            }
            for name, grade in grades.items()
        ],
    }


def _registration(api, world: World, name: str) -> dict:
    years = api("GET", "/students/me/dashboard", as_=world.students[name])[1]["years"]
    return next(y for y in years if y["school_year"] == "2026-27")["registrations"][0]


def test_a_school_posts_grades_and_the_rules_decide_the_credit(api, grades_api, world):
    # When the teacher posts Ann's B, Bea's B- and Cy's A (any case, spaces)
    status, result = grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=_teacher(world),
        body=_rows(world, ann="B", bea="b -", cy=" a "),
    )
    # Then each is stored as a canonical grade, and B or better earns the credit
    assert status == 200, result
    assert (result["posted"], result["unchanged"]) == (3, 0)
    assert {(g["sers_id"], g["grade"], g["credit_earned"]) for g in result["grades"]} == {
        (world.students["ann"].sers_id, "B", True),
        (world.students["bea"].sers_id, "B-", False),
        (world.students["cy"].sers_id, "A", True),
    }
    # And the student and the school's roster see it
    assert (
        _registration(api, world, "ann")["grade"],
        _registration(api, world, "ann")["credit_earned"],
    ) == ("B", True)
    roster = api(
        "GET", f"/schools/{world.school_x}/roster?school_year=2026-27", as_=_teacher(world)
    )[1]
    assert {r["grade"] for r in roster} == {"B", "B-", "A"}


def test_posting_the_same_grades_again_changes_nothing_and_a_change_is_audited(
    grades_api, world, aws
):
    from dualcredit.dal import audit, keys

    grades_api(
        "PUT", f"/schools/{world.school_x}/grades", as_=_teacher(world), body=_rows(world, ann="B")
    )
    # When the same file is posted again (a retry), Then nothing is written
    aws.clear()
    status, again = grades_api(
        "PUT", f"/schools/{world.school_x}/grades", as_=_teacher(world), body=_rows(world, ann="B")
    )
    assert status == 200 and (again["posted"], again["unchanged"]) == (0, 1)
    assert "TransactWriteItems" not in aws
    # When the grade is corrected, Then the change is audited with before and after
    status, fixed = grades_api(
        "PUT", f"/schools/{world.school_x}/grades", as_=_teacher(world), body=_rows(world, ann="B-")
    )
    assert status == 200 and fixed["grades"][0]["credit_earned"] is False
    entries = [
        e
        for e in audit.history(keys.student_pk(world.students["ann"].student_id))
        if e["action"] == "grade.posted"
    ]
    # (the clock is fixed, so both entries carry the same time)
    assert sorted((e["before"].get("grade") or "", e["after"]["grade"]) for e in entries) == [
        ("", "B"),
        ("B", "B-"),
    ]


def test_a_bad_row_refuses_the_batch_and_names_each_row(grades_api, world):
    body = _rows(world, ann="B")
    body["grades"] += [
        {"sers_id": "nobody", "offering_id": world.offering_x, "grade": "A"},
        {
            "sers_id": world.students["bea"].sers_id,
            "offering_id": world.offering_x,
            "grade": "E",
        },
        {"sers_id": world.students["cy"].sers_id, "offering_id": "other", "grade": "A"},
    ]
    status, answer = grades_api(
        "PUT", f"/schools/{world.school_x}/grades", as_=_teacher(world), body=body
    )
    assert status == 400, answer
    assert [e["field"] for e in answer["errors"]] == [
        "grades[1].sers_id",
        "grades[2].grade",
        "grades[3].offering_id",
    ]
    assert "nothing was saved" in answer["message"]
    # Ann's valid row was not written either
    status, again = grades_api(
        "PUT", f"/schools/{world.school_x}/grades", as_=_teacher(world), body=_rows(world, ann="B")
    )
    assert again["posted"] == 1


def test_a_school_user_cannot_post_grades_for_another_school(grades_api, world):
    other = claims("teacher-y", groups=["school"], school_id=world.school_y)
    status, _ = grades_api(
        "PUT", f"/schools/{world.school_x}/grades", as_=other, body=_rows(world, ann="A")
    )
    assert status == 403
    # nor reach school X's registrations through its own school
    status, answer = grades_api(
        "PUT", f"/schools/{world.school_y}/grades", as_=other, body=_rows(world, ann="A")
    )
    assert status == 400 and answer["errors"][0]["field"] == "grades[0].offering_id"


def test_a_csv_export_is_posted_with_errors_by_line_and_column(grades_api, world):
    ann, bea = world.students["ann"].sers_id, world.students["bea"].sers_id
    code = "WELD 101"
    # Given a file with the columns in another order, extra columns, dash-less SERS IDs
    text = (
        f"\ufeffStudent name,Grade,SERS ID,College course code\r\n"
        f"Ann,B+,{ann.replace('-', '').lower()},{code.lower()}\r\n"
        f"Bea,C,{bea},{code}\r\n\r\n"
    )
    status, result = grades_api(
        "POST",
        f"/schools/{world.school_x}/grades/csv?school_year=2026-27",
        as_=_teacher(world),
        raw_body=text,
    )
    assert status == 200, result
    assert {(g["sers_id"], g["grade"], g["credit_earned"]) for g in result["grades"]} == {
        (ann, "B+", True),
        (bea, "C", False),
    }
    # And a bad file is refused, naming the line and column
    status, answer = grades_api(
        "POST",
        f"/schools/{world.school_x}/grades/csv?school_year=2026-27",
        as_=_teacher(world),
        raw_body=f"sers_id,college_course_code,grade\n{ann},CS 999,A\n",
    )
    assert status == 400 and answer["errors"][0]["field"] == "line 2.college_course_code"
    status, answer = grades_api(
        "POST",
        f"/schools/{world.school_x}/grades/csv",
        as_=_teacher(world),
        raw_body="name,grade\nAnn,A\n",
    )
    assert (
        status == 400 and answer["errors"][0]["field"] == "file" and "sers_id" in answer["message"]
    )


def test_the_transcript_lists_earned_credit_of_paid_or_waived_years_only(grades_api, world):
    grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=_teacher(world),
        body=_rows(world, ann="A-", bea="A", cy="B-"),
    )
    # Ann: paid and A- (sent); Bea: A but fee due (held back); Cy: waived but B- (no credit)
    status, csv_text = grades_api("GET", "/grades/transcript?school_year=2026-27", as_=STAFF)
    assert status == 200
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("school_year,college,college_course_code")
    assert len(lines) == 2 and world.students["ann"].sers_id in lines[1] and ",A-," in lines[1]
    assert (
        grades_api("GET", "/grades/transcript?school_year=2026-27", as_=_teacher(world))[0] == 403
    )


def test_the_same_file_posted_twice_at_once_is_written_once(grades_api, world, atomic_requests):
    from concurrent.futures import ThreadPoolExecutor

    from dualcredit.dal import audit, keys

    # When two uploads of the same grades race each other
    def post(_):
        return grades_api(
            "PUT",
            f"/schools/{world.school_x}/grades",
            as_=_teacher(world),
            body=_rows(world, ann="A", bea="B"),
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(post, range(2)))
    # Then both succeed, the grades are written once, and audited once each
    assert [status for status, _ in answers] == [200, 200], answers
    assert sorted(answer["posted"] for _, answer in answers) == [0, 2]
    for name in ("ann", "bea"):
        entries = [
            e
            for e in audit.history(keys.student_pk(world.students[name].student_id))
            if e["action"] == "grade.posted"
        ]
        assert len(entries) == 1, (name, entries)


def test_posting_grades_takes_one_query_and_one_transaction_per_49(grades_api, world, aws):
    aws.clear()
    status, _ = grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=_teacher(world),
        body=_rows(world, ann="A", bea="B", cy="C"),
    )
    assert status == 200
    # The teacher's record read once (not removed, still at this school), the year's
    # window record once (its grades not finalized), the roster (GSI1) once; three grades
    # and their audit records in one transaction
    assert dict(aws) == {"GetItem": 2, "Query": 1, "TransactWriteItems": 1}


def test_a_file_that_is_not_csv_is_a_clear_400(grades_api, world):
    # A field longer than the csv module allows (a binary file, say) is refused, not a 500
    text = "sers_id,college_course_code,grade\n" + "x" * 200_000 + ",WELD 101,A\n"
    status, answer = grades_api(
        "POST", f"/schools/{world.school_x}/grades/csv", as_=_teacher(world), raw_body=text
    )
    assert status == 400 and answer["errors"][0]["field"] == "file", answer


# ------------------------------------------------------------------ who is really in the class


def _answers(world: World, **in_class: bool) -> dict:
    return {
        "school_year": "2026-27",
        "entries": [
            {
                "sers_id": world.students[name].sers_id,
                "offering_id": world.offering_x,
                "in_class": value,
            }
            for name, value in in_class.items()
        ],
    }


def test_a_school_says_who_is_really_in_its_class_and_no_credit_goes_out_for_the_others(
    api, grades_api, world
):
    # Given Ann (paid) and Cy (waived) both earned credit
    grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=_teacher(world),
        body=_rows(world, ann="A", cy="B"),
    )
    # When the teacher says Cy is not really in the class
    status, result = grades_api(
        "PUT",
        f"/schools/{world.school_x}/enrollments",
        as_=_teacher(world),
        body=_answers(world, cy=False),
    )
    assert status == 200 and (result["recorded"], result["unchanged"]) == (1, 0), result
    # Then the roster shows it, and the transcript carries Ann's credit only
    roster = {
        r["sers_id"]: r
        for r in api(
            "GET", f"/schools/{world.school_x}/roster?school_year=2026-27", as_=_teacher(world)
        )[1]
    }
    assert roster[world.students["cy"].sers_id]["in_class"] is False
    assert roster[world.students["ann"].sers_id]["in_class"] is True  # a posted grade confirms
    lines = (
        grades_api("GET", "/grades/transcript?school_year=2026-27", as_=STAFF)[1]
        .strip()
        .splitlines()
    )
    assert len(lines) == 2 and world.students["ann"].sers_id in lines[1]
    # And saying it again changes nothing; a grade posted later does not put Cy back in the
    # class (test_roster_batches), confirming her does, and her credit goes out again
    assert (
        grades_api(
            "PUT",
            f"/schools/{world.school_x}/enrollments",
            as_=_teacher(world),
            body=_answers(world, cy=False),
        )[1]["unchanged"]
        == 1
    )
    assert (
        grades_api(
            "PUT",
            f"/schools/{world.school_x}/grades",
            as_=_teacher(world),
            body=_rows(world, cy="A"),
        )[0]
        == 400
    )
    grades_api(
        "PUT",
        f"/schools/{world.school_x}/enrollments",
        as_=_teacher(world),
        body=_answers(world, cy=True),
    )
    lines = (
        grades_api("GET", "/grades/transcript?school_year=2026-27", as_=STAFF)[1]
        .strip()
        .splitlines()
    )
    assert len(lines) == 3


def test_an_answer_for_a_student_not_in_the_schools_roster_is_refused(grades_api, world):
    body = _answers(world, ann=True)
    body["entries"].append(
        {"sers_id": "TP3-27-ZZZZ", "offering_id": world.offering_x, "in_class": True}
    )
    status, answer = grades_api(
        "PUT", f"/schools/{world.school_x}/enrollments", as_=_teacher(world), body=body
    )
    assert status == 400 and answer["errors"][0]["field"] == "entries[1].offering_id", answer
    other = claims("teacher-y", groups=["school"], school_id=world.school_y)
    assert (
        grades_api(
            "PUT",
            f"/schools/{world.school_x}/enrollments",
            as_=other,
            body=_answers(world, ann=True),
        )[0]
        == 403
    )
