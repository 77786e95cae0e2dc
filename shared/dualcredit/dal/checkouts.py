"""The Stripe Checkout Session a student-year's fee is being paid through: what paying
reads, the one open session a year keeps, and clearing it when Stripe closes it."""

from __future__ import annotations

from datetime import datetime

from dualcredit.dal import dynamo, keys
from dualcredit.dal.records import OpenCheckout, ProfileRecord, StudentYear, WindowRecord


def load_for_checkout(
    student_id: str, school_year: str
) -> tuple[ProfileRecord | None, StudentYear | None, WindowRecord]:
    """Profile, student-year and window record in one BatchGetItem."""
    profile_key = (keys.student_pk(student_id), keys.PROFILE_SK)
    year_key = (keys.student_pk(student_id), keys.year_sk(school_year))
    window_key = (keys.window_pk(school_year), keys.META_SK)
    found = dynamo.batch_get([profile_key, year_key, window_key])
    profile, year = found.get(profile_key), found.get(year_key)
    return (
        ProfileRecord.of_item(profile) if profile else None,
        StudentYear.of_item(year) if year else None,
        WindowRecord.of_item(school_year, found.get(window_key)),
    )


def store_checkout(student_id: str, school_year: str, checkout: OpenCheckout, at: datetime) -> bool:
    """Remember the open session unless another still-open one got there first."""
    try:
        dynamo.update_item(
            keys.student_pk(student_id),
            keys.year_sk(school_year),
            expression="SET checkout = :checkout",
            condition=(
                "attribute_exists(PK) AND "
                "(attribute_not_exists(checkout) OR checkout.expires_at < :now)"
            ),
            values={
                ":checkout": {
                    "session_id": checkout.session_id,
                    "url": checkout.url,
                    "expires_at": checkout.expires_at,
                    "amount_cents": checkout.amount_cents,
                },
                ":now": int(at.timestamp()),
            },
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
