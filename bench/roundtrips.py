"""AWS requests per API route and per Stripe webhook event: each route called once,
in-process, as the right role, against a prepared world, and each kind of event
delivered once to the webhook handler; DynamoDB operations compared with the
fewest the access pattern allows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.stack import SCHOOL_YEAR, Api, AwsCalls, Webhook, paid_students
from bench.timing import BenchError


@dataclass(frozen=True)
class Step:
    method: str
    path: str  # API Gateway form, as in infra/template.yaml
    label: str  # what this call exercises
    expected: dict[str, int]  # the fewest DynamoDB operations the access pattern allows
    pattern: str  # why that is the minimum
    call: Callable[[Any], tuple[str, Any, Any]]  # world -> (url, claims or a Student, body)
    required: bool = True  # named in the issue (False: an extra route measured for completeness)
    function: str = "api"  # the functions/ folder that serves the route


def _steps() -> list[Step]:
    from tests.support.events import claims
    from tests.support.students import a_student
    from tests.support.world import STAFF

    carol = a_student("carol", last_name="Baker", birth_date="2009-09-09")
    teacher = lambda w: claims("teacher-x", groups=["school"], school_id=w.school_x)  # noqa: E731
    one_query = {"Query": 1}
    return [
        Step(
            "GET",
            "/schools",
            "list schools",
            one_query,
            "catalog list: 1 Query (GSI1)",
            lambda w: ("/schools", None, None),
        ),
        Step(
            "GET",
            "/schools/{school_id}/offerings",
            "a school's offerings",
            one_query,
            "catalog list: 1 Query (GSI1)",
            lambda w: (f"/schools/{w.school_x}/offerings", None, None),
        ),
        Step(
            "GET",
            "/window",
            "public window",
            {"GetItem": 1},
            "one window record: 1 GetItem",
            lambda w: ("/window", None, None),
        ),
        Step(
            "POST",
            "/sers-id/recovery",
            "recovery, known email",
            {"TransactWriteItems": 1, "GetItem": 2},
            "1 TransactWriteItems (throttles) + 1 GetItem (email claim) + 1 GetItem (the "
            "profile: the email goes in its language)",
            lambda w: ("/sers-id/recovery", None, {"email": "alice@example.org"}),
        ),
        Step(
            "POST",
            "/students/me",
            "create profile",
            {"GetItem": 1, "TransactWriteItems": 1},
            "1 GetItem (school) + 1 TransactWriteItems (profile, claims, audit)",
            lambda w: ("/students/me", carol, carol.profile(school_id=w.school_x)),
        ),
        Step(
            "GET",
            "/students/me",
            "own profile",
            {"GetItem": 1},
            "1 GetItem",
            lambda w: ("/students/me", carol, None),
            required=False,
        ),
        Step(
            "PATCH",
            "/students/me",
            "change phone",
            {"GetItem": 1, "TransactWriteItems": 1},
            "1 GetItem (before) + 1 TransactWriteItems",
            lambda w: ("/students/me", carol, {"phone": "425-555-0199"}),
        ),
        Step(
            "POST",
            "/students/me/registrations",
            "register 2 offerings",
            {"BatchGetItem": 1, "TransactWriteItems": 1},
            "1 BatchGetItem (profile, window, offerings) + 1 TransactWriteItems",
            lambda w: (
                "/students/me/registrations",
                carol,
                {"offering_ids": [w.offering_x, w.offering_x2]},
            ),
        ),
        Step(
            "GET",
            "/students/me/dashboard",
            "dashboard",
            one_query,
            "the student's partition: 1 Query",
            lambda w: ("/students/me/dashboard", carol, None),
        ),
        Step(
            "PATCH",
            "/students/me",
            "change school",
            {"GetItem": 2, "TransactWriteItems": 1},
            "1 GetItem (before) + 1 GetItem (new school) + 1 TransactWriteItems",
            lambda w: ("/students/me", carol, {"school_id": w.school_y}),
        ),
        Step(
            "GET",
            "/schools/{school_id}/roster",
            "roster, school user",
            {"GetItem": 1, "Query": 1},
            "the school user's record (still at this school?): 1 GetItem; the roster: 1 "
            "Query (school-year index)",
            lambda w: (f"/schools/{w.school_x}/roster", teacher(w), None),
        ),
        Step(
            "GET",
            "/students",
            "search ?sers_id=",
            {"GetItem": 2},
            "2 GetItem (SERS ID claim, profile)",
            lambda w: (f"/students?sers_id={w.students['alice'].sers_id}", STAFF, None),
        ),
        Step(
            "GET",
            "/students",
            "search ?email=",
            {"GetItem": 2},
            "2 GetItem (email claim, profile)",
            lambda w: ("/students?email=alice@example.org", STAFF, None),
        ),
        Step(
            "GET",
            "/students",
            "search ?last_name=",
            one_query,
            "1 Query (name index)",
            lambda w: ("/students?last_name=zamo", STAFF, None),
        ),
        Step(
            "GET",
            "/students/{student_id}",
            "a student, for staff",
            one_query,
            "the student's partition: 1 Query",
            lambda w: (f"/students/{w.students['alice'].student_id}", STAFF, None),
        ),
        Step(
            "PATCH",
            "/students/{student_id}/identity",
            "correct a last name",
            {"Query": 1, "TransactWriteItems": 1},
            "the student's partition: 1 Query + 1 TransactWriteItems "
            "(profile, claims, registrations, audit)",
            lambda w: (
                f"/students/{w.students['alice'].student_id}/identity",
                STAFF,
                {"legal_last_name": "Zamorra", "reason": "bench"},
            ),
            required=False,
        ),
        Step(
            "PUT",
            "/schools/{school_id}/grades",
            "post 1 grade, school user",
            {"GetItem": 2, "Query": 1, "TransactWriteItems": 1},
            "the teacher's record and the year's window record (not finalized): 2 GetItem; "
            "the roster: 1 Query (GSI1) + 1 TransactWriteItems per 49 changed grades",
            lambda w: (
                f"/schools/{w.school_x}/grades",
                teacher(w),
                {
                    "school_year": "2026-27",
                    "grades": [
                        {
                            "sers_id": w.students["alice"].sers_id,
                            "offering_id": w.offering_x,
                            "grade": "A",
                        }
                    ],
                },
            ),
            required=False,
            function="grade_import",
        ),
        Step(
            "GET",
            "/grades/transcript",
            "transcript CSV, staff",
            {"Query": 4},
            "1 Query (schools) + 1 GSI1 roster Query per school (2) + 1 GSI2 fee Query page",
            lambda w: ("/grades/transcript?school_year=2026-27", STAFF, None),
            required=False,
            function="grade_import",
        ),
        Step(
            "PUT",
            "/windows/{school_year}",
            "extend the window",
            {"GetItem": 1, "TransactWriteItems": 1},
            "1 GetItem (before) + 1 TransactWriteItems (window, audit)",
            lambda w: (f"/windows/{SCHOOL_YEAR}", STAFF, {"closes_on": "2027-06-22"}),
        ),
        Step(
            "POST",
            "/offerings",
            "create offering",
            {"BatchGetItem": 1, "TransactWriteItems": 1},
            "1 BatchGetItem (school, course) + 1 TransactWriteItems",
            lambda w: (
                "/offerings",
                STAFF,
                {
                    "school_id": w.school_y,
                    "school_year": SCHOOL_YEAR,
                    "teacher": "Mr. Chen",
                    "college_course_id": w.course,
                    "high_school_course": "Welding 3",
                },
            ),
        ),
        # Extras, not named in the issue: measured so no route goes unwatched.
        Step(
            "GET",
            "/windows/{school_year}",
            "staff window",
            {"GetItem": 1},
            "1 GetItem",
            lambda w: (f"/windows/{SCHOOL_YEAR}", STAFF, None),
            required=False,
        ),
        Step(
            "POST",
            "/schools",
            "create school",
            {"TransactWriteItems": 1},
            "1 TransactWriteItems (school, audit)",
            lambda w: ("/schools", STAFF, {"name": "North High School"}),
            required=False,
        ),
        Step(
            "PATCH",
            "/schools/{school_id}",
            "change school",
            {"GetItem": 1, "TransactWriteItems": 1},
            "1 GetItem (before) + 1 TransactWriteItems",
            lambda w: (f"/schools/{w.school_y}", STAFF, {"district": "Lake District"}),
            required=False,
        ),
        Step(
            "GET",
            "/college-courses",
            "list college courses",
            one_query,
            "catalog list: 1 Query",
            lambda w: ("/college-courses", STAFF, None),
            required=False,
        ),
        Step(
            "POST",
            "/college-courses",
            "create college course",
            {"TransactWriteItems": 1},
            "1 TransactWriteItems (course, audit)",
            lambda w: (
                "/college-courses",
                STAFF,
                {
                    "college": "Bellevue College",
                    "course_code": "WELD 102",
                    "title": "Welding II",
                    "credits": 5,
                },
            ),
            required=False,
        ),
        Step(
            "PATCH",
            "/offerings/{offering_id}",
            "change offering",
            {"GetItem": 1, "TransactWriteItems": 1},
            "1 GetItem (before) + 1 TransactWriteItems",
            lambda w: (f"/offerings/{w.offering_y}", STAFF, {"teacher": "Ms. Park"}),
            required=False,
        ),
        Step(
            "GET",
            "/schools/{school_id}/users",
            "a school's users",
            one_query,
            "catalog list: 1 Query",
            lambda w: (f"/schools/{w.school_x}/users", STAFF, None),
            required=False,
        ),
        Step(
            "GET",
            "/grading/{school_year}",
            "each school's grading progress, staff",
            {"GetItem": 1, "Query": 4},
            "the year's window record: 1 GetItem; the schools: 1 Query; each school's "
            "roster: 1 Query (GSI1) per school (3 here, with the one a step above adds)",
            lambda w: ("/grading/2026-27", STAFF, None),
            required=False,
        ),
        Step(
            "PUT",
            "/grading/{school_year}",
            "set the grading deadline",
            {"GetItem": 1, "TransactWriteItems": 1, "Query": 4},
            "1 GetItem (before) + 1 TransactWriteItems (record, audit); the answer's "
            "progress: 1 Query of schools + 1 roster Query per school",
            lambda w: ("/grading/2026-27", STAFF, {"deadline": "2027-06-20"}),
            required=False,
        ),
        Step(
            "POST",
            "/grading/{school_year}/finalize",
            "finalize a past year",
            {"GetItem": 1, "TransactWriteItems": 1, "Query": 4},
            "1 GetItem (before) + 1 TransactWriteItems (record, audit); the answer's "
            "progress: 1 Query of schools + 1 roster Query per school",
            lambda w: ("/grading/2025-26/finalize", STAFF, None),
            required=False,
        ),
        Step(
            "POST",
            "/students/{student_id}/grades/correction",
            "a staff correction of a grade",
            {"Query": 1, "TransactWriteItems": 1},
            "the student's partition: 1 Query + 1 TransactWriteItems (grade, audit)",
            lambda w: (
                f"/students/{w.students['alice'].student_id}/grades/correction",
                STAFF,
                {
                    "school_year": "2026-27",
                    "offering_id": w.offering_x,
                    "grade": "B+",
                    "reason": "bench",
                },
            ),
            required=False,
        ),
        Step(
            "GET",
            "/students/{student_id}/record",
            "the whole student, staff",
            {"Query": 4},
            "the student's partition, prior-year requests, schools, audit history: 4 Query",
            lambda w: (f"/students/{w.students['alice'].student_id}/record", STAFF, None),
            required=False,
        ),
    ]


#: Routes this benchmark cannot call without more of AWS than it stands up.
NOT_MEASURED = {
    ("POST", "/school-users"): "needs a Cognito user pool",
    ("POST", "/payments/{payment_id}/refund"): (
        "needs Stripe to refuse a duplicate's refund first (tests/integration/test_review_queue.py)"
    ),
}


def _row(
    method: str,
    route: str,
    url: str,
    case: str,
    status: int,
    calls: AwsCalls,
    expected: dict[str, int],
    pattern: str,
    required: bool,
) -> dict[str, Any]:
    dynamo = Counter(calls.by_service.get("dynamodb", {}))
    other = {
        f"{svc}.{op}": n
        for svc, ops in calls.by_service.items()
        if svc != "dynamodb"
        for op, n in ops.items()
    }
    total, expected_total = sum(dynamo.values()), sum(expected.values())
    verdict = (
        "ok"
        if dict(dynamo) == expected
        else ("OVER TARGET" if total > expected_total else "differs")
    )
    return {
        "method": method,
        "route": route,
        "url": url,
        "case": case,
        "status": status,
        "dynamodb": dict(sorted(dynamo.items())),
        "dynamodb_total": total,
        "expected": expected,
        "expected_total": expected_total,
        "pattern": pattern,
        "other_aws": other,
        "verdict": verdict,
        "required": required,
    }


def _counted[**P, T](calls: AwsCalls, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`call(*args, **kwargs)`, with `calls` counting the requests it makes (and only those)."""
    calls.clear()
    calls.enabled = True
    try:
        return call(*args, **kwargs)
    finally:
        calls.enabled = False


