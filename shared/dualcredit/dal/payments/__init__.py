"""Payments: what Stripe's events say about a card payment, the flags that put a payment
on the staff review queue, and taking a payment off its student-year again (a whole
refund, a lost dispute, a void). Settling a year with a payment is dal/settling.py.

Card payments are keyed by Stripe's payment intent, so a redelivered event finds the
payment it made.

One module per job, all re-exported here (each loaded on first use:
`dualcredit.lazy`), so callers write
`from dualcredit.dal import payments as payment_data` and `payment_data.get_payment(...)`:

- reading: a payment, the year's payments, the year's student-years (whole or by page)
- card: what a Stripe event says about a card payment, merged into its record
- flags: the review flags (held, duplicate, refunds, disputes) with their audit records
- unsettling: a payment taken off its year (a whole refund, a lost dispute, a void)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dualcredit import lazy

if TYPE_CHECKING:  # the names, for the type checker; at run time lazy.exports loads them
    from dualcredit.dal.payments.card import (
        CardPaid,
        note_card_payment,
    )
    from dualcredit.dal.payments.flags import (
        STRIPE,
        dispute_won,
        hold,
        mark_disputed,
        mark_duplicate,
        mark_partly_refunded,
        mark_refunded,
        note_duplicate_refund,
        note_refund_refused,
    )
    from dualcredit.dal.payments.reading import (
        get_payment,
        payments_of_year,
        student_year,
        student_year_pages,
        student_years,
    )
    from dualcredit.dal.payments.unsettling import (
        dispute_lost,
        refund_settled,
        void,
    )

__all__ = [
    # reading
    "get_payment",
    "payments_of_year",
    "student_year",
    "student_year_pages",
    "student_years",
    # card
    "CardPaid",
    "note_card_payment",
    # flags
    "STRIPE",
    "dispute_won",
    "hold",
    "mark_disputed",
    "mark_duplicate",
    "mark_partly_refunded",
    "mark_refunded",
    "note_duplicate_refund",
    "note_refund_refused",
    # unsettling
    "dispute_lost",
    "refund_settled",
    "void",
]

#: Where each of those names lives: the module to load on its first use.
EXPORTS: dict[str, tuple[str, ...]] = {
    "card": ("CardPaid", "note_card_payment"),
    "flags": (
        "STRIPE",
        "dispute_won",
        "hold",
        "mark_disputed",
        "mark_duplicate",
        "mark_partly_refunded",
        "mark_refunded",
        "note_duplicate_refund",
        "note_refund_refused",
    ),
    "reading": (
        "get_payment",
        "payments_of_year",
        "student_year",
        "student_year_pages",
        "student_years",
    ),
    "unsettling": ("dispute_lost", "refund_settled", "void"),
}
__getattr__, __dir__ = lazy.exports(__name__, EXPORTS)
