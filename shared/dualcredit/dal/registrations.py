"""Class registrations and the student-year record they open."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit
from dualcredit.dal.records import ProfileRecord, RegistrationRecord, WindowRecord, without_none


class AlreadyRegistered(Exception):
    def __init__(self, offering_ids: list[str]):
        super().__init__(", ".join(offering_ids))
        self.offering_ids = offering_ids


def load_for_registration(
    student_id: str, school_year: str, offering_ids: list[str]
) -> tuple[ProfileRecord | None, WindowRecord, dict[str, dict[str, Any]]]:
    """Profile, the year's window record and the offerings, in one BatchGetItem."""
    profile_key = (keys.student_pk(student_id), keys.PROFILE_SK)
    window_key = (keys.window_pk(school_year), keys.META_SK)
    wanted = [
        profile_key,
        window_key,
        *((keys.offering_pk(oid), keys.META_SK) for oid in offering_ids),
    ]
    found = dynamo.batch_get(wanted)
    offerings = {
        oid: found[(keys.offering_pk(oid), keys.META_SK)]
        for oid in offering_ids
        if (keys.offering_pk(oid), keys.META_SK) in found
    }
    profile = found.get(profile_key)
    return (
        ProfileRecord.of_item(profile) if profile else None,
        WindowRecord.of_item(school_year, found.get(window_key)),
        offerings,
    )


def new_registration(
    offering: dict[str, Any], profile: ProfileRecord, school_year: str, at: datetime
) -> RegistrationRecord:
    """A registration of `profile` for `offering`: the offering as it stands now (what
    was offered is what the student registered for) and the student's name."""
    return RegistrationRecord(
        student_id=profile.student_id,
        school_year=school_year,
        offering_id=offering["offering_id"],
        school_id=offering["school_id"],
        sers_id=profile.sers_id,
        legal_first_name=profile.legal_first_name,
        legal_last_name=profile.legal_last_name,
        preferred_name=profile.preferred_name,
        high_school_course=offering["high_school_course"],
        teacher=offering["teacher"],
        college=offering["college"],
        college_course_code=offering["college_course_code"],
        college_course_title=offering["college_course_title"],
        credits=offering["credits"],
        grade_threshold=offering.get("grade_threshold"),
        registered_at=at.isoformat(),
    )


def _registration_item(registration: RegistrationRecord) -> dict[str, Any]:
    r = registration
    return {
        "PK": keys.student_pk(r.student_id),
        "SK": keys.registration_sk(r.school_year, r.offering_id),
        "GSI1PK": keys.roster_gsi(r.school_id, r.school_year),
        "GSI1SK": keys.roster_sort(r.offering_id, r.student_id),
        "type": "registration",
        **without_none(
            {
                "offering_id": r.offering_id,
                "school_id": r.school_id,
                "high_school_course": r.high_school_course,
                "teacher": r.teacher,
                "college": r.college,
                "college_course_code": r.college_course_code,
                "college_course_title": r.college_course_title,
                "credits": r.credits,
                "grade_threshold": r.grade_threshold,
                "school_year": r.school_year,
                "student_id": r.student_id,
                "sers_id": r.sers_id,
                "legal_first_name": r.legal_first_name,
                "legal_last_name": r.legal_last_name,
                "preferred_name": r.preferred_name,
                "registered_at": r.registered_at,
            }
        ),
    }


def register(
    *,
    profile: ProfileRecord,
    school_year: str,
    registrations: list[RegistrationRecord],
    actor: Actor,
    at: datetime,
) -> None:
    """Registrations, the student-year record and the audit record, all or nothing.

    Each registration is a conditional put, so the same class cannot be
    registered twice, even by two requests at once.
    """
    student_id = profile.student_id
    pk = keys.student_pk(student_id)
    txn = dynamo.Transaction()
    slots: dict[int, str] = {}
    for registration in registrations:
        item = _registration_item(registration)
        slots[txn.put(item, condition="attribute_not_exists(PK)")] = registration.offering_id
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
            ":sers": profile.sers_id,
            ":school": profile.school_id,
            ":at": at.isoformat(),
            ":fees": keys.fees_gsi2(school_year),
            ":fees_sort": keys.fees_sort(profile.school_id, student_id),
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


def roster(school_id: str, school_year: str) -> list[RegistrationRecord]:
    items = dynamo.query(index="GSI1", pk_name="GSI1PK", pk=keys.roster_gsi(school_id, school_year))
    return [RegistrationRecord.of_item(item) for item in items]


class RegistrationChanged(Exception):
    """A registration's grade or class answer changed (or the registration went) since it
    was read."""


class YearFinalized(Exception):
    """Staff finalized the year's grades while a school's batch was being written: the
    transaction that met it wrote nothing (the ones before it were written before)."""


#: Each guarded transaction's first item: the year's window record, not finalized.
_NOT_FINALIZED = "attribute_not_exists(finalized_at)"


@dataclass(frozen=True)
class GradeChange:
    """One registration's new grade, against the grade read with it (None: none yet)."""

    registration: RegistrationRecord
    grade: str
    credit_earned: bool


@dataclass(frozen=True)
class EnrollmentChange:
    """One registration's answer to "is the student really in this class?"."""

    registration: RegistrationRecord
    in_class: bool


