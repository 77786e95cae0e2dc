"""AWS requests per API route: each route called once, in-process, as the right
role, against a prepared world; DynamoDB operations compared with the fewest the
route's access pattern allows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.stack import SCHOOL_YEAR, Api, AwsCalls
from bench.timing import BenchError


@dataclass(frozen=True)
class Step:
    method: str
    path: str  # API Gateway form, as in infra/template.yaml
    label: str  # what this call exercises
    expected: dict[str, int]  # the fewest DynamoDB operations the access pattern allows
    pattern: str  # why that is the minimum
    call: Callable[[Any], tuple[str, dict | None, Any]]  # world -> (url, claims, body)
    required: bool = True  # named in the issue (False: an extra route measured for completeness)


def _steps() -> list[Step]:
    from tests.support.events import claims
    from tests.support.world import STAFF, profile_body

    carol = claims("student-carol", email="carol@example.org")
    teacher = lambda w: claims("teacher-x", groups=["school"], school_id=w.school_x)  # noqa: E731
    one_query = {"Query": 1}
    return [
        Step("GET", "/schools", "list schools", one_query, "catalog list: 1 Query (GSI1)",
             lambda w: ("/schools", None, None)),
        Step("GET", "/schools/{school_id}/offerings", "a school's offerings", one_query,
             "catalog list: 1 Query (GSI1)",
             lambda w: (f"/schools/{w.school_x}/offerings", None, None)),
        Step("GET", "/window", "public window", {"GetItem": 1}, "one window record: 1 GetItem",
             lambda w: ("/window", None, None)),
        Step("POST", "/sers-id/recovery", "recovery, known email",
             {"TransactWriteItems": 1, "GetItem": 1},
             "1 TransactWriteItems (throttles) + 1 GetItem (email claim)",
             lambda w: ("/sers-id/recovery", None, {"email": "alice@example.org"})),
        Step("POST", "/students/me", "create profile", {"GetItem": 1, "TransactWriteItems": 1},
             "1 GetItem (school) + 1 TransactWriteItems (profile, claims, audit)",
             lambda w: ("/students/me", carol,
                        profile_body(w.school_x, legal_first_name="Carol", legal_last_name="Baker",
                                     birth_date="2009-09-09"))),
        Step("GET", "/students/me", "own profile", {"GetItem": 1}, "1 GetItem",
             lambda w: ("/students/me", carol, None), required=False),
        Step("PATCH", "/students/me", "change phone", {"GetItem": 1, "TransactWriteItems": 1},
             "1 GetItem (before) + 1 TransactWriteItems",
             lambda w: ("/students/me", carol, {"phone": "425-555-0199"})),
        Step("POST", "/students/me/registrations", "register 2 offerings",
             {"BatchGetItem": 1, "TransactWriteItems": 1},
             "1 BatchGetItem (profile, window, offerings) + 1 TransactWriteItems",
             lambda w: ("/students/me/registrations", carol,
                        {"offering_ids": [w.offering_x, w.offering_x2]})),
        Step("GET", "/students/me/dashboard", "dashboard", one_query, "the student's partition: 1 Query",
             lambda w: ("/students/me/dashboard", carol, None)),
        Step("PATCH", "/students/me", "change school", {"GetItem": 2, "TransactWriteItems": 1},
             "1 GetItem (before) + 1 GetItem (new school) + 1 TransactWriteItems",
             lambda w: ("/students/me", carol, {"school_id": w.school_y})),
        Step("GET", "/schools/{school_id}/roster", "roster, school user", one_query,
             "catalog list: 1 Query (school-year index)",
             lambda w: (f"/schools/{w.school_x}/roster", teacher(w), None)),
        Step("GET", "/students", "search ?sers_id=", {"GetItem": 2},
             "2 GetItem (SERS ID claim, profile)",
             lambda w: (f"/students?sers_id={w.students['alice']['sers_id']}", STAFF, None)),
        Step("GET", "/students", "search ?email=", {"GetItem": 2}, "2 GetItem (email claim, profile)",
             lambda w: ("/students?email=alice@example.org", STAFF, None)),
        Step("GET", "/students", "search ?last_name=", one_query, "1 Query (name index)",
             lambda w: ("/students?last_name=zamo", STAFF, None)),
        Step("GET", "/students/{student_id}", "a student, for staff", one_query,
             "the student's partition: 1 Query",
             lambda w: (f"/students/{w.students['alice']['student_id']}", STAFF, None)),
        Step("PUT", "/windows/{school_year}", "extend the window", {"GetItem": 1, "TransactWriteItems": 1},
             "1 GetItem (before) + 1 TransactWriteItems (window, audit)",
             lambda w: (f"/windows/{SCHOOL_YEAR}", STAFF, {"closes_on": "2027-06-22"})),
        Step("POST", "/offerings", "create offering", {"BatchGetItem": 1, "TransactWriteItems": 1},
             "1 BatchGetItem (school, course) + 1 TransactWriteItems",
             lambda w: ("/offerings", STAFF, {
                 "school_id": w.school_y, "school_year": SCHOOL_YEAR, "teacher": "Mr. Chen",
                 "college_course_id": w.course, "high_school_course": "Welding 3"})),
        # Extras, not named in the issue: measured so no route goes unwatched.
        Step("GET", "/windows/{school_year}", "staff window", {"GetItem": 1}, "1 GetItem",
             lambda w: (f"/windows/{SCHOOL_YEAR}", STAFF, None), required=False),
        Step("POST", "/schools", "create school", {"TransactWriteItems": 1},
             "1 TransactWriteItems (school, audit)",
             lambda w: ("/schools", STAFF, {"name": "North High School"}), required=False),
        Step("PATCH", "/schools/{school_id}", "change school", {"GetItem": 1, "TransactWriteItems": 1},
             "1 GetItem (before) + 1 TransactWriteItems",
             lambda w: (f"/schools/{w.school_y}", STAFF, {"district": "Lake District"}), required=False),
        Step("GET", "/college-courses", "list college courses", one_query, "catalog list: 1 Query",
             lambda w: ("/college-courses", STAFF, None), required=False),
        Step("POST", "/college-courses", "create college course", {"TransactWriteItems": 1},
             "1 TransactWriteItems (course, audit)",
             lambda w: ("/college-courses", STAFF, {"college": "Bellevue College", "course_code": "WELD 102",
                                                    "title": "Welding II", "credits": 5}), required=False),
        Step("PATCH", "/offerings/{offering_id}", "change offering", {"GetItem": 1, "TransactWriteItems": 1},
             "1 GetItem (before) + 1 TransactWriteItems",
             lambda w: (f"/offerings/{w.offering_y}", STAFF, {"teacher": "Ms. Park"}), required=False),
        Step("GET", "/schools/{school_id}/users", "a school's users", one_query, "catalog list: 1 Query",
             lambda w: (f"/schools/{w.school_x}/users", STAFF, None), required=False),
    ]


#: Routes this benchmark cannot call without more of AWS than it stands up.
NOT_MEASURED = {("POST", "/school-users"): "needs a Cognito user pool"}


def measure(api: Api, world: Any, calls: AwsCalls) -> dict[str, Any]:
    rows = []
    for step in _steps():
        url, who, body = step.call(world)
        calls.clear()
        calls.enabled = True
        try:
            status, answer = api(step.method, url, as_=who, body=body)
        finally:
            calls.enabled = False
        if status >= 300:
            raise BenchError(f"{step.method} {url}: status {status}: {answer}")
        dynamo = Counter(calls.by_service.get("dynamodb", {}))
        other = {f"{svc}.{op}": n for svc, ops in calls.by_service.items() if svc != "dynamodb"
                 for op, n in ops.items()}
        total, expected_total = sum(dynamo.values()), sum(step.expected.values())
        verdict = "ok" if dict(dynamo) == step.expected else (
            "OVER TARGET" if total > expected_total else "differs")
        rows.append({
            "method": step.method, "route": step.path, "url": url, "case": step.label,
            "status": status, "dynamodb": dict(sorted(dynamo.items())), "dynamodb_total": total,
            "expected": step.expected, "expected_total": expected_total, "pattern": step.pattern,
            "other_aws": other, "verdict": verdict, "required": step.required,
        })
    return {"routes": rows, "not_measured": _coverage(rows)}


def _coverage(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Template routes (any function's) that no row called."""
    from devstack.template import api_routes

    called = {(r["method"], r["route"]) for r in rows}
    return [
        {"method": route.method, "route": route.path, "function": route.function,
         "why": NOT_MEASURED.get((route.method, route.path), "no step in bench/roundtrips.py")}
        for route in api_routes() if (route.method, route.path) not in called
    ]
