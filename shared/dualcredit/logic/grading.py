"""The year's end for grades: each school's progress toward the grading deadline (staff),
finalizing the year once the deadline is over (staff, audited), a staff correction of a
grade with its reason (audited), and the refusal of a school's change once the year is
final (logic.roster asks `refuse_if_final` before any batch is written)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from dualcredit import rules
from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import registrations as registration_data
from dualcredit.dal import students as student_data
from dualcredit.dal import windows as window_data
from dualcredit.dal.records import RegistrationRecord, WindowRecord
from dualcredit.errors import Conflict, InvalidInput, NotFound
from dualcredit.logic.caller import Caller, Role
from dualcredit.models.grading import CorrectedGrade, GradeCorrection, GradingYear, SchoolProgress
from dualcredit.observability import logger

STAFF_WORDS = (
    "This school year's grades are final. Change a grade as a correction, with its reason, "
    "on the student's page."
)


def refuse_if_final(year: rules.SchoolYear, *, by_staff: bool) -> None:
    """Before a school's batch (grades, CSV, class answers) is written: a Conflict when
    staff finalized the year (one consistent GetItem, so a finalization a moment ago is
    seen). The words say what to do instead, for a school user or for staff."""
    record = window_data.get_consistent(year.name)
    if not record.finalized:
        return
    if by_staff:
        raise Conflict(STAFF_WORDS)
    try:
        rules.school_may_change_grades(True)
    except rules.RuleError as error:
        raise Conflict(str(error)) from None


def _count(name: str, school_id: str | None, regs: Iterable[RegistrationRecord]) -> SchoolProgress:
    counts = dict.fromkeys(rules.RosterState, 0)
    earned = registered = 0
    for r in regs:
        registered += 1
        counts[rules.roster_state(r.in_class, r.grade)] += 1
        earned += bool(r.credit_earned) and r.in_class is not False
    graded = counts[rules.RosterState.GRADED]
    return SchoolProgress(
        school_id=school_id,
        school_name=name,
        registered=registered,
        confirmed=graded + counts[rules.RosterState.MISSING_GRADE],
        not_in_class=counts[rules.RosterState.NOT_IN_CLASS],
        unconfirmed=counts[rules.RosterState.UNCONFIRMED],
        graded=graded,
        missing_grades=counts[rules.RosterState.MISSING_GRADE],
        credit_earned=earned,
    )


def _year(school_year: str) -> rules.SchoolYear:
    try:
        return rules.SchoolYear.parse(school_year)
    except rules.RuleError as error:
        raise InvalidInput(str(error), field="school_year") from None


def _answer(record: WindowRecord, at: datetime) -> GradingYear:
    """Requests: 1 Query of schools, 1 GSI1 Query per school (its roster)."""
    rows: list[SchoolProgress] = []
    every: list[RegistrationRecord] = []
    for school in sorted(catalog_data.list_schools(), key=lambda s: s["name"]):
        regs = registration_data.roster(school["school_id"], record.school_year)
        every += regs
        rows.append(_count(school["name"], school["school_id"], regs))
    deadline = record.grading_deadline
    return GradingYear(
        school_year=record.school_year,
        deadline=deadline,
        deadline_passed=rules.pacific_date(at) > deadline,
        finalized=record.finalized,
        finalized_at=record.finalized_at,
        finalized_by=record.finalized_by,
        totals=_count("All schools", None, every),
        schools=rows,
    )


def progress(caller: Caller, school_year: str, at: datetime) -> GradingYear:
    """Each school's progress toward the grading deadline: confirmed, graded, credit
    earned, and the year's deadline and finalization."""
    caller.require(Role.STAFF)
    year = _year(school_year)
    return _answer(window_data.get_consistent(year.name), at)


def finalize(caller: Caller, school_year: str, at: datetime) -> GradingYear:
    """Staff finalize a year's grades once its deadline is over (audited). Asking again
    changes nothing: the first finalization stands, and the answer shows it."""
    caller.require(Role.STAFF)
    year = _year(school_year)
    record = window_data.get_consistent(year.name)
    if not record.finalized:
        try:
            rules.may_finalize(record.grading_deadline, rules.pacific_date(at))
        except rules.RuleError as error:
            raise Conflict(str(error)) from None
        try:
            record = window_data.finalize(record, actor=caller.actor, at=at)
            logger.info("grades finalized", extra={"school_year": year.name})
        except window_data.AlreadyFinalized:
            record = window_data.get_consistent(year.name)
    return _answer(record, at)


def set_deadline(caller: Caller, school_year: str, deadline: date, at: datetime) -> GradingYear:
    """Staff set a year's grading deadline (June 16 to June 30), until the year is final."""
    caller.require(Role.STAFF)
    year = _year(school_year)
    try:
        rules.validate_grading_deadline(year, deadline)
    except rules.RuleError as error:
        raise InvalidInput(str(error), field="deadline") from None
    record = window_data.get_consistent(year.name)
    if record.finalized:
        raise Conflict("This school year's grades are final; its deadline no longer moves.")
    if record.grading_deadline_override != deadline:
        try:
            record = window_data.set_grading_deadline(record, deadline, actor=caller.actor, at=at)
        except window_data.StaleRecord:
            raise Conflict(
                "This school year's grading changed a moment ago. Reload and try again."
            ) from None
    return _answer(record, at)


def correct_grade(
    caller: Caller, student_id: str, correction: GradeCorrection, at: datetime
) -> CorrectedGrade:
    """A staff correction of one registration's grade, with the reason audited beside the
    grade before and after. The same correction twice changes nothing."""
    caller.require(Role.STAFF)
    year = _year(correction.school_year)
    registration = next(
        (
            r
            for r in student_data.read_partition(student_id).registrations
            if r.school_year == year.name and r.offering_id == correction.offering_id
        ),
        None,
    )
    if registration is None:
        raise NotFound("This student has no registration for that class in that school year.")
    try:
        grade = rules.normalize_grade(correction.grade)
    except rules.RuleError as error:
        raise InvalidInput(f"Corrected grade: {error}", field="grade") from None
    if grade is None:
        raise InvalidInput("Corrected grade is required.", field="grade")
    earned = rules.qualifies_for_credit(grade, registration.grade_threshold)
    status = "unchanged"
    if registration.grade != grade:
        change = registration_data.GradeChange(registration, grade, earned)
        try:
            registration_data.correct_grade(
                change, reason=correction.reason, actor=caller.actor, at=at
            )
        except registration_data.RegistrationChanged:
            raise Conflict(
                "This grade was changed by someone else a moment ago. Reload and try again."
            ) from None
        status = "corrected"
        logger.info("grade corrected", extra={"school_year": year.name})
    return CorrectedGrade(
        student_id=student_id,
        school_year=year.name,
        offering_id=registration.offering_id,
        college_course_code=registration.college_course_code,
        previous_grade=registration.grade,
        grade=grade,
        credit_earned=earned,
        status=status,
    )
