"""Parameters checked against the stripe library's own types for the pinned API version.

Each request's decoded form body (parameters.decode_form: nested dicts and lists of
strings) is walked against the `stripe.params` TypedDict of its endpoint
(`SessionCreateParams`, `RefundCreateParams`, `EventListParams` ...), resolved with
`typing.get_type_hints`. What Stripe refuses before it looks at anything else is refused
here, worded as Stripe words it:

    unknown key                "Received unknown parameter: a[0][b]" (parameter_unknown)
    required key left out      "Missing required param: a[b]." (parameter_missing)
    not an integer             "Invalid integer: x" (parameter_invalid_integer)
    "" that cannot unset       "You passed an empty string for 'a' ..." (parameter_invalid_empty)
    not a boolean, a decimal   "Invalid boolean: x", "Invalid decimal: x"
    outside a Literal enum     "Invalid mode: must be one of payment, setup, or subscription"
    wrong shape                "Invalid array", "Invalid hash", "Invalid string: ..."
    metadata value not a str   "Invalid value type: {:a=>"b"} must be a string"

(Stripe gives the enum, boolean, shape and metadata refusals no `code`; `param` is the
full path, as the form names it.)

The library types enums as `Literal[...] | str` (so that newer values still type-check);
the Literal is what this API version accepts, and Stripe refuses anything else. A union
with `Literal[""]` is the library's way to unset a parameter, so "" passes there.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, Literal, NotRequired, Required, Union, get_args, get_origin

import stripe
from stripe._stripe_context import StripeContext
from stripe._stripe_object import UntypedStripeObject
from typing_extensions import is_typeddict

from devstack.stripe_standin.errors import StandInError, missing, unknown

#: Names RequestOptions's annotations use without importing them at run time.
_NAMESPACE: dict[str, Any] = {"StripeContext": StripeContext, "Mapping": typing.Mapping}
#: The per-request options every params type inherits; the library sends them as headers.
REQUEST_OPTIONS = frozenset(stripe.RequestOptions.__annotations__)
_INTEGER = re.compile(r"-?\d+")


@cache
def fields(params_type: type) -> dict[str, Any]:
    """A params TypedDict's parameters and their types (per-request options left out)."""
    hints = typing.get_type_hints(params_type, localns=_NAMESPACE, include_extras=True)
    return {name: hint for name, hint in hints.items() if name not in REQUEST_OPTIONS}


@cache
def required(params_type: type) -> frozenset[str]:
    keys: frozenset[str] = getattr(params_type, "__required_keys__", frozenset())
    return frozenset(keys - REQUEST_OPTIONS)


def check(params: Mapping[str, Any], params_type: type) -> None:
    """Refuse `params` (a decoded form body) as Stripe would if they do not fit
    `params_type`; Stripe reports the first problem, in the order the body names them."""
    _hash(params, params_type, None)


def _name(parent: str | None, key: str | int) -> str:
    return str(key) if parent is None else f"{parent}[{key}]"


def _hash(value: Any, params_type: type, param: str | None) -> None:
    if not isinstance(value, dict):
        raise _invalid("Invalid hash", param)
    types = fields(params_type)
    for key, item in value.items():
        if key not in types:
            raise unknown(_name(param, key))
        _value(item, types[key], _name(param, key))
    for key in sorted(required(params_type) - value.keys()):
        raise missing(_name(param, key))


