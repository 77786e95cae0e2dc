"""Stripe's form-encoded parameters: decoding them into nested dicts and lists, and
the checks Stripe makes beyond their types (param_types.py checks those against the
stripe library's own): limits, the expiry window, URLs, emails, what the stand-in supports.
A bad one is a StandInError, as Stripe answers it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from devstack.stripe_standin.errors import StandInError, missing

#: Stripe's limits on a Checkout Session's `expires_at`, in seconds after creation.
MIN_EXPIRY = 30 * 60
MAX_EXPIRY = 24 * 60 * 60

# --------------------------------------------------------------------------- form bodies

_KEY = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")
_KEEP_AS_DICT = {"metadata"}  # user keys, even if they look like list indexes


def decode_form(pairs: str | bytes | Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding back into nested dicts and lists.

    `line_items[0][price_data][unit_amount]=5000&metadata[sers_id]=X&expand[]=a` becomes
    {"line_items": [{"price_data": {"unit_amount": "5000"}}], "metadata": {...},
    "expand": ["a"]}. Values stay strings, as the form carries them.
    """
    if isinstance(pairs, bytes):
        pairs = pairs.decode("utf-8")
    if isinstance(pairs, str):
        pairs = parse_qsl(pairs, keep_blank_values=True)
    root: dict[str, Any] = {}
    for key, value in pairs:
        match = _KEY.fullmatch(key)
        parts = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))] if match else [key]
        node = root
        for depth, part in enumerate(parts):
            if part == "":  # `name[]` appends
                part = str(len(node))
            last = depth == len(parts) - 1
            if last:
                if isinstance(node.get(part), dict):
                    raise StandInError(400, f"Invalid value for {key}: expected a hash.", param=key)
                node[part] = value
            else:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    raise StandInError(400, f"Invalid value for {key}.", param=key)
                node = child
    return _listify(root, None)


def _listify(node: Any, name: str | None) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {key: _listify(value, key) for key, value in node.items()}
    if name not in _KEEP_AS_DICT and converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


# --------------------------------------------------------------------------- values


def expand(params: Mapping[str, Any]) -> set[str]:
    """The `expand[]` names asked for."""
    names = params.get("expand") or []
    if isinstance(names, str):
        names = [names]
    return set(names)


def integer(value: Any, param: str, *, minimum: int | None = None) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise StandInError(
            400, f"Invalid integer: {value}", param=param, code="parameter_invalid_integer"
        ) from None
    if minimum is not None and number < minimum:
        raise StandInError(
            400,
            f"This value must be greater than or equal to {minimum}.",
            param=param,
            code="parameter_invalid_integer",
        )
    return number


def string(value: Any, param: str, *, max_length: int | None = None) -> str:
    if not isinstance(value, str):
        raise StandInError(
            400, f"Invalid string: {value!r}", param=param, code="parameter_invalid_string"
        )
    if max_length is not None and len(value) > max_length:
        raise StandInError(
            400,
            f"Invalid string: must be at most {max_length} characters",
            param=param,
            code="parameter_invalid_string_too_long",
        )
    return value


def metadata(value: Any, param: str) -> dict[str, str]:
    if value is None or value == "":
        return {}
    if len(value) > 50:
        raise StandInError(400, "You can have at most 50 metadata keys.", param=param)
    cleaned: dict[str, str] = {}
    for key, item in value.items():
        if len(key) > 40:
            raise StandInError(
                400,
                f"Metadata keys must be at most 40 characters: {key!r}",
                param=f"{param}[{key}]",
            )
        item = string(item, f"{param}[{key}]", max_length=500)
        if item != "":  # an empty value unsets the key
            cleaned[key] = item
    return cleaned


def url(value: Any, param: str) -> str:
    text = string(value, param, max_length=5000)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StandInError(400, "Not a valid URL", param=param, code="url_invalid")
    return text


def format_amount(amount: int, currency: str) -> str:
    """5000, "usd" -> "$50.00"; other currencies -> "50.00 EUR"."""
    if currency.lower() == "usd":
        return f"${amount / 100:,.2f}"
    return f"{amount / 100:,.2f} {currency.upper()}"


# --------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class LineItem:
    """A validated `line_items[i]`: one price_data line."""

    description: str
    currency: str
    unit_amount: int
    quantity: int

    @property
    def amount(self) -> int:
        return self.unit_amount * self.quantity


@dataclass(frozen=True)
class SessionRequest:
    """A validated POST /v1/checkout/sessions."""

    items: list[LineItem]
    currency: str
    total: int
    expires_at: int
    customer_email: str | None
    client_reference_id: str | None
    success_url: str | None
    cancel_url: str | None
    metadata: dict[str, str]
    intent_data: dict[str, Any]  # payment_intent_data, its metadata validated
    payment_method_types: list[Any]
    locale: Any
    submit_type: Any