def measure(
    api: Api, world: Any, calls: AwsCalls, webhook: Webhook | None = None, stripe: Any = None
) -> dict[str, Any]:
    rows = []
    callers = {"api": api}
    for step in _steps():
        url, who, body = step.call(world)
        if step.function not in callers:
            callers[step.function] = Api(step.function)
        status, answer = _counted(
            calls, callers[step.function], step.method, url, as_=who, body=body
        )
        if status >= 300:
            raise BenchError(f"{step.method} {url}: status {status}: {answer}")
        rows.append(
            _row(
                step.method,
                step.path,
                url,
                step.label,
                status,
                calls,
                step.expected,
                step.pattern,
                step.required,
            )
        )
    if webhook is not None:
        rows += measure_webhook(api, world, webhook, stripe, calls)
    return {"routes": rows, "not_measured": _coverage(rows)}


# --------------------------------------------------------------------------- Stripe webhook

# The fewest DynamoDB operations per event, and why. Every event first passes
# Powertools idempotency (keyed by event id, records in the same table): a new event
# costs a conditional PutItem (the in-progress record) and, once handled, an
# UpdateItem (the saved result); a redelivered one costs only the PutItem, whose
# failed condition returns the stored record (ReturnValuesOnConditionCheckFailure),
# so nothing else runs. Events may arrive in any order, so an event that must know
# what a payment already is (completed, refunded) upserts its facts first
# (UpdateItem with if_not_exists, returning the record) and acts on what comes back.
# Not counted as DynamoDB: the SSM GetParameter for the webhook secret (once per
# 5 minutes per container), the receipt's SES SendEmail, Stripe calls (none unless
# a duplicate payment is refunded).
WEBHOOK_EXPECTED: dict[str, tuple[dict[str, int], str]] = {
    # 2026-12-02 (issue 9): 5, was 6. The paid session's check (what the session was
    # created to collect, the student its metadata names) reads the session record, the
    # profile and the student-year in one consistent BatchGetItem; the settle uses that
    # year for its first attempt and the receipt that profile, instead of a GetItem each.
    "completed": (
        {"PutItem": 1, "UpdateItem": 2, "BatchGetItem": 1, "TransactWriteItems": 1},
        "idempotency PutItem + UpdateItem; UpdateItem (upsert the payment: already settled, "
        "refunded or duplicate?); BatchGetItem (consistent: the app's record of the session, the "
        "profile and the student-year: amount, currency and student checked; which slot, waiver, "
        "late fee; the receipt's address); TransactWriteItems (payment, year, audit)",
    ),
    "redelivery": (
        {"PutItem": 1},
        "idempotency PutItem only: its failed condition returns the saved result",
    ),
    "refunded": (
        {"PutItem": 1, "UpdateItem": 2, "TransactWriteItems": 1},
        "idempotency PutItem + UpdateItem; UpdateItem (upsert the payment, learn what it "
        "settles); TransactWriteItems (payment status, the year's slot removed, audit)",
    ),
    "disputed": (
        {"PutItem": 1, "UpdateItem": 1, "TransactWriteItems": 1},
        "idempotency PutItem + UpdateItem; TransactWriteItems (flag the payment with an update, "
        "which also creates it if the dispute comes first, + audit). The dispute does not depend "
        "on the payment's state, so no upsert-and-read before it and no read after it",
    ),
    "expired": (
        {"PutItem": 1, "UpdateItem": 2},
        "idempotency PutItem + UpdateItem; UpdateItem (remove the checkout if it is still this "
        "session's)",
    ),
    # Extra: the one event that calls Stripe (and so also reads the secret key from SSM).
    # 2026-12-02 (issue 9): the BatchGetItem replaces the GetItem of the year, and the
    # one TransactWriteItems now comes before Stripe is asked (the duplicate is recorded
    # and flagged first); the refund itself is recorded by its charge.refunded event.
    "duplicate": (
        {"PutItem": 1, "UpdateItem": 2, "BatchGetItem": 1, "TransactWriteItems": 1},
        "idempotency PutItem + UpdateItem; UpdateItem (upsert the payment); BatchGetItem (session "
        "record, profile, student-year: checked, and nothing left to settle); TransactWriteItems "
        "(duplicate, needs review + audit, before Stripe is asked); refund through Stripe (its "
        "idempotency key makes a retry safe). Nothing needs reading back: the upsert already said "
        "what the payment was, and charge.refunded records the refund",
    ),
}


