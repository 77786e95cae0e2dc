"""Fee waivers and prior-year credit: students ask, staff decide (one or many)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from dualcredit import mail, rules
from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import payments as payment_data
from dualcredit.dal import requests as request_data
from dualcredit.dal import students as student_data
from dualcredit.dal.records import ProfileRecord, fee_facts
from dualcredit.errors import Conflict, InvalidInput, UnknownReference
from dualcredit.i18n import Language
from dualcredit.logic import family_mail
from dualcredit.logic.caller import Caller, Role
from dualcredit.models.payments import (
    DecisionResult,
    Decisions,
    PendingWaiver,
    PriorYearRequest,
    PriorYearRequestIn,
    WaiverRequest,
)
from dualcredit.settings import get_settings

Decided = Literal["approved", "denied", "not_pending"]


def request_waiver(caller: Caller, request: WaiverRequest, at: datetime) -> PendingWaiver:
    caller.require(Role.STUDENT)
    if request.reason == "hardship" and not request.explanation:
        raise InvalidInput("Tell us briefly about the hardship.", field="explanation")
    year = rules.school_year_or_current(request.school_year, at).name
    profile = student_data.get_profile(caller.user)
    if profile is None:
        raise Conflict("Complete your profile first.", code="profile_missing")
    try:
        request_data.request_waiver(
            student_id=caller.user,
            school_year=year,
            reason=request.reason,
            explanation=request.explanation,
            actor=caller.actor,
            at=at,
        )
    except request_data.NotAllowed:
        raise Conflict(
            f"A waiver can be asked for a registered {year} year that is not paid and has no "
            "waiver pending or granted.",
            field="school_year",
            code="waiver_not_allowed",
        ) from None
    return PendingWaiver(
        student_id=caller.user,
        sers_id=profile.sers_id,
        school_year=year,
        school_id=profile.school_id,
        reason=request.reason,
        explanation=request.explanation,
        requested_at=at,
    )


def _names(student_ids: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(legal name by student id, school name by school id) for the staff queues' cards:
    the profiles 100 per BatchGetItem, the schools in one Query."""
    profiles = student_data.get_profiles(list(dict.fromkeys(student_ids)))
    names = {sid: f"{p.legal_first_name} {p.legal_last_name}" for sid, p in profiles.items()}
    schools = {s["school_id"]: s["name"] for s in catalog_data.list_schools()}
    return names, schools


def pending_waivers(caller: Caller) -> list[PendingWaiver]:
    """The waiting waivers, each naming the student and their school."""
    caller.require(Role.STAFF)
    years = [year for year in request_data.pending_waivers() if year.waiver is not None]
    names, schools = _names([year.student_id for year in years]) if years else ({}, {})
    return [
        PendingWaiver(
            student_id=year.student_id,
            sers_id=year.sers_id,
            school_year=year.school_year,
            school_id=year.school_id,
            reason=year.waiver.reason,
            explanation=year.waiver.explanation,
            requested_at=year.waiver.requested_at,
            student_name=names.get(year.student_id),
            school_name=schools.get(year.school_id or ""),
        )
        for year in years
        if year.waiver is not None
    ]


def decide_waivers(caller: Caller, decisions: Decisions, at: datetime) -> list[DecisionResult]:
    """Approve or deny many waivers at once; each decision stands on its own."""
    caller.require(Role.STAFF)
    results = []
    for decision in decisions.decisions:
        try:
            request_data.decide_waiver(
                student_id=decision.student_id,
                school_year=decision.school_year,
                approve=decision.approve,
                note=decision.note,
                actor=caller.actor,
                at=at,
            )
        except request_data.NotAllowed:
            outcome: Decided = "not_pending"
        else:
            outcome = "approved" if decision.approve else "denied"
            _tell(
                student_data.get_profile(decision.student_id),
                what=("decision.waiver", {"year": decision.school_year}),
                outcome=outcome,
                note=decision.note,
                next_step=(
                    ("decision.waiver_approved", {})
                    if decision.approve
                    else ("decision.waiver_denied", {"fee": mail.money(rules.BASE_FEE_CENTS)})
                ),
            )
        results.append(
            DecisionResult(
                student_id=decision.student_id, school_year=decision.school_year, outcome=outcome
            )
        )
    return results


