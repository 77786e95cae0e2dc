"""Registering classes, and the student's dashboard built from one Query."""

from __future__ import annotations

from datetime import datetime

from dualcredit import mail, rules
from dualcredit.dal import registrations as registration_data
from dualcredit.dal import students as student_data
from dualcredit.dal.records import ProfileRecord, RegistrationRecord, fee_facts
from dualcredit.errors import Conflict, InvalidInput, NotFound
from dualcredit.i18n import Language
from dualcredit.logic import family_mail
from dualcredit.logic.caller import Caller, Role
from dualcredit.models.student import (
    Dashboard,
    Registration,
    RegistrationRequest,
    RegistrationResult,
    SettledPayment,
    VoidedPayment,
    YearSummary,
)
from dualcredit.observability import logger, metrics
from dualcredit.settings import get_settings


def register(caller: Caller, request: RegistrationRequest, at: datetime) -> RegistrationResult:
    """Register this school year's classes while the window is open."""
    caller.require(Role.STUDENT)
    year = rules.school_year_of(at)
    profile, window_record, offerings = registration_data.load_for_registration(
        caller.user, year.name, request.offering_ids
    )
    if profile is None:
        raise Conflict("Complete your profile before you register a class.", code="profile_missing")
    window = window_record.window
    _require_open(window, at)
    registrations = []
    for index, offering_id in enumerate(request.offering_ids):
        offering = offerings.get(offering_id)
        if offering is None or offering["school_year"] != year.name:
            raise InvalidInput(
                f"There is no {year.name} class with this id.", field=f"offering_ids[{index}]"
            )
        if offering["school_id"] != profile.school_id:
            raise InvalidInput(
                "This class is not offered at your school. Check the school on your profile.",
                field=f"offering_ids[{index}]",
            )
        registrations.append(registration_data.new_registration(offering, profile, year.name, at))
    try:
        registration_data.register(
            profile=profile,
            school_year=year.name,
            registrations=registrations,
            actor=caller.actor,
            at=at,
        )
    except registration_data.AlreadyRegistered as already:
        index = request.offering_ids.index(already.offering_ids[0])
        raise Conflict(
            f"You already registered {offerings[already.offering_ids[0]]['high_school_course']} "
            f"for {year.name}.",
            field=f"offering_ids[{index}]",
            code="already_registered",
        ) from None
    logger.info(
        "classes registered", extra={"student_id": caller.user, "count": len(registrations)}
    )
    metrics.add_metric(name="ClassRegistered", unit="Count", value=len(registrations))
    result = RegistrationResult(
        sers_id=profile.sers_id,
        school_year=year.name,
        registrations=[_registration(r) for r in registrations],
    )
    _send_confirmation(profile, result, window)
    return result


def _require_open(window: rules.Window, at: datetime) -> None:
    status = window.status(at)
    year = window.school_year.name
    if status is rules.WindowStatus.NOT_YET_OPEN:
        raise Conflict(
            f"Registration for {year} opens on {rules.long_date(window.opens_on)}.",
            code="window_not_open",
        )
    if status is rules.WindowStatus.CLOSED:
        raise Conflict(
            f"Registration for {year} closed on {rules.long_date(window.closes_on)}. "
            "Credit for a class of a past school year can still be requested as prior-year credit "
            "from your dashboard; approved prior-year credit carries a late fee.",
            code="window_closed",
        )


def _send_confirmation(
    profile: ProfileRecord, result: RegistrationResult, window: rules.Window
) -> None:
    def values(language: Language) -> dict[str, str]:
        lines = [
            mail.phrase(
                "registration.class",
                language,
                course=r.high_school_course,
                teacher=r.teacher,
                college=r.college,
                code=r.college_course_code,
                title=r.college_course_title,
                credits=f"{r.credits:g}",
            )
            for r in result.registrations
        ]
        return {
            "sers_id": result.sers_id,
            "school_year": result.school_year,
            "classes_html": mail.html_list(lines),
            "classes_text": "\n".join(f"- {line}" for line in lines),
            "fee": mail.money(rules.BASE_FEE_CENTS),
            "deadline": rules.long_date(window.closes_on, language),
            "dashboard_url": f"{get_settings().app_base_url}/dashboard",
        }

    family_mail.send(profile, "registration_confirmed", values, kind="registration_confirmed")


def dashboard(caller: Caller, student_id: str | None = None) -> Dashboard:
    """A student's own dashboard, or (for staff) any student's."""
    if student_id is None:
        caller.require(Role.STUDENT)
        student_id = caller.user
    else:
        caller.require(Role.STAFF)
    partition = student_data.read_partition(student_id)
    if partition.profile is None:
        raise NotFound("There is no student profile here yet.", code="profile_missing")
    return build_dashboard(partition)


def _registration(record: RegistrationRecord) -> Registration:
    return Registration.model_validate(record, from_attributes=True)


def build_dashboard(partition: student_data.StudentPartition) -> Dashboard:
    by_year: dict[str, list[RegistrationRecord]] = {}
    for registration in partition.registrations:
        by_year.setdefault(registration.school_year, []).append(registration)
    years = []
    for name in sorted(set(by_year) | set(partition.years), reverse=True):
        record = partition.years.get(name)
        facts = fee_facts(record)
        years.append(
            YearSummary(
                school_year=name,
                fee_status=rules.fee_status(facts).value,
                amount_due_cents=rules.amount_due(facts),
                bank_payment_processing=rules.bank_payment_pending(facts),
                registrations=[_registration(r) for r in by_year.get(name, [])],
                payments=[
                    SettledPayment.model_validate(p, from_attributes=True)
                    for p in (record.settled_payments if record else [])
                ],
                voided_payments=[
                    VoidedPayment.model_validate(v, from_attributes=True)
                    for v in (record.voided_payments if record else ())
                ],
            )
        )
    profile = partition.profile
    if profile is None:
        raise NotFound("There is no student profile here yet.", code="profile_missing")
    return Dashboard(student_id=profile.student_id, sers_id=profile.sers_id, years=years)
