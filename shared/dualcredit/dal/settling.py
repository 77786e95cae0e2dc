"""Settling a student-year with a payment: the write that makes one payment the one
that settles a slot (fee or late fee) of its year, with the audit record.

A student-year holds at most one `fee_payment` and one `late_fee_payment`, each set with
`attribute_not_exists` in the transaction that writes the payment's side, so a fee is
never counted twice however many payments, deliveries or staff entries race for it.
Taking a payment off its year again (a refund, a lost dispute, a void) is in
dal/payments/unsettling.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dualcredit import rules
from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit
from dualcredit.dal.records import SLOT_ATTRIBUTE, PaymentRecord, without_none


class SlotTaken(Exception):
    """Another payment settled this charge first, or the payment changed meanwhile."""


def settle_new(
    payment: PaymentRecord,
    *,
    slot: rules.PaymentSlot,
    covers_late_fee: bool,
    school_id: str | None,
    actor: Actor,
    at: datetime,
) -> None:
    """Write a new payment (a check or money order entry) as the one that settles `slot`
    of its student-year. SlotTaken if another payment settled it first."""
    item = {
        **_entry_fields(payment),
        "PK": keys.payment_pk(payment.payment_id),
        "SK": keys.META_SK,
        "type": "payment",
        "settles": slot.value,
        **_listing(payment, at),
    }
    txn = dynamo.Transaction()
    txn.put(item, condition="attribute_not_exists(PK)")
    _settle(txn, payment, slot, covers_late_fee, school_id, actor, at)


def settle_recorded(
    payment: PaymentRecord,
    *,
    slot: rules.PaymentSlot,
    covers_late_fee: bool,
    school_id: str | None,
    actor: Actor,
    at: datetime,
) -> None:
    """Make a recorded payment (a card payment its event wrote) the one that settles
    `slot`, unless it settles, was refunded, found a duplicate, held for review or lost in
    a dispute meanwhile (an update, not a put: flags another event set meanwhile, a
    dispute, must survive).
    SlotTaken if anything raced ahead."""
    listing = _listing(payment, at)
    txn = dynamo.Transaction()
    txn.update(
        keys.payment_pk(payment.payment_id),
        keys.META_SK,
        expression="SET settles = :slot, GSI1PK = :g1pk, GSI1SK = :g1sk",
        condition=(
            "attribute_not_exists(settles) AND attribute_not_exists(refunded) "
            "AND attribute_not_exists(duplicate) AND attribute_not_exists(held) "
            "AND attribute_not_exists(dispute_lost)"
        ),
        values={":slot": slot.value, ":g1pk": listing["GSI1PK"], ":g1sk": listing["GSI1SK"]},
    )
    _settle(txn, payment, slot, covers_late_fee, school_id, actor, at)


def _entry_fields(payment: PaymentRecord) -> dict[str, Any]:
    return without_none(
        {
            "payment_id": payment.payment_id,
            "method": payment.method.value if payment.method else None,
            "student_id": payment.student_id,
            "school_year": payment.school_year,
            "sers_id": payment.sers_id,
            "amount_cents": payment.amount_cents,
            "received_on": payment.received_on,
            "instrument_number": payment.instrument_number,
            "payer_name": payment.payer_name,
            "note": payment.note,
            "recorded_by": payment.recorded_by,
            "recorded_at": payment.recorded_at,
        }
    )


def _listing(payment: PaymentRecord, at: datetime) -> dict[str, str]:
    return {
        "GSI1PK": keys.payments_gsi(_year_of(payment)),
        "GSI1SK": keys.payments_sort(at.isoformat(), payment.payment_id),
    }


def _year_of(payment: PaymentRecord) -> str:
    if payment.school_year is None or payment.student_id is None:
        raise ValueError(f"payment {payment.payment_id} names no student-year")
    return payment.school_year


def _settle(
    txn: dynamo.Transaction,
    payment: PaymentRecord,
    slot: rules.PaymentSlot,
    covers_late_fee: bool,
    school_id: str | None,
    actor: Actor,
    at: datetime,
) -> None:
    """The student-year's side of settling, in the transaction that writes the payment's,
    with the audit record."""
    school_year, student_id = _year_of(payment), str(payment.student_id)
    attribute = SLOT_ATTRIBUTE[slot]
    summary = without_none(
        {
            "payment_id": payment.payment_id,
            "method": payment.method.value if payment.method else None,
            "amount_cents": payment.amount_cents,
            "received_on": payment.received_on,
            "covers_late_fee": covers_late_fee,
            "instrument_number": payment.instrument_number or None,
        }
    )
    year_pk = keys.student_pk(student_id)
    # A payment never creates a student-year: it settles one that registration made.
    condition = f"attribute_exists(PK) AND attribute_not_exists({attribute})"
    values: dict[str, Any] = {
        ":p": summary,
        ":year": school_year,
        ":sid": student_id,
        ":type": "student_year",
        ":g2pk": keys.fees_gsi2(school_year),
        ":g2sk": keys.fees_sort(school_id, student_id),
    }
    if slot is rules.PaymentSlot.FEE:
        condition += " AND (attribute_not_exists(waiver_status) OR waiver_status <> :approved)"
        values[":approved"] = "approved"
    txn.update(
        year_pk,
        keys.year_sk(school_year),
        expression=(
            f"SET {attribute} = :p, school_year = :year, student_id = :sid, #type = :type, "
            "GSI2PK = :g2pk, GSI2SK = :g2sk REMOVE checkout"
        ),
        names={"#type": "type"},
        values=values,
        condition=condition,
    )
    add_audit(
        txn,
        entity_pk=year_pk,
        action=f"payment.settled.{slot.value}",
        actor=actor,
        at=at,
        before=None,
        after={"school_year": school_year, **summary},
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled as cancelled:
        raise SlotTaken() from cancelled
