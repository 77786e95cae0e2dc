"""The types of the routes' path parameters, and the words errors use for parameters.

Every path parameter is typed and bounded here, so a malformed or oversized one is a
422 naming it before any route code runs (tests/contract/test_openapi.py checks that
each documented path parameter declares a bound)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path

from dualcredit.models.common import ID_MAX_LENGTH, ID_PATTERN, Id, SchoolYearName

#: "2026-27" (the rules module also reads "2026 - 27").
SCHOOL_YEAR_MAX_LENGTH = 16

SchoolYearPath = Annotated[
    SchoolYearName, Path(max_length=SCHOOL_YEAR_MAX_LENGTH, description="e.g. 2026-27")
]
IdPath = Annotated[Id, Path(max_length=ID_MAX_LENGTH, pattern=ID_PATTERN)]
#: A Stripe Checkout Session id ("cs_test_a1..."; Stripe's ids are at most 255 characters).
CHECKOUT_SESSION_MAX_LENGTH = 255
CheckoutSessionPath = Annotated[
    str,
    Path(
        max_length=CHECKOUT_SESSION_MAX_LENGTH,
        pattern=rf"^cs_[A-Za-z0-9_]{{1,{CHECKOUT_SESSION_MAX_LENGTH - 3}}}$",
        description="Stripe's Checkout Session id, as the success URL carries it",
    ),
]

#: Query and path parameters, as the pages name them ("School year must be ...").
PARAMETER_LABELS = {
    "school_year": "School year",
    "school_id": "School",
    "student_id": "Student",
    "offering_id": "Class offering",
    "payment_id": "Payment",
    "session_id": "Payment reference",
    "user_id": "School user",
    "batch_id": "Transcript batch",
    "import_id": "Grade file",
    "college": "College",
    "sers_id": "SERS ID",
    "email": "Email address",
    "last_name": "Last name",
    "first_name": "First name",
    "days": "Days before the close",
    "limit": "Number listed",
}
