"""Payments and the student-year record they settle.

A student-year holds at most one `fee_payment` and one `late_fee_payment`, each
set with `attribute_not_exists`, so a fee is never counted twice however many
payments, deliveries or staff entries race for it. Card payments are keyed by
Stripe's payment intent, so a redelivered event finds the payment it made.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from dualcredit import rules
from dualcredit.dal import dynamo, keys
from dualcredit.dal.audit import Actor, add_audit

SLOT_ATTRIBUTE = {
    rules.PaymentSlot.FEE: "fee_payment",
    rules.PaymentSlot.LATE_FEE: "late_fee_payment",
}

STRIPE = Actor(user_id="stripe", role="stripe")


class SlotTaken(Exception):
    """Another payment settled this charge first, or the payment changed meanwhile."""


def settled_payments(student_year: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The payment summaries a student-year's slots hold, each with the slot it settles."""
    return [
        {**student_year[attribute], "settles": slot.value}
        for slot, attribute in SLOT_ATTRIBUTE.items()
        if student_year and isinstance(student_year.get(attribute), dict)
    ]


def student_year(student_id: str, school_year: str) -> dict[str, Any] | None:
    return dynamo.get_item(keys.student_pk(student_id), keys.year_sk(school_year), consistent=True)


def load_for_checkout(
    student_id: str, school_year: str
) -> tuple[dict | None, dict | None, dict | None]:
    """Profile, student-year and window record in one BatchGetItem."""
    wanted = [
        (keys.student_pk(student_id), keys.PROFILE_SK),
        (keys.student_pk(student_id), keys.year_sk(school_year)),
        (keys.window_pk(school_year), keys.META_SK),
    ]
    found = dynamo.batch_get(wanted)
    return found.get(wanted[0]), found.get(wanted[1]), found.get(wanted[2])


def store_checkout(
    student_id: str, school_year: str, checkout: dict[str, Any], at: datetime
) -> bool:
    """Remember the open session unless another still-open one got there first."""
    try:
        dynamo.update_item(
            keys.student_pk(student_id),
            keys.year_sk(school_year),
            expression="SET checkout = :checkout",
            condition="attribute_exists(PK) AND (attribute_not_exists(checkout) OR checkout.expires_at < :now)",
            values={":checkout": checkout, ":now": int(at.timestamp())},
        )
    except dynamo.ConditionFailed:
        return False
    return True


def clear_checkout(student_id: str, school_year: str, session_id: str) -> None:
    try:
        dynamo.update_item(
            keys.student_pk(student_id),
            keys.year_sk(school_year),
            # A new generation gives the next session a fresh idempotency key.
            expression="REMOVE checkout ADD checkout_generation :one",
            condition="checkout.session_id = :sid",
            values={":sid": session_id, ":one": 1},
        )
    except dynamo.ConditionFailed:
        pass  # already cleared, or replaced by a newer session


def note_card_payment(payment_intent: str, facts: dict[str, Any]) -> dict[str, Any]:
    """Merge what a Stripe event says about a payment into its record (an upsert, so
    events may arrive in any order) and return the record as it now stands. Once its
    school year is known it is listed for the payments report, settled or not."""
    if "school_year" in facts:
        facts = {
            **facts,
            "GSI1PK": keys.payments_gsi(facts["school_year"]),
            "GSI1SK": f"{facts.get('recorded_at', '')}#{payment_intent}",
        }
    expression, names, values = dynamo.set_expression(facts, if_not_exists=True)
    return dynamo.update_item(
        keys.payment_pk(payment_intent),
        keys.META_SK,
        expression=expression,
        names=names,
        values=values,
    )


def flag_payment(
    payment_id: str, flags: dict[str, Any], *, actor: Actor, at: datetime, action: str
) -> None:
    """Set flags (refunded, disputed, duplicate...) on a payment, creating its record if
    no event made it yet, with an audit record."""
    pk = keys.payment_pk(payment_id)
    expression, names, values = dynamo.set_expression(flags)
    txn = dynamo.Transaction()
    txn.update(pk, keys.META_SK, expression=expression, names=names, values=values)
    add_audit(txn, entity_pk=pk, action=action, actor=actor, at=at, before=None, after=flags)
    dynamo.transact(txn)


