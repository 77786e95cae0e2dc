"""Transcript batches on moto: staff close a batch for a college and year, a later batch
holds only what is new, corrected or withdrawn, the college's registrar downloads it and
marks it posted (whole or by rows), and sees only their own college."""

from __future__ import annotations

import csv
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.support.events import claims
from tests.support.world import STAFF, World

YEAR = "2026-27"
BELLEVUE = "Bellevue College"


@pytest.fixture
def world(api, clock) -> World:
    """2026-27 at school X, Welding 1 (Bellevue College, WELD 101): Ann (paid by check),
    Bea (fee due), Cy (waived)."""
    clock("2027-01-15T10:00:00-08:00")
    built = World(api).build(YEAR)
    for name, birth in (("ann", "2008-04-01"), ("bea", "2008-05-02"), ("cy", "2008-06-03")):
        student = built.student(name, birth_date=birth)
        built.ok(
            "POST",
            "/students/me/registrations",
            as_=student,
            body={"offering_ids": [built.offering_x]},
        )
    _pay(built, "ann")
    cy = built.students["cy"]
    built.ok("POST", "/students/me/waivers", as_=cy, body={"reason": "free_reduced_lunch"})
    built.ok(
        "POST",
        "/waivers/decisions",
        body={"decisions": [{"student_id": cy.student_id, "school_year": YEAR, "approve": True}]},
    )
    clock("2027-06-10T10:00:00-07:00")
    return built


def _pay(world: World, name: str) -> None:
    world.ok(
        "POST",
        f"/students/{world.students[name].student_id}/payments",
        body={
            "kind": "check",
            "school_year": YEAR,
            "instrument_number": f"7{name}",
            "amount_cents": 5000,
            "received_on": "2027-01-14",
            "payer_name": "Pat",
        },
    )


def _grades(grades_api: Any, world: World, **by_name: str) -> None:
    teacher = claims("teacher-x", groups=["school"], school_id=world.school_x)
    rows = [
        {"sers_id": world.students[n].sers_id, "offering_id": world.offering_x, "grade": g}
        for n, g in by_name.items()
    ]
    status, answer = grades_api(
        "PUT",
        f"/schools/{world.school_x}/grades",
        as_=teacher,
        body={"school_year": YEAR, "grades": rows},
    )
    assert status == 200, answer


def _registrar(world: World, college: str = BELLEVUE, who: str = "reg") -> dict[str, str]:
    user = world.ok(
        "POST", "/college-users", body={"email": f"{who}@college.edu", "college": college}
    )
    assert user["college"] == college
    return claims(user["user_id"], email=f"{who}@college.edu", groups=["college"])


def _close(api: Any, college: str = BELLEVUE) -> tuple[int, Any]:
    return api(
        "POST", "/transcript-batches", as_=STAFF, body={"college": college, "school_year": YEAR}
    )


def _csv(api: Any, batch_id: str, who: Any) -> list[dict[str, str]]:
    status, text = api("GET", f"/transcript-batches/{batch_id}/csv", as_=who)
    assert status == 200, text
    assert text.startswith("\ufeff")  # Excel opens UTF-8 right only with the BOM
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def _line(rows: list[dict[str, str]], world: World, name: str) -> dict[str, str]:
    return next(r for r in rows if r["sers_id"] == world.students[name].sers_id)


def test_a_registrar_is_invited_for_a_college_the_catalog_names(api, world):
    # Given the catalog's one college, Bellevue College
    # When staff invite a registrar for it, and another for a college no course names
    registrar = world.ok(
        "POST",
        "/college-users",
        body={"email": "reg@bellevuecollege.edu", "college": "bellevue college"},
    )
    status, refused = api(
        "POST", "/college-users", as_=STAFF, body={"email": "x@nowhere.edu", "college": "Nowhere U"}
    )
    # Then the first is tied to Bellevue College (as the catalog spells it), listed under it
    assert registrar["college"] == BELLEVUE
    listed = world.ok("GET", "/college-users?college=Bellevue%20College")
    assert [u["user_id"] for u in listed] == [registrar["user_id"]]
    # And the second is a 400 naming the field
    assert status == 400 and refused["errors"][0]["field"] == "college", refused


