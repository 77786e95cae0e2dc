"""Demo data, created the way people create it: through the API, with a staff
sign-in, so every record passes the same validation and audit as in production.
Only what the API cannot do (creating the staff account, setting known passwords,
setting up the staff and school accounts' authenticator: TOTP is required in the
invited pool) goes to Cognito directly. The stack starts empty, so this runs once per start."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.error import HTTPError
from urllib.request import ProxyHandler, Request, build_opener

from dualcredit import clock, rules

_LOCAL = build_opener(ProxyHandler({}))

STAFF_EMAIL = "staff@example.org"
# Printed by `make dev`; they exist only in the local moto user pool.
STAFF_PASSWORD = "Staff-Dev-Pass-1"  # noqa: S105
SCHOOL_USER_EMAIL = "teacher@example.org"
SCHOOL_USER_PASSWORD = "Teacher-Dev-Pass-1"  # noqa: S105
REGISTRAR_EMAIL = "registrar@example.org"
REGISTRAR_PASSWORD = "Registrar-Dev-Pass-1"  # noqa: S105
STUDENT_EMAIL = "student@example.org"
STUDENT_PASSWORD = "Student-Dev-Pass-1"  # noqa: S105
STUDENT_BIRTH_DATE = "2009-03-14"  # with the SERS ID, what a parent pays with at /pay

SCHOOLS = [
    {
        "name": "Lake Washington High School",
        "kind": "high_school",
        "district": "Lake Washington School District",
    },
    {
        "name": "Sammamish High School",
        "kind": "high_school",
        "district": "Bellevue School District",
    },
    {"name": "Tech Skill Center", "kind": "skill_center", "district": "Tri-District"},
]

COURSES = [
    {
        "college": "Bellevue College",
        "course_code": "WELD 101",
        "title": "Welding Fundamentals",
        "credits": 5,
    },
    {
        "college": "Lake Washington Institute of Technology",
        "course_code": "AUTO 110",
        "title": "Introduction to Automotive Technology",
        "credits": 5,
    },
    {
        "college": "Renton Technical College",
        "course_code": "CUL 101",
        "title": "Culinary Foundations",
        "credits": 3,
    },
]

#: (school index, course index, high-school course, teacher)
OFFERINGS = [
    (0, 0, "Welding 1", "Ms. Rivera"),
    (0, 2, "Culinary Arts 1", "Mr. Okafor"),
    (1, 2, "ProStart Culinary", "Ms. Nguyen"),
    (2, 0, "Welding Technology", "Mr. Hansen"),
    (2, 1, "Automotive Technology", "Ms. Patel"),
]


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    note: str = ""
    #: Staff and school accounts sign in with a TOTP code too: the authenticator secret.
    totp_secret: str | None = None


@dataclass
class SeedResult:
    accounts: list[DemoAccount] = field(default_factory=list)
    schools: list[dict[str, Any]] = field(default_factory=list)
    courses: list[dict[str, Any]] = field(default_factory=list)
    offerings: list[dict[str, Any]] = field(default_factory=list)
    school_years: list[str] = field(default_factory=list)
    student: dict[str, Any] | None = None
    #: The demo student's registration this school year (None when its window is not open).
    registration: dict[str, Any] | None = None


class SeedError(RuntimeError):
    pass


class ApiClient:
    """JSON over HTTP to the gateway, as the web front end calls it."""

    def __init__(self, api_url: str, token: str | None = None) -> None:
        self.api_url = api_url.rstrip("/")
        self.token = token

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = Request(f"{self.api_url}{path}", data=data, method=method)  # noqa: S310 - http://127.0.0.1
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with _LOCAL.open(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        status, answer = self.call(method, path, body)
        if status >= 300:
            raise SeedError(f"{method} {path} -> {status}: {answer}")
        return answer


def _create_staff_user(cognito: Any, pool: str) -> None:
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=STAFF_EMAIL,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": STAFF_EMAIL},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    cognito.admin_set_user_password(
        UserPoolId=pool, Username=STAFF_EMAIL, Password=STAFF_PASSWORD, Permanent=True
    )
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=STAFF_EMAIL, GroupName="staff")


def _sign_up_student(stack: Any) -> str:
    """A student signs up the way the web front end does it; their ID token."""
    cognito = stack.client("cognito-idp")
    cognito.sign_up(
        ClientId=stack.client_id,
        Username=STUDENT_EMAIL,
        Password=STUDENT_PASSWORD,
        UserAttributes=[{"Name": "email", "Value": STUDENT_EMAIL}],
    )
    cognito.confirm_sign_up(
        ClientId=stack.client_id, Username=STUDENT_EMAIL, ConfirmationCode="123456"
    )
    return stack.id_token(STUDENT_EMAIL, STUDENT_PASSWORD)


def seed(stack: Any) -> SeedResult:
    """Schools, articulated courses and this and next school year's offerings; a staff
    user, a school user for the first school, a registrar of the first course's college,
    and one student with a SERS ID who, while
    this school year's window is open (by the app's clock), is registered in a class,
    so the fee is due and Pay works at once."""
    cognito = stack.client("cognito-idp")
    pool = stack.invited_user_pool_id
    result = SeedResult()

    _create_staff_user(cognito, pool)
    secret = stack.enrol_totp(STAFF_EMAIL, STAFF_PASSWORD)
    result.accounts.append(
        DemoAccount("staff", STAFF_EMAIL, STAFF_PASSWORD, "consortium staff", secret)
    )
    staff = ApiClient(stack.api_url, stack.id_token(STAFF_EMAIL, STAFF_PASSWORD))

    result.schools = [staff.ok("POST", "/schools", school) for school in SCHOOLS]
    result.courses = [staff.ok("POST", "/college-courses", course) for course in COURSES]

    this_year = rules.school_year_of(clock.now())
    result.school_years = [this_year.name, this_year.next().name]
    for year in result.school_years:
        for school_index, course_index, hs_course, teacher in OFFERINGS:
            result.offerings.append(
                staff.ok(
                    "POST",
                    "/offerings",
                    {
                        "school_id": result.schools[school_index]["school_id"],
                        "school_year": year,
                        "high_school_course": hs_course,
                        "teacher": teacher,
                        "college_course_id": result.courses[course_index]["course_id"],
                    },
                )
            )

    first_school = result.schools[0]
    staff.ok(
        "POST",
        "/school-users",
        {"email": SCHOOL_USER_EMAIL, "school_id": first_school["school_id"]},
    )
    cognito.admin_set_user_password(
        UserPoolId=pool, Username=SCHOOL_USER_EMAIL, Password=SCHOOL_USER_PASSWORD, Permanent=True
    )
    result.accounts.append(
        DemoAccount(
            "school",
            SCHOOL_USER_EMAIL,
            SCHOOL_USER_PASSWORD,
            f"school user at {first_school['name']}",
            stack.enrol_totp(SCHOOL_USER_EMAIL, SCHOOL_USER_PASSWORD),
        )
    )

    college = str(result.courses[0]["college"])
    staff.ok("POST", "/college-users", {"email": REGISTRAR_EMAIL, "college": college})
    cognito.admin_set_user_password(
        UserPoolId=pool, Username=REGISTRAR_EMAIL, Password=REGISTRAR_PASSWORD, Permanent=True
    )
    result.accounts.append(
        DemoAccount(
            "college",
            REGISTRAR_EMAIL,
            REGISTRAR_PASSWORD,
            f"registrar at {college}",
            stack.enrol_totp(REGISTRAR_EMAIL, REGISTRAR_PASSWORD),
        )
    )

    student = ApiClient(stack.api_url, _sign_up_student(stack))
    result.student = student.ok(
        "POST",
        "/students/me",
        {
            "legal_first_name": "Maria",
            "legal_last_name": "Garcia",
            "birth_date": STUDENT_BIRTH_DATE,
            "phone": "425-555-0142",
            "mailing_address": {
                "line1": "123 Main St",
                "city": "Kirkland",
                "state": "WA",
                "postal_code": "98033",
            },
            "school_id": first_school["school_id"],
            "expected_graduation_year": this_year.start + 1,
        },
    )
    note = f"SERS ID {result.student['sers_id']}, born {STUDENT_BIRTH_DATE}"
    window = student.ok("GET", "/window")
    if window["status"] == "open":
        offering = next(
            o
            for o in result.offerings
            if o["school_id"] == first_school["school_id"] and o["school_year"] == this_year.name
        )
        result.registration = student.ok(
            "POST", "/students/me/registrations", {"offering_ids": [offering["offering_id"]]}
        )
        note += f", registered {this_year.name} ({offering['high_school_course']}), fee due"
    result.accounts.append(DemoAccount("student", STUDENT_EMAIL, STUDENT_PASSWORD, note))
    return result
