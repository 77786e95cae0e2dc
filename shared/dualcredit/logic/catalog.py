"""Schools, articulated college courses and the offerings that tie them per year."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import keys
from dualcredit.dal.dynamo import without_keys
from dualcredit.errors import Conflict, InvalidInput, NotFound
from dualcredit.logic.caller import Caller, Role
from dualcredit.models.catalog import (
    CollegeCourse,
    CollegeCourseIn,
    Offering,
    OfferingIn,
    OfferingUpdate,
    School,
    SchoolIn,
    SchoolUpdate,
)


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def list_schools() -> list[School]:
    return [School.model_validate(item) for item in catalog_data.list_schools()]


def create_school(caller: Caller, data: SchoolIn, at: datetime) -> School:
    caller.require(Role.STAFF)
    school_id = new_id()
    item = catalog_data.school_item(school_id, data.model_dump(exclude_none=True))
    return School.model_validate(catalog_data.create("school", item, actor=caller.actor, at=at))


def update_school(caller: Caller, school_id: str, changes: SchoolUpdate, at: datetime) -> School:
    caller.require(Role.STAFF)
    updated = _update(
        "school",
        keys.school_pk(school_id),
        changes,
        caller,
        at,
        rebuild=lambda fields: catalog_data.school_item(school_id, fields),
        missing=NotFound("There is no such school.", field="school_id"),
    )
    return School.model_validate(updated)


def list_college_courses(caller: Caller) -> list[CollegeCourse]:
    caller.require(Role.STAFF)
    return [CollegeCourse.model_validate(item) for item in catalog_data.list_college_courses()]


def create_college_course(caller: Caller, data: CollegeCourseIn, at: datetime) -> CollegeCourse:
    caller.require(Role.STAFF)
    item = catalog_data.college_course_item(new_id(), data.model_dump())
    return CollegeCourse.model_validate(
        catalog_data.create("college_course", item, actor=caller.actor, at=at)
    )


def list_offerings(school_id: str, school_year: str) -> list[Offering]:
    return [
        Offering.model_validate(item)
        for item in catalog_data.list_offerings(school_id, school_year)
    ]


def create_offering(caller: Caller, data: OfferingIn, at: datetime) -> Offering:
    """An offering copies its college course's code, title and credits, so a class
    registered in a year keeps the articulation it had that year."""
    caller.require(Role.STAFF)
    school_pk, course_pk = (
        keys.school_pk(data.school_id),
        keys.college_course_pk(data.college_course_id),
    )
    found = catalog_data.get_many([school_pk, course_pk])
    if school_pk not in found:
        raise InvalidInput("There is no such school.", field="school_id")
    course = found.get(course_pk)
    if course is None:
        raise InvalidInput("There is no such college course.", field="college_course_id")
    fields = {
        **data.model_dump(),
        "college": course["college"],
        "college_course_code": course["course_code"],
        "college_course_title": course["title"],
        "credits": course["credits"],
    }
    item = catalog_data.offering_item(new_id(), fields)
    return Offering.model_validate(catalog_data.create("offering", item, actor=caller.actor, at=at))


def update_offering(
    caller: Caller, offering_id: str, changes: OfferingUpdate, at: datetime
) -> Offering:
    caller.require(Role.STAFF)
    updated = _update(
        "offering",
        keys.offering_pk(offering_id),
        changes,
        caller,
        at,
        rebuild=lambda fields: catalog_data.offering_item(offering_id, fields),
        missing=NotFound("There is no such class offering.", field="offering_id"),
    )
    return Offering.model_validate(updated)


def _update(
    kind: str,
    pk: str,
    changes: SchoolUpdate | OfferingUpdate,
    caller: Caller,
    at: datetime,
    *,
    rebuild: Callable[[dict[str, Any]], dict[str, Any]],
    missing: NotFound,
) -> dict[str, Any]:
    """Read, merge the changed fields, rebuild the list keys, write with a version check."""
    before = catalog_data.get(pk)
    if before is None:
        raise missing
    fields = {**without_keys(before), **changes.model_dump(exclude_unset=True, exclude_none=True)}
    try:
        return catalog_data.replace(kind, before, rebuild(fields), actor=caller.actor, at=at)
    except catalog_data.StaleRecord:
        raise Conflict("Someone else changed this record. Reload and try again.") from None