def measure_webhook(
    api: Api, world: Any, webhook: Webhook, stripe: Any, calls: AwsCalls
) -> list[dict]:
    """One delivery of each kind of event, in the order they happen to a payment.

    The Powertools secrets cache is emptied before each delivery, so "other" shows
    what an event needs from SSM at most once per 5 minutes per container."""
    from dualcredit.dal import payments as payment_data
    from dualcredit.dal import secrets

    def fee_status(student: Any) -> str:
        status, dashboard = api("GET", "/students/me/dashboard", as_=student)
        return next(y["fee_status"] for y in dashboard["years"] if y["school_year"] == SCHOOL_YEAR)

    from tests.support.world import STAFF

    completed_w, completed_x, completed_z = paid_students(
        api, world, stripe, ["wendy", "xena", "zoe"]
    )
    wendy, zoe = world.students["wendy"], world.students["zoe"]
    yara = world.student("yara", last_name="Bench")
    world.ok(
        "POST", "/students/me/registrations", as_=yara, body={"offering_ids": [world.offering_x]}
    )
    yara_session = world.ok("POST", "/students/me/checkout", as_=yara, body={})["session_id"]
    intent_w = completed_w["data"]["object"]["payment_intent"]
    intent_x = completed_x["data"]["object"]["payment_intent"]

    def refunded() -> dict:
        stripe.refund(intent_w)
        return stripe.events_of_type("charge.refunded")[-1]

    def disputed() -> dict:
        if webhook(completed_x)[0] != 200:  # xena's payment settles first (not measured)
            raise BenchError("webhook: xena's checkout.session.completed was refused")
        stripe.dispute(intent_x)
        return stripe.events_of_type("charge.dispute.created")[-1]

    def expired() -> dict:
        stripe.expire(yara_session)
        return stripe.events_of_type("checkout.session.expired")[-1]

    def duplicate() -> dict:  # staff record a check before zoe's card payment is delivered
        world.ok(
            "POST",
            f"/students/{zoe.student_id}/payments",
            as_=STAFF,
            body={
                "kind": "check",
                "school_year": SCHOOL_YEAR,
                "instrument_number": "1001",
                "amount_cents": 5000,
                "received_on": "2027-01-14",
                "payer_name": "Zoe Bench",
            },
        )
        return completed_z

    def disputed_in_app() -> bool:
        payment = payment_data.get_payment(intent_x)
        return payment is not None and payment.disputed

    def has_checkout(student: Any) -> bool:
        year = payment_data.student_year(student.student_id, SCHOOL_YEAR)
        return year is not None and year.checkout is not None

    def refunded_in_stripe(event: dict) -> bool:
        intent = stripe.payment_intents[event["data"]["object"]["payment_intent"]]
        return bool(stripe.charges[intent["latest_charge"]]["refunded"])

    cases: list[tuple[str, str, Callable[[], dict], Callable[[], bool]]] = [
        (
            "completed",
            "checkout.session.completed (first delivery)",
            lambda: completed_w,
            lambda: fee_status(wendy) == "paid",
        ),
        (
            "redelivery",
            "checkout.session.completed (redelivery)",
            lambda: completed_w,
            lambda: fee_status(wendy) == "paid",
        ),
        (
            "refunded",
            "charge.refunded (of the settling payment)",
            refunded,
            lambda: fee_status(wendy) == "due",
        ),
        (
            "disputed",
            "charge.dispute.created",
            disputed,
            disputed_in_app,
        ),
        (
            "expired",
            "checkout.session.expired",
            expired,
            lambda: not has_checkout(yara),
        ),
        (
            "duplicate",
            "checkout.session.completed (duplicate, refunded)",
            duplicate,
            lambda: refunded_in_stripe(completed_z) and fee_status(zoe) == "paid",
        ),
    ]
    rows = []
    for key, case, make_event, check in cases:
        event = make_event()
        secrets.forget()
        status, answer = _counted(calls, webhook, event)
        if status != 200 or not check():
            raise BenchError(f"webhook {case}: status {status}: {answer} (or not applied)")
        expected, pattern = WEBHOOK_EXPECTED[key]
        rows.append(
            _row(
                "POST",
                "/stripe/webhook",
                "/stripe/webhook",
                case,
                status,
                calls,
                expected,
                pattern,
                required=key != "duplicate",
            )
        )
    intent_z = completed_z["data"]["object"]["payment_intent"]
    return rows + _review_rows(api, calls, intent_z)


