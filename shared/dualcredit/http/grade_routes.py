"""Grades: posted by a school (rows, or its information system's CSV export) and the
transcript staff send to the colleges. Served by the grade import function."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from dualcredit import clock
from dualcredit.errors import InvalidInput
from dualcredit.http.context import caller
from dualcredit.http.params import IdPath
from dualcredit.http.responses import csv_file, csv_request_body, csv_responses
from dualcredit.logic import grades
from dualcredit.models.common import SchoolYearName
from dualcredit.models.grades import EnrollmentBatch, EnrollmentResult, GradeBatch, GradeResult

router = Router()

#: A CSV export of a school's classes is a few kilobytes; this bounds the parse.
MAX_CSV_BYTES = 512 * 1024


@router.put(
    "/schools/<school_id>/grades",
    summary="Post grades for a school's registrations",
    tags=["grades"],
)
def put_grades(school_id: IdPath, batch: GradeBatch) -> GradeResult:
    return grades.post_grades(caller(router), school_id, batch, clock.now())


@router.post(
    "/schools/<school_id>/grades/csv",
    summary="Post grades from a CSV (columns sers_id, college_course_code, grade)",
    tags=["grades"],
    openapi_extensions=csv_request_body("The school's export: sers_id, college_course_code, grade"),
)
def post_grades_csv(
    school_id: IdPath,
    school_year: Annotated[SchoolYearName | None, Query(description="default: current")] = None,
) -> GradeResult:
    body = router.current_event.decoded_body or ""
    if len(body.encode()) > MAX_CSV_BYTES:
        raise InvalidInput(f"The file is over {MAX_CSV_BYTES // 1024} KB; split it.", field="file")
    return grades.import_csv(caller(router), school_id, school_year, body, clock.now())


@router.put(
    "/schools/<school_id>/enrollments",
    summary="Say which registered students are really in a class",
    tags=["grades"],
)
def put_enrollments(school_id: IdPath, batch: EnrollmentBatch) -> EnrollmentResult:
    return grades.answer_enrollments(caller(router), school_id, batch, clock.now())


@router.get(
    "/grades/transcript",
    summary="Credit to send to the colleges, as CSV",
    tags=["grades"],
    responses=csv_responses("Earned credit, one row per student and college course"),
)
def get_transcript(
    school_year: Annotated[SchoolYearName | None, Query(description="default: current")] = None,
) -> Response[str]:
    filename, body = grades.transcript_csv(caller(router), school_year, clock.now())
    return csv_file(body, filename)
