"""RFC 6238 time-based one-time passwords, as an authenticator app computes them
(HMAC-SHA1, 6 digits, 30-second steps, the secret in base 32), and the otpauth:// URI
an app imports. Used by the demo data, the stack's sign-in helper and the tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
from urllib.parse import quote

STEP_SECONDS = 30
DIGITS = 6
ISSUER = "CTE Dual Credit"


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows for `secret` at `at` (now by default)."""
    counter = int((time.time() if at is None else at) // STEP_SECONDS)
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def wrong_code(secret: str, at: float | None = None) -> str:
    """A code that is not valid for `secret` in this step or the ones beside it."""
    now = time.time() if at is None else at
    valid = {code(secret, now + step * STEP_SECONDS) for step in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(10**DIGITS)) if c not in valid)


def uri(secret: str, account: str) -> str:
    """The otpauth:// URI (Google Authenticator's key URI format) for `account`."""
    label = quote(f"{ISSUER}:{account}")
    return f"otpauth://totp/{label}?secret={secret.upper()}&issuer={quote(ISSUER)}"
