"""The staff review queue of payments: the sparse GSI2 partition `REVIEW#payments`
(dal/payments/flags.py puts a payment there when it flags it), and its resolution.

A resolution takes the payment off the queue (its GSI2 keys removed), clears
`needs_staff_review` and the reasons, keeps the note with who and when on the payment,
and writes the audit record in the same transaction. A later flag puts the payment back
on the queue with only the new reasons, dated when it was flagged again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit
from dualcredit.dal.records import PaymentRecord


@dataclass(frozen=True)
class QueuedPayment:
    """A payment on the review queue, with when it was (first) flagged."""

    payment: PaymentRecord
    flagged_at: datetime


def review_queue() -> list[QueuedPayment]:
    """Every payment flagged for staff, oldest flag first: one Query of GSI2 (pages
    followed)."""
    items = dynamo.query(index="GSI2", pk_name="GSI2PK", pk=keys.REVIEW_QUEUE_GSI2)
    return [
        QueuedPayment(
            payment=PaymentRecord.of_item(item),
            flagged_at=datetime.fromisoformat(keys.review_flagged_at(item["GSI2SK"])),
        )
        for item in items
    ]


def resolve(payment: PaymentRecord, note: str, *, actor: Actor, at: datetime) -> bool:
    """Resolve a flagged payment with staff's note. False (nothing written) when it is not
    on the queue any more (resolved by someone else meanwhile)."""
    pk = keys.payment_pk(payment.payment_id)
    reasons = sorted(r.value for r in payment.review_reasons)
    resolution = {"note": note, "by": actor.user_id, "at": at.isoformat(), "reasons": reasons}
    txn = dynamo.Transaction()
    txn.update(
        pk,
        keys.META_SK,
        expression=(
            "SET needs_staff_review = :false, review_resolution = :resolution "
            "REMOVE GSI2PK, GSI2SK, review_reasons"
        ),
        condition="needs_staff_review = :true AND GSI2PK = :queue",
        values={
            ":false": False,
            ":true": True,
            ":resolution": resolution,
            ":queue": keys.REVIEW_QUEUE_GSI2,
        },
    )
    add_audit(
        txn,
        entity_pk=pk,
        action="payment.review_resolved",
        actor=actor,
        at=at,
        before={"needs_staff_review": True, "review_reasons": reasons},
        after={"needs_staff_review": False, "note": note},
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled:
        return False
    return True
