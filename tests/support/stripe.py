"""Stripe situations the app cannot make by itself, built on the stand-in."""

from __future__ import annotations


def second_session_for_same_year(standin, first_session_id: str) -> str:
    """Another open Checkout Session for the same student-year (say, from an old link)."""
    return (
        standin.client()
        .v1.checkout.sessions.create(
            {
                "mode": "payment",
                "success_url": "https://app.test/s",
                "cancel_url": "https://app.test/c",
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": "usd",
                            "unit_amount": 5000,
                            "product_data": {"name": "fee"},
                        },
                    }
                ],
                "metadata": standin.sessions[first_session_id]["metadata"],
            }
        )
        .id
    )
