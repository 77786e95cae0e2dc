"""The year's end for grades (staff): each school's progress toward the grading deadline,
finalizing the year, and a staff correction of a grade with its reason."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from dualcredit import clock
from dualcredit.http.context import caller
from dualcredit.http.params import IdPath, SchoolYearPath
from dualcredit.logic import grading
from dualcredit.models.grading import (
    CorrectedGrade,
    GradeCorrection,
    GradingDeadlineIn,
    GradingYear,
)

router = Router()


@router.get(
    "/grading/<school_year>",
    summary="Each school's progress toward the grading deadline",
    tags=["staff"],
)
def get_grading(school_year: SchoolYearPath) -> GradingYear:
    return grading.progress(caller(router), school_year, clock.now())


@router.put(
    "/grading/<school_year>",
    summary="Set a school year's grading deadline (June 16 to June 30)",
    tags=["staff"],
)
def put_grading(school_year: SchoolYearPath, setting: GradingDeadlineIn) -> GradingYear:
    return grading.set_deadline(caller(router), school_year, setting.deadline, clock.now())


@router.post(
    "/grading/<school_year>/finalize",
    summary="Finalize a school year's grades (after its grading deadline)",
    tags=["staff"],
)
def post_finalize(school_year: SchoolYearPath) -> GradingYear:
    return grading.finalize(caller(router), school_year, clock.now())


@router.post(
    "/students/<student_id>/grades/correction",
    summary="Correct a class's grade, with the reason (staff)",
    tags=["staff"],
)
def post_grade_correction(student_id: IdPath, correction: GradeCorrection) -> CorrectedGrade:
    return grading.correct_grade(caller(router), student_id, correction, clock.now())
