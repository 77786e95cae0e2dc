"""Grades: posted by a school (rows, or its information system's CSV export; a large file
through S3) and the transcript staff send to the colleges. Served by the grade import
function."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from dualcredit import clock
from dualcredit.errors import InvalidInput
from dualcredit.http.context import caller, in_request_language
from dualcredit.http.params import IdPath
from dualcredit.http.responses import created, csv_file, csv_request_body, csv_responses
from dualcredit.logic import grade_files, grades
from dualcredit.models.common import SchoolYearName
from dualcredit.models.grades import (
    EnrollmentBatch,
    EnrollmentResult,
    GradeBatch,
    GradeFileStart,
    GradeFileStatus,
    GradeFileUpload,
    GradeResult,
)

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


@router.post(
    "/schools/<school_id>/grade-files",
    summary="Start a large grade file: a presigned POST to upload the CSV straight to S3",
    tags=["grades"],
    status_code=201,
)
def post_grade_file(school_id: IdPath, start: GradeFileStart) -> Response[GradeFileUpload]:
    return created(grade_files.start(caller(router), school_id, start.school_year, clock.now()))


@router.get(
    "/schools/<school_id>/grade-files/<import_id>",
    summary="A grade file's progress: rows checked and written, done or refused",
    tags=["grades"],
)
def get_grade_file(school_id: IdPath, import_id: IdPath) -> GradeFileStatus:
    found = grade_files.status(caller(router), school_id, import_id, clock.now())
    if found.message is None:
        return found
    return found.model_copy(update={"message": in_request_language(router, found.message)})


@router.get(
    "/schools/<school_id>/grade-files/<import_id>/report",
    summary="A grade file's per-row report, as CSV, once it is done or refused",
    tags=["grades"],
    responses=csv_responses("One row per grade: its line, status and any problem"),
)
def get_grade_file_report(school_id: IdPath, import_id: IdPath) -> Response[str]:
    filename, body = grade_files.report(caller(router), school_id, import_id, clock.now())
    return csv_file(body, filename)
