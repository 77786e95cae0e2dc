"""Large rosters, fast: copies of one registered student's records (profile,
registration, student-year: as the app wrote them, read back through the data layer)
under new ids, SERS IDs and emails, 25 items per BatchWriteItem. For the grade-file
tests and the bench, where 20,000 registrations through the API would take minutes."""

from __future__ import annotations

from typing import Any

from dualcredit.rules.sers_id import CROCKFORD_ALPHABET


def sers_code(i: int) -> str:
    """The four-character code of copy `i` (0 <= i < 32**4)."""
    return "".join(CROCKFORD_ALPHABET[(i // 32**p) % 32] for p in (3, 2, 1, 0))


def copy_student(student_id: str, sers_id: str, email: str, count: int) -> list[str]:
    """`count` more students like `student_id`, each registered as it is; their SERS IDs
    (the template's year and prefix, a code of their own)."""
    from dualcredit.dal import dynamo, keys
    from dualcredit.dal.aws import client

    items = dynamo.query(pk=keys.student_pk(student_id))
    prefix, own = sers_id[:-4], sers_id[-4:]
    codes = [code for code in (sers_code(i) for i in range(count + 1)) if code != own][:count]

    def copy(value: Any, i: int) -> Any:
        if isinstance(value, str):
            return (
                value.replace(student_id, f"{student_id}-{i:05d}")
                .replace(sers_id, prefix + codes[i])
                .replace(email, f"copy{i:05d}-{email}")
            )
        if isinstance(value, dict):
            return {k: copy(v, i) for k, v in value.items()}
        return value

    copies = [copy(item, i) for i in range(count) for item in items]
    ddb, table = client("dynamodb"), dynamo.table_name()
    for start in range(0, len(copies), 25):
        request: dict[str, Any] | None = {
            table: [
                {"PutRequest": {"Item": dynamo.serialize(item)}}
                for item in copies[start : start + 25]
            ]
        }
        while request:
            request = ddb.batch_write_item(RequestItems=request).get("UnprocessedItems") or None
    return [prefix + code for code in codes]
