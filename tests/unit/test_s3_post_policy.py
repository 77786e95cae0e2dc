"""The local stand-in for S3's checks of a presigned POST (devstack.s3post): a POST that
botocore signed passes, and each way S3 refuses one is refused with S3's code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import botocore.session
import pytest
from botocore.config import Config

from devstack.s3post import PolicyError, check

SECRET = "testing"  # noqa: S105 - moto's
BUCKET = "grade-files"
KEY = "imports/school-x/0123456789abcdef0123456789abcdef.csv"


@pytest.fixture
def fields() -> dict[str, str]:
    """The form fields botocore gives for one CSV of 1 B to 10 MB (as the app asks)."""
    client = botocore.session.get_session().create_client(
        "s3",
        region_name="us-west-2",
        aws_access_key_id="testing",
        aws_secret_access_key=SECRET,
        config=Config(signature_version="s3v4"),
    )
    post = client.generate_presigned_post(
        Bucket=BUCKET,
        Key=KEY,
        Fields={"Content-Type": "text/csv"},
        Conditions=[["content-length-range", 1, 10 * 1024 * 1024], {"Content-Type": "text/csv"}],
        ExpiresIn=900,
    )
    return dict(post["fields"])


def _code(fields: dict[str, str], *, size: int = 100, bucket: str = BUCKET, **changes) -> str:
    # "later": how long after the POST was signed it comes (now, at the earliest)
    now = datetime.now(UTC) + changes.pop("later", timedelta())
    try:
        check(bucket, {**fields, **changes}, size, SECRET, now)
    except PolicyError as error:
        return f"{error.status} {error.code}"
    return "accepted"


def test_the_post_botocore_signed_is_accepted(fields):
    assert _code(fields) == "accepted"


@pytest.mark.parametrize(
    ("change", "refused"),
    [
        ({"size": 10 * 1024 * 1024 + 1}, "400 EntityTooLarge"),
        ({"size": 0}, "400 EntityTooSmall"),
        ({"Content-Type": "text/html"}, "403 AccessDenied"),
        ({"key": "imports/school-y/0123456789abcdef0123456789abcdef.csv"}, "403 AccessDenied"),
        ({"bucket": "another-bucket"}, "403 AccessDenied"),
        ({"acl": "public-read"}, "403 AccessDenied"),  # a field the policy does not cover
        ({"x-amz-signature": "0" * 64}, "403 SignatureDoesNotMatch"),
        ({"later": timedelta(minutes=16)}, "403 AccessDenied"),  # expired (15 minutes)
    ],
    ids=["too large", "empty", "type", "key", "bucket", "extra field", "signature", "expired"],
)
def test_a_post_the_policy_does_not_allow_is_refused_as_s3_refuses_it(fields, change, refused):
    size = change.pop("size", 100)
    bucket = change.pop("bucket", BUCKET)
    assert _code(fields, size=size, bucket=bucket, **change) == refused
