"""The registration window of a school year: the rule's dates plus any staff extension."""

from __future__ import annotations

from datetime import date, datetime

from dualcredit import rules
from dualcredit.dal import windows as window_data
from dualcredit.dal.records import WindowRecord
from dualcredit.errors import Conflict, InvalidInput
from dualcredit.logic.caller import Caller, Role
from dualcredit.models.catalog import WindowOut


def _out(record: WindowRecord, at: datetime) -> WindowOut:
    window = record.window
    closed = record.closed_on == window.closes_on.isoformat()
    return WindowOut(
        school_year=window.school_year.name,
        opens_on=window.opens_on,
        closes_on=window.closes_on,
        opens_at=window.opens_at,
        closes_at=window.closes_at,
        extended=window.extended,
        status=window.status(at).value,
        opened_at=record.opened_at,
        closed_at=record.closed_at if closed else None,
    )


def current_window(at: datetime, school_year: str | None = None) -> WindowOut:
    """Public: when this (or a named) school year's registration opens and closes."""
    year = rules.school_year_or_current(school_year, at)
    return _out(window_data.get(year.name), at)


def staff_window(caller: Caller, school_year: str, at: datetime) -> WindowOut:
    caller.require(Role.STAFF)
    return current_window(at, school_year)


def extend_window(caller: Caller, school_year: str, closes_on: date, at: datetime) -> WindowOut:
    """Staff move a year's close date later; the extension is data, not code."""
    caller.require(Role.STAFF)
    year = rules.SchoolYear.parse(school_year)
    try:
        rules.validate_close_extension(year, closes_on)
    except rules.RuleError as error:
        raise InvalidInput(str(error), field="closes_on") from None
    before = window_data.get(year.name)
    try:
        after = window_data.set_close_date(before, closes_on, actor=caller.actor, at=at)
    except window_data.StaleRecord:
        raise Conflict("The window changed meanwhile. Reload and try again.") from None
    return _out(after, at)