def test_the_first_batch_holds_every_credit_to_send_with_what_the_registrar_needs(
    api, grades_api, world
):
    # Given Ann (paid) A-, Bea (fee due) A, Cy (waived) B
    _grades(grades_api, world, ann="A-", bea="A", cy="B")
    # When staff close Bellevue College's first batch
    status, batch = _close(api)
    # Then it holds Ann and Cy as new (Bea's fee is not settled), numbered 1
    assert status == 201, batch
    assert (batch["number"], batch["lines"], batch["new"]) == (1, 2, 2)
    rows = _csv(api, batch["batch_id"], STAFF)
    assert sorted(r["sers_id"] for r in rows) == sorted(
        world.students[n].sers_id for n in ("ann", "cy")
    )
    ann = _line(rows, world, "ann")
    # And each row carries the batch, its date and everything needed to post without retyping
    assert ann["batch"] == "1" and ann["batch_date"] == "2027-06-10" and ann["mark"] == "new"
    assert ann["birth_date"] == "2008-04-01"
    assert ann["legal_last_name"] == world.students["ann"].last_name
    assert ann["email"] == world.students["ann"].email
    assert ann["high_school"] == "Lake High School"
    assert (ann["college_course_code"], ann["college_course_title"], ann["credits"]) == (
        "WELD 101",
        "Welding Fundamentals",
        "5",
    )
    assert (ann["grade"], ann["school_year"], ann["teacher"]) == ("A-", YEAR, "Ms. Rivera")


def test_a_later_batch_holds_only_what_is_new_corrected_or_withdrawn(api, grades_api, world):
    # Given a first batch with Ann (A-) and Cy (B)
    _grades(grades_api, world, ann="A-", bea="A", cy="B")
    first = _close(api)[1]
    # When Bea's fee is paid, Ann's grade changes to A and Cy's to B- (no credit)
    _pay(world, "bea")
    _grades(grades_api, world, ann="A", cy="B-")
    status, second = _close(api)
    # Then the second batch holds Bea new, Ann corrected and Cy withdrawn, nothing else
    assert status == 201, second
    assert (second["number"], second["new"], second["corrected"], second["withdrawn"]) == (
        2,
        1,
        1,
        1,
    )
    rows = _csv(api, second["batch_id"], STAFF)
    marks = {name: _line(rows, world, name)["mark"] for name in ("ann", "bea", "cy")}
    assert marks == {"ann": "corrected", "bea": "new", "cy": "withdrawn"}
    assert _line(rows, world, "ann")["grade"] == "A"
    assert _line(rows, world, "cy")["grade"] == "B"  # what the college holds, to find it
    # And each class names the last batch that sent it (Cy's, the withdrawal)
    record = world.ok("GET", f"/students/{world.students['cy'].student_id}/record")
    assert record["classes"][0]["batch"] == "2 (withdrawn, 2027-06-10)"
    # And closing again with nothing changed makes no third batch
    status, refused = _close(api)
    assert status == 409 and "batch 2" in refused["message"], refused
    overview = world.ok("GET", f"/transcript-batches?school_year={YEAR}")
    assert [b["batch_id"] for b in overview[0]["batches"]] == [
        first["batch_id"],
        second["batch_id"],
    ]


def test_the_registrar_marks_rows_posted_and_the_student_sees_it(api, grades_api, world):
    # Given a batch with Ann and Cy, and Bellevue College's registrar
    _grades(grades_api, world, ann="A-", cy="B")
    batch = _close(api)[1]
    registrar = _registrar(world)
    rows = _csv(api, batch["batch_id"], registrar)
    ann_line = _line(rows, world, "ann")["line"]
    # When the registrar marks Ann's row posted, then the whole batch
    status, by_row = api(
        "POST",
        f"/transcript-batches/{batch['batch_id']}/posted",
        as_=registrar,
        body={"lines": [ann_line]},
    )
    assert status == 200, by_row
    status, whole = api(
        "POST", f"/transcript-batches/{batch['batch_id']}/posted", as_=registrar, body={}
    )
    # Then Ann is posted first, then only Cy is new (Ann keeps her first posting)
    assert (by_row["recorded"], by_row["already_posted"], by_row["batch"]["posted"]) == (1, 0, 1)
    assert (whole["recorded"], whole["already_posted"], whole["batch"]["posted"]) == (1, 1, 2)
    # And Ann's own dashboard says the credit was posted by Bellevue College on that date
    dashboard = world.ok("GET", "/students/me/dashboard", as_=world.students["ann"])
    (registration,) = dashboard["years"][0]["registrations"]
    assert registration["credit_posted"] == {
        "college": BELLEVUE,
        "posted_on": "2027-06-10",
        "batch_number": 1,
    }
    # And staff's page of the student names the batch that sent it and the posting
    record = world.ok("GET", f"/students/{world.students['ann'].student_id}/record")
    assert record["classes"][0]["batch"] == "1 (new, 2027-06-10; posted 2027-06-10)"
    # And the batch's file says when each row was posted
    rows = _csv(api, batch["batch_id"], registrar)
    assert {r["posted_on"] for r in rows} == {"2027-06-10"}
    # And staff see, for the college: earned, exported, posted
    (college,) = world.ok("GET", f"/transcript-batches?school_year={YEAR}")
    assert (college["earned"], college["exported"], college["posted"]) == (2, 2, 2)


