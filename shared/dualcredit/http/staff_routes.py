"""Consortium staff and school users. Each logic function checks the caller's role
and, for school users, that the school is their own."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from dualcredit import clock, rules
from dualcredit.http.context import caller
from dualcredit.http.params import IdPath, SchoolYearPath
from dualcredit.http.responses import created
from dualcredit.logic import catalog, registration, school_users, staff, windows
from dualcredit.models.catalog import (
    CollegeCourse,
    CollegeCourseIn,
    Offering,
    OfferingIn,
    OfferingUpdate,
    RosterEntry,
    School,
    SchoolIn,
    SchoolUpdate,
    SchoolUser,
    SchoolUserInvite,
    SchoolUserMove,
    WindowExtension,
    WindowOut,
)
from dualcredit.models.common import SchoolYearName
from dualcredit.models.student import Dashboard, IdentityCorrection, Profile, StudentSummary
from dualcredit.models.student_record import StudentRecord

router = Router()


@router.get(
    "/schools/<school_id>/roster", summary="Registered students of a school", tags=["schools"]
)
def get_roster(
    school_id: IdPath,
    school_year: Annotated[SchoolYearName | None, Query(description="default: current")] = None,
) -> list[RosterEntry]:
    year = rules.school_year_or_current(school_year, clock.now()).name
    return staff.roster(caller(router), school_id, year)


@router.post(
    "/schools", summary="Add a high school or skill center", tags=["staff"], status_code=201
)
def post_school(school: SchoolIn) -> Response[School]:
    return created(catalog.create_school(caller(router), school, clock.now()))


@router.patch("/schools/<school_id>", summary="Change a school", tags=["staff"])
def patch_school(school_id: IdPath, changes: SchoolUpdate) -> School:
    return catalog.update_school(caller(router), school_id, changes, clock.now())


@router.get("/college-courses", summary="Articulated college courses", tags=["staff"])
def get_college_courses() -> list[CollegeCourse]:
    return catalog.list_college_courses(caller(router))


@router.post(
    "/college-courses", summary="Add an articulated college course", tags=["staff"], status_code=201
)
def post_college_course(course: CollegeCourseIn) -> Response[CollegeCourse]:
    return created(catalog.create_college_course(caller(router), course, clock.now()))


@router.post(
    "/offerings",
    summary="Offer a class at a school for a school year",
    tags=["staff"],
    status_code=201,
)
def post_offering(offering: OfferingIn) -> Response[Offering]:
    return created(catalog.create_offering(caller(router), offering, clock.now()))


@router.patch("/offerings/<offering_id>", summary="Change an offering", tags=["staff"])
def patch_offering(offering_id: IdPath, changes: OfferingUpdate) -> Offering:
    return catalog.update_offering(caller(router), offering_id, changes, clock.now())


@router.post(
    "/school-users",
    summary="Invite a teacher, counselor or CTE director",
    tags=["staff"],
    status_code=201,
)
def post_school_user(invite: SchoolUserInvite) -> Response[SchoolUser]:
    return created(staff.invite_school_user(caller(router), invite, clock.now()))


@router.post(
    "/school-users/resend",
    summary="Send an invitation again (to someone who has not signed in yet)",
    tags=["staff"],
)
def post_school_user_resend(invite: SchoolUserInvite) -> SchoolUser:
    return school_users.resend(caller(router), invite, clock.now())


@router.post(
    "/school-users/<user_id>/remove",
    summary="Remove a school user (disabled, signed out everywhere)",
    tags=["staff"],
)
def post_school_user_remove(user_id: IdPath) -> SchoolUser:
    return school_users.remove(caller(router), user_id, clock.now())


@router.patch(
    "/school-users/<user_id>", summary="Move a school user to another school", tags=["staff"]
)
def patch_school_user(user_id: IdPath, change: SchoolUserMove) -> SchoolUser:
    return school_users.move(caller(router), user_id, change, clock.now())


@router.get("/schools/<school_id>/users", summary="A school's invited users", tags=["staff"])
def get_school_users(school_id: IdPath) -> list[SchoolUser]:
    return staff.list_school_users(caller(router), school_id)


@router.get("/windows/<school_year>", summary="A school year's window", tags=["staff"])
def get_window(school_year: SchoolYearPath) -> WindowOut:
    return windows.staff_window(caller(router), school_year, clock.now())


@router.put("/windows/<school_year>", summary="Extend a school year's close date", tags=["staff"])
def put_window(school_year: SchoolYearPath, extension: WindowExtension) -> WindowOut:
    return windows.extend_window(caller(router), school_year, extension.closes_on, clock.now())


@router.get("/students", summary="Find students by SERS ID, email or name", tags=["staff"])
def get_students(
    sers_id: Annotated[str | None, Query(max_length=20)] = None,
    email: Annotated[str | None, Query(max_length=254)] = None,
    last_name: Annotated[str | None, Query(max_length=60)] = None,
    first_name: Annotated[str | None, Query(max_length=60)] = None,
) -> list[StudentSummary]:
    return staff.find_students(
        caller(router), sers_id=sers_id, email=email, last_name=last_name, first_name=first_name
    )


@router.get("/students/<student_id>", summary="A student's dashboard, for staff", tags=["staff"])
def get_student(student_id: IdPath) -> Dashboard:
    return registration.dashboard(caller(router), student_id)


@router.get(
    "/students/<student_id>/record",
    summary="The whole student, for staff: identity, classes, payments, requests, history",
    tags=["staff"],
)
def get_student_record(student_id: IdPath) -> StudentRecord:
    from dualcredit.logic.student_record import student_record

    return student_record(caller(router), student_id)


@router.patch(
    "/students/<student_id>/identity",
    summary="Correct a student's legal name or date of birth",
    tags=["staff"],
)
def patch_identity(student_id: IdPath, correction: IdentityCorrection) -> Profile:
    return staff.correct_identity(caller(router), student_id, correction, clock.now())
