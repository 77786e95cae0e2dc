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
from dualcredit.i18n import LANGUAGES, Language
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


#: The mail template of each kind of notice (values filled by `reminder_values` and
#: `open_values`), and whether a parent or guardian gets a copy of it.
TEMPLATES = {REMINDER: "reminder", WINDOW_OPEN: "window_open"}
COPIED = {REMINDER: True, WINDOW_OPEN: False}


def stored_templates(kind: str) -> list[tuple[str, Language, bool]]:
    """(SES template name, language, guardian's copy) of every stored template a kind
    of notice is sent with: one per language, and for a copied kind one per language of
    the guardian's copy."""
    name = TEMPLATES[kind]
    return [
        (mail.bulk_name(name, language, guardian=guardian), language, guardian)
        for guardian in ((False, True) if COPIED[kind] else (False,))
        for language in LANGUAGES
    ]


def publish_template(kind: str) -> None:
    """Store the SES templates of a kind of notice from the repository's mail templates,
    before the notices are fanned out (one or two SES requests per template and job run)."""
    for stored, language, guardian in stored_templates(kind):
        message = mail.bulk_template(TEMPLATES[kind], language, guardian=guardian)
        mailer.put_template(stored, subject=message.subject, html=message.html, text=message.text)


def reminder_values(
    profile: ProfileRecord, window: rules.Window, amount: int, at: datetime, language: Language
) -> dict[str, str]:
    """A reminder's template values in `language`."""
    left = (window.closes_on - rules.pacific_date(at)).days
    closes_on = rules.long_date(window.closes_on, language)
    return mail.bulk_values(
        sers_id=profile.sers_id,
        school_year=window.school_year.name,
        amount=mail.money(amount),
        closes_on=closes_on,
        deadline=mail.phrase("reminder.deadline", language, date=closes_on),
        days_left=mail.phrase("reminder.tomorrow", language)
        if left == 1
        else mail.phrase("reminder.in_days", language, days=left),
        pay_url=f"{get_settings().app_base_url}/pay",
    )


def open_values(profile: ProfileRecord, window: rules.Window, language: Language) -> dict[str, str]:
    """An open notice's template values in `language`."""
    return mail.bulk_values(
        sers_id=profile.sers_id,
        school_year=window.school_year.name,
        opens_on=rules.long_date(window.opens_on, language),
        closes_on=rules.long_date(window.closes_on, language),
        fee=mail.money(rules.BASE_FEE_CENTS),
        dashboard_url=f"{get_settings().app_base_url}/dashboard",
    )