def test_a_withdrawal_posted_takes_the_credit_off_the_students_class(api, grades_api, world):
    # Given Cy's credit posted from batch 1, then withdrawn in batch 2 (grade B-)
    _grades(grades_api, world, cy="B")
    registrar = _registrar(world)
    first = _close(api)[1]
    api("POST", f"/transcript-batches/{first['batch_id']}/posted", as_=registrar, body={})
    _grades(grades_api, world, cy="B-")
    second = _close(api)[1]
    # When the registrar posts batch 2
    status, _ = api(
        "POST", f"/transcript-batches/{second['batch_id']}/posted", as_=registrar, body={}
    )
    # Then Cy's class no longer says posted, and staff count nothing exported or posted
    assert status == 200
    dashboard = world.ok("GET", "/students/me/dashboard", as_=world.students["cy"])
    assert dashboard["years"][0]["registrations"][0]["credit_posted"] is None
    (college,) = world.ok("GET", f"/transcript-batches?school_year={YEAR}")
    assert (college["earned"], college["exported"], college["posted"]) == (0, 0, 0)


def test_a_row_the_batch_does_not_hold_is_refused_and_nothing_is_posted(api, grades_api, world):
    # Given a batch with Ann and Cy
    _grades(grades_api, world, ann="A-", cy="B")
    batch = _close(api)[1]
    registrar = _registrar(world)
    ann_line = _line(_csv(api, batch["batch_id"], registrar), world, "ann")["line"]
    # When the registrar names Ann's row and one the batch does not hold
    status, refused = api(
        "POST",
        f"/transcript-batches/{batch['batch_id']}/posted",
        as_=registrar,
        body={"lines": [ann_line, "nobody:nothing"]},
    )
    # Then it is a 400 naming the rows, and Ann's row is not posted either
    assert status == 400 and refused["errors"][0]["field"] == "lines", refused
    (college,) = world.ok("GET", f"/transcript-batches?school_year={YEAR}")
    assert college["posted"] == 0


def test_a_registrar_sees_only_their_own_college(api, grades_api, world):
    # Given a second college with its own registrar, and a Bellevue College batch
    world.ok(
        "POST",
        "/college-courses",
        body={
            "college": "Clark College",
            "course_code": "MFG 110",
            "title": "Machining",
            "credits": 3,
        },
    )
    _grades(grades_api, world, ann="A-")
    batch = _close(api)[1]
    clark = _registrar(world, "Clark College", who="clark")
    # When Clark College's registrar lists batches, asks for Bellevue's, downloads and posts it
    status, listed = api("GET", f"/transcript-batches?school_year={YEAR}", as_=clark)
    asked = api("GET", f"/transcript-batches?school_year={YEAR}&college={BELLEVUE}", as_=clark)[0]
    download = api("GET", f"/transcript-batches/{batch['batch_id']}/csv", as_=clark)[0]
    posting = api("POST", f"/transcript-batches/{batch['batch_id']}/posted", as_=clark, body={})[0]
    # Then they see Clark College only (no batch yet), and Bellevue's batch is refused
    assert status == 200 and [c["college"] for c in listed] == ["Clark College"]
    assert listed[0]["batches"] == [] and listed[0]["earned"] == 0
    assert (asked, download, posting) == (403, 403, 403)
    # And staff cannot mark a batch posted for the college (the registrar does)
    assert (
        api("POST", f"/transcript-batches/{batch['batch_id']}/posted", as_=STAFF, body={})[0] == 403
    )