def session_request(params: dict[str, Any], now: int) -> SessionRequest:
    """A Checkout Session's parameters, already checked against SessionCreateParams,
    checked further as Stripe does, in Stripe's order."""
    mode = params.get("mode")
    if mode is None:
        raise missing("mode")
    if mode != "payment":
        raise StandInError(
            400, f"Invalid mode: the stand-in supports mode=payment, not {mode!r}.", param="mode"
        )
    if params.get("ui_mode", "hosted") != "hosted":
        raise StandInError(400, "The stand-in supports ui_mode=hosted only.", param="ui_mode")
    raw_items = params.get("line_items")
    if not raw_items:
        raise StandInError(
            400,
            "`line_items` is required in `payment` mode.",
            param="line_items",
            code="parameter_missing",
        )
    items = [line_item(raw, f"line_items[{i}]") for i, raw in enumerate(raw_items)]
    currencies = {item.currency for item in items}
    if len(currencies) > 1:
        raise StandInError(400, "All line items must use the same currency.", param="line_items")
    currency = currencies.pop()
    total = sum(item.amount for item in items)
    if currency == "usd" and total < 50:
        raise StandInError(
            400,
            "The Checkout Session's total amount due must add up to at least $0.50 usd",
            param="line_items",
        )

    expires_at = now + MAX_EXPIRY
    if params.get("expires_at") is not None:
        expires_at = integer(params["expires_at"], "expires_at")
        if expires_at < now + MIN_EXPIRY:
            raise StandInError(
                400,
                "The `expires_at` timestamp must be at least 30 minutes "
                "after the Checkout Session is created.",
                param="expires_at",
            )
        if expires_at > now + MAX_EXPIRY:
            raise StandInError(
                400,
                "The `expires_at` timestamp must be less than 24 hours "
                "after the Checkout Session is created.",
                param="expires_at",
            )

    customer_email = params.get("customer_email")
    if customer_email is not None:
        customer_email = string(customer_email, "customer_email", max_length=800)
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", customer_email):
            raise StandInError(
                400,
                f"Invalid email address: {customer_email}",
                param="customer_email",
                code="email_invalid",
            )
    reference = params.get("client_reference_id")
    if reference is not None:
        reference = string(reference, "client_reference_id", max_length=200)
    success_url = params.get("success_url")
    if success_url is not None:
        success_url = url(success_url, "success_url")
    cancel_url = params.get("cancel_url")
    if cancel_url is not None:
        cancel_url = url(cancel_url, "cancel_url")
    session_metadata = metadata(params.get("metadata"), "metadata")
    intent_data = params.get("payment_intent_data") or {}
    intent_metadata = metadata(intent_data.get("metadata"), "payment_intent_data[metadata]")
    methods = params.get("payment_method_types") or ["card"]
    return SessionRequest(
        items=items,
        currency=currency,
        total=total,
        expires_at=expires_at,
        customer_email=customer_email,
        client_reference_id=reference,
        success_url=success_url,
        cancel_url=cancel_url,
        metadata=session_metadata,
        intent_data={**intent_data, "metadata": intent_metadata},
        payment_method_types=methods,
        locale=params.get("locale"),
        submit_type=params.get("submit_type"),
    )


def line_item(raw: Any, param: str) -> LineItem:
    """One `line_items[i]` (price_data only: the stand-in knows no Prices)."""
    item = raw
    if "price" in item:
        raise StandInError(
            400,
            f"No such price: '{item['price']}' (the stand-in supports price_data only)",
            param=f"{param}[price]",
            code="resource_missing",
        )
    if "price_data" not in item:
        raise missing(f"{param}[price_data]")
    price = item["price_data"]
    if "product" in price:
        raise StandInError(
            400,
            f"No such product: '{price['product']}' (the stand-in supports product_data only)",
            param=f"{param}[price_data][product]",
            code="resource_missing",
        )
    currency = string(price["currency"], f"{param}[price_data][currency]").lower()
    if not re.fullmatch(r"[a-z]{3}", currency):
        raise StandInError(
            400, f"Invalid currency: {currency}", param=f"{param}[price_data][currency]"
        )
    if "unit_amount" not in price:
        raise missing(f"{param}[price_data][unit_amount]")
    unit_amount = integer(price["unit_amount"], f"{param}[price_data][unit_amount]", minimum=0)
    if "product_data" not in price:
        raise missing(f"{param}[price_data][product_data]")
    product = price["product_data"]
    if not product.get("name"):
        raise missing(f"{param}[price_data][product_data][name]")
    name = string(product["name"], f"{param}[price_data][product_data][name]", max_length=250)
    if "quantity" not in item:
        raise StandInError(
            400,
            f"Quantity is required. Add `quantity` to `{param}`",
            param=f"{param}[quantity]",
            code="parameter_missing",
        )
    quantity = integer(item["quantity"], f"{param}[quantity]", minimum=1)
    return LineItem(name, currency, unit_amount, quantity)
