"""The Stripe Checkout Session a student-year's fee is being paid through: what paying
reads, the one open session a year keeps, and clearing it when Stripe closes it; and
the record of what each session was created to collect, which its payment is checked
against when Stripe says it was paid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dualcredit import rules
from dualcredit.dal import dynamo, keys
from dualcredit.dal.records import (
    CheckoutSession,
    OpenCheckout,
    ProfileRecord,
    StudentYear,
    WindowRecord,
)


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


def record_session(
    session_id: str, student_id: str, school_year: str, expected_cents: int, at: datetime
) -> None:
    """What a new Checkout Session was created to collect, for whom, in US dollars."""
    dynamo.put_item(
        {
            "PK": keys.checkout_pk(session_id),
            "SK": keys.META_SK,
            "type": "checkout_session",
            "session_id": session_id,
            "student_id": student_id,
            "school_year": school_year,
            "expected_cents": expected_cents,
            "currency": rules.FEE_CURRENCY,
            "created_at": at.isoformat(),
        }
    )


def session_record(session_id: str) -> CheckoutSession | None:
    """What the app recorded a Checkout Session was created to collect, and for whom."""
    item = dynamo.get_item(keys.checkout_pk(session_id), keys.META_SK)
    return CheckoutSession.of_item(item) if item else None


def store_checkout(student_id: str, school_year: str, checkout: OpenCheckout, at: datetime) -> bool:
    """Record what the session was created to collect, then remember it as the year's
    open session unless another still-open one got there first (the caller expires a
    session that lost; were it paid anyway, its payment is checked against this record
    like any other). Two writes, not a transaction: the record is the same whoever
    writes it, and concurrent transactions on one year could conflict."""
    record_session(checkout.session_id, student_id, school_year, checkout.amount_cents, at)
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
                    "payer": checkout.payer,
                },
                ":now": int(at.timestamp()),
            },
        )
    except dynamo.ConditionFailed:
        return False
    return True


@dataclass(frozen=True)
class PaidSessionContext:
    """What a paid session's event is checked against: the app's record of the session,
    the student its metadata names, and that student's year."""

    session_id: str
    session: CheckoutSession | None
    profile: ProfileRecord | None
    year: StudentYear | None

    @property
    def expected_cents(self) -> int | None:
        """What the session was created to collect, or None if the app has no record of
        it. A session created before its record was kept (2026-12-02) is known by the
        year's open checkout, which holds the amount it was created for."""
        if self.session is not None:
            return self.session.expected_cents
        open_checkout = self.year.checkout if self.year else None
        if open_checkout is not None and open_checkout.session_id == self.session_id:
            return open_checkout.amount_cents
        return None


def paid_session_context(session_id: str, student_id: str, school_year: str) -> PaidSessionContext:
    """The session's record, the profile and the student-year in one BatchGetItem."""
    session_key = (keys.checkout_pk(session_id), keys.META_SK)
    profile_key = (keys.student_pk(student_id), keys.PROFILE_SK)
    year_key = (keys.student_pk(student_id), keys.year_sk(school_year))
    found = dynamo.batch_get([session_key, profile_key, year_key], consistent=True)
    session, profile, year = found.get(session_key), found.get(profile_key), found.get(year_key)
    return PaidSessionContext(
        session_id=session_id,
        session=CheckoutSession.of_item(session) if session else None,
        profile=ProfileRecord.of_item(profile) if profile else None,
        year=StudentYear.of_item(year) if year else None,
    )


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


def note_bank_payment(student_id: str, school_year: str, session_id: str, at: datetime) -> bool:
    """Mark the year's bank payment as processing (no new checkout meanwhile), unless
    Stripe already said whether this session's payment came; False when not marked."""
    try:
        dynamo.update_item(
            keys.student_pk(student_id),
            keys.year_sk(school_year),
            expression="SET bank_payment = if_not_exists(bank_payment, :bank)",
            condition=(
                "attribute_exists(PK) AND "
                "(attribute_not_exists(ended_bank_sessions) "
                "OR NOT contains(ended_bank_sessions, :sid))"
            ),
            values={
                ":bank": {"session_id": session_id, "since": at.isoformat()},
                ":sid": session_id,
            },
        )
    except dynamo.ConditionFailed:
        return False
    return True


def end_bank_payment(student_id: str, school_year: str, session_id: str) -> None:
    """Stripe said whether the session's bank payment came: the year no longer waits for
    it, and the session is remembered as decided, so its `completed` event or success
    page, met late (a reconciliation, a redelivery), cannot mark it processing again."""
    try:
        dynamo.update_item(
            keys.student_pk(student_id),
            keys.year_sk(school_year),
            expression="REMOVE bank_payment ADD ended_bank_sessions :sids",
            condition="attribute_exists(PK)",
            values={":sids": {session_id}},
        )
    except dynamo.ConditionFailed:
        pass  # no such year: a payment never creates one
