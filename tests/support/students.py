"""The one student factory: `a_student(...)` gives a student's details, the way every
test makes a student.

A `Student` is who signs up (sub, email, password) and what they put in their profile
(names, birth date, address, school...). The ways a test signs one up take a
`Student` and give it back with what the system answered (SERS ID, student ID, ID
token): `World.student` (the API handler, tests/support/world.py),
`sign_up_with_cognito` (a local stack's Cognito), and the browser journeys
(tests/browser/journeys.py: the sign-up and profile pages).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from tests.support.events import claims

PASSWORD = "Student-Pass-42"


@dataclass(frozen=True)
class Address:
    line1: str = "1 Pine St"
    city: str = "Redmond"
    state: str = "WA"
    postal_code: str = "98052"

    def body(self) -> dict[str, str]:
        return {
            "line1": self.line1,
            "city": self.city,
            "state": self.state,
            "postal_code": self.postal_code,
        }


@dataclass(frozen=True)
class Student:
    """A student's details; sers_id, student_id and token are empty until signed up."""

    sub: str
    email: str
    first_name: str = "Jane"
    last_name: str = "Smith"
    birth_date: str = "2009-04-02"
    preferred_name: str | None = None
    phone: str | None = "425-555-0100"
    address: Address = field(default_factory=Address)
    school_id: str = ""
    expected_graduation_year: int = 2027
    password: str = PASSWORD
    sers_id: str = ""
    student_id: str = ""
    token: str = ""

    @property
    def claims(self) -> dict[str, str]:
        """The Cognito ID-token claims API Gateway hands on for this student (what
        `api(..., as_=student)` sends)."""
        return claims(self.sub, email=self.email)

    def profile(self, **fields: Any) -> dict[str, Any]:
        """The body of POST /students/me with these details; `fields` replace fields of
        the body as the API names them (for bad input: an unknown field, a bad value)."""
        body: dict[str, Any] = {
            "legal_first_name": self.first_name,
            "legal_last_name": self.last_name,
            "birth_date": self.birth_date,
            "mailing_address": self.address.body(),
            "school_id": self.school_id,
            "expected_graduation_year": self.expected_graduation_year,
        }
        if self.preferred_name is not None:
            body["preferred_name"] = self.preferred_name
        if self.phone is not None:
            body["phone"] = self.phone
        return body | fields

    def but(self, **details: Any) -> Student:
        """The same student with some details changed: `jane.but(school_id=...)`."""
        return replace(self, **details)


def a_student(name: str = "jane", *, unique: bool = False, **details: Any) -> Student:
    """A student called `name`: sub student-<name>, email <name>@example.org, legal first
    name <Name>, last name Smith, born 2009-04-02, at 1 Pine St, Redmond, graduating in
    2027. `unique` tags the sub, email and last name (for a stack that outlives the
    test, where a second Jane Smith born the same day is a duplicate account). Any
    detail can be given: a_student("bob", last_name="Zamora", school_id=school)."""
    tag = uuid.uuid4().hex[:8] if unique else ""
    person = f"{name}-{tag}" if unique else name
    chosen: dict[str, Any] = {
        "sub": f"student-{person}",
        "email": f"{person}@example.org",
        "first_name": name.title(),
    }
    chosen |= details
    if unique:
        chosen["last_name"] = chosen.get("last_name", "Smith") + tag
    return Student(**chosen)


def sign_up_with_cognito(stack: Any, student: Student) -> Student:
    """Sign the student up and confirm them in a local stack's Cognito (devstack's
    DualCreditStack); the student comes back with Cognito's sub and an ID token."""
    cognito = stack.client("cognito-idp")
    answer = cognito.sign_up(
        ClientId=stack.client_id,
        Username=student.email,
        Password=student.password,
        UserAttributes=[{"Name": "email", "Value": student.email}],
    )
    cognito.confirm_sign_up(
        ClientId=stack.client_id, Username=student.email, ConfirmationCode="000000"
    )
    return student.but(sub=answer["UserSub"], token=stack.id_token(student.email, student.password))
