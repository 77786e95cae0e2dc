"""A signed-in student's own records. The student id is always the caller's own
`sub`, so no route here takes a student id from the request."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from dualcredit import clock
from dualcredit.http.context import caller, request_language
from dualcredit.http.responses import created
from dualcredit.logic import accounts, dashboard, registration
from dualcredit.models.overview import Overview
from dualcredit.models.student import (
    Dashboard,
    Profile,
    ProfileIn,
    ProfileUpdate,
    RegistrationRequest,
    RegistrationResult,
)

router = Router()


@router.post(
    "/students/me",
    summary="Complete the profile and get a SERS ID",
    tags=["students"],
    status_code=201,
)
def post_profile(profile: ProfileIn) -> Response[Profile]:
    return created(
        accounts.create_profile(
            caller(router), profile, clock.now(), request_language=request_language(router)
        )
    )


@router.get("/students/me", summary="The caller's profile", tags=["students"])
def get_profile() -> Profile:
    return accounts.get_profile(caller(router), clock.now())


@router.patch("/students/me", summary="Change contact details", tags=["students"])
def patch_profile(changes: ProfileUpdate) -> Profile:
    return accounts.update_profile(caller(router), changes, clock.now())


@router.get(
    "/students/me/dashboard",
    summary="SERS ID, registrations and fee status by year",
    tags=["students"],
)
def get_dashboard() -> Dashboard:
    return registration.dashboard(caller(router))


@router.get(
    "/students/me/overview",
    summary="Each year's fee in its parts and deadline, each class's stage, the requests",
    tags=["students"],
)
def get_overview() -> Overview:
    return dashboard.overview(caller(router), clock.now())


@router.post(
    "/students/me/registrations",
    summary="Register this school year's classes",
    tags=["students"],
    status_code=201,
)
def post_registrations(request: RegistrationRequest) -> Response[RegistrationResult]:
    return created(registration.register(caller(router), request, clock.now()))