def test_closing_the_same_batch_twice_at_once_makes_one_batch(
    api, grades_api, world, atomic_requests, monkeypatch
):
    from dualcredit.dal import transcripts as transcript_data

    _grades(grades_api, world, ann="A-", cy="B")
    # Given two closes that both read the college's batches before either writes
    both_read = threading.Barrier(2, timeout=10)
    read = transcript_data.read_partition

    def read_then_wait(school_year: str, college: str) -> Any:
        partition = read(school_year, college)
        both_read.wait()
        return partition

    monkeypatch.setattr(transcript_data, "read_partition", read_then_wait)
    # When both close Bellevue College's batch
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda _: _close(api), range(2)))
    monkeypatch.setattr(transcript_data, "read_partition", read)
    # Then one batch is made, the other close is a 409, and the batch holds each credit once
    assert sorted(status for status, _ in answers) == [201, 409], answers
    made = next(answer for status, answer in answers if status == 201)
    (college,) = world.ok("GET", f"/transcript-batches?school_year={YEAR}")
    assert [b["batch_id"] for b in college["batches"]] == [made["batch_id"]]
    assert college["exported"] == 2
    assert len(_csv(api, made["batch_id"], STAFF)) == 2


def test_a_removed_registrar_is_refused_at_once(api, grades_api, world):
    # Given a registrar who downloaded their college's batch
    _grades(grades_api, world, ann="A-")
    batch = _close(api)[1]
    registrar = _registrar(world)
    assert api("GET", f"/transcript-batches/{batch['batch_id']}/csv", as_=registrar)[0] == 200
    # When staff remove them (twice: the second finds it done)
    removed = world.ok("POST", f"/college-users/{registrar['sub']}/remove")
    again = world.ok("POST", f"/college-users/{registrar['sub']}/remove")
    # Then the record says removed, and their still-valid token is refused everywhere
    assert removed["status"] == again["status"] == "removed"
    assert removed["removed_at"] == again["removed_at"]
    for method, url in (
        ("GET", f"/transcript-batches?school_year={YEAR}"),
        ("GET", f"/transcript-batches/{batch['batch_id']}/csv"),
    ):
        assert api(method, url, as_=registrar)[0] == 403, url


def test_closing_and_posting_take_a_bounded_number_of_requests(api, grades_api, world, aws):
    # Given Ann and Cy's credits to send (two schools in the catalog, one college)
    _grades(grades_api, world, ann="A-", cy="B")
    registrar = _registrar(world)
    # When staff close the batch
    aws.clear()
    status, batch = _close(api)
    # Then: the colleges (1 Query), the batches so far (1 Query), the credits to send (the
    # schools, each school's roster, the year's student-years: 4 Queries), the profiles
    # (1 BatchGetItem); the lines (1 transaction per 100), the claim (1), the classes'
    # note (1 per 100)
    assert status == 201
    assert dict(aws) == {"Query": 6, "BatchGetItem": 1, "TransactWriteItems": 3}
    # When the registrar marks it posted whole
    aws.clear()
    status, _ = api(
        "POST", f"/transcript-batches/{batch['batch_id']}/posted", as_=registrar, body={}
    )
    # Then: the registrar's record and the batch's pointer (2 GetItem), the batch (1 Query),
    # the lines and the classes (1 transaction per 50 lines), the audit record (1)
    assert status == 200
    assert dict(aws) == {"GetItem": 2, "Query": 1, "TransactWriteItems": 2}


def test_postings_in_any_order_end_with_the_latest_batch(api, grades_api, world):
    # Given Cy sent in batch 1, then withdrawn in batch 2, neither posted yet
    _grades(grades_api, world, cy="B")
    registrar = _registrar(world)
    first = _close(api)[1]
    _grades(grades_api, world, cy="B-")
    second = _close(api)[1]
    # When the registrar posts batch 2 first, then batch 1
    for batch in (second, first):
        status, _ = api(
            "POST", f"/transcript-batches/{batch['batch_id']}/posted", as_=registrar, body={}
        )
        assert status == 200
    # Then Cy's class does not say posted: the older batch's posting did not bring it back
    dashboard = world.ok("GET", "/students/me/dashboard", as_=world.students["cy"])
    assert dashboard["years"][0]["registrations"][0]["credit_posted"] is None
    # And both batches' rows are posted
    (college,) = world.ok("GET", f"/transcript-batches?school_year={YEAR}")
    assert [b["posted"] for b in college["batches"]] == [1, 1]
