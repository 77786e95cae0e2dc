"""Paying the fee: by the signed-in student, by anyone who knows the SERS ID and
birth date, and the staff entry of checks and money orders."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from dualcredit import clock, rules
from dualcredit.http.context import caller, client_address
from dualcredit.http.params import CheckoutSessionPath, IdPath
from dualcredit.http.responses import created, csv_file, csv_responses
from dualcredit.logic import fulfilment, payments, reconciliation, report, requests
from dualcredit.logic import review as review_queue
from dualcredit.models.common import ID_MAX_LENGTH, Id, SchoolYearName
from dualcredit.models.payments import (
    CheckIn,
    Checkout,
    CheckoutRequest,
    DecisionResult,
    Decisions,
    Fulfilment,
    PayCheckoutRequest,
    PayLookup,
    Payment,
    PaymentsReport,
    PaySummary,
    PendingWaiver,
    PriorYearRequest,
    PriorYearRequestIn,
    ReconciliationRunOut,
    VoidRequest,
    WaiverRequest,
)
from dualcredit.models.review import FlaggedPayment, RefundRetry, ResolvedReview, ReviewResolution

router = Router()


@router.post(
    "/students/me/checkout",
    summary="Start (or resume) card payment of a year's fee",
    tags=["payments"],
    status_code=201,
)
def post_checkout(request: CheckoutRequest) -> Response[Checkout]:
    return created(payments.checkout_for_student(caller(router), request.school_year, clock.now()))


@router.post(
    "/students/me/checkout/<session_id>/fulfil",
    summary="Back from Stripe Checkout: settle the student's own session if it is paid",
    tags=["payments"],
)
def post_fulfil(session_id: CheckoutSessionPath) -> Fulfilment:
    return fulfilment.fulfil_checkout(caller(router), session_id, clock.now())


@router.get(
    "/payments/reconciliation",
    summary="The daily reconciliations with Stripe, newest first",
    tags=["staff"],
)
def get_reconciliation() -> list[ReconciliationRunOut]:
    return reconciliation.recent_runs(caller(router))


@router.post("/pay/lookup", summary="Amount due for a SERS ID and date of birth", tags=["payments"])
def post_pay_lookup(request: PayLookup) -> PaySummary:
    return payments.pay_summary(
        request.sers_id,
        request.birth_date,
        request.school_year,
        client_address(router),
        clock.now(),
    )


@router.post(
    "/pay/checkout",
    summary="Card payment by SERS ID and date of birth",
    tags=["payments"],
    status_code=201,
)
def post_pay_checkout(request: PayCheckoutRequest) -> Response[Checkout]:
    return created(
        payments.checkout_by_sers_id(
            request.sers_id,
            request.birth_date,
            request.school_year,
            client_address(router),
            clock.now(),
            receipt_email=str(request.receipt_email) if request.receipt_email else None,
        )
    )


@router.post(
    "/pay/checkout/<session_id>/fulfil",
    summary="Back on /pay from Stripe Checkout: settle the session paid by SERS ID if it is paid",
    tags=["payments"],
)
def post_pay_fulfil(session_id: CheckoutSessionPath) -> Fulfilment:
    return fulfilment.fulfil_paid_by_sers_id(session_id, clock.now())


@router.post(
    "/students/<student_id>/payments",
    summary="Record a check or money order",
    tags=["staff"],
    status_code=201,
)
def post_check(student_id: IdPath, check: CheckIn) -> Response[Payment]:
    return created(payments.record_check(caller(router), student_id, check, clock.now()))


@router.post("/payments/<payment_id>/void", summary="Void a mistaken check entry", tags=["staff"])
def post_void(payment_id: IdPath, request: VoidRequest) -> Payment:
    return payments.void_payment(caller(router), payment_id, request, clock.now())


@router.get("/payments/review", summary="Payments flagged for staff review", tags=["staff"])
def get_review_queue(
    student_id: Annotated[
        Id | None, Query(max_length=ID_MAX_LENGTH, description="only this student's payments")
    ] = None,
) -> list[FlaggedPayment]:
    return review_queue.flagged_payments(caller(router), student_id)


@router.post(
    "/payments/<payment_id>/review", summary="Resolve a flagged payment with a note", tags=["staff"]
)
def post_review(payment_id: IdPath, resolution: ReviewResolution) -> ResolvedReview:
    return review_queue.resolve(caller(router), payment_id, resolution, clock.now())


@router.post(
    "/payments/<payment_id>/refund",
    summary="Ask Stripe again to refund a duplicate whose refund it refused",
    tags=["staff"],
)
def post_refund_retry(payment_id: IdPath) -> RefundRetry:
    return review_queue.refund_retried(
        payments.retry_refund(caller(router), payment_id, clock.now())
    )


@router.post(
    "/students/me/waivers", summary="Ask for a fee waiver", tags=["payments"], status_code=201
)
def post_waiver(request: WaiverRequest) -> Response[PendingWaiver]:
    return created(requests.request_waiver(caller(router), request, clock.now()))


@router.get("/waivers", summary="Waiver requests waiting for a decision", tags=["staff"])
def get_waivers() -> list[PendingWaiver]:
    return requests.pending_waivers(caller(router))


@router.post("/waivers/decisions", summary="Approve or deny waivers, one or many", tags=["staff"])
def post_waiver_decisions(decisions: Decisions) -> list[DecisionResult]:
    return requests.decide_waivers(caller(router), decisions, clock.now())


@router.post(
    "/students/me/prior-year-requests",
    summary="Ask for credit for an earlier school year",
    tags=["payments"],
    status_code=201,
)
def post_prior_year(request: PriorYearRequestIn) -> Response[PriorYearRequest]:
    return created(requests.request_prior_year(caller(router), request, clock.now()))


@router.get(
    "/prior-year-requests", summary="Prior-year requests waiting for a decision", tags=["staff"]
)
def get_prior_year() -> list[PriorYearRequest]:
    return requests.pending_prior_year(caller(router), clock.now())


@router.post(
    "/prior-year-requests/decisions", summary="Approve or deny prior-year requests", tags=["staff"]
)
def post_prior_year_decisions(decisions: Decisions) -> list[DecisionResult]:
    return requests.decide_prior_year(caller(router), decisions, clock.now())


@router.get("/payments/report", summary="Payments report for a school year", tags=["staff"])
def get_report(
    school_year: Annotated[SchoolYearName | None, Query(description="default: current")] = None,
) -> PaymentsReport:
    return report.payments_report(
        caller(router), rules.school_year_or_current(school_year, clock.now()).name
    )


@router.get(
    "/payments/report/csv",
    summary="The payments report as CSV",
    tags=["staff"],
    responses=csv_responses(
        "The payments report: a row per school, the totals, then a row per student who owes "
        "or waits on a waiver"
    ),
)
def get_report_csv(
    school_year: Annotated[SchoolYearName | None, Query(description="default: current")] = None,
) -> Response[str]:
    year = rules.school_year_or_current(school_year, clock.now()).name
    body = report.report_csv(report.payments_report(caller(router), year))
    return csv_file(body, f"payments-{year}.csv")
