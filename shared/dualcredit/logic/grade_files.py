"""Large grade files (a district's export, up to 20,000 rows and 10 MB) arrive through S3,
not API Gateway: the school's user asks for a presigned POST (`start`), the browser uploads
the file straight to the bucket, and the bucket's event runs `run` in the grade-import
function. The rows are read as a stream and checked with the CSV route's own rules
(logic.grades.csv_rows, roster.match): any bad row refuses the whole file, as the CSV
route does, and nothing is written. Otherwise only the grades that change are written
(registrations.post_grades: 100-item transactions, each grade conditional on the grade
read), so the same file twice writes nothing and a corrected file writes only what
changed. The status record says rows checked, rows written and the state; the per-row
report is a CSV beside the upload (neutralized like every export). An import that stops
before it is done (the function failed or timed out; S3's events are not retried) reads
as failed, so the page stops waiting and says to send the file again."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from dualcredit import clock, rules
from dualcredit.dal import catalog as catalog_data
from dualcredit.dal import grade_files as file_data
from dualcredit.errors import Conflict, DomainError, InvalidInput, NotFound
from dualcredit.logic import grades, roster
from dualcredit.logic.caller import Caller, Role
from dualcredit.logic.csv_export import Cell, csv_text
from dualcredit.models.grades import GradeFileStatus, GradeFileUpload
from dualcredit.observability import logger, metrics

#: The most rows one file may hold.
MAX_FILE_ROWS = 20_000
#: The status's rows written moves on after about this many more (20 transactions of
#: 49): what the page shows as the import goes, for about 5% more requests.
PROGRESS_EVERY = 1_000
#: An import neither done nor refused this long after its last change has stopped: longer
#: than an upload may start after its POST was presigned (15 minutes), and than the
#: function may run between two changes (its timeout, 5 minutes).
STALLED_AFTER = timedelta(minutes=20)
#: What a stopped import says. What it wrote is kept: each grade is conditional on the one
#: read, so the same file again writes only the rest.
STOPPED = (
    "This file stopped before it was done. The grades written so far are kept; "
    "send the same file again and only the rest is written."
)
_UNFINISHED = ("waiting", "checking", "writing")
REPORT_COLUMNS = ("line", "sers_id", "college_course_code", "grade", "status", "problem")
_KEY = re.compile(r"^imports/(?P<school>[A-Za-z0-9_-]{1,64})/(?P<id>[0-9a-f]{32})\.csv$")


def start(caller: Caller, school_id: str, school_year: str | None, at: datetime) -> GradeFileUpload:
    """A presigned POST for one grade file of `school_id` (its school users and staff),
    with the import's status record (state waiting, who asked, the year)."""
    caller.require_school(school_id)
    # A school user's school exists (their record names it); staff may name any id.
    if caller.role is Role.STAFF and catalog_data.get_school(school_id) is None:
        raise NotFound("There is no such school.")
    year = rules.school_year_or_current(school_year, at)
    import_id = uuid.uuid4().hex
    file_data.create(
        school_id,
        import_id,
        {
            "state": "waiting",
            "school_year": year.name,
            "user_id": caller.user,
            "role": caller.role.value,
            "created_at": at.isoformat(),
            "rows_checked": 0,
            "rows_written": 0,
            "expires_at": int((at + timedelta(days=file_data.KEPT_DAYS)).timestamp()),
        },
    )
    post = file_data.presigned_post(school_id, import_id)
    return GradeFileUpload(
        import_id=import_id,
        url=post["url"],
        fields={str(k): str(v) for k, v in post["fields"].items()},
        max_bytes=file_data.MAX_FILE_BYTES,
        content_type=file_data.CONTENT_TYPE,
    )


def status(caller: Caller, school_id: str, import_id: str, at: datetime) -> GradeFileStatus:
    """An import's status at `at`, for the school's users and staff only."""
    caller.require_school(school_id)
    item = file_data.get(school_id, import_id) if re.fullmatch(r"[0-9a-f]{32}", import_id) else None
    if item is None:
        raise NotFound("No grade file with this id at this school.")
    counts = ("rows_checked", "rows_written", "rows_unchanged", "rows_refused")
    state, message = item["state"], str(item["message"]) if item.get("message") else None
    changed = item.get("updated_at") or item.get("started_at") or item["created_at"]
    if state in _UNFINISHED and at - datetime.fromisoformat(str(changed)) > STALLED_AFTER:
        state, message = "failed", STOPPED
    return GradeFileStatus(
        import_id=import_id,
        school_year=str(item["school_year"]),
        state=state,
        message=message,
        **{name: int(item.get(name) or 0) for name in counts},
    )


