"""The fee facts of one student-year record, handed to the rules module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dualcredit import rules
from dualcredit.dal.payments import SLOT_ATTRIBUTE

FEE, LATE_FEE = SLOT_ATTRIBUTE[rules.PaymentSlot.FEE], SLOT_ATTRIBUTE[rules.PaymentSlot.LATE_FEE]


@dataclass(frozen=True)
class FeeFacts:
    paid: bool = False
    waiver_approved: bool = False
    waiver_pending: bool = False
    late_fee_applies: bool = False
    late_fee_paid: bool = False

    @classmethod
    def of(cls, record: dict[str, Any] | None) -> FeeFacts:
        record = record or {}
        fee = record.get(FEE)
        waiver = record.get("waiver_status")
        return cls(
            paid=bool(fee),
            waiver_approved=waiver == "approved",
            waiver_pending=waiver == "pending",
            late_fee_applies=bool(record.get("late_fee_applies")),
            late_fee_paid=bool(record.get(LATE_FEE)) or bool(fee and fee.get("covers_late_fee")),
        )

    def status(self) -> rules.FeeStatus:
        return rules.fee_status(
            paid=self.paid, waiver_approved=self.waiver_approved, waiver_pending=self.waiver_pending
        )

    def amount_due(self) -> int:
        return rules.amount_due_cents(
            paid=self.paid,
            waiver_approved=self.waiver_approved,
            waiver_pending=self.waiver_pending,
            late_fee_applies=self.late_fee_applies,
            late_fee_paid=self.late_fee_paid,
        )

    def slot(self) -> rules.PaymentSlot | None:
        return rules.payment_slot(
            paid=self.paid,
            waiver_approved=self.waiver_approved,
            late_fee_applies=self.late_fee_applies,
            late_fee_paid=self.late_fee_paid,
        )

    def covers_late_fee(self, amount_cents: int) -> bool:
        """A fee payment made while a late fee applies pays both at once."""
        return self.late_fee_applies and amount_cents >= rules.BASE_FEE_CENTS + rules.LATE_FEE_CENTS
