"""College registrars (invited by staff) and the transcript batches staff close for each
college and school year; the registrar downloads a batch and marks it posted."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from dualcredit import clock, rules
from dualcredit.http.context import caller
from dualcredit.http.params import IdPath
from dualcredit.http.responses import created, csv_file, csv_responses
from dualcredit.logic import college_users, transcript_batches
from dualcredit.models.common import SchoolYearName
from dualcredit.models.transcripts import (
    BatchClose,
    CollegeTranscripts,
    CollegeUser,
    CollegeUserInvite,
    PostedMark,
    PostedResult,
    TranscriptBatch,
)

router = Router()

CollegeQuery = Annotated[str | None, Query(min_length=1, max_length=120)]


@router.post(
    "/college-users",
    summary="Invite a college registrar, tied to one college",
    tags=["transcripts"],
    status_code=201,
)
def post_college_user(invite: CollegeUserInvite) -> Response[CollegeUser]:
    return created(college_users.invite(caller(router), invite, clock.now()))


@router.get("/college-users", summary="A college's registrars", tags=["transcripts"])
def get_college_users(
    college: Annotated[str, Query(min_length=1, max_length=120)],
) -> list[CollegeUser]:
    return college_users.list_users(caller(router), college)


@router.post(
    "/college-users/<user_id>/remove",
    summary="Take a college registrar's access away",
    tags=["transcripts"],
)
def post_college_user_remove(user_id: IdPath) -> CollegeUser:
    return college_users.remove(caller(router), user_id, clock.now())


@router.get(
    "/transcript-batches",
    summary="Per college: credit earned, exported and posted, and its batches",
    tags=["transcripts"],
)
def get_transcript_batches(
    school_year: Annotated[SchoolYearName | None, Query(description="default: current")] = None,
    college: CollegeQuery = None,
) -> list[CollegeTranscripts]:
    at = clock.now()
    year = rules.school_year_or_current(school_year, at)
    return transcript_batches.overview(caller(router), year.name, college)


@router.post(
    "/transcript-batches",
    summary="Close a college's next transcript batch for a school year",
    tags=["transcripts"],
    status_code=201,
)
def post_transcript_batch(data: BatchClose) -> Response[TranscriptBatch]:
    return created(transcript_batches.close(caller(router), data, clock.now()))


@router.get(
    "/transcript-batches/<batch_id>/csv",
    summary="A transcript batch, as CSV (UTF-8 with a byte order mark)",
    tags=["transcripts"],
    responses=csv_responses("One row per credit: new, corrected or withdrawn"),
)
def get_transcript_batch_csv(batch_id: IdPath) -> Response[str]:
    filename, body = transcript_batches.batch_csv(caller(router), batch_id)
    return csv_file(body, filename)


@router.post(
    "/transcript-batches/<batch_id>/posted",
    summary="The registrar marks a batch posted, whole or by rows",
    tags=["transcripts"],
)
def post_transcript_batch_posted(batch_id: IdPath, mark: PostedMark) -> PostedResult:
    return transcript_batches.mark_posted(caller(router), batch_id, mark, clock.now())