def settle(
    *,
    payment: dict[str, Any],
    slot: rules.PaymentSlot,
    covers_late_fee: bool,
    profile_school_id: str | None,
    actor: Actor,
    at: datetime,
    new_payment: bool,
) -> None:
    """Make `payment` the one that settles `slot` of its student-year, atomically with
    the payment record and an audit record. SlotTaken if anything raced ahead."""
    student_id, school_year = payment["student_id"], payment["school_year"]
    attribute = SLOT_ATTRIBUTE[slot]
    summary = {
        "payment_id": payment["payment_id"],
        "method": payment["method"],
        "amount_cents": payment["amount_cents"],
        "received_on": payment["received_on"],
        "covers_late_fee": covers_late_fee,
        **(
            {"instrument_number": payment["instrument_number"]}
            if payment.get("instrument_number")
            else {}
        ),
    }
    year_pk = keys.student_pk(student_id)
    txn = dynamo.Transaction()
    payment_pk = keys.payment_pk(payment["payment_id"])
    listing = {
        "GSI1PK": keys.payments_gsi(school_year),
        "GSI1SK": f"{at.isoformat()}#{payment['payment_id']}",
    }
    if new_payment:
        txn.put(
            {
                **payment,
                **listing,
                "PK": payment_pk,
                "SK": keys.META_SK,
                "type": "payment",
                "settles": slot.value,
            },
            condition="attribute_not_exists(PK)",
        )
    else:
        # An update, not a put: flags another event set meanwhile (a dispute) must survive.
        txn.update(
            payment_pk,
            keys.META_SK,
            expression="SET settles = :slot, GSI1PK = :g1pk, GSI1SK = :g1sk",
            condition=(
                "attribute_not_exists(settles) AND attribute_not_exists(refunded) "
                "AND attribute_not_exists(duplicate)"
            ),
            values={":slot": slot.value, ":g1pk": listing["GSI1PK"], ":g1sk": listing["GSI1SK"]},
        )
    condition = f"attribute_not_exists({attribute})"
    values: dict[str, Any] = {
        ":p": summary,
        ":year": school_year,
        ":sid": student_id,
        ":type": "student_year",
    }
    if slot is rules.PaymentSlot.FEE:
        condition += " AND (attribute_not_exists(waiver_status) OR waiver_status <> :approved)"
        values[":approved"] = "approved"
    expression = (
        f"SET {attribute} = :p, school_year = :year, student_id = :sid, #type = :type, "
        "GSI2PK = :g2pk, GSI2SK = :g2sk REMOVE checkout"
    )
    values[":g2pk"] = keys.fees_gsi2(school_year)
    values[":g2sk"] = f"{profile_school_id or '-'}#{student_id}"
    txn.update(
        year_pk,
        keys.year_sk(school_year),
        expression=expression,
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


def unsettle(
    payment: dict[str, Any], *, reason: str, actor: Actor, at: datetime, status: dict[str, Any]
) -> None:
    """Take a refunded or voided payment off its student-year (the fee is due again)."""
    attribute = SLOT_ATTRIBUTE[rules.PaymentSlot(payment["settles"])]
    year_pk = keys.student_pk(payment["student_id"])
    txn = dynamo.Transaction()
    names = {f"#s{i}": name for i, name in enumerate(status)}
    values = {f":s{i}": value for i, value in enumerate(status.values())}
    txn.update(
        keys.payment_pk(payment["payment_id"]),
        keys.META_SK,
        expression="SET " + ", ".join(f"#s{i} = :s{i}" for i in range(len(status))),
        names=names,
        values=values,
    )
    txn.update(
        year_pk,
        keys.year_sk(payment["school_year"]),
        expression=f"REMOVE {attribute}",
        condition=f"{attribute}.payment_id = :pid",
        values={":pid": payment["payment_id"]},
    )
    add_audit(
        txn,
        entity_pk=year_pk,
        action=reason,
        actor=actor,
        at=at,
        before={"payment_id": payment["payment_id"]},
        after=status,
    )
    try:
        dynamo.transact(txn)
    except dynamo.TransactionCancelled:
        # The year no longer points at this payment: only record its new status.
        flag_payment(payment["payment_id"], status, actor=actor, at=at, action=reason)


def get_payment(payment_id: str) -> dict[str, Any] | None:
    return dynamo.get_item(keys.payment_pk(payment_id), keys.META_SK, consistent=True)


def payments_of_year(school_year: str) -> list[dict[str, Any]]:
    return dynamo.query(index="GSI1", pk_name="GSI1PK", pk=keys.payments_gsi(school_year))


def student_years(school_year: str) -> list[dict[str, Any]]:
    return dynamo.query(index="GSI2", pk_name="GSI2PK", pk=keys.fees_gsi2(school_year))


def student_year_pages(school_year: str) -> Iterator[list[dict[str, Any]]]:
    """The year's student-years (GSI2), one Query page at a time, for jobs that walk
    every student of a year without holding them all."""
    return dynamo.query_pages(index="GSI2", pk_name="GSI2PK", pk=keys.fees_gsi2(school_year))
