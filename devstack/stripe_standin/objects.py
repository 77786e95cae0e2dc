"""The shapes of the Stripe objects the stand-in keeps: ids, and the dicts of a new
Checkout Session, line item, payment intent, charge, refund, dispute and event, as
Stripe's API returns them."""

from __future__ import annotations

import secrets
import string
from typing import Any

from devstack.stripe_standin.parameters import LineItem, SessionRequest

_ALPHABET = string.ascii_letters + string.digits

TEST_PAYER = "Test Payer"
FALLBACK_EMAIL = "payer@example.com"
INSUFFICIENT_FUNDS = "The account has insufficient funds."


def new_id(prefix: str, length: int = 24) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def list_of(data: list[dict[str, Any]], url: str) -> dict[str, Any]:
    """A Stripe list object (one page, no more)."""
    return {"object": "list", "data": data, "has_more": False, "url": url}


def line_items_url(session_id: str) -> str:
    return f"/v1/checkout/sessions/{session_id}/line_items"


def line_item(item: LineItem) -> dict[str, Any]:
    """A Checkout Session's line item (an `item`), its price made up from price_data."""
    return {
        "id": new_id("li_"),
        "object": "item",
        "amount_discount": 0,
        "amount_subtotal": item.amount,
        "amount_tax": 0,
        "amount_total": item.amount,
        "currency": item.currency,
        "description": item.description,
        "price": {
            "id": new_id("price_"),
            "object": "price",
            "active": False,
            "currency": item.currency,
            "livemode": False,
            "product": new_id("prod_", 14),
            "type": "one_time",
            "unit_amount": item.unit_amount,
        },
        "quantity": item.quantity,
    }


def checkout_session(
    session_id: str, request: SessionRequest, now: int, url: str
) -> dict[str, Any]:
    """An open Checkout Session, unpaid."""
    return {
        "id": session_id,
        "object": "checkout.session",
        "after_expiration": None,
        "allow_promotion_codes": None,
        "amount_subtotal": request.total,
        "amount_total": request.total,
        "billing_address_collection": None,
        "cancel_url": request.cancel_url,
        "client_reference_id": request.client_reference_id,
        "created": now,
        "currency": request.currency,
        "customer": None,
        "customer_creation": "if_required",
        "customer_details": None,
        "customer_email": request.customer_email,
        "expires_at": request.expires_at,
        "livemode": False,
        "locale": request.locale,
        "metadata": request.metadata,
        "mode": "payment",
        "payment_intent": None,
        "payment_method_types": request.payment_method_types,
        "payment_status": "unpaid",
        "status": "open",
        "submit_type": request.submit_type,
        "success_url": request.success_url,
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted",
        "url": url,
    }


def customer_details(email: str) -> dict[str, Any]:
    return {
        "email": email,
        "name": TEST_PAYER,
        "phone": None,
        "address": None,
        "tax_exempt": "none",
        "tax_ids": [],
    }


def payment(
    session: dict[str, Any], intent_data: dict[str, Any], *, now: int, delayed: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The session's payment: its payment intent (succeeded, or processing for a delayed
    method) and the intent's charge (paid, or pending for a delayed method)."""
    intent_id, charge_id = new_id("pi_3"), new_id("ch_3")
    amount = session["amount_total"]
    intent: dict[str, Any] = {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": 0 if delayed else amount,
        "canceled_at": None,
        "created": now,
        "currency": session["currency"],
        "customer": None,
        "description": intent_data.get("description"),
        "last_payment_error": None,
        "latest_charge": charge_id,
        "livemode": False,
        "metadata": dict(intent_data.get("metadata") or {}),
        "payment_method_types": [method_type(delayed)],
        "receipt_email": intent_data.get("receipt_email"),
        "status": "processing" if delayed else "succeeded",
    }
    charge: dict[str, Any] = {
        "id": charge_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": 0,
        "balance_transaction": None if delayed else new_id("txn_3"),
        "billing_details": {
            "email": session["customer_email"] or FALLBACK_EMAIL,
            "name": TEST_PAYER,
            "phone": None,
            "address": None,
        },
        "captured": True,
        "created": now,
        "currency": session["currency"],
        "customer": None,
        "description": intent_data.get("description"),
        "disputed": False,
        "failure_code": None,
        "failure_message": None,
        "livemode": False,
        "metadata": dict(intent_data.get("metadata") or {}),
        "paid": not delayed,
        "payment_intent": intent_id,
        "payment_method_details": {"type": method_type(delayed)},
        "receipt_email": session["customer_email"],
        "refunded": False,
        "status": "pending" if delayed else "succeeded",
    }
    return intent, charge


def method_type(delayed: bool) -> str:
    """A delayed payment is a bank debit; an immediate one is a card."""
    return "us_bank_account" if delayed else "card"


def refund(
    refund_id: str,
    charge: dict[str, Any],
    amount: int,
    reason: str | None,
    metadata: dict[str, str],
    *,
    now: int,
) -> dict[str, Any]:
    return {
        "id": refund_id,
        "object": "refund",
        "amount": amount,
        "balance_transaction": new_id("txn_3"),
        "charge": charge["id"],
        "created": now,
        "currency": charge["currency"],
        "metadata": metadata,
        "payment_intent": charge["payment_intent"],
        "reason": reason,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }


def dispute(dispute_id: str, charge: dict[str, Any], reason: str, *, now: int) -> dict[str, Any]:
    return {
        "id": dispute_id,
        "object": "dispute",
        "amount": charge["amount"] - charge["amount_refunded"],
        "balance_transactions": [],
        "charge": charge["id"],
        "created": now,
        "currency": charge["currency"],
        "evidence_details": {
            "due_by": now + 7 * 86400,
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
        },
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "payment_intent": charge["payment_intent"],
        "reason": reason,
        "status": "needs_response",
    }


def event(
    event_type: str,
    data: dict[str, Any],
    *,
    api_version: str,
    now: int,
    request: dict[str, Any],
    pending_webhooks: int,
) -> dict[str, Any]:
    return {
        "id": new_id("evt_3"),
        "object": "event",
        "api_version": api_version,
        "created": now,
        "data": data,
        "livemode": False,
        "pending_webhooks": pending_webhooks,
        "request": request,
        "type": event_type,
    }
