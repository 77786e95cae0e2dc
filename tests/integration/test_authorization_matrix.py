"""Every route against every role. API Gateway's authorizer stops anonymous callers
before the handler on authorized routes; the handler refuses them too (403), so a
misconfigured route cannot leak."""

from __future__ import annotations

from typing import Any

import pytest

from devstack.template import api_routes
from tests.support.events import claims
from tests.support.students import a_student
from tests.support.world import STAFF, World

ROLES = ("anonymous", "student_a", "student_b", "school_x", "school_y", "college", "staff")
EVERYONE = set(ROLES)
STUDENTS = {"student_a", "student_b"}
STAFF_ONLY = {"staff"}

# (method, template path) -> (concrete url, body, roles allowed)
MATRIX = {
    ("GET", "/schools"): ("/schools", None, EVERYONE),
    ("GET", "/schools/{school_id}/offerings"): ("/schools/{x}/offerings", None, EVERYONE),
    ("GET", "/window"): ("/window", None, EVERYONE),
    ("GET", "/program"): ("/program", None, EVERYONE),
    ("POST", "/sers-id/recovery"): ("/sers-id/recovery", {"email": "a@example.org"}, EVERYONE),
    # Anyone holding a link may stop its copies; an unknown token is a 404 for everyone.
    ("POST", "/guardian-copies/stop"): (
        "/guardian-copies/stop",
        {"token": "x" * 43},
        EVERYONE,
    ),
    ("POST", "/students/me"): ("/students/me", "profile", STUDENTS),
    ("GET", "/students/me"): ("/students/me", None, STUDENTS),
    ("PATCH", "/students/me"): ("/students/me", {"phone": "425-555-0101"}, STUDENTS),
    ("GET", "/students/me/dashboard"): ("/students/me/dashboard", None, STUDENTS),
    ("GET", "/students/me/overview"): ("/students/me/overview", None, STUDENTS),
    ("POST", "/students/me/registrations"): (
        "/students/me/registrations",
        "registration",
        STUDENTS,
    ),
    ("GET", "/schools/{school_id}/roster"): ("/schools/{x}/roster", None, {"school_x", "staff"}),
    ("POST", "/schools"): ("/schools", {"name": "New High"}, STAFF_ONLY),
    ("PATCH", "/schools/{school_id}"): ("/schools/{x}", {"district": "Lake WA"}, STAFF_ONLY),
    ("GET", "/college-courses"): ("/college-courses", None, STAFF_ONLY),
    ("POST", "/college-courses"): (
        "/college-courses",
        {"college": "BC", "course_code": "CS 1", "title": "Intro", "credits": 5},
        STAFF_ONLY,
    ),
    ("POST", "/offerings"): ("/offerings", "offering", STAFF_ONLY),
    ("PATCH", "/offerings/{offering_id}"): ("/offerings/{o}", {"teacher": "Mr. Lee"}, STAFF_ONLY),
    ("POST", "/school-users"): ("/school-users", "invite", STAFF_ONLY),
    ("GET", "/schools/{school_id}/users"): ("/schools/{x}/users", None, STAFF_ONLY),
    ("POST", "/school-users/resend"): ("/school-users/resend", "invite", STAFF_ONLY),
    ("POST", "/school-users/{user_id}/remove"): ("/school-users/nope/remove", None, STAFF_ONLY),
    ("PATCH", "/school-users/{user_id}"): ("/school-users/nope", "move", STAFF_ONLY),
    ("GET", "/windows/{school_year}"): ("/windows/2026-27", None, STAFF_ONLY),
    ("PUT", "/windows/{school_year}"): (
        "/windows/2026-27",
        {"closes_on": "2027-06-20"},
        STAFF_ONLY,
    ),
    ("GET", "/grading/{school_year}"): ("/grading/2026-27", None, STAFF_ONLY),
    ("PUT", "/grading/{school_year}"): (
        "/grading/2026-27",
        {"deadline": "2027-06-20"},
        STAFF_ONLY,
    ),
    # The world's clock is inside the window, before the deadline: staff get a 409 there.
    ("POST", "/grading/{school_year}/finalize"): ("/grading/2026-27/finalize", {}, STAFF_ONLY),
    ("POST", "/students/{student_id}/grades/correction"): (
        "/students/{a}/grades/correction",
        {"school_year": "2026-27", "offering_id": "nope", "grade": "A", "reason": "typo"},
        STAFF_ONLY,
    ),
    ("GET", "/students"): ("/students?last_name=smith", None, STAFF_ONLY),
    ("GET", "/students/{student_id}"): ("/students/{a}", None, STAFF_ONLY),
    ("GET", "/students/{student_id}/record"): ("/students/{a}/record", None, STAFF_ONLY),
    ("PATCH", "/students/{student_id}/identity"): (
        "/students/{a}/identity",
        {"legal_last_name": "Jones", "reason": "typo"},
        STAFF_ONLY,
    ),
    ("POST", "/students/me/checkout"): ("/students/me/checkout", {}, STUDENTS),
    # Only the student's own session settles (another's is a 404: test_fulfilment_...).
    ("POST", "/students/me/checkout/{session_id}/fulfil"): (
        "/students/me/checkout/cs_test_nope/fulfil",
        {},
        STUDENTS,
    ),
    ("POST", "/pay/lookup"): ("/pay/lookup", "pay", EVERYONE),
    ("POST", "/pay/checkout"): ("/pay/checkout", "pay", EVERYONE),
    # The session's id is the proof; one the app did not make is a 404 for anyone.
    ("POST", "/pay/checkout/{session_id}/fulfil"): (
        "/pay/checkout/cs_test_nope/fulfil",
        {},
        EVERYONE,
    ),
    ("POST", "/students/{student_id}/payments"): ("/students/{a}/payments", "check", STAFF_ONLY),
    ("POST", "/payments/{payment_id}/void"): (
        "/payments/nope/void",
        {"reason": "typo"},
        STAFF_ONLY,
    ),
    ("GET", "/payments/review"): ("/payments/review", None, STAFF_ONLY),
    ("POST", "/payments/{payment_id}/review"): (
        "/payments/nope/review",
        {"note": "checked"},
        STAFF_ONLY,
    ),
    ("POST", "/payments/{payment_id}/refund"): ("/payments/nope/refund", None, STAFF_ONLY),
    ("POST", "/students/me/waivers"): (
        "/students/me/waivers",
        {"reason": "free_reduced_lunch"},
        STUDENTS,
    ),
    ("GET", "/waivers"): ("/waivers", None, STAFF_ONLY),
    ("POST", "/waivers/decisions"): ("/waivers/decisions", "decisions", STAFF_ONLY),
    ("POST", "/students/me/prior-year-requests"): (
        "/students/me/prior-year-requests",
        "prior",
        STUDENTS,
    ),
    ("GET", "/prior-year-requests"): ("/prior-year-requests", None, STAFF_ONLY),
    ("POST", "/prior-year-requests/decisions"): (
        "/prior-year-requests/decisions",
        "decisions",
        STAFF_ONLY,
    ),
    ("GET", "/payments/report"): ("/payments/report", None, STAFF_ONLY),
    ("GET", "/payments/reconciliation"): ("/payments/reconciliation", None, STAFF_ONLY),
    ("GET", "/payments/report/csv"): ("/payments/report/csv", None, STAFF_ONLY),
    ("GET", "/reminders/preview"): ("/reminders/preview?days=7", None, STAFF_ONLY),
    ("GET", "/reminders/history"): ("/reminders/history", None, STAFF_ONLY),
    # GradeImportFunction
    ("PUT", "/schools/{school_id}/grades"): (
        "/schools/{x}/grades",
        "grades",
        {"school_x", "staff"},
    ),
    ("POST", "/schools/{school_id}/grades/csv"): (
        "/schools/{x}/grades/csv",
        "grades_csv",
        {"school_x", "staff"},
    ),
    ("PUT", "/schools/{school_id}/enrollments"): (
        "/schools/{x}/enrollments",
        "enrollments",
        {"school_x", "staff"},
    ),
    ("GET", "/grades/transcript"): ("/grades/transcript", None, STAFF_ONLY),
    # Large grade files through S3: the presigned POST, the status and the report. An
    # import school X never had is a 404 to those allowed.
    ("POST", "/schools/{school_id}/grade-files"): (
        "/schools/{x}/grade-files",
        {"school_year": "2026-27"},
        {"school_x", "staff"},
    ),
    ("GET", "/schools/{school_id}/grade-files/{import_id}"): (
        "/schools/{x}/grade-files/" + "0" * 32,
        None,
        {"school_x", "staff"},
    ),
    ("GET", "/schools/{school_id}/grade-files/{import_id}/report"): (
        "/schools/{x}/grade-files/" + "0" * 32 + "/report",
        None,
        {"school_x", "staff"},
    ),
    # College registrars and transcript batches (ApiFunction). Nothing is new for the
    # world's college, so staff's close is a 409; an unknown batch is a 404 to those allowed.
    ("POST", "/college-users"): ("/college-users", "college_invite", STAFF_ONLY),
    ("GET", "/college-users"): ("/college-users?college=Bellevue%20College", None, STAFF_ONLY),
    ("POST", "/college-users/{user_id}/remove"): ("/college-users/nope/remove", None, STAFF_ONLY),
    ("GET", "/transcript-batches"): ("/transcript-batches", None, {"college", "staff"}),
    ("POST", "/transcript-batches"): (
        "/transcript-batches",
        {"college": "Bellevue College", "school_year": "2026-27"},
        STAFF_ONLY,
    ),
    ("GET", "/transcript-batches/{batch_id}/csv"): (
        "/transcript-batches/nope/csv",
        None,
        {"college", "staff"},
    ),
    ("POST", "/transcript-batches/{batch_id}/posted"): (
        "/transcript-batches/nope/posted",
        {},
        {"college"},
    ),
}
API_FUNCTIONS = ("ApiFunction", "GradeImportFunction")


