"""Routes anyone may call: the catalog, the window, the program's facts, SERS ID recovery,
a parent's or guardian's stop link."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from dualcredit import clock, rules
from dualcredit.http.context import client_address, in_request_language
from dualcredit.http.params import IdPath
from dualcredit.http.responses import accepted
from dualcredit.logic import accounts, catalog, guardians, program, windows
from dualcredit.models.catalog import Offering, School, WindowOut
from dualcredit.models.common import Message, SchoolYearName
from dualcredit.models.program import Program
from dualcredit.models.student import GuardianStop, RecoveryRequest

router = Router()

GUARDIAN_STOPPED = "Copies of this student's emails no longer go to this address."

RECOVERY_ANSWER = (
    "If an account uses that email address, we have emailed its SERS ID there. "
    "Check your inbox and spam folder."
)


@router.get("/schools", summary="High schools and skill centers", tags=["catalog"])
def get_schools() -> list[School]:
    return catalog.list_schools()


@router.get(
    "/schools/<school_id>/offerings",
    summary="A school's eligible classes for a school year",
    tags=["catalog"],
)
def get_offerings(
    school_id: IdPath,
    school_year: Annotated[
        SchoolYearName | None, Query(description="e.g. 2026-27; default: current")
    ] = None,
) -> list[Offering]:
    year = rules.school_year_or_current(school_year, clock.now()).name
    return catalog.list_offerings(school_id, year)


@router.get("/window", summary="When registration and payment open and close", tags=["catalog"])
def get_window(
    school_year: Annotated[SchoolYearName | None, Query(description="default: current")] = None,
) -> WindowOut:
    return windows.current_window(clock.now(), school_year)


@router.get(
    "/program",
    summary="The fee, the grade rule, how to pay by check, the consortium's contact",
    tags=["catalog"],
)
def get_program() -> Program:
    return program.program()


@router.post(
    "/sers-id/recovery",
    summary="Email a SERS ID to the address on file",
    tags=["accounts"],
    status_code=202,
)
def post_recovery(request: RecoveryRequest) -> Response[Message]:
    accounts.recover_sers_id(str(request.email), client_address(router), clock.now())
    return accepted(Message(message=in_request_language(router, RECOVERY_ANSWER)))


@router.post(
    "/guardian-copies/stop",
    summary="Stop a parent's or guardian's copies (the token of their email's link)",
    tags=["accounts"],
)
def post_guardian_stop(request: GuardianStop) -> Message:
    guardians.stop_copies(request.token, clock.now())
    return Message(message=in_request_language(router, GUARDIAN_STOPPED))
