"""A small program to test against, built through the API as staff would build it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.support.events import claims
from tests.support.students import Student, a_student

STAFF = claims("staff-1", email="staff@pnwcollegecredit.org", groups=["staff"])


@dataclass
class World:
    api: Any
    school_x: str = ""
    school_y: str = ""
    course: str = ""
    offering_x: str = ""
    offering_x2: str = ""
    offering_y: str = ""
    #: A college registrar's user id, once a test invites one (tied to Bellevue College).
    registrar: str = ""
    students: dict[str, Student] = field(default_factory=dict)

    def ok(self, method: str, url: str, *, as_: Any = STAFF, body: Any = None) -> Any:
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

    def student(self, name: str, **details: Any) -> Student:
        """Given `a_student(name, **details)`, at school X unless told, signed up with a
        completed profile: the student with the SERS ID and student ID they got (also
        kept in `students[name]`)."""
        student = a_student(name, **{"school_id": self.school_x, **details})
        created = self.ok("POST", "/students/me", as_=student, body=student.profile())
        self.students[name] = student.but(
            sers_id=created["sers_id"], student_id=created["student_id"]
        )
        return self.students[name]


def with_alice_registered(api: Any, school_year: str = "2026-27") -> World:
    """The program built for a school year, and Alice (Smith) registered in offering X."""
    built = World(api).build(school_year)
    alice = built.student("alice", last_name="Smith")
    built.ok(
        "POST", "/students/me/registrations", as_=alice, body={"offering_ids": [built.offering_x]}
    )
    return built
