"""Class registrations and the student-year record they open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit


class AlreadyRegistered(Exception):
    def __init__(self, offering_ids: list[str]):
        super().__init__(", ".join(offering_ids))
        self.offering_ids = offering_ids


def load_for_registration(
    student_id: str, school_year: str, offering_ids: list[str]
) -> tuple[dict | None, dict | None, dict[str, dict]]:
    """Profile, the year's window record and the offerings, in one BatchGetItem."""
    wanted = [
        (keys.student_pk(student_id), keys.PROFILE_SK),
        (keys.window_pk(school_year), keys.META_SK),
        *((keys.offering_pk(oid), keys.META_SK) for oid in offering_ids),
    ]
    found = dynamo.batch_get(wanted)
    offerings = {
        oid: found[(keys.offering_pk(oid), keys.META_SK)]
        for oid in offering_ids
        if (keys.offering_pk(oid), keys.META_SK) in found
    }
    return found.get(wanted[0]), found.get(wanted[1]), offerings


def register(
    *,
    profile: dict[str, Any],
    school_year: str,
    registrations: list[dict[str, Any]],
    actor: Actor,
    at: datetime,
) -> None:
    """Registrations, the student-year record and the audit record, all or nothing.

    Each registration is a conditional put, so the same class cannot be
    registered twice, even by two requests at once.
    """
    student_id = profile["student_id"]
    pk = keys.student_pk(student_id)
    txn = dynamo.Transaction()
    slots: dict[int, str] = {}
    for registration in registrations:
        item = {
            "PK": pk,
            "SK": keys.registration_sk(school_year, registration["offering_id"]),
            "GSI1PK": keys.roster_gsi(registration["school_id"], school_year),
            "GSI1SK": f"{registration['offering_id']}#{student_id}",
            "type": "registration",
            **registration,
        }
        slots[txn.put(item, condition="attribute_not_exists(PK)")] = registration["offering_id"]
    txn.update(
        pk,
        keys.year_sk(school_year),
        expression=(
            "SET #type = :type, school_year = :year, student_id = :sid, sers_id = :sers, "
            "school_id = :school, opened_at = if_not_exists(opened_at, :at), "
            "GSI2PK = :fees, GSI2SK = :fees_sort"
        ),
        names={"#type": "type"},
        values={
            ":type": "student_year",
            ":year": school_year,
            ":sid": student_id,
            ":sers": profile["sers_id"],
            ":school": profile["school_id"],
            ":at": at.isoformat(),
            ":fees": keys.fees_gsi2(school_year),
            ":fees_sort": f"{profile['school_id']}#{student_id}",
        },
    )
    add_audit(
        txn,
        entity_pk=pk,
        action="registration.created",
        actor=actor,
        at=at,
        before=None,
        after={"school_year": school_year, "offering_ids": list(slots.values())},
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise AlreadyRegistered([slots[i] for i in cancelled.failed if i in slots]) from cancelled


def roster(school_id: str, school_year: str) -> list[dict[str, Any]]:
    return dynamo.query(index="GSI1", pk_name="GSI1PK", pk=keys.roster_gsi(school_id, school_year))


class RegistrationChanged(Exception):
    """A registration's grade or class answer changed (or the registration went) since it
    was read."""


@dataclass(frozen=True)
class GradeChange:
    """One registration's new grade, against the grade read with it (None: none yet)."""

    registration: dict[str, Any]
    grade: str
    credit_earned: bool


@dataclass(frozen=True)
class EnrollmentChange:
    """One registration's answer to "is the student really in this class?"."""

    registration: dict[str, Any]
    in_class: bool


def post_grades(changes: list[GradeChange], *, actor: Actor, at: datetime) -> None:
    """Write the grades with their audit records. Each grade is conditional on the grade
    read with it, so a concurrent change is not overwritten; a posted grade also marks
    the student as in the class."""

    def write(txn: dynamo.Transaction, i: int) -> None:
        change = changes[i]
        item, before = change.registration, change.registration.get("grade")
        txn.update(
            item["PK"],
            item["SK"],
            expression="SET grade = :grade, credit_earned = :credit, grade_posted_at = :at, "
            "grade_posted_by = :by, in_class = :in_class",
            condition=_unchanged("grade", before),
            values={
                ":grade": change.grade,
                ":credit": change.credit_earned,
                ":at": at.isoformat(),
                ":by": actor.user_id,
                ":in_class": True,
                **_before(before),
            },
        )
        add_audit(
            txn,
            entity_pk=item["PK"],
            action="grade.posted",
            actor=actor,
            at=at,
            before={"offering_id": item["offering_id"], "grade": before},
            after={
                "offering_id": item["offering_id"],
                "grade": change.grade,
                "credit_earned": change.credit_earned,
            },
        )

    _in_transactions(changes, write)


def set_enrollments(changes: list[EnrollmentChange], *, actor: Actor, at: datetime) -> None:
    """Record the schools' answers with their audit records, each conditional on the
    answer read with it."""

    def write(txn: dynamo.Transaction, i: int) -> None:
        change = changes[i]
        item, before = change.registration, change.registration.get("in_class")
        txn.update(
            item["PK"],
            item["SK"],
            expression="SET in_class = :in_class, in_class_at = :at, in_class_by = :by",
            condition=_unchanged("in_class", before),
            values={
                ":in_class": change.in_class,
                ":at": at.isoformat(),
                ":by": actor.user_id,
                **_before(before),
            },
        )
        add_audit(
            txn,
            entity_pk=item["PK"],
            action="enrollment.answered",
            actor=actor,
            at=at,
            before={"offering_id": item["offering_id"], "in_class": before},
            after={"offering_id": item["offering_id"], "in_class": change.in_class},
        )

    _in_transactions(changes, write)


def _unchanged(attribute: str, before: Any) -> str:
    """The registration still exists and `attribute` is still what was read."""
    return "attribute_exists(PK) AND " + (
        f"{attribute} = :before" if before is not None else f"attribute_not_exists({attribute})"
    )


def _before(before: Any) -> dict[str, Any]:
    return {":before": before} if before is not None else {}


def _in_transactions(changes: list[Any], write: Any) -> None:
    """As few transactions as the item limit allows (each change is an update and its
    audit record); RegistrationChanged when a condition fails, with the earlier
    transactions written (writing the same changes again is safe: unchanged values are
    not written)."""
    try:
        dynamo.transact_each(len(changes), write, drop_failed=False)
    except dynamo.TransactionCancelled as cancelled:
        raise RegistrationChanged() from cancelled
