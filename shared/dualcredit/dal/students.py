"""Student partitions and the uniqueness claims that keep one person to one account."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from dualcredit.dal import dynamo, guardians, keys
from dualcredit.dal.audit import Actor, add_audit
from dualcredit.dal.records import ProfileRecord, RegistrationRecord, StudentClaim, StudentYear

NOT_EXISTS = "attribute_not_exists(PK)"

#: Kept out of audit records: whoever reads the history need not hold the stop link.
_SECRET_FIELDS = ("guardian_token",)


def _audited(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k not in _SECRET_FIELDS}


class Claimed(StrEnum):
    """What a new student's transaction claims, each written only if it is free."""

    PROFILE = "profile"
    SERS_ID = "sers_id"
    EMAIL = "email"
    IDENTITY = "identity"


class UniquenessViolation(Exception):
    """`taken` names what already exists."""

    def __init__(self, taken: set[Claimed]):
        super().__init__(", ".join(sorted(taken)))
        self.taken = taken


class StaleRecord(Exception):
    """The record changed since it was read (optimistic version check)."""


@dataclass
class StudentPartition:
    """Everything stored under one student, from a single Query."""

    profile: ProfileRecord | None = None
    years: dict[str, StudentYear] = field(default_factory=dict)
    registrations: list[RegistrationRecord] = field(default_factory=list)
    #: Prior-year credit requests, as stored (pending, approved or denied).
    prior_year_requests: list[dict[str, Any]] = field(default_factory=list)