def post_grades(
    changes: list[GradeChange],
    *,
    actor: Actor,
    at: datetime,
    open_year: str | None = None,
    written: Callable[[int], None] | None = None,
) -> None:
    """Write the grades with their audit records. Each grade is conditional on the grade
    read with it, so a concurrent change is not overwritten, and on the student not being
    marked out of the class meanwhile (rules.grade_may_be_posted holds at the write too);
    a posted grade marks a student not answered for yet as in the class. With
    `open_year`, each transaction also checks that year's grades are not finalized
    (YearFinalized otherwise). `written(n)` hears the grades written so far after each
    transaction (a large file's progress)."""

    def write(txn: dynamo.Transaction, i: int) -> None:
        _guard(txn, open_year)
        change = changes[i]
        r, before = change.registration, change.registration.grade
        pk = keys.student_pk(r.student_id)
        txn.update(
            pk,
            keys.registration_sk(r.school_year, r.offering_id),
            expression="SET grade = :grade, credit_earned = :credit, grade_posted_at = :at, "
            "grade_posted_by = :by, in_class = :in_class",
            condition=f"{_unchanged('grade', before)} "
            "AND (attribute_not_exists(in_class) OR in_class <> :out)",
            values={
                ":out": False,
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
            entity_pk=pk,
            action="grade.posted",
            actor=actor,
            at=at,
            before={"offering_id": r.offering_id, "grade": before},
            after={
                "offering_id": r.offering_id,
                "grade": change.grade,
                "credit_earned": change.credit_earned,
            },
        )

    _in_transactions(changes, write, guarded=open_year is not None, written=written)


def set_enrollments(
    changes: list[EnrollmentChange],
    *,
    actor: Actor,
    at: datetime,
    open_year: str | None = None,
) -> None:
    """Record the schools' answers with their audit records, each conditional on the
    answer read with it (and, with `open_year`, on that year not finalized)."""

    def write(txn: dynamo.Transaction, i: int) -> None:
        _guard(txn, open_year)
        change = changes[i]
        r, before = change.registration, change.registration.in_class
        pk = keys.student_pk(r.student_id)
        txn.update(
            pk,
            keys.registration_sk(r.school_year, r.offering_id),
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
            entity_pk=pk,
            action="enrollment.answered",
            actor=actor,
            at=at,
            before={"offering_id": r.offering_id, "in_class": before},
            after={"offering_id": r.offering_id, "in_class": change.in_class},
        )

    _in_transactions(changes, write, guarded=open_year is not None)


def _guard(txn: dynamo.Transaction, open_year: str | None) -> None:
    """A transaction's first item, when guarded: the year's grades are not finalized."""
    if open_year is not None and not txn.items:
        txn.check(keys.window_pk(open_year), keys.META_SK, condition=_NOT_FINALIZED)


def _unchanged(attribute: str, before: Any) -> str:
    """The registration still exists and `attribute` is still what was read."""
    return "attribute_exists(PK) AND " + (
        f"{attribute} = :before" if before is not None else f"attribute_not_exists({attribute})"
    )


def _before(before: Any) -> dict[str, Any]:
    return {":before": before} if before is not None else {}


def _in_transactions(
    changes: Sequence[Any],
    write: Callable[[dynamo.Transaction, int], None],
    *,
    guarded: bool = False,
    written: Callable[[int], None] | None = None,
) -> None:
    """As few transactions as the item limit allows (each change is an update and its
    audit record, after the guard when `guarded`); RegistrationChanged when a condition
    fails (YearFinalized when it is the guard's), with the earlier transactions written
    (writing the same changes again is safe: unchanged values are not written)."""
    try:
        dynamo.transact_each(len(changes), write, drop_failed=False, written=written)
    except dynamo.TransactionCancelled as cancelled:
        if guarded and 0 in cancelled.failed:
            raise YearFinalized() from cancelled
        raise RegistrationChanged() from cancelled


def correct_grade(change: GradeChange, *, reason: str, actor: Actor, at: datetime) -> None:
    """A staff correction of one grade, with its reason in the audit record; conditional on
    the grade read with it (RegistrationChanged otherwise). The student is then in the
    class: staff attest the grade."""
    r, before = change.registration, change.registration.grade
    pk = keys.student_pk(r.student_id)
    txn = dynamo.Transaction()
    txn.update(
        pk,
        keys.registration_sk(r.school_year, r.offering_id),
        expression="SET grade = :grade, credit_earned = :credit, grade_posted_at = :at, "
        "grade_posted_by = :by, in_class = :in_class, grade_corrected = :corrected",
        condition=_unchanged("grade", before),
        values={
            ":grade": change.grade,
            ":credit": change.credit_earned,
            ":at": at.isoformat(),
            ":by": actor.user_id,
            ":in_class": True,
            ":corrected": True,
            **_before(before),
        },
    )
    add_audit(
        txn,
        entity_pk=pk,
        action="grade.corrected",
        actor=actor,
        at=at,
        before={"offering_id": r.offering_id, "school_year": r.school_year, "grade": before},
        after={
            "offering_id": r.offering_id,
            "school_year": r.school_year,
            "grade": change.grade,
            "credit_earned": change.credit_earned,
            "reason": reason,
        },
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise RegistrationChanged() from cancelled
