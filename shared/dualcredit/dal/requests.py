"""Waiver and prior-year credit requests, and the staff queues they wait in (GSI1)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit
from dualcredit.dal.records import ProfileRecord, StudentYear, WaiverStatus


class NotAllowed(Exception):
    """The record is not in a state that allows this change."""


def request_waiver(
    *,
    student_id: str,
    school_year: str,
    reason: str,
    explanation: str | None,
    actor: Actor,
    at: datetime,
) -> None:
    """Ask for a waiver of a registered, unpaid year with no waiver pending or granted."""
    pk = keys.student_pk(student_id)
    waiver = {"reason": reason, "explanation": explanation, "requested_at": at.isoformat()}
    txn = dynamo.Transaction()
    txn.update(
        pk,
        keys.year_sk(school_year),
        expression=(
            "SET waiver_status = :pending, waiver = :waiver, GSI1PK = :queue, GSI1SK = :sort"
        ),
        condition=(
            "attribute_exists(PK) AND attribute_not_exists(fee_payment) AND "
            "(attribute_not_exists(waiver_status) OR waiver_status = :denied)"
        ),
        values={
            ":pending": WaiverStatus.PENDING.value,
            ":waiver": waiver,
            ":queue": keys.WAIVER_QUEUE_GSI,
            ":sort": keys.waiver_queue_sort(at.isoformat(), student_id, school_year),
            ":denied": WaiverStatus.DENIED.value,
        },
    )
    add_audit(
        txn,
        entity_pk=pk,
        action="waiver.requested",
        actor=actor,
        at=at,
        before=None,
        after={"school_year": school_year, **waiver},
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise NotAllowed() from cancelled


def decide_waiver(
    *,
    student_id: str,
    school_year: str,
    approve: bool,
    note: str | None,
    actor: Actor,
    at: datetime,
) -> None:
    pk = keys.student_pk(student_id)
    status = (WaiverStatus.APPROVED if approve else WaiverStatus.DENIED).value
    txn = dynamo.Transaction()
    txn.update(
        pk,
        keys.year_sk(school_year),
        expression=(
            "SET waiver_status = :status, waiver.decided_by = :by, waiver.decided_at = :at, "
            "waiver.decision_note = :note REMOVE GSI1PK, GSI1SK"
        ),
        condition="waiver_status = :pending",
        values={
            ":status": status,
            ":by": actor.user_id,
            ":at": at.isoformat(),
            ":note": note or "",
            ":pending": "pending",
        },
    )
    add_audit(
        txn,
        entity_pk=pk,
        action=f"waiver.{status}",
        actor=actor,
        at=at,
        before={"school_year": school_year, "waiver_status": "pending"},
        after={"school_year": school_year, "waiver_status": status, "note": note},
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise NotAllowed() from cancelled


def pending_waivers() -> list[StudentYear]:
    items = dynamo.query(index="GSI1", pk_name="GSI1PK", pk=keys.WAIVER_QUEUE_GSI)
    return [StudentYear.of_item(item) for item in items]


class AlreadyPending(Exception):
    """The student already has a request for this class and year waiting for staff."""


def request_prior_year(
    *, student_id: str, request: dict[str, Any], class_key: str, actor: Actor, at: datetime
) -> None:
    """Write a waiting prior-year request, and claim its class and year for it
    (`class_key`: rules.same_class_key of its class name) in the same transaction: the
    claim is written only when no other request of that class and year still waits, so
    two requests sent at once make one. AlreadyPending, nothing written, otherwise."""
    pk = keys.student_pk(student_id)
    claim_sk = keys.prior_year_claim_sk(request["school_year"], class_key)
    item = {
        "PK": pk,
        "SK": keys.prior_year_sk(request["school_year"], request["request_id"]),
        "GSI1PK": keys.PRIOR_YEAR_QUEUE_GSI,
        "GSI1SK": keys.prior_year_queue_sort(at.isoformat(), request["request_id"]),
        "type": "prior_year_request",
        "status": "pending",
        "student_id": student_id,
        "requested_at": at.isoformat(),
        "claim_sk": claim_sk,
        **request,
    }
    txn = dynamo.Transaction()
    txn.put(item, condition="attribute_not_exists(PK)")
    claim = txn.put(
        {
            "PK": pk,
            "SK": claim_sk,
            "type": "prior_year_claim",
            "school_year": request["school_year"],
            "request_id": request["request_id"],
            "pending": True,
        },
        condition="attribute_not_exists(PK) OR pending = :no",
        values={":no": False},
    )
    add_audit(
        txn,
        entity_pk=pk,
        action="prior_year.requested",
        actor=actor,
        at=at,
        before=None,
        after={k: v for k, v in item.items() if k != "claim_sk"},
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        if claim in cancelled.failed:
            raise AlreadyPending() from cancelled
        raise


def pending_prior_year() -> list[dict[str, Any]]:
    return dynamo.query(index="GSI1", pk_name="GSI1PK", pk=keys.PRIOR_YEAR_QUEUE_GSI)


def decide_prior_year(
    *,
    request: dict[str, Any],
    approve: bool,
    note: str | None,
    profile: ProfileRecord,
    actor: Actor,
    at: datetime,
) -> None:
    """Approve (the year then has prior-year credit: its fee if unsettled, plus the late
    fee) or deny."""
    pk = keys.student_pk(request["student_id"])
    status = "approved" if approve else "denied"
    txn = dynamo.Transaction()
    txn.update(
        pk,
        keys.prior_year_sk(request["school_year"], request["request_id"]),
        expression=(
            "SET #status = :status, decided_by = :by, decided_at = :at, "
            "decision_note = :note REMOVE GSI1PK, GSI1SK"
        ),
        condition="#status = :pending",
        names={"#status": "status"},
        values={
            ":status": status,
            ":by": actor.user_id,
            ":at": at.isoformat(),
            ":note": note or "",
            ":pending": "pending",
        },
    )
    if request.get("claim_sk"):
        # The class and year may be asked about again (requests from before claims
        # existed have none to free).
        txn.update(
            pk,
            request["claim_sk"],
            expression="SET pending = :no",
            condition="request_id = :rid",
            values={":no": False, ":rid": request["request_id"]},
        )
    if approve:
        year = request["school_year"]
        txn.update(
            pk,
            keys.year_sk(year),
            expression=(
                "SET prior_year_credit = :true, #type = :type, school_year = :year, "
                "student_id = :sid, sers_id = :sers, "
                "school_id = if_not_exists(school_id, :school), "
                "opened_at = if_not_exists(opened_at, :at), GSI2PK = :fees, "
                "GSI2SK = if_not_exists(GSI2SK, :fees_sort)"
            ),
            names={"#type": "type"},
            values={
                ":true": True,
                ":type": "student_year",
                ":year": year,
                ":sid": request["student_id"],
                ":sers": profile.sers_id,
                ":school": request["school_id"],
                ":at": at.isoformat(),
                ":fees": keys.fees_gsi2(year),
                ":fees_sort": keys.fees_sort(request["school_id"], request["student_id"]),
            },
        )
    add_audit(
        txn,
        entity_pk=pk,
        action=f"prior_year.{status}",
        actor=actor,
        at=at,
        before={"request_id": request["request_id"], "status": "pending"},
        after={"request_id": request["request_id"], "status": status, "note": note},
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise NotAllowed() from cancelled


def get_prior_year(student_id: str, school_year: str, request_id: str) -> dict[str, Any] | None:
    return dynamo.get_item(
        keys.student_pk(student_id), keys.prior_year_sk(school_year, request_id), consistent=True
    )


def prior_year_of(student_id: str) -> list[dict[str, Any]]:
    """Every prior-year credit request of one student (one Query of their partition)."""
    return dynamo.query(pk=keys.student_pk(student_id), sk_prefix="PRIOR#")
