"""What Stripe's events say about a card payment, merged into its record. Card
payments are keyed by Stripe's payment intent, so a redelivered event finds the payment
it made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dualcredit.dal import dynamo, keys
from dualcredit.dal.records import PaymentMethod, PaymentRecord


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
