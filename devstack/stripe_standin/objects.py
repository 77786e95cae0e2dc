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
        # What a hosted, payment-mode session of price_data line items carries for the
        # features it does not use (Stripe's fixture has each field).
        "adaptive_pricing": {"enabled": False},
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "client_secret": None,
        "collected_information": None,
        "consent": None,
        "consent_collection": None,
        "currency_conversion": None,
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer_account": None,
        "discounts": [],
        "integration_identifier": None,
        "invoice": None,
        "invoice_creation": {
            "enabled": False,
            "invoice_data": {
                "account_tax_ids": None,
                "custom_fields": None,
                "description": None,
                "footer": None,
                "issuer": None,
                "metadata": {},
                "rendering_options": None,
            },
        },
        "managed_payments": {"enabled": False},
        "origin_context": None,
        "payment_link": None,
        "payment_method_collection": "if_required",
        "payment_method_configuration_details": None,
        "payment_method_options": {},
        "permissions": None,
        "phone_number_collection": {"enabled": False},
        "recovered_from": None,
        "saved_payment_method_options": None,
        "setup_intent": None,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_options": [],
        "subscription": None,
        "wallet_options": None,
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
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "calculated_statement_descriptor": "CTE DUAL CREDIT",
        "captured": True,
        "created": now,
        "currency": session["currency"],
        "customer": None,
        "description": intent_data.get("description"),
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": None,
        "failure_message": None,
        "fraud_details": {},
        "livemode": False,
        "metadata": dict(intent_data.get("metadata") or {}),
        "on_behalf_of": None,
        "outcome": None
        if delayed
        else {
            "advice_code": None,
            "network_advice_code": None,
            "network_decline_code": None,
            "network_status": "approved_by_network",
            "reason": None,
            "risk_level": "normal",
            "seller_message": "Payment complete.",
            "type": "authorized",
        },
        "paid": not delayed,
        "payment_intent": intent_id,
        "payment_method": new_id("pm_1"),
        "payment_method_details": {"type": method_type(delayed)},
        "receipt_email": session["customer_email"],
        "receipt_number": None,
        "receipt_url": None,
        "refunded": False,
        "refunds": list_of([], f"/v1/charges/{charge_id}/refunds"),
        "review": None,
        "shipping": None,
        "source": None,
        "source_transfer": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "pending" if delayed else "succeeded",
        "transfer_data": None,
        "transfer_group": None,
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
        "customer": None,
        "customer_account": None,
        "destination_details": {"card": {"type": "refund"}, "type": "card"},
        "metadata": metadata,
        "payment_intent": charge["payment_intent"],
        "payment_method": charge["payment_method"],
        "reason": reason,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }


#: A dispute's evidence fields, all empty until evidence is submitted.
_EVIDENCE_FIELDS = (
    "access_activity_log",
    "billing_address",
    "cancellation_policy",
    "cancellation_policy_disclosure",
    "cancellation_rebuttal",
    "customer_communication",
    "customer_email_address",
    "customer_name",
    "customer_purchase_ip",
    "customer_signature",
    "duplicate_charge_documentation",
    "duplicate_charge_explanation",
    "duplicate_charge_id",
    "product_description",
    "receipt",
    "refund_policy",
    "refund_policy_disclosure",
    "refund_refusal_explanation",
    "service_date",
    "service_documentation",
    "shipping_address",
    "shipping_carrier",
    "shipping_date",
    "shipping_documentation",
    "shipping_tracking_number",
    "uncategorized_file",
    "uncategorized_text",
)

#: How a dispute may end (Stripe's `status` once closed).
DISPUTE_OUTCOMES = ("won", "lost")


def dispute(dispute_id: str, charge: dict[str, Any], reason: str, *, now: int) -> dict[str, Any]:
    return {
        "id": dispute_id,
        "object": "dispute",
        "amount": charge["amount"] - charge["amount_refunded"],
        "balance_transactions": [],
        "charge": charge["id"],
        "created": now,
        "currency": charge["currency"],
        "enhanced_eligibility_types": [],
        "evidence": {**dict.fromkeys(_EVIDENCE_FIELDS), "enhanced_evidence": {}},
        "evidence_details": {
            "due_by": now + 7 * 86400,
            "enhanced_eligibility": {},
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
        },
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "payment_intent": charge["payment_intent"],
        "payment_method_details": {
            "card": {
                "brand": "visa",
                "case_type": "chargeback",
                "network": "visa",
                "network_reason_code": "10.4",
            },
            "type": "card",
        },
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