def create_student(
    *,
    profile: ProfileRecord,
    email: str,
    fingerprint: str,
    name_index: str,
    name_sort: str,
    actor: Actor,
    at: datetime,
) -> None:
    """Profile plus its SERS ID, email and identity claims, all or nothing."""
    student_id, sers_id = profile.student_id, profile.sers_id
    pk = keys.student_pk(student_id)
    item = {
        "PK": pk,
        "SK": keys.PROFILE_SK,
        "GSI1PK": keys.student_name_gsi(name_index),
        "GSI1SK": keys.student_name_sort(name_sort, student_id),
        "type": "profile",
        **profile.fields(),
    }
    claim = {
        "SK": keys.CLAIM_SK,
        "student_id": student_id,
        "sers_id": sers_id,
        "created_at": at.isoformat(),
    }
    txn = dynamo.Transaction()
    slots = {
        txn.put(item, condition=NOT_EXISTS): Claimed.PROFILE,
        txn.put(
            {"PK": keys.sers_id_pk(sers_id), "type": "sers_id_claim", **claim}, condition=NOT_EXISTS
        ): Claimed.SERS_ID,
        txn.put(
            {"PK": keys.email_pk(email), "type": "email_claim", **claim}, condition=NOT_EXISTS
        ): Claimed.EMAIL,
        txn.put(
            {"PK": keys.identity_pk(fingerprint), "type": "identity_claim", **claim},
            condition=NOT_EXISTS,
        ): Claimed.IDENTITY,
    }
    if profile.guardian_token:
        guardians.add_stop_link(txn, profile.guardian_token, student_id, at)
    add_audit(
        txn,
        entity_pk=pk,
        action="student.created",
        actor=actor,
        at=at,
        before=None,
        after=_audited(item),
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise UniquenessViolation({slots[i] for i in cancelled.failed if i in slots}) from cancelled


IDENTITY_FIELDS = ("legal_first_name", "legal_last_name", "birth_date")


def correct_identity(
    *,
    before: ProfileRecord,
    changes: dict[str, Any],
    fingerprints: tuple[str, str],
    name_index: str,
    name_sort: str,
    registrations: list[RegistrationRecord],
    reason: str,
    actor: Actor,
    at: datetime,
) -> ProfileRecord:
    """A staff correction of the legal name or birth date (`changes`, as stored), all or
    nothing: the profile (if still the version read) and its name-search keys, the
    identity claim moved from the old fingerprint to the new one (UniquenessViolation if
    another student holds it), the name on each registration (rosters and transcripts
    show it), and the audit record with the reason."""
    student_id = before.student_id
    pk = keys.student_pk(student_id)
    old_fingerprint, new_fingerprint = fingerprints
    fields = {
        **changes,
        "GSI1PK": keys.student_name_gsi(name_index),
        "GSI1SK": keys.student_name_sort(name_sort, student_id),
        "version": before.version + 1,
        "updated_at": at.isoformat(),
    }
    stored_before = before.fields()
    after = {**stored_before, **fields}
    expression, names, values = dynamo.set_expression(fields)
    txn = dynamo.Transaction()
    slots = {
        txn.update(
            pk,
            keys.PROFILE_SK,
            expression=expression,
            names=names,
            values={**values, ":expected": before.version},
            condition="version = :expected",
        ): Claimed.PROFILE
    }
    if new_fingerprint != old_fingerprint:
        slots[
            txn.put(
                {
                    "PK": keys.identity_pk(new_fingerprint),
                    "SK": keys.CLAIM_SK,
                    "type": "identity_claim",
                    "student_id": student_id,
                    "sers_id": before.sers_id,
                    "created_at": at.isoformat(),
                },
                condition=NOT_EXISTS,
            )
        ] = Claimed.IDENTITY
        txn.delete(
            keys.identity_pk(old_fingerprint),
            keys.CLAIM_SK,
            condition="student_id = :sid",
            values={":sid": student_id},
        )
    for registration in registrations:
        txn.update(
            keys.student_pk(registration.student_id),
            keys.registration_sk(registration.school_year, registration.offering_id),
            expression="SET legal_first_name = :first, legal_last_name = :last",
            values={":first": after["legal_first_name"], ":last": after["legal_last_name"]},
            condition="attribute_exists(PK)",
        )
    add_audit(
        txn,
        entity_pk=pk,
        action="student.identity_corrected",
        actor=actor,
        at=at,
        before={k: stored_before.get(k) for k in IDENTITY_FIELDS},
        after={**{k: after.get(k) for k in IDENTITY_FIELDS}, "reason": reason},
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        if any(slots.get(i) is Claimed.IDENTITY for i in cancelled.failed):
            raise UniquenessViolation({Claimed.IDENTITY}) from cancelled
        raise StaleRecord() from cancelled
    return ProfileRecord.of_item(after)


def get_profile(student_id: str) -> ProfileRecord | None:
    item = dynamo.get_item(keys.student_pk(student_id), keys.PROFILE_SK)
    return ProfileRecord.of_item(item) if item else None


def get_profiles(student_ids: list[str]) -> dict[str, ProfileRecord]:
    """Profiles by student id, 100 per BatchGetItem request; missing ones are left out."""
    found = dynamo.batch_get((keys.student_pk(sid), keys.PROFILE_SK) for sid in student_ids)
    return {item["student_id"]: ProfileRecord.of_item(item) for item in found.values()}


def update_profile(
    *, before: ProfileRecord, changes: dict[str, Any], actor: Actor, at: datetime
) -> ProfileRecord:
    """Apply `changes` (as stored) if the profile is still the version that was read; a
    change to None removes the attribute."""
    removed = [name for name, value in changes.items() if value is None]
    kept = {name: value for name, value in changes.items() if value is not None}
    stored_before = before.fields()
    after = {
        **{k: v for k, v in stored_before.items() if k not in removed},
        **kept,
        "version": before.version + 1,
        "updated_at": at.isoformat(),
    }
    expression, names, values = dynamo.set_expression(
        {name: after[name] for name in [*kept, "version", "updated_at"]}, remove=removed
    )
    values[":expected"] = before.version
    txn = dynamo.Transaction()
    txn.update(
        keys.student_pk(before.student_id),
        keys.PROFILE_SK,
        expression=expression,
        names=names,
        values=values,
        condition="version = :expected",
    )
    if "guardian_token" in changes and changes["guardian_token"] != before.guardian_token:
        if before.guardian_token:
            guardians.remove_stop_link(txn, before.guardian_token)
        if changes["guardian_token"]:
            guardians.add_stop_link(txn, changes["guardian_token"], before.student_id, at)
    add_audit(
        txn,
        entity_pk=keys.student_pk(before.student_id),
        action="student.updated",
        actor=actor,
        at=at,
        before=_audited(stored_before),
        after=_audited(after),
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise StaleRecord() from cancelled
    return ProfileRecord.of_item(after)


def change_email(*, before: ProfileRecord, email: str, actor: Actor, at: datetime) -> ProfileRecord:
    """Move the profile and its email claim to `email` (a change Cognito verified), if
    the profile is still the version read and no other student claims that address.
    The old address's claim goes: it may sign up again."""
    email = email.strip().lower()
    pk = keys.student_pk(before.student_id)
    after = {**before.fields(), "email": email, "version": before.version + 1}
    after["updated_at"] = at.isoformat()
    expression, names, values = dynamo.set_expression(
        {name: after[name] for name in ("email", "version", "updated_at")}
    )
    values[":expected"] = before.version
    claim = {
        "PK": keys.email_pk(email),
        "SK": keys.CLAIM_SK,
        "type": "email_claim",
        "student_id": before.student_id,
        "sers_id": before.sers_id,
        "created_at": at.isoformat(),
    }
    txn = dynamo.Transaction()
    txn.update(
        pk,
        keys.PROFILE_SK,
        expression=expression,
        names=names,
        values=values,
        condition="version = :expected",
    )
    txn.put(claim, condition=NOT_EXISTS)
    txn.delete(keys.email_pk(before.email), keys.CLAIM_SK)
    add_audit(
        txn,
        entity_pk=pk,
        action="student.email_changed",
        actor=actor,
        at=at,
        before={"email": before.email},
        after={"email": email},
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        if 1 in cancelled.failed:
            raise UniquenessViolation({Claimed.EMAIL}) from cancelled
        raise StaleRecord() from cancelled
    return ProfileRecord.of_item(after)


def read_partition(student_id: str) -> StudentPartition:
    """The dashboard's one Query: profile, student-years, registrations and prior-year
    requests together."""
    partition = StudentPartition()
    for item in dynamo.query(pk=keys.student_pk(student_id)):
        sk = item["SK"]
        if sk == keys.PROFILE_SK:
            partition.profile = ProfileRecord.of_item(item)
        elif sk.startswith(keys.YEAR_SK_PREFIX):
            partition.years[item["school_year"]] = StudentYear.of_item(item)
        elif sk.startswith(keys.REGISTRATION_SK_PREFIX):
            partition.registrations.append(RegistrationRecord.of_item(item))
        elif sk.startswith(keys.PRIOR_YEAR_SK_PREFIX):
            partition.prior_year_requests.append(item)
    return partition


def claim_for_email(email: str) -> StudentClaim | None:
    item = dynamo.get_item(keys.email_pk(email), keys.CLAIM_SK)
    return StudentClaim.of_item(item) if item else None


def claim_for_sers_id(sers_id: str) -> StudentClaim | None:
    item = dynamo.get_item(keys.sers_id_pk(sers_id), keys.CLAIM_SK)
    return StudentClaim.of_item(item) if item else None


def search_by_name(name_index: str, name_prefix: str, limit: int = 50) -> list[ProfileRecord]:
    items = dynamo.query(
        index="GSI1",
        pk_name="GSI1PK",
        pk=keys.student_name_gsi(name_index),
        sk_name="GSI1SK",
        sk_prefix=name_prefix,
        limit=limit,
    )
    return [ProfileRecord.of_item(item) for item in items]