def _value(value: Any, hint: Any, param: str) -> None:
    origin = get_origin(hint)
    if origin in (NotRequired, Required):
        return _value(value, get_args(hint)[0], param)
    if origin in (Union, types.UnionType):
        return _union(value, get_args(hint), param)
    if value == "":
        raise _empty(param)
    if origin is Literal:
        return _enum(value, [v for v in get_args(hint) if v != ""], param)
    if is_typeddict(hint):
        return _hash(value, hint, param)
    if origin is list:
        return _list(value, get_args(hint)[0], param)
    if origin in (dict, UntypedStripeObject):
        return _map(value, get_args(hint)[-1], param)
    if hint is bool:
        if value not in ("true", "false"):
            raise _invalid(f"Invalid boolean: {_shown(value)}", param)
        return None
    if hint is int:
        if not isinstance(value, str) or not _INTEGER.fullmatch(value):
            raise _invalid(
                f"Invalid integer: {_shown(value)}", param, code="parameter_invalid_integer"
            )
        return None
    if hint in (Decimal, float):
        return _decimal(value, param)
    if hint is str or hint is Any:
        if not isinstance(value, str):
            raise _invalid(f"Invalid string: {_shown(value)}", param)
        return None
    raise TypeError(f"the stand-in does not know how to check {hint!r} ({param})")


def _union(value: Any, members: tuple[Any, ...], param: str) -> None:
    """One of `members`: "" if one is Literal[""]; an enum if the members are a Literal
    and `str`; otherwise the member of the value's shape (a hash, a list, a scalar)."""
    literals = [v for m in members if get_origin(m) is Literal for v in get_args(m)]
    if value == "":
        if "" in literals:
            return None
        raise _empty(param)
    others = [m for m in members if get_origin(m) is not Literal and m is not type(None)]
    enum = [v for v in literals if v != ""]
    if enum and all(m is str for m in others) and isinstance(value, str):
        return _enum(value, enum, param)
    shaped = [m for m in others if _shape(m) == _shape_of(value)] or others or members
    errors: list[StandInError] = []
    for member in shaped:
        try:
            _value(value, member, param)
        except StandInError as error:
            errors.append(error)
        else:
            return None
    raise errors[0]


def _shape(hint: Any) -> str:
    origin = get_origin(hint)
    if is_typeddict(hint) or origin in (dict, UntypedStripeObject):
        return "hash"
    if origin is list:
        return "list"
    return "scalar"


def _shape_of(value: Any) -> str:
    return "hash" if isinstance(value, dict) else "list" if isinstance(value, list) else "scalar"


def _enum(value: Any, allowed: list[Any], param: str) -> None:
    if value not in allowed:
        names = [str(v) for v in allowed]
        choices = (
            " or ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + f", or {names[-1]}"
        )
        raise _invalid(f"Invalid {param}: must be one of {choices}", param)


def _list(value: Any, item: Any, param: str) -> None:
    if not isinstance(value, list):
        raise _invalid("Invalid array", param)
    for index, element in enumerate(value):
        _value(element, item, _name(param, index))


def _map(value: Any, item: Any, param: str) -> None:
    """A hash of user keys: metadata (strings; "" unsets its key), or of `item`s."""
    if not isinstance(value, dict):
        raise _invalid("Invalid hash", param)
    for key, element in value.items():
        if item is not str:
            _value(element, item, _name(param, key))
        elif not isinstance(element, str):
            raise _invalid(f"Invalid value type: {_shown(element)} must be a string", param)


def _decimal(value: Any, param: str) -> None:
    try:
        Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise _invalid(f"Invalid decimal: {_shown(value)}", param) from None


def _shown(value: Any) -> str:
    """A value as Stripe's messages show it (its API is Ruby: {:key=>"value"}, ["a"])."""
    if isinstance(value, dict):
        keys = (f":{k}" if re.fullmatch(r"[A-Za-z_]\w*", k) else f':"{k}"' for k in value)
        pairs = zip(keys, value.values(), strict=True)
        return "{" + ", ".join(f"{k}=>{_quoted(v)}" for k, v in pairs) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_quoted(v) for v in value) + "]"
    return str(value)


def _quoted(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else _shown(value)


def _empty(param: str) -> StandInError:
    return _invalid(
        f"You passed an empty string for '{param}'. We assume empty values are an "
        f"attempt to unset a parameter; however '{param}' cannot be unset. You should "
        f"remove '{param}' from your request or supply a non-empty value.",
        param,
        code="parameter_invalid_empty",
    )


def _invalid(message: str, param: str | None, *, code: str | None = None) -> StandInError:
    return StandInError(400, message, param=param, code=code)
