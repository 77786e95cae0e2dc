"""API Gateway's Cognito authorizer, as the gateway stand-in applies it: the bearer
token of a request, verified against its user pool's JWKS (students' or invited), and
its claims as API Gateway hands them to Lambda."""

from __future__ import annotations

import json
import threading
import time
from typing import Any
from urllib.request import ProxyHandler, build_opener

import jwt

#: Local HTTP never goes through a proxy, whatever the environment says.
_LOCAL = build_opener(ProxyHandler({}))


class _PoolKeys:
    """One user pool's issuer and signing keys, fetched when first needed."""

    def __init__(self, moto_url: str, user_pool_id: str, client_id: str) -> None:
        self.user_pool_id = user_pool_id
        self.client_id = client_id
        self._base = f"{moto_url.rstrip('/')}/{user_pool_id}/.well-known"
        self._issuer: str | None = None
        self._keys: dict[str, jwt.PyJWK] = {}
        self._lock = threading.Lock()

    def _get_json(self, url: str) -> Any:
        with _LOCAL.open(url, timeout=5) as response:
            return json.load(response)

    @property
    def issuer(self) -> str:
        if self._issuer is None:
            self._issuer = self._get_json(f"{self._base}/openid-configuration")["issuer"]
        return self._issuer

    def key(self, kid: str) -> jwt.PyJWK | None:
        with self._lock:
            if kid not in self._keys:
                jwks = jwt.PyJWKSet.from_dict(self._get_json(f"{self._base}/jwks.json"))
                self._keys = {key.key_id: key for key in jwks.keys if key.key_id}
            return self._keys.get(kid)


class CognitoAuthorizer:
    """Verifies Cognito ID tokens like API Gateway's REST Cognito authorizer: RS256
    signature from the issuing pool's JWKS, issuer, audience (that pool's app client),
    expiry, and ``token_use`` = id. Like the template's authorizer (UserPoolArn: a
    list), it accepts the tokens of several pools, each pool's own."""

    def __init__(self, moto_url: str, pools: list[tuple[str, str]]) -> None:
        """`pools`: (user pool id, app client id) pairs."""
        self.pools = [_PoolKeys(moto_url, pool, client) for pool, client in pools]

    def _pool_of(self, token: str) -> _PoolKeys | None:
        issuer = str(jwt.decode(token, options={"verify_signature": False}).get("iss", ""))
        return next((p for p in self.pools if issuer.rstrip("/").endswith(p.user_pool_id)), None)

    def verify(self, token: str) -> dict[str, Any] | None:
        """The token's claims, or None when API Gateway would answer 401."""
        try:
            pool = self._pool_of(token)
            if pool is None:
                return None
            header = jwt.get_unverified_header(token)
            key = pool.key(str(header.get("kid")))
            if key is None:
                return None
            claims = jwt.decode(
                token,
                key=key,
                algorithms=["RS256"],
                audience=pool.client_id,
                issuer=pool.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "token_use"]},
            )
        except (jwt.PyJWTError, ValueError, KeyError, TypeError):
            return None
        if claims.get("token_use") != "id":
            return None
        return claims


_CLAIM_DATES = ("exp", "iat")


def apigw_claims(claims: dict[str, Any]) -> dict[str, str]:
    """Claims as API Gateway hands a REST Cognito authorizer's claims to Lambda: every
    value a string, lists joined with commas, exp/iat as dates ("Fri Nov 27 21:04:32
    UTC 2026")."""
    out: dict[str, str] = {}
    for name, value in claims.items():
        if name in _CLAIM_DATES and isinstance(value, (int, float)):
            out[name] = time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(value))
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            out[name] = ",".join(str(v) for v in value)
        elif isinstance(value, dict):
            out[name] = json.dumps(value)
        else:
            out[name] = str(value)
    return out


def bearer_token(header: str | None) -> str | None:
    if not header or not header.strip():
        return None
    value = header.strip()
    if value[:7].lower() == "bearer ":
        value = value[7:].strip()
    return value or None
