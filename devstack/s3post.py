"""S3's checks of a browser's presigned POST, in front of moto (which stores any POST it
gets): the policy's signature (SigV4, with the local credentials), its expiration, and
every condition (bucket, key, Content-Type, content-length-range), each form field
covered by one. A POST that fails is answered with S3's error document, as S3 answers:
AccessDenied ("Invalid according to Policy: ...") 403, EntityTooLarge or EntityTooSmall
400, SignatureDoesNotMatch 403. Other requests go to moto untouched.

    app = PostPolicyCheck(moto_wsgi_app)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.formparser import parse_form_data

#: Fields S3 leaves out of the policy check.
_UNCHECKED = {"policy", "x-amz-signature", "file"}


class PolicyError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _denied(message: str) -> PolicyError:
    return PolicyError(403, "AccessDenied", f"Invalid according to Policy: {message}")


def check(bucket: str, fields: dict[str, str], size: int, secret: str, now: datetime) -> None:
    """Raise PolicyError unless S3 would take this POST (`fields`: the form's fields but
    the file, names as sent; `size`: the file's length)."""
    policy_text = fields.get("policy", "")
    credential = fields.get("x-amz-credential", "").split("/")
    if len(credential) != 5 or fields.get("x-amz-algorithm") != "AWS4-HMAC-SHA256":
        raise PolicyError(400, "InvalidArgument", "POST requires a SigV4 credential")
    _, date, region, service, _ = credential
    expected = hmac.new(
        _signing_key(secret, date, region, service), policy_text.encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, fields.get("x-amz-signature", "")):
        raise PolicyError(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        )
    policy = json.loads(base64.b64decode(policy_text))
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    if expires <= now:
        raise _denied("Policy expired.")
    values = {name.lower(): value for name, value in fields.items()} | {"bucket": bucket}
    covered = {"bucket"}
    for condition in policy.get("conditions", []):
        if isinstance(condition, dict):
            ((name, wanted),) = condition.items()
            condition = ["eq", f"${name}", wanted]
        operator = str(condition[0]).lower()
        if operator == "content-length-range":
            low, high = int(condition[1]), int(condition[2])
            if size > high:
                raise PolicyError(
                    400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"
                )
            if size < low:
                raise PolicyError(
                    400, "EntityTooSmall", "Your proposed upload is smaller than the minimum size"
                )
            continue
        name = str(condition[1]).lstrip("$").lower()
        covered.add(name)
        value = values.get(name, "")
        holds = (
            value == condition[2]
            if operator == "eq"
            else operator == "starts-with" and value.startswith(str(condition[2]))
        )
        if not holds:
            raise _denied(f"Policy Condition failed: {json.dumps(condition)}")
    extra = sorted(
        name
        for name in values
        if name not in covered and name not in _UNCHECKED and not name.startswith("x-ignore-")
    )
    if extra:
        raise _denied(f"Extra input fields: {', '.join(extra)}")


class PostPolicyCheck:
    """WSGI middleware: a presigned POST (a multipart form with a `policy` field) is
    checked before it reaches `app`."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("REQUEST_METHOD") != "POST" or not str(
            environ.get("CONTENT_TYPE", "")
        ).startswith("multipart/form-data"):
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        copy = dict(environ, **{"wsgi.input": io.BytesIO(body)})
        _, form, files = parse_form_data(copy)
        environ["wsgi.input"] = io.BytesIO(body)
        if "policy" not in form:
            return self.app(environ, start_response)
        upload = files.get("file")
        size = len(upload.read()) if upload is not None else 0
        bucket = str(environ.get("PATH_INFO", "/")).strip("/").split("/", 1)[0]
        try:
            check(
                bucket,
                {name: str(form[name]) for name in form},
                size,
                os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
                datetime.now(UTC),
            )
        except PolicyError as error:
            document = (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                f"<Error><Code>{error.code}</Code><Message>{escape(error.message)}</Message>"
                "</Error>"
            ).encode()
            start_response(
                f"{error.status} {'Forbidden' if error.status == 403 else 'Bad Request'}",
                [
                    ("Content-Type", "application/xml"),
                    ("Content-Length", str(len(document))),
                    ("Access-Control-Allow-Origin", environ.get("HTTP_ORIGIN") or "*"),
                ],
            )
            return [document]
        return self.app(environ, start_response)
