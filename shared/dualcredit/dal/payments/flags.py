"""The flags on a payment that put it on the staff review queue (held, duplicate,
refunds, disputes), each change written with its audit record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit
from dualcredit.dal.records import ReviewReason, without_none

STRIPE = Actor(user_id="stripe", role="stripe")


@dataclass(frozen=True)
class _Flags:
    """A change of a payment's flags: fields to set and remove, review reasons to add
    (which put it on the staff review queue, GSI2) or drop."""

    fields: dict[str, Any]
    reasons: frozenset[ReviewReason] = frozenset()
    remove: tuple[str, ...] = ()
    drop: frozenset[ReviewReason] = frozenset()

    def update(self, payment_id: str, at: datetime) -> tuple[str, dict[str, str], dict[str, Any]]:
        fields = {"payment_id": payment_id, "type": "payment", **self.fields}
        also: list[str] = []
        extra: dict[str, Any] = {}
        if self.reasons:
            fields["needs_staff_review"] = True
            also = ["GSI2PK = :queue", "GSI2SK = if_not_exists(GSI2SK, :queued)"]
            extra = {
                ":queue": keys.REVIEW_QUEUE_GSI2,
                ":queued": keys.review_sort(at.isoformat(), payment_id),
            }
        expression, names, values = dynamo.set_expression(fields, remove=self.remove, also=also)
        values |= extra
        if self.reasons:
            expression += " ADD #reasons :reasons"
            values[":reasons"] = {r.value for r in self.reasons}
        elif self.drop:
            expression += " DELETE #reasons :dropped"
            values[":dropped"] = {r.value for r in self.drop}
        if self.reasons or self.drop:
            names["#reasons"] = "review_reasons"
        return expression, names, values

    def audited(self) -> dict[str, Any]:
        after = dict(self.fields)
        if self.reasons:
            after["review_reasons"] = sorted(self.reasons)
        if self.drop:
            after["review_reasons_cleared"] = sorted(self.drop)
        return after


def _flag(
    payment_id: str,
    flags: _Flags,
    *,
    actor: Actor,
    at: datetime,
    action: str,
    condition: str | None = None,
    condition_values: dict[str, Any] | None = None,
) -> bool:
    """Change a payment's flags, creating its record if no event made it yet, with an
    audit record. False (nothing written) when `condition` does not hold."""
    pk = keys.payment_pk(payment_id)
    expression, names, values = flags.update(payment_id, at)
    txn = dynamo.Transaction()
    txn.update(
        pk,
        keys.META_SK,
        expression=expression,
        names=names,
        values=values | (condition_values or {}),
        condition=condition,
    )
    add_audit(
        txn, entity_pk=pk, action=action, actor=actor, at=at, before=None, after=flags.audited()
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled:
        return False
    return True


def hold(
    payment_id: str, reasons: set[ReviewReason], details: dict[str, Any], *, at: datetime
) -> None:
    """A card payment that may not settle (its amount, currency or student does not
    match what its session was created for): recorded as held, never to settle, and
    flagged for staff with the reasons."""
    fields = {"held": True, **without_none(details)}
    if ReviewReason.UNMATCHED in reasons:
        fields["unmatched"] = True
    _flag(
        payment_id,
        _Flags(fields, reasons=frozenset(reasons)),
        actor=STRIPE,
        at=at,
        action="payment.held",
    )


def mark_duplicate(payment_id: str, *, at: datetime) -> None:
    """A second payment for a settled year, recorded and shown to staff before its
    refund is asked for."""
    _flag(
        payment_id,
        _Flags({"duplicate": True}, reasons=frozenset({ReviewReason.DUPLICATE})),
        actor=STRIPE,
        at=at,
        action="payment.duplicate",
    )


def note_duplicate_refund(payment_id: str, refund_id: str, *, actor: Actor, at: datetime) -> None:
    """Stripe accepted the duplicate's refund (a refusal noted before is cleared)."""
    _flag(
        payment_id,
        _Flags(
            {"duplicate_refund_id": refund_id},
            remove=("refund_error",),
            drop=frozenset({ReviewReason.REFUND_FAILED}),
        ),
        actor=actor,
        at=at,
        action="payment.duplicate_refunded",
    )


def note_refund_refused(
    payment_id: str, code: str, message: str, attempts: int, *, actor: Actor, at: datetime
) -> None:
    """Stripe refused to refund the duplicate: its reason is kept for staff, who may
    retry the refund."""
    _flag(
        payment_id,
        _Flags(
            {
                "refund_error": {"code": code, "message": message, "at": at.isoformat()},
                "refund_attempts": attempts,
            },
            reasons=frozenset({ReviewReason.REFUND_FAILED}),
        ),
        actor=actor,
        at=at,
        action="payment.refund_refused",
    )


def _refund_status(refunded_cents: int, at: datetime) -> dict[str, Any]:
    return {"refunded": True, "refunded_cents": refunded_cents, "refunded_at": at.isoformat()}


def mark_refunded(payment_id: str, refunded_cents: int, *, at: datetime) -> None:
    """A whole refund of a payment that settles nothing (a duplicate, or not settled
    yet). The money went back, so a refusal noted before (a duplicate's refund Stripe
    refused, refunded since from Stripe's dashboard or by a staff retry) is cleared."""
    _flag(
        payment_id,
        _Flags(
            _refund_status(refunded_cents, at),
            remove=("refund_error",),
            drop=frozenset({ReviewReason.REFUND_FAILED}),
        ),
        actor=STRIPE,
        at=at,
        action="payment.refunded",
    )


def mark_partly_refunded(payment_id: str, refunded_cents: int, *, at: datetime) -> bool:
    """A refund of part of a payment: recorded (cents so far, date) and flagged; the
    payment keeps its year. Only a larger amount than recorded is written, and nothing
    after a whole refund, so events in any order end with the largest. False when
    nothing was written."""
    return _flag(
        payment_id,
        _Flags(
            {
                "refunded_cents": refunded_cents,
                "refunded_at": at.isoformat(),
                "partly_refunded": True,
            },
            reasons=frozenset({ReviewReason.PARTIAL_REFUND}),
        ),
        actor=STRIPE,
        at=at,
        action="payment.partly_refunded",
        condition=(
            "attribute_not_exists(refunded) AND "
            "(attribute_not_exists(refunded_cents) OR refunded_cents < :cents)"
        ),
        condition_values={":cents": refunded_cents},
    )


def mark_disputed(payment_id: str, dispute_id: str, status: str, *, at: datetime) -> bool:
    """The cardholder disputed the charge: flagged for staff. A dispute already closed
    (its closing event came first) is not reopened; False then."""
    return _flag(
        payment_id,
        _Flags(
            {"disputed": True, "dispute_id": dispute_id, "dispute_status": status},
            reasons=frozenset({ReviewReason.DISPUTED}),
        ),
        actor=STRIPE,
        at=at,
        action="payment.disputed",
        condition="attribute_not_exists(dispute_closed)",
    )


def dispute_won(payment_id: str, dispute_id: str, *, at: datetime) -> None:
    """The consortium won the dispute: the money stays, the dispute flag is cleared."""
    _flag(
        payment_id,
        _Flags(
            {
                "disputed": False,
                "dispute_id": dispute_id,
                "dispute_status": "won",
                "dispute_closed": True,
            },
            drop=frozenset({ReviewReason.DISPUTED}),
        ),
        actor=STRIPE,
        at=at,
        action="payment.dispute_won",
    )
