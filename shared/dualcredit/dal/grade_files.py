"""Large grade files: the presigned POST a browser uploads with, the file read back as a
stream, the per-row report, and each import's status record.

Keys: the upload is `imports/<school_id>/<import_id>.csv`, its report
`reports/<school_id>/<import_id>.csv`; the status is one item under the school
(keys.grade_import_pk/sk)."""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from dualcredit.dal import aws, dynamo, keys
from dualcredit.dal.dynamo import Item

#: The largest file a presigned POST accepts: a district's export of 20,000 rows.
MAX_FILE_BYTES = 10 * 1024 * 1024
CONTENT_TYPE = "text/csv"
POST_EXPIRES_SECONDS = 900
#: The bucket's lifecycle keeps uploads and reports this long (infra/template.yaml); the
#: status record goes with them (the table's TTL, expires_at).
KEPT_DAYS = 7


def bucket() -> str:
    name = os.environ.get("GRADE_FILES_BUCKET")
    if not name:
        raise RuntimeError("GRADE_FILES_BUCKET is not set.")
    return name


def upload_key(school_id: str, import_id: str) -> str:
    return f"imports/{school_id}/{import_id}.csv"


def report_key(school_id: str, import_id: str) -> str:
    return f"reports/{school_id}/{import_id}.csv"


def presigned_post(school_id: str, import_id: str) -> dict[str, Any]:
    """{url, fields} of a POST that uploads one CSV of at most MAX_FILE_BYTES to this
    import's key; S3 refuses any other key, size or content type."""
    post: dict[str, Any] = aws.client("s3").generate_presigned_post(
        Bucket=bucket(),
        Key=upload_key(school_id, import_id),
        Fields={"Content-Type": CONTENT_TYPE},
        Conditions=[
            ["content-length-range", 1, MAX_FILE_BYTES],
            {"Content-Type": CONTENT_TYPE},
        ],
        ExpiresIn=POST_EXPIRES_SECONDS,
    )
    return post


def lines(key: str) -> Iterator[str]:
    """The uploaded file's text, line by line as S3 sends it (a byte order mark
    dropped): never the whole file in memory."""
    body = aws.client("s3").get_object(Bucket=bucket(), Key=key)["Body"]
    try:
        yield from codecs.getreader("utf-8-sig")(body)
    finally:
        body.close()


def put_report(school_id: str, import_id: str, text: str) -> None:
    aws.client("s3").put_object(
        Bucket=bucket(),
        Key=report_key(school_id, import_id),
        Body=("\ufeff" + text).encode("utf-8"),
        ContentType="text/csv; charset=utf-8",
        ServerSideEncryption="AES256",
    )


def get_report(school_id: str, import_id: str) -> str | None:
    """The report's text; None once the bucket no longer keeps it (its lifecycle)."""
    try:
        body = aws.client("s3").get_object(Bucket=bucket(), Key=report_key(school_id, import_id))[
            "Body"
        ]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return None
        raise
    text: str = body.read().decode("utf-8-sig")
    return text


def create(school_id: str, import_id: str, fields: dict[str, Any]) -> None:
    """The import's status record, written once (a second create is ConditionFailed)."""
    dynamo.put_item(
        {
            "PK": keys.grade_import_pk(school_id),
            "SK": keys.grade_import_sk(import_id),
            "school_id": school_id,
            "import_id": import_id,
            **fields,
        },
        condition="attribute_not_exists(PK)",
    )


def get(school_id: str, import_id: str) -> Item | None:
    return dynamo.get_item(
        keys.grade_import_pk(school_id), keys.grade_import_sk(import_id), consistent=True
    )


def claim(school_id: str, import_id: str, at: str) -> bool:
    """Move a waiting import to checking; False when it already left waiting (S3 sends an
    event at least once: a second delivery does nothing)."""
    try:
        dynamo.update_item(
            keys.grade_import_pk(school_id),
            keys.grade_import_sk(import_id),
            expression="SET #state = :checking, started_at = :at",
            condition="#state = :waiting",
            names={"#state": "state"},
            values={":checking": "checking", ":waiting": "waiting", ":at": at},
        )
    except dynamo.ConditionFailed:
        return False
    return True


def record(school_id: str, import_id: str, fields: dict[str, Any]) -> None:
    """Set the status fields (state, rows_checked, rows_written, ...)."""
    names = {f"#f{i}": name for i, name in enumerate(fields)}
    values = {f":v{i}": value for i, value in enumerate(fields.values())}
    dynamo.update_item(
        keys.grade_import_pk(school_id),
        keys.grade_import_sk(import_id),
        expression="SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(fields))),
        condition="attribute_exists(PK)",
        names=names,
        values=values,
    )
