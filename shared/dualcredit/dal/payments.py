"""Payments: what Stripe's events say about a card payment, the flags that put a payment
on the staff review queue, and taking a payment off its student-year again (a whole
refund, a lost dispute, a void). Settling a year with a payment is dal/settling.py.

Card payments are keyed by Stripe's payment intent, so a redelivered event finds the
payment it made.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit
from dualcredit.dal.records import (
    SLOT_ATTRIBUTE,
    PaymentMethod,
    PaymentRecord,
    ReviewReason,
    StudentYear,
    without_none,
)

STRIPE = Actor(user_id="stripe", role="stripe")


def student_year(student_id: str, school_year: str) -> StudentYear | None:
    item = dynamo.get_item(keys.student_pk(student_id), keys.year_sk(school_year), consistent=True)
    return StudentYear.of_item(item) if item else None


@dataclass(frozen=True)
class CardPaid:
    """What a paid Checkout Session says about its payment."""

    student_id: str
    school_year: str
    sers_id: str
    session_id: str
    amount_cents: int
    currency: str
    received_on: str
    recorded_at: str


def note_card_payment(payment_intent: str, paid: CardPaid | None = None) -> PaymentRecord:
    """Merge what a Stripe event says about a payment into its record (an upsert, so
    events may arrive in any order) and return the record as it now stands. Once its
    school year is known it is listed for the payments report, settled or not."""
    facts: dict[str, Any] = {"payment_id": payment_intent, "type": "payment"}
    if paid is not None:
        facts |= {
            "method": PaymentMethod.CARD.value,
            "student_id": paid.student_id,
            "school_year": paid.school_year,
            "sers_id": paid.sers_id,
            "session_id": paid.session_id,
            "amount_cents": paid.amount_cents,
            "currency": paid.currency,
            "received_on": paid.received_on,
            "recorded_at": paid.recorded_at,
            "GSI1PK": keys.payments_gsi(paid.school_year),
            "GSI1SK": keys.payments_sort(paid.recorded_at, payment_intent),
        }
    expression, names, values = dynamo.set_expression(facts, if_not_exists=True)
    item = dynamo.update_item(
        keys.payment_pk(payment_intent),
        keys.META_SK,
        expression=expression,
        names=names,
        values=values,
    )
    return PaymentRecord.of_item(item)


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


def get_payment(payment_id: str) -> PaymentRecord | None:
    item = dynamo.get_item(keys.payment_pk(payment_id), keys.META_SK, consistent=True)
    return PaymentRecord.of_item(item) if item else None


def payments_of_year(school_year: str) -> list[PaymentRecord]:
    items = dynamo.query(index="GSI1", pk_name="GSI1PK", pk=keys.payments_gsi(school_year))
    return [PaymentRecord.of_item(item) for item in items]


def student_years(school_year: str) -> list[StudentYear]:
    items = dynamo.query(index="GSI2", pk_name="GSI2PK", pk=keys.fees_gsi2(school_year))
    return [StudentYear.of_item(item) for item in items]


def student_year_pages(school_year: str) -> Iterator[list[StudentYear]]:
    """The year's student-years (GSI2), one Query page at a time, for jobs that walk
    every student of a year without holding them all."""
    for page in dynamo.query_pages(index="GSI2", pk_name="GSI2PK", pk=keys.fees_gsi2(school_year)):
        yield [StudentYear.of_item(item) for item in page]
