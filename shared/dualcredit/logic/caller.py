"""Who is calling, from the Cognito claims API Gateway's authorizer passed on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dualcredit.dal.audit import Actor
from dualcredit.errors import Forbidden


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    STUDENT = "student"
    SCHOOL = "school"
    STAFF = "staff"
    COLLEGE = "college"  # a college registrar, tied to one college by their record


STAFF_GROUP = "staff"
SCHOOL_GROUP = "school"
COLLEGE_GROUP = "college"


@dataclass(frozen=True)
class Caller:
    user_id: str | None
    role: Role
    email: str | None = None
    school_id: str | None = None
    #: A registrar's college (its name, as the articulated courses spell it), from their
    #: record (dualcredit.logic.college_users.current), never from the token.
    college: str | None = None

    @property
    def user(self) -> str:
        """The signed-in caller's id; the routes that use it require a role first."""
        if self.user_id is None:
            raise Forbidden("Please sign in.")
        return self.user_id

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user_id or "anonymous", role=self.role.value)

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            raise Forbidden("Your account cannot do this.")

    def require_school(self, school_id: str) -> None:
        """Staff see every school; a school user sees only their own."""
        if self.role is Role.STAFF:
            return
        if self.role is Role.SCHOOL and self.school_id == school_id:
            return
        raise Forbidden("Your account cannot see this school's records.")

    def require_college(self, college: str) -> None:
        """Staff see every college's batches; a registrar only their own college's."""
        if self.role is Role.STAFF:
            return
        if self.role is Role.COLLEGE and self.college is not None and self.college == college:
            return
        raise Forbidden("Your account cannot see this college's records.")


ANONYMOUS = Caller(user_id=None, role=Role.ANONYMOUS)


def _groups(raw: object) -> set[str]:
    """API Gateway passes `cognito:groups` as a string ("staff" or "[staff, school]");
    a local token may carry a list."""
    if isinstance(raw, list):
        return {str(g) for g in raw}
    if isinstance(raw, str):
        return {g.strip() for g in raw.strip("[]").replace(",", " ").split() if g.strip()}
    return set()


def caller_from_claims(claims: Mapping[str, Any] | None) -> Caller:
    if not claims or not claims.get("sub"):
        return ANONYMOUS
    groups = _groups(claims.get("cognito:groups"))
    if STAFF_GROUP in groups:
        role = Role.STAFF
    elif SCHOOL_GROUP in groups:
        role = Role.SCHOOL
    elif COLLEGE_GROUP in groups:
        role = Role.COLLEGE
    else:
        role = Role.STUDENT
    # An address Cognito has not verified is not the caller's (an email change takes
    # effect once its code is entered): API Gateway passes the claim as "true".
    verified = str(claims.get("email_verified", "")).lower() == "true"
    return Caller(
        user_id=claims["sub"],
        role=role,
        email=claims.get("email") if verified else None,
        school_id=claims.get("custom:school_id") or None,
    )