def request_prior_year(
    caller: Caller, request: PriorYearRequestIn, at: datetime
) -> PriorYearRequest:
    caller.require(Role.STUDENT)
    profile = student_data.get_profile(caller.user)
    if profile is None:
        raise Conflict("Complete your profile first.", code="profile_missing")
    if catalog_data.get_school(request.school_id) is None:
        raise UnknownReference(
            "Choose the school where you took the class from the list.", field="school_id"
        )
    cost = _cost(caller.user, request.school_year, at, field="school_year")
    fields = {
        **request.model_dump(),
        "request_id": uuid.uuid4().hex[:12],
        "sers_id": profile.sers_id,
    }
    try:
        request_data.request_prior_year(
            student_id=caller.user,
            request=fields,
            class_key=rules.same_class_key(request.high_school_course),
            actor=caller.actor,
            at=at,
        )
    except request_data.AlreadyPending:
        raise Conflict(
            f"You already asked for credit for {request.high_school_course} in "
            f"{request.school_year}, and our office has not decided yet. You will get an "
            "email when it does.",
            field="high_school_course",
            code="prior_year_pending",
        ) from None
    return PriorYearRequest(
        **fields,
        student_id=caller.user,
        status="pending",
        cost_if_approved_cents=cost,
        requested_at=at,
    )


def _cost(student_id: str, school_year: str, at: datetime, *, field: str) -> int:
    facts = fee_facts(payment_data.student_year(student_id, school_year))
    try:
        return rules.prior_year_cost_cents(
            request_year=rules.SchoolYear.parse(school_year),
            current_year=rules.school_year_of(at),
            year_paid=facts.paid,
            year_waived=facts.waiver_approved,
        )
    except rules.RuleError as error:
        raise InvalidInput(str(error), field=field) from None


def pending_prior_year(caller: Caller, at: datetime) -> list[PriorYearRequest]:
    caller.require(Role.STAFF)
    items = request_data.pending_prior_year()
    names, schools = _names([item["student_id"] for item in items]) if items else ({}, {})
    return [
        PriorYearRequest(
            **item,
            cost_if_approved_cents=_cost(
                item["student_id"], item["school_year"], at, field="school_year"
            ),
            student_name=names.get(item["student_id"]),
            school_name=schools.get(item.get("school_id", "")),
        )
        for item in items
    ]


def decide_prior_year(caller: Caller, decisions: Decisions, at: datetime) -> list[DecisionResult]:
    """Approve or deny many prior-year requests at once. Every item is checked before
    any is decided, and each gets its own outcome: a request that does not exist is
    "not_found" on its line, never a 4xx after earlier items were approved and emailed."""
    caller.require(Role.STAFF)
    missing = [i for i, d in enumerate(decisions.decisions) if not d.request_id]
    if missing:
        raise InvalidInput(
            "Each prior-year decision names its request.",
            errors=[(f"decisions.{i}.request_id", "Name the request.") for i in missing],
        )
    found = [
        (
            decision,
            request_data.get_prior_year(
                decision.student_id, decision.school_year, decision.request_id or ""
            ),
            student_data.get_profile(decision.student_id),
        )
        for decision in decisions.decisions
    ]
    results = []
    for decision, request, profile in found:
        if request is None or profile is None:
            results.append(
                DecisionResult(
                    student_id=decision.student_id,
                    school_year=decision.school_year,
                    request_id=decision.request_id,
                    outcome="not_found",
                )
            )
            continue
        try:
            request_data.decide_prior_year(
                request=request,
                approve=decision.approve,
                note=decision.note,
                profile=profile,
                actor=caller.actor,
                at=at,
            )
        except request_data.NotAllowed:
            outcome: Decided = "not_pending"
        else:
            outcome = "approved" if decision.approve else "denied"
            due = rules.amount_due(
                fee_facts(payment_data.student_year(decision.student_id, decision.school_year))
            )
            _tell(
                profile,
                what=(
                    "decision.prior_year",
                    {"course": request["high_school_course"], "year": decision.school_year},
                ),
                outcome=outcome,
                note=decision.note,
                next_step=(
                    (
                        "decision.prior_year_due",
                        {"amount": mail.money(due), "year": decision.school_year},
                    )
                    if decision.approve and due
                    else ("decision.nothing_more", {})
                    if decision.approve
                    else ("decision.questions", {})
                ),
            )
        results.append(
            DecisionResult(
                student_id=decision.student_id,
                school_year=decision.school_year,
                request_id=decision.request_id,
                outcome=outcome,
            )
        )
    return results


#: A phrase of mail/phrases.py and its values.
Phrased = tuple[str, dict[str, str]]


def _tell(
    profile: ProfileRecord | None,
    *,
    what: Phrased,
    outcome: str,
    note: str | None,
    next_step: Phrased,
) -> None:
    """The decision's email, to the student and their parent's or guardian's copy."""
    if profile is None:
        return

    def values(language: Language) -> dict[str, str]:
        return {
            "sers_id": profile.sers_id,
            "what": mail.phrase(what[0], language, **what[1]),
            "outcome": mail.phrase(f"outcome.{outcome}", language),
            "note": note or "",
            "next_step": mail.phrase(next_step[0], language, **next_step[1]),
            "dashboard_url": f"{get_settings().app_base_url}/dashboard",
        }

    family_mail.send(profile, "decision", values, kind="decision")
