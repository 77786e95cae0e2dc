"""The table's records as the code above the data layer sees them: frozen dataclasses.

Each record is read from one item by `of_item`; the attribute names the table uses
(`fee_payment`, `waiver_status`, `late_fee_applies` ...) stay in this folder. Plain
dataclasses rather than pydantic models, so a Lambda's cold start does not build a
validator for every record kind. API models read them with `from_attributes`.

One module per aggregate, all re-exported here (each loaded on first use:
`dualcredit.lazy`), so callers write
`from dualcredit.dal.records import StudentYear`:

- profile: the profile, and the uniqueness claims (SERS ID, email) that point at it
- student_year: the student-year, with its waiver, settled payments, open checkout,
  bank payment and voided entries, and its fee facts
- payment: the payment, its review reasons, the Checkout Session it was collected by,
  a refused refund
- registration: one class registered for a year
- window: a school year's window as stored
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dualcredit import lazy

if TYPE_CHECKING:  # the names, for the type checker; at run time lazy.exports loads them
    from dualcredit.dal.records._base import without_none
    from dualcredit.dal.records.payment import (
        CheckoutSession,
        PaymentMethod,
        PaymentRecord,
        RefundError,
        ReviewReason,
    )
    from dualcredit.dal.records.profile import (
        ProfileRecord,
        StudentClaim,
    )
    from dualcredit.dal.records.registration import RegistrationRecord
    from dualcredit.dal.records.student_year import (
        SLOT_ATTRIBUTE,
        BankPayment,
        OpenCheckout,
        SettledPayment,
        StudentYear,
        VoidedPayment,
        Waiver,
        WaiverStatus,
        fee_facts,
    )
    from dualcredit.dal.records.window import WindowRecord

__all__ = [
    # profile
    "ProfileRecord",
    "StudentClaim",
    # student-year
    "SLOT_ATTRIBUTE",
    "BankPayment",
    "OpenCheckout",
    "SettledPayment",
    "StudentYear",
    "VoidedPayment",
    "Waiver",
    "WaiverStatus",
    "fee_facts",
    # payment
    "CheckoutSession",
    "PaymentMethod",
    "PaymentRecord",
    "RefundError",
    "ReviewReason",
    # registration
    "RegistrationRecord",
    # window
    "WindowRecord",
    # shared
    "without_none",
]

#: Where each of those names lives: the module to load on its first use.
EXPORTS: dict[str, tuple[str, ...]] = {
    "_base": ("without_none",),
    "payment": ("CheckoutSession", "PaymentMethod", "PaymentRecord", "RefundError", "ReviewReason"),
    "profile": ("ProfileRecord", "StudentClaim"),
    "registration": ("RegistrationRecord",),
    "student_year": (
        "SLOT_ATTRIBUTE",
        "BankPayment",
        "OpenCheckout",
        "SettledPayment",
        "StudentYear",
        "VoidedPayment",
        "Waiver",
        "WaiverStatus",
        "fee_facts",
    ),
    "window": ("WindowRecord",),
}
__getattr__, __dir__ = lazy.exports(__name__, EXPORTS)