def test_the_matrix_covers_every_route_of_the_api():
    assert set(MATRIX) == {(r.method, r.path) for r in api_routes() if r.function in API_FUNCTIONS}


@pytest.fixture
def world(api, clock) -> World:
    clock("2027-01-15T10:00:00-08:00")
    built = World(api).build("2026-27")
    built.student("a")
    built.student("b", birth_date="2008-03-03")
    built.registrar = built.ok(
        "POST", "/college-users", body={"email": "reg@bellevue.edu", "college": "Bellevue College"}
    )["user_id"]
    return built


def _callers(world: World) -> dict[str, Any]:
    return {
        "anonymous": None,
        "student_a": world.students["a"],
        "student_b": world.students["b"],
        "school_x": claims("teacher-x", groups=["school"], school_id=world.school_x),
        "school_y": claims("teacher-y", groups=["school"], school_id=world.school_y),
        "college": claims(world.registrar, groups=["college"]),
        "staff": STAFF,
    }


def _grades_csv(world: World) -> str:
    return f"sers_id,college_course_code,grade\n{world.students['a'].sers_id},NOPE 1,B\n"


def _body(kind, world: World, role: str):
    if kind == "profile":
        return a_student(school_id=world.school_x).profile()
    if kind == "registration":
        return {"offering_ids": [world.offering_x]}
    if kind == "offering":
        return {
            "school_id": world.school_x,
            "school_year": "2026-27",
            "high_school_course": "CAD",
            "teacher": "Mr. Lee",
            "college_course_id": world.course,
        }
    if kind == "pay":
        return {"sers_id": world.students["a"].sers_id, "birth_date": "2001-01-01"}
    if kind == "check":
        return {
            "kind": "check",
            "school_year": "2026-27",
            "instrument_number": "1",
            "amount_cents": 5000,
            "received_on": "2027-01-10",
            "payer_name": "Pat",
        }
    if kind == "decisions":
        return {
            "decisions": [
                {
                    "student_id": world.students["a"].student_id,
                    "school_year": "2025-26",
                    "approve": False,
                    "request_id": "nope",
                }
            ]
        }
    if kind == "prior":
        return {
            "school_year": "2025-26",
            "school_id": world.school_x,
            "high_school_course": "Welding",
            "teacher": "Ms. R",
            "reason": "missed it",
        }
    if kind == "invite":
        return {"email": f"invite-{role}@example.org", "school_id": world.school_x}
    if kind == "college_invite":
        return {"email": f"registrar-{role}@example.edu", "college": "Bellevue College"}
    if kind == "move":
        return {"school_id": world.school_y}
    if kind == "enrollments":
        return {
            "school_year": "2026-27",
            "entries": [
                {
                    "sers_id": world.students["a"].sers_id,
                    "offering_id": world.offering_x,
                    "in_class": True,
                }
            ],
        }
    if kind == "grades":
        return {
            "school_year": "2026-27",
            "grades": [
                {
                    "sers_id": world.students["a"].sers_id,
                    "offering_id": world.offering_x,
                    "grade": "B+",
                }
            ],
        }
    return kind


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
def test_route_allows_exactly_its_roles(api, grades_api, world, route):
    template_url, body, allowed = MATRIX[route]
    url = template_url.format(
        x=world.school_x, o=world.offering_x, a=world.students["a"].student_id
    )
    function = next(r.function for r in api_routes() if (r.method, r.path) == route)
    call = grades_api if function == "GradeImportFunction" else api
    for role, who in _callers(world).items():
        if body == "grades_csv":
            status, answer = call(
                route[0],
                url,
                as_=who,
                raw_body=_grades_csv(world),
                source_ip=f"192.0.2.{ROLES.index(role)}",
            )
        else:
            status, answer = call(
                route[0],
                url,
                as_=who,
                body=_body(body, world, role),
                source_ip=f"192.0.2.{ROLES.index(role)}",
            )
        if role in allowed:
            assert status != 403 and status < 500, (role, status, answer)
        else:
            assert status == 403, (role, status, answer)


def test_students_only_ever_see_their_own_records(api, world):
    api(
        "POST",
        "/students/me/registrations",
        as_=world.students["a"],
        body={"offering_ids": [world.offering_x]},
    )
    dashboard_b = api("GET", "/students/me/dashboard", as_=world.students["b"])[1]
    assert dashboard_b["sers_id"] == world.students["b"].sers_id
    assert dashboard_b["years"] == []
    profile_b = api("GET", "/students/me", as_=world.students["b"])[1]
    assert profile_b["student_id"] == world.students["b"].student_id
