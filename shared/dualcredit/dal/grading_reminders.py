"""What the reminder sender reads before a batch of grading reminders: the school users'
records, their schools, the years' window records and the reminders' claims, in one
consistent BatchGetItem (100 keys per request).

A grading reminder's claims live beside the students' (dal/reminders.py): partition
`REMINDER#<year>#grading-<days>`, sort key the recipient's, here the school user's id in
the same `STUDENT#<id>` shape the claim functions write (a user id is a Cognito `sub`,
unique across both pools, and the label keeps grading claims apart from fee reminders).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dualcredit.dal import dynamo, keys
from dualcredit.dal.records import WindowRecord
from dualcredit.dal.reminders import ClaimState


@dataclass
class GradingFacts:
    users: dict[str, dict[str, Any]]  # user id -> school user record
    schools: dict[str, dict[str, Any]]  # school id -> school record
    windows: dict[str, WindowRecord]  # school year -> window record (version 0 if none)
    claims: dict[tuple[str, str, str], ClaimState]  # (school year, label, user id)


def load(wanted: Sequence[tuple[str, str, str, str]]) -> GradingFacts:
    """For (user id, school id, school year, label) tuples: 2 keys per user, 1 per school
    and 1 per year, read consistently."""
    request: list[dynamo.Key] = []
    for user_id, _, school_year, label in wanted:
        request += [
            (keys.school_user_pk(user_id), keys.META_SK),
            (keys.reminder_pk(school_year, label), keys.student_pk(user_id)),
        ]
    schools = list(dict.fromkeys(school_id for _, school_id, _, _ in wanted))
    years = list(dict.fromkeys(year for _, _, year, _ in wanted))
    request += [(keys.school_pk(school_id), keys.META_SK) for school_id in schools]
    request += [(keys.window_pk(year), keys.META_SK) for year in years]
    found = dynamo.batch_get(request, consistent=True)
    facts = GradingFacts(
        users={},
        schools={},
        windows={year: WindowRecord.of_item(year, None) for year in years},
        claims={},
    )
    for (pk, _), item in found.items():
        if pk.startswith(keys.WINDOW_PK_PREFIX):
            year = keys.window_year(pk)
            facts.windows[year] = WindowRecord.of_item(year, item)
        elif item.get("type") == "reminder":
            year, _, label = item["reminder"].partition(":")
            facts.claims[(year, label, item["student_id"])] = ClaimState(
                status=item["status"], lease_until=int(item.get("lease_until", 0))
            )
        elif item.get("type") == "school_user":
            facts.users[item["user_id"]] = item
        elif item.get("type") == "school":
            facts.schools[item["school_id"]] = item
    return facts
