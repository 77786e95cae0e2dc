"""Staff: preview who a deadline reminder would reach (a dry run), and what was sent."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from dualcredit import clock, rules
from dualcredit.http.context import caller
from dualcredit.logic.reminders import reports as reminders
from dualcredit.models.common import SchoolYearName
from dualcredit.models.reminders import ReminderHistory, ReminderPreview

router = Router()

Days = Annotated[
    int | None,
    Query(
        ge=1,
        le=rules.MAX_REMINDER_DAYS,
        description="days before the close; default: today's reminder, else the next one",
    ),
]


@router.get(
    "/reminders/preview",
    summary="Who a deadline reminder would reach now (dry run)",
    tags=["staff"],
)
def get_preview(
    school_year: Annotated[SchoolYearName | None, Query(description="default: current")] = None,
    days: Days = None,
    limit: Annotated[
        int, Query(ge=1, le=5000, description="students listed")
    ] = reminders.PREVIEW_LIMIT,
) -> ReminderPreview:
    return reminders.preview(caller(router), school_year, days, clock.now(), limit=limit)


@router.get("/reminders/history", summary="Reminders sent, to whom and when", tags=["staff"])
def get_history(
    school_year: Annotated[SchoolYearName | None, Query(description="default: current")] = None,
    days: Annotated[
        int | None,
        Query(
            ge=1,
            le=rules.MAX_REMINDER_DAYS,
            description="one reminder; default: all, and the registration-open notice",
        ),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=5000, description="entries listed")
    ] = reminders.HISTORY_LIMIT,
) -> ReminderHistory:
    return reminders.history(caller(router), school_year, days, clock.now(), limit=limit)
