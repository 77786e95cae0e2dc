"""The student's overview: the dashboard's one request. Each class's stage and each year's
fee parts come from the rules; the dates from the year's window (its close, with staff's
extension, and its grading deadline); how to pay by check from the settings."""

from __future__ import annotations

from datetime import date, datetime

from dualcredit import rules
from dualcredit.dal import students as student_data
from dualcredit.dal import windows as window_data
from dualcredit.dal.records import RegistrationRecord, StudentYear, WindowRecord, fee_facts
from dualcredit.errors import NotFound
from dualcredit.logic import program, windows
from dualcredit.logic.caller import Caller, Role
from dualcredit.models.overview import (
    ClassOverview,
    FeeBreakdown,
    Overview,
    RequestStatus,
    YearOverview,
)
from dualcredit.models.student import Registration, SettledPayment, VoidedPayment


def overview(caller: Caller, at: datetime) -> Overview:
    """The caller's own overview (students only: the id is the caller's)."""
    caller.require(Role.STUDENT)
    partition = student_data.read_partition(caller.user)
    profile = partition.profile
    if profile is None:
        raise NotFound("There is no student profile here yet.", code="profile_missing")
    by_year: dict[str, list[RegistrationRecord]] = {}
    for registration in partition.registrations:
        by_year.setdefault(registration.school_year, []).append(registration)
    names = sorted(set(by_year) | set(partition.years), reverse=True)
    years = [
        _year(name, partition.years.get(name), by_year.get(name, []), window_data.get(name))
        for name in names
    ]
    return Overview(
        student_id=profile.student_id,
        sers_id=profile.sers_id,
        window=windows.current_window(at),
        years=years,
        requests=_requests(partition),
        program=program.program(),
    )


def _year(
    name: str,
    record: StudentYear | None,
    registrations: list[RegistrationRecord],
    window: WindowRecord,
) -> YearOverview:
    facts = fee_facts(record)
    parts = rules.fee_parts(facts)
    pay_by = window.window.closes_on
    return YearOverview(
        school_year=name,
        fee_status=rules.fee_status(facts).value,
        amount_due_cents=parts.due_cents,
        payments=[
            SettledPayment.model_validate(p, from_attributes=True)
            for p in (record.settled_payments if record else [])
        ],
        voided_payments=[
            VoidedPayment.model_validate(v, from_attributes=True)
            for v in (record.voided_payments if record else ())
        ],
        bank_payment_processing=rules.bank_payment_pending(facts),
        deadline=pay_by,
        grading_deadline=window.grading_deadline,
        prior_year_credit=facts.prior_year_credit,
        fee=FeeBreakdown(
            fee_cents=parts.fee_cents,
            late_fee_cents=parts.late_fee_cents,
            if_not_waived_cents=parts.if_not_waived_cents,
        ),
        classes=[
            _class(r, facts, window.grading_deadline, pay_by)
            for r in sorted(registrations, key=lambda r: r.registered_at)
        ],
    )


def _class(
    record: RegistrationRecord, facts: rules.FeeFacts, grading: date, pay_by: date
) -> ClassOverview:
    # The day staff's transcript batch sent the credit, and the day the college's
    # registrar posted it; neither once the last batch naming it withdrew it.
    sent = record.transcript_batch
    withdrawn = sent is not None and sent.mark == rules.LineMark.WITHDRAWN
    posted = None if withdrawn else record.credit_posted
    progress = rules.class_progress(
        in_class=record.in_class,
        grade=record.grade,
        threshold=record.grade_threshold,
        facts=facts,
        grading_deadline=grading,
        pay_by=pay_by,
        credit_sent_on=sent.closed_on if sent and not withdrawn else None,
        credit_posted_on=posted.posted_on if posted else None,
    )
    registration = Registration.model_validate(record, from_attributes=True)
    return ClassOverview(
        **registration.model_dump(),
        stage=progress.stage.value,
        next_step=progress.next_step.value,
        next_date=progress.next_date,
        threshold=progress.threshold,
        earns_credit=progress.earns_credit,
        credit_sent_on=progress.credit_sent_on,
        credit_posted_on=progress.credit_posted_on,
    )


def _requests(partition: student_data.StudentPartition) -> list[RequestStatus]:
    """The year's waiver (kept on the year) and every prior-year request, newest first."""
    found = [
        RequestStatus(
            kind="waiver",
            school_year=year.school_year,
            status=year.waiver.status.value,
            requested_at=year.waiver.requested_at,
        )
        for year in partition.years.values()
        if year.waiver is not None
    ]
    found += [
        RequestStatus(
            kind="prior_year",
            school_year=item["school_year"],
            status=item["status"],
            requested_at=datetime.fromisoformat(item["requested_at"]),
            high_school_course=item.get("high_school_course"),
        )
        for item in partition.prior_year_requests
    ]
    return sorted(found, key=lambda r: r.requested_at, reverse=True)