def report(caller: Caller, school_id: str, import_id: str, at: datetime) -> tuple[str, str]:
    """(file name, CSV) of an import's per-row report, once it is done or refused."""
    found = status(caller, school_id, import_id, at)
    if found.state == "failed":
        raise Conflict(STOPPED)
    if found.state not in ("done", "refused"):
        raise Conflict("The file is still being checked; its report comes when it is done.")
    text = file_data.get_report(school_id, import_id)
    if text is None:
        days = file_data.KEPT_DAYS
        raise NotFound(f"This file's report is no longer kept ({days} days).")
    return f"grade-file-{import_id}.csv", text


def run(key: str, at: datetime) -> None:
    """Import the file an S3 event names. A key this bucket never presigned is logged and
    left alone; a second delivery of the event does nothing (the claim)."""
    match = _KEY.match(key)
    item = file_data.get(match["school"], match["id"]) if match else None
    if match is None or item is None:
        logger.warning("grade file without an import record", extra={"key": key})
        return
    school_id, import_id = match["school"], match["id"]
    if not file_data.claim(school_id, import_id, at.isoformat()):
        logger.info("grade file already claimed", extra={"import_id": import_id})
        return
    caller = Caller(user_id=str(item["user_id"]), role=Role(item["role"]), school_id=school_id)
    year = rules.school_year_or_current(str(item["school_year"]), at)
    rows: list[roster.Row] = []
    try:
        rows = grades.csv_rows(file_data.lines(key), max_rows=MAX_FILE_ROWS)
        file_data.record(
            school_id,
            import_id,
            {"rows_checked": len(rows), "state": "writing", "updated_at": _now()},
        )
        result = grades.post_csv_rows(
            caller, school_id, year, rows, at, written=_progress(school_id, import_id)
        )
    except InvalidInput as error:
        problems = error.errors or [(error.field or "file", str(error))]
        _refused(school_id, import_id, rows, problems, str(error), at)
        return
    except DomainError as error:
        file_data.record(
            school_id,
            import_id,
            {"state": "refused", "message": str(error), "finished_at": at.isoformat()},
        )
        return
    except Exception:
        # Anything else (DynamoDB throttling past botocore's retries, a bug): the status
        # says the file stopped, and the error goes on to the function's error alarm.
        file_data.record(
            school_id, import_id, {"state": "failed", "message": STOPPED, "updated_at": _now()}
        )
        raise
    lines: list[list[Cell]] = [
        [
            row.label or "",
            row.sers_text,
            posted.college_course_code,
            posted.grade,
            posted.status,
            "",
        ]
        for row, posted in zip(rows, result.grades, strict=False)
    ]
    file_data.put_report(school_id, import_id, csv_text(REPORT_COLUMNS, lines))
    file_data.record(
        school_id,
        import_id,
        {
            "state": "done",
            "rows_checked": len(rows),
            "rows_written": result.posted,
            "rows_unchanged": result.unchanged,
            "finished_at": at.isoformat(),
        },
    )
    metrics.add_metric(name="GradeFileRows", unit="Count", value=len(rows))
    logger.info(
        "grade file imported",
        extra={"import_id": import_id, "written": result.posted, "unchanged": result.unchanged},
    )


def _progress(school_id: str, import_id: str) -> Callable[[int], None]:
    """Records the grades written so far, every PROGRESS_EVERY or so."""
    recorded = [0]

    def written(count: int) -> None:
        if count - recorded[0] >= PROGRESS_EVERY:
            recorded[0] = count
            file_data.record(school_id, import_id, {"rows_written": count, "updated_at": _now()})

    return written


def _now() -> str:
    return clock.now().isoformat()


def _refused(
    school_id: str,
    import_id: str,
    rows: list[roster.Row],
    problems: list[tuple[str, str]],
    message: str,
    at: datetime,
) -> None:
    by_where = {row.where: row for row in rows}
    lines: list[list[Cell]] = []
    for where, problem in problems:
        row = by_where.get(where.split(".")[0])
        lines.append(
            [
                row.label if row else "",
                row.sers_text if row else "",
                "",
                str(row.raw) if row else "",
                "refused",
                problem,
            ]
        )
    file_data.put_report(school_id, import_id, csv_text(REPORT_COLUMNS, lines))
    file_data.record(
        school_id,
        import_id,
        {
            "state": "refused",
            "rows_checked": len(rows),
            "rows_refused": len(problems),
            "message": message,
            "finished_at": at.isoformat(),
        },
    )
