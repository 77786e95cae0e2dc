"""Two gaps in moto's (5.x) TOTP MFA filled, so the local stack behaves as Cognito does
for the invited pool (MfaConfiguration ON, software tokens):

- A confirmed user who has not set up a software token yet gets tokens from
  USER_PASSWORD_AUTH in moto; Cognito answers the MFA_SETUP challenge instead (MFA is
  required: no sign-in without a second factor). `install()` answers MFA_SETUP.
- moto accepts a code only in the current 30-second step. Authenticator apps and
  servers are seldom exactly in step, and a person types the code near the end of
  its step; like Cognito (and as RFC 6238 section 5.2 recommends), `install()` also
  accepts the step before and after.
"""

from __future__ import annotations

import uuid
from typing import Any

_INSTALLED = "_dual_credit_mfa"


def install() -> None:
    """Idempotent; call before the first Cognito request."""
    from moto.cognitoidp import models
    from moto.cognitoidp.models import CognitoIdpBackend, UserStatus

    if getattr(CognitoIdpBackend.initiate_auth, _INSTALLED, False):
        return
    original_verify = getattr(models, "verify_totp")  # noqa: B009 - not re-exported

    def verify_totp(totp: Any, code: bytes, valid_window: int = 1) -> None:
        original_verify(totp, code, max(valid_window, 1))

    setattr(models, "verify_totp", verify_totp)  # noqa: B010

    original = CognitoIdpBackend.initiate_auth

    def initiate_auth(
        self: Any, client_id: str, auth_flow: str, auth_parameters: dict[str, str]
    ) -> dict[str, Any]:
        answer = original(self, client_id, auth_flow, auth_parameters)
        if auth_flow != "USER_PASSWORD_AUTH" or "AuthenticationResult" not in answer:
            return answer
        pool = next(p for p in self.user_pools.values() if client_id in p.clients)
        user = self.admin_get_user(pool.id, auth_parameters["USERNAME"])
        if pool.mfa_config != "ON" or user.token_verified or user.status != UserStatus.CONFIRMED:
            return answer
        # The tokens moto made are dropped unseen; the caller must set up a token first.
        session = str(uuid.uuid4())
        self.sessions[session] = (user.username, pool)
        return {
            "ChallengeName": "MFA_SETUP",
            "ChallengeParameters": {"MFAS_CAN_SETUP": '["SOFTWARE_TOKEN_MFA"]'},
            "Session": session,
        }

    setattr(initiate_auth, _INSTALLED, True)
    CognitoIdpBackend.initiate_auth = initiate_auth  # type: ignore[method-assign]