def _review_rows(api: Api, calls: AwsCalls, flagged_intent: str) -> list[dict]:
    """The staff review queue, once the webhook cases above flagged payments (a refund,
    a dispute, a duplicate), and the resolution of one of them."""
    from tests.support.world import STAFF

    steps = [
        (
            "GET",
            "/payments/review",
            "/payments/review",
            None,
            "review queue, 3 flagged",
            {"Query": 1, "BatchGetItem": 1},
            "1 Query (GSI2 REVIEW#payments) + 1 BatchGetItem (the named students' profiles)",
        ),
        (
            "POST",
            "/payments/{payment_id}/review",
            f"/payments/{flagged_intent}/review",
            {"note": "bench"},
            "resolve a flagged payment",
            {"GetItem": 1, "TransactWriteItems": 1},
            "1 GetItem (consistent: still flagged?) + 1 TransactWriteItems (off the queue + audit)",
        ),
    ]
    rows = []
    for method, route, url, body, case, expected, pattern in steps:
        status, answer = _counted(calls, api, method, url, as_=STAFF, body=body)
        if status >= 300:
            raise BenchError(f"{method} {url}: status {status}: {answer}")
        rows.append(
            _row(method, route, url, case, status, calls, expected, pattern, required=False)
        )
    return rows


def _coverage(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Template routes (any function's) that no row called."""
    from devstack.template import api_routes

    called = {(r["method"], r["route"]) for r in rows}
    return [
        {
            "method": route.method,
            "route": route.path,
            "function": route.function,
            "why": NOT_MEASURED.get((route.method, route.path), "no step in bench/roundtrips.py"),
        }
        for route in api_routes()
        if (route.method, route.path) not in called
    ]
