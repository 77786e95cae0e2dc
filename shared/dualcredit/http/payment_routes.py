"""Paying the fee: by the signed-in student, by anyone who knows the SERS ID and
birth date, and the staff entry of checks and money orders."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from dualcredit import clock
from dualcredit.http.context import caller, client_address
from dualcredit.http.responses import created
from dualcredit.logic import payments
from dualcredit.models.payments import (
    CheckIn,
    Checkout,
    CheckoutRequest,
    PayLookup,
    Payment,
    PaySummary,
    VoidRequest,
)

router = Router()


@router.post("/students/me/checkout", summary="Start (or resume) card payment of a year's fee",
             tags=["payments"])
def post_checkout(request: CheckoutRequest) -> Response[Checkout]:
    return created(payments.checkout_for_student(caller(router), request.school_year, clock.now()))


@router.post("/pay/lookup", summary="Amount due for a SERS ID and date of birth", tags=["payments"])
def post_pay_lookup(request: PayLookup) -> PaySummary:
    return payments.pay_summary(request.sers_id, request.birth_date, request.school_year,
                                client_address(router), clock.now())


@router.post("/pay/checkout", summary="Card payment by SERS ID and date of birth", tags=["payments"])
def post_pay_checkout(request: PayLookup) -> Response[Checkout]:
    return created(payments.checkout_by_sers_id(request.sers_id, request.birth_date, request.school_year,
                                                client_address(router), clock.now()))


@router.post("/students/<student_id>/payments", summary="Record a check or money order", tags=["staff"])
def post_check(student_id: str, check: CheckIn) -> Response[Payment]:
    return created(Payment.model_validate(payments.record_check(caller(router), student_id, check,
                                                                clock.now())))


@router.post("/payments/<payment_id>/void", summary="Void a mistaken check entry", tags=["staff"])
def post_void(payment_id: str, request: VoidRequest) -> Payment:
    return Payment.model_validate(payments.void_payment(caller(router), payment_id, request, clock.now()))
