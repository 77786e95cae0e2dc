"""A small program to test against, built through the API as staff would build it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.support.events import claims

STAFF = claims("staff-1", email="staff@pnwcollegecredit.org", groups=["staff"])


def profile_body(school_id: str, **overrides: Any) -> dict[str, Any]:
    body = {
        "legal_first_name": "Jane",
        "legal_last_name": "Smith",
        "preferred_name": "Janie",
        "birth_date": "2009-04-02",
        "phone": "425-555-0100",
        "mailing_address": {
            "line1": "100 Main St",
            "city": "Bellevue",
            "state": "WA",
            "postal_code": "98007",
        },
        "school_id": school_id,
        "expected_graduation_year": 2027,
    }
    body.update(overrides)
    return body


@dataclass
class World:
    api: Any
    school_x: str = ""
    school_y: str = ""
    course: str = ""
    offering_x: str = ""
    offering_x2: str = ""
    offering_y: str = ""
    students: dict[str, dict[str, str]] = field(default_factory=dict)

    def ok(self, method: str, url: str, *, as_: dict | None = STAFF, body: Any = None) -> Any:
        status, answer = self.api(method, url, as_=as_, body=body)
        assert status < 300, (method, url, status, answer)
        return answer

    def build(self, school_year: str) -> World:
        self.school_x = self.ok("POST", "/schools", body={"name": "Lake High School"})["school_id"]
        self.school_y = self.ok(
            "POST", "/schools", body={"name": "Tech Skill Center", "kind": "skill_center"}
        )["school_id"]
        self.course = self.ok(
            "POST",
            "/college-courses",
            body={
                "college": "Bellevue College",
                "course_code": "WELD 101",
                "title": "Welding Fundamentals",
                "credits": 5,
            },
        )["course_id"]
        offering = {
            "school_year": school_year,
            "teacher": "Ms. Rivera",
            "college_course_id": self.course,
        }
        self.offering_x = self.ok(
            "POST",
            "/offerings",
            body={**offering, "school_id": self.school_x, "high_school_course": "Welding 1"},
        )["offering_id"]
        self.offering_x2 = self.ok(
            "POST",
            "/offerings",
            body={**offering, "school_id": self.school_x, "high_school_course": "Welding 2"},
        )["offering_id"]
        self.offering_y = self.ok(
            "POST",
            "/offerings",
            body={
                **offering,
                "school_id": self.school_y,
                "high_school_course": "Metal Fabrication",
            },
        )["offering_id"]
        return self

    def student(self, name: str, **profile: Any) -> dict[str, str]:
        """A signed-up student with a completed profile at school X (by default)."""
        who = claims(f"student-{name}", email=f"{name}@example.org")
        body = profile_body(self.school_x, legal_first_name=name.title(), **profile)
        created = self.ok("POST", "/students/me", as_=who, body=body)
        self.students[name] = {
            **who,
            "sers_id": created["sers_id"],
            "student_id": created["student_id"],
        }
        return self.students[name]
