"""devstack/totp.py against RFC 6238's own test vectors (appendix B, SHA-1), so the
codes the tests and `make dev` type are the ones an authenticator app shows."""

from __future__ import annotations

import base64

import pytest

from devstack import totp

#: RFC 6238's SHA-1 key, "12345678901234567890", in base 32 as an app is given it.
SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("at", "eight_digits"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_codes_are_rfc_6238_s(at: int, eight_digits: str) -> None:
    # The RFC lists 8-digit codes; an app's 6 digits are the same value mod 10^6.
    assert totp.code(SECRET, at) == eight_digits[-6:]


def test_a_secret_is_read_in_any_case_without_padding() -> None:
    assert totp.code(SECRET.lower().rstrip("="), 59) == "287082"


def test_the_wrong_code_is_wrong_in_this_step_and_the_ones_beside_it() -> None:
    at = 1234567890
    near = {totp.code(SECRET, at + step * 30) for step in (-1, 0, 1)}
    assert totp.wrong_code(SECRET, at) not in near


def test_the_uri_is_the_key_uri_format() -> None:
    assert totp.uri("asdfasdfasdf", "staff@example.org") == (
        "otpauth://totp/CTE%20Dual%20Credit%3Astaff%40example.org"
        "?secret=ASDFASDFASDF&issuer=CTE%20Dual%20Credit"
    )
