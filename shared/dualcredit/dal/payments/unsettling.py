"""Taking a payment off its student-year again: a whole refund, a lost dispute, a void.
The year's fee is due again, and the payment is flagged with its new status."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit
from dualcredit.dal.payments.flags import STRIPE, _flag, _Flags, _refund_status
from dualcredit.dal.records import SLOT_ATTRIBUTE, PaymentRecord, ReviewReason, without_none


def dispute_lost(payment: PaymentRecord, dispute_id: str, *, at: datetime) -> None:
    """The consortium lost the dispute: the money went back, so the payment comes off its
    year (the fee is due again), flagged for staff."""
    _unsettle(
        payment,
        action="payment.dispute_lost",
        actor=STRIPE,
        at=at,
        flags=_Flags(
            {
                "disputed": True,
                "dispute_id": dispute_id,
                "dispute_status": "lost",
                "dispute_closed": True,
                "dispute_lost": True,
            },
            reasons=frozenset({ReviewReason.DISPUTE_LOST}),
        ),
    )


def refund_settled(
    payment: PaymentRecord, refunded_cents: int, *, actor: Actor, at: datetime
) -> None:
    """A payment refunded whole comes off its student-year (the fee is due again),
    flagged for staff."""
    _unsettle(
        payment,
        action="payment.refunded",
        actor=actor,
        at=at,
        flags=_Flags(
            _refund_status(refunded_cents, at), reasons=frozenset({ReviewReason.REFUNDED})
        ),
    )


def void(payment: PaymentRecord, reason: str, *, actor: Actor, at: datetime) -> dict[str, Any]:
    """A mistaken check or money order entry comes off its student-year, which keeps it
    in `voided_payments` (with the reason) so the student's pages still show it. Returns
    what the entry now says of its voiding."""
    status = {
        "voided": True,
        "void_reason": reason,
        "voided_by": actor.user_id,
        "voided_at": at.isoformat(),
    }
    kept = without_none(
        {
            "payment_id": payment.payment_id,
            "method": payment.method.value if payment.method else None,
            "amount_cents": payment.amount_cents,
            "received_on": payment.received_on,
            "instrument_number": payment.instrument_number or None,
            "void_reason": reason,
            "voided_at": at.isoformat(),
        }
    )
    _unsettle(payment, action="payment.voided", actor=actor, at=at, flags=_Flags(status), keep=kept)
    return status


def _unsettle(
    payment: PaymentRecord,
    *,
    action: str,
    actor: Actor,
    at: datetime,
    flags: _Flags,
    keep: dict[str, Any] | None = None,
) -> None:
    """Take a payment off its student-year (with its new status and the audit record);
    `keep` is appended to the year's `voided_payments`."""
    if payment.settles is None or payment.student_id is None or payment.school_year is None:
        _flag(payment.payment_id, flags, actor=actor, at=at, action=action)
        return
    attribute = SLOT_ATTRIBUTE[payment.settles]
    year_pk = keys.student_pk(payment.student_id)
    expression, names, values = flags.update(payment.payment_id, at)
    txn = dynamo.Transaction()
    txn.update(
        keys.payment_pk(payment.payment_id),
        keys.META_SK,
        expression=expression,
        names=names,
        values=values,
    )
    year_values: dict[str, Any] = {":pid": payment.payment_id}
    expression = f"REMOVE {attribute}"
    if keep is not None:
        expression += (
            " SET voided_payments = list_append(if_not_exists(voided_payments, :none), :v)"
        )
        year_values |= {":none": [], ":v": [keep]}
    txn.update(
        year_pk,
        keys.year_sk(payment.school_year),
        expression=expression,
        condition=f"{attribute}.payment_id = :pid",
        values=year_values,
    )
    add_audit(
        txn,
        entity_pk=year_pk,
        action=action,
        actor=actor,
        at=at,
        before={"payment_id": payment.payment_id},
        after=flags.audited(),
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled:
        # The year no longer points at this payment: only record its new status.
        _flag(payment.payment_id, flags, actor=actor, at=at, action=action)
