"""Stripe situations the app cannot make by itself, built on the stand-in."""

from __future__ import annotations

from typing import Any

from dualcredit import clock
from dualcredit.dal import checkouts


def session_paying(
    standin,
    metadata: dict[str, str],
    *,
    amount: int = 5000,
    currency: str = "usd",
    client_reference_id: str | None = None,
) -> str:
    """A Checkout Session made directly at Stripe (a payment link, another integration,
    someone with the key) carrying `metadata` like ours: the app has no record of it."""
    params: dict[str, Any] = {
        "mode": "payment",
        "success_url": "https://app.test/s",
        "cancel_url": "https://app.test/c",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": currency,
                    "unit_amount": amount,
                    "product_data": {"name": "fee"},
                },
            }
        ],
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
    }
    if client_reference_id is not None:
        params["client_reference_id"] = client_reference_id
    return standin.client().v1.checkout.sessions.create(params).id


def app_session(
    standin,
    metadata: dict[str, str],
    *,
    expected: int = 5000,
    amount: int | None = None,
    currency: str = "usd",
) -> str:
    """A Checkout Session as the app makes one for the student-year `metadata` names,
    recorded as created to collect `expected` cents; at Stripe it collects `amount` (by
    default the same) in `currency`."""
    session_id = session_paying(
        standin,
        metadata,
        amount=expected if amount is None else amount,
        currency=currency,
        client_reference_id=metadata["sers_id"],
    )
    checkouts.record_session(
        session_id, metadata["student_id"], metadata["school_year"], expected, clock.now()
    )
    return session_id


def second_session_for_same_year(standin, first_session_id: str) -> str:
    """Another open Checkout Session the app made for the same student-year (say, an
    earlier one still open from an old link)."""
    return app_session(standin, standin.sessions[first_session_id]["metadata"])
