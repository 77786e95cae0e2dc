"""Every program rule, once: pure functions with no I/O.

Handlers, the data layer and the scheduled jobs ask this package; none of them
restates a rule. Standard library only, so it is cheap to import on a cold start
and trivially unit and property tested.

The rules come from the public program page (program-info.md) and the way the
design brief reads its ambiguous points. One module per topic, all re-exported
here, so callers write `from dualcredit import rules` and `rules.window_for(...)`:

- calendar: school year, registration window, Pacific dates, long dates, the
  reminder schedule, Checkout Session lifetime
- fees: the $50 fee, the $15 late fee, FeeFacts and what a year owes or a payment settles
- grades: the grade scale, the credit threshold, when credit is sent
- sers_id: the SERS ID format
- transcripts: what a college's next transcript batch holds (new, corrected, withdrawn)
- names: name matching and search keys, the one-person-one-account fingerprint
- requests: which prior-year credit requests ask about the same class (one may wait)
- stages: each class's stage and next step, a year's fee in its parts
- stripe: the reconciliation window, the events it reads, how long events are
  remembered, how long a bank payment takes
"""

from __future__ import annotations

from dualcredit.rules._base import PACIFIC, RuleError
from dualcredit.rules.calendar import (
    CHECKOUT_MAX_LIFETIME,
    CHECKOUT_MIN_LIFETIME,
    DEFAULT_GRADING_REMINDER_DAYS,
    DEFAULT_REMINDER_DAYS,
    MAX_REMINDER_DAYS,
    SchoolYear,
    Window,
    WindowStatus,
    checkout_expires_at,
    default_close_date,
    grading_deadline,
    latest_opened_year,
    long_date,
    next_reminder,
    pacific_date,
    parse_reminder_days,
    reminder_date,
    reminder_days_due,
    school_year_of,
    school_year_or_current,
    still_in_school,
    validate_close_extension,
    validate_grading_deadline,
    validate_received_on,
    window_for,
)
from dualcredit.rules.fees import (
    BASE_FEE_CENTS,
    FEE_CURRENCY,
    LATE_FEE_CENTS,
    FeeFacts,
    FeeStatus,
    PaymentMismatch,
    PaymentSlot,
    amount_due,
    amount_if_not_waived,
    bank_payment_pending,
    covers_late_fee,
    fee_status,
    late_fee_applies,
    may_pay_now,
    may_start_checkout,
    payment_mismatch,
    payment_slot,
    prior_year_cost_cents,
    refund_is_whole,
)
from dualcredit.rules.grades import (
    DEFAULT_GRADE_THRESHOLD,
    GRADE_SCALE,
    RosterState,
    credit_is_sent,
    grade_may_be_posted,
    may_finalize,
    normalize_grade,
    qualifies_for_credit,
    roster_state,
    school_may_change_grades,
)
from dualcredit.rules.names import (
    identity_fingerprint,
    last_name_index_key,
    mask_name,
    name_search_prefix,
    name_sort_key,
    normalize_person_name,
    visible_name,
)
from dualcredit.rules.requests import same_class_key
from dualcredit.rules.sers_id import (
    CROCKFORD_ALPHABET,
    DEFAULT_SERS_PREFIX,
    InvalidSersId,
    format_sers_id,
    new_sers_id,
    parse_sers_id,
    sers_id_year,
)
from dualcredit.rules.stages import (
    ClassProgress,
    ClassStage,
    FeeParts,
    NextStep,
    class_progress,
    fee_parts,
)
from dualcredit.rules.stripe import (
    BANK_PAYMENT_BUSINESS_DAYS,
    DEFAULT_RECONCILIATION_DAYS,
    EVENTS_PAGE_SIZE,
    MAX_RECONCILIATION_DAYS,
    PROCESSED_MEMORY,
    RECONCILED_EVENT_TYPES,
    parse_reconciliation_days,
    reconciliation_since,
)
from dualcredit.rules.transcripts import (
    BatchLine,
    LineMark,
    SentLine,
    sent_state,
    transcript_delta,
)

__all__ = [
    # base
    "PACIFIC",
    "RuleError",
    # calendar
    "CHECKOUT_MAX_LIFETIME",
    "CHECKOUT_MIN_LIFETIME",
    "DEFAULT_GRADING_REMINDER_DAYS",
    "DEFAULT_REMINDER_DAYS",
    "MAX_REMINDER_DAYS",
    "SchoolYear",
    "Window",
    "WindowStatus",
    "checkout_expires_at",
    "default_close_date",
    "grading_deadline",
    "latest_opened_year",
    "long_date",
    "next_reminder",
    "pacific_date",
    "parse_reminder_days",
    "reminder_date",
    "reminder_days_due",
    "school_year_of",
    "school_year_or_current",
    "still_in_school",
    "validate_close_extension",
    "validate_grading_deadline",
    "validate_received_on",
    "window_for",
    # fees
    "BASE_FEE_CENTS",
    "FEE_CURRENCY",
    "LATE_FEE_CENTS",
    "FeeFacts",
    "FeeStatus",
    "PaymentMismatch",
    "PaymentSlot",
    "amount_due",
    "amount_if_not_waived",
    "bank_payment_pending",
    "covers_late_fee",
    "fee_status",
    "late_fee_applies",
    "may_pay_now",
    "may_start_checkout",
    "payment_mismatch",
    "payment_slot",
    "prior_year_cost_cents",
    "refund_is_whole",
    # grades
    "DEFAULT_GRADE_THRESHOLD",
    "GRADE_SCALE",
    "RosterState",
    "credit_is_sent",
    "grade_may_be_posted",
    "may_finalize",
    "roster_state",
    "school_may_change_grades",
    "normalize_grade",
    "qualifies_for_credit",
    # names
    "identity_fingerprint",
    "last_name_index_key",
    "mask_name",
    "name_search_prefix",
    "name_sort_key",
    "normalize_person_name",
    "visible_name",
    # SERS ID
    "CROCKFORD_ALPHABET",
    "DEFAULT_SERS_PREFIX",
    "InvalidSersId",
    "format_sers_id",
    "new_sers_id",
    "parse_sers_id",
    "sers_id_year",
    # Stripe
    "BANK_PAYMENT_BUSINESS_DAYS",
    "DEFAULT_RECONCILIATION_DAYS",
    "EVENTS_PAGE_SIZE",
    "MAX_RECONCILIATION_DAYS",
    "PROCESSED_MEMORY",
    "RECONCILED_EVENT_TYPES",
    "parse_reconciliation_days",
    "reconciliation_since",
    # requests
    "same_class_key",
    # stages
    "ClassProgress",
    "ClassStage",
    "FeeParts",
    "NextStep",
    "class_progress",
    "fee_parts",
    # transcripts
    "BatchLine",
    "LineMark",
    "SentLine",
    "sent_state",
    "transcript_delta",
]
