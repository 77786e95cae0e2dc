from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from dualcredit.models.common import ApiModel, OptionalText, SchoolYearName, Text


class CheckoutRequest(ApiModel):
    school_year: SchoolYearName | None = None


class Checkout(BaseModel):
    session_id: str
    checkout_url: str
    expires_at: datetime
    amount_cents: int


class PayLookup(ApiModel):
    """A parent proves they know the student: SERS ID and date of birth."""

    sers_id: Text
    birth_date: date
    school_year: SchoolYearName | None = None


class PaySummary(BaseModel):
    sers_id: str
    masked_name: str
    school_year: str
    fee_status: Literal["due", "paid", "waived", "waiver_pending"]
    amount_due_cents: int
    registered: bool


class CheckIn(ApiModel):
    kind: Literal["check", "money_order"]
    school_year: SchoolYearName
    instrument_number: Text
    amount_cents: int = Field(gt=0, le=100_000)
    received_on: date
    payer_name: Text
    note: OptionalText | None = None


class VoidRequest(ApiModel):
    reason: Text


class Payment(BaseModel):
    payment_id: str
    method: Literal["card", "check", "money_order"]
    student_id: str
    school_year: str
    amount_cents: int
    received_on: date
    instrument_number: str | None = None
    payer_name: str | None = None
    note: str | None = None
    voided: bool = False
    void_reason: str | None = None
