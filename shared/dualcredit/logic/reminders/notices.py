"""A notice: one student's deadline reminder or "registration is open" message, as the
scheduled job puts it on the reminder queue and the sender reads it back; who is due
one; and the SES template of each kind of notice."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from dualcredit import mail, rules
from dualcredit.dal import mailer
from dualcredit.dal.records import ProfileRecord, StudentYear
from dualcredit.settings import get_settings

REMINDER = "reminder"
WINDOW_OPEN = "window_open"
OPEN_LABEL = "open"


class BadMessage(ValueError):
    """A queue message this code cannot read; it fails until SQS moves it to the DLQ."""


@dataclass(frozen=True)
class Notice:
    """One student's reminder (label "7": days before the close) or open notice (label "open")."""

    kind: str
    student_id: str
    school_year: str
    label: str

    @property
    def key(self) -> str:
        """'2026-27:7', as staff see it in the history."""
        return f"{self.school_year}:{self.label}"

    def body(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "student_id": self.student_id,
            "school_year": self.school_year,
            "reminder": self.key,
        }

    @classmethod
    def parse(cls, text: str) -> Notice:
        try:
            body = json.loads(text)
            kind, student_id, school_year = body["kind"], body["student_id"], body["school_year"]
            year, _, label = body["reminder"].partition(":")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BadMessage("not a reminder message") from None
        if not all(isinstance(v, str) and v for v in (kind, student_id, school_year, label)):
            raise BadMessage("not a reminder message")
        if year != school_year or rules.SchoolYear.parse(school_year).name != school_year:
            raise BadMessage("reminder of another school year")
        if not (
            (kind == REMINDER and label.isdigit()) or (kind == WINDOW_OPEN and label == OPEN_LABEL)
        ):
            raise BadMessage(f"unknown reminder {kind} {label}")
        return cls(kind, student_id, school_year, label)


def reminder_notice(student_id: str, year: rules.SchoolYear, days: int) -> Notice:
    return Notice(REMINDER, student_id, year.name, str(days))


def open_notice(student_id: str, year: rules.SchoolYear) -> Notice:
    return Notice(WINDOW_OPEN, student_id, year.name, OPEN_LABEL)


def is_due(student_year: StudentYear) -> bool:
    """A reminder goes to a student-year with something to pay now: not paid, not
    waived, no waiver pending (rules.amount_due)."""
    return rules.amount_due(student_year.fee_facts) > 0


#: The stored SES template and subject of each kind of notice (string.Template values,
#: filled by `reminder_values` and `open_values`).
TEMPLATES = {
    REMINDER: ("reminder", "Reminder: your $school_year CTE Dual Credit fee is due by $closes_on"),
    WINDOW_OPEN: ("window_open", "CTE Dual Credit registration for $school_year is open"),
}


def publish_template(kind: str) -> None:
    """Store the SES template of a kind of notice from the repository's mail templates,
    before the notices are fanned out (one or two SES requests per job run)."""
    name, subject = TEMPLATES[kind]
    message = mail.bulk_template(name, subject)
    mailer.put_template(name, subject=message.subject, html=message.html, text=message.text)


def reminder_values(
    profile: ProfileRecord, window: rules.Window, amount: int, at: datetime
) -> dict[str, str]:
    """A reminder's template values."""
    left = (window.closes_on - rules.pacific_date(at)).days
    closes_on = rules.long_date(window.closes_on)
    return mail.bulk_values(
        sers_id=profile.sers_id,
        school_year=window.school_year.name,
        amount=mail.money(amount),
        closes_on=closes_on,
        deadline=f"{closes_on}, 11:59 pm Pacific time",
        days_left="tomorrow" if left == 1 else f"in {left} days",
        pay_url=f"{get_settings().app_base_url}/pay",
    )


def open_values(profile: ProfileRecord, window: rules.Window) -> dict[str, str]:
    """An open notice's template values."""
    return mail.bulk_values(
        sers_id=profile.sers_id,
        school_year=window.school_year.name,
        opens_on=rules.long_date(window.opens_on),
        closes_on=rules.long_date(window.closes_on),
        fee=mail.money(rules.BASE_FEE_CENTS),
        dashboard_url=f"{get_settings().app_base_url}/dashboard",
    )
