"""The window record: what is stored about a school year's registration window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dualcredit import rules
from dualcredit.dal.codec import Item
from dualcredit.dal.records._base import _instant, _str


@dataclass(frozen=True)
class WindowRecord:
    """What is stored about a school year's window: a staff extension of the close date,
    and the scheduled steps done (opened, announced, closed, summarized) with their
    dates. A year with no item reads as version 0 with nothing recorded."""

    school_year: str
    version: int = 0
    close_override: date | None = None
    opened_at: datetime | None = None
    announced_on: str | None = None
    closed_on: str | None = None
    closed_at: datetime | None = None
    summarized_on: str | None = None
    #: The grading deadline staff set for the year (None: the rules' June 25).
    grading_deadline_override: date | None = None
    #: When staff finalized the year's grades, and who (None: not finalized).
    finalized_at: datetime | None = None
    finalized_by: str | None = None

    @classmethod
    def of_item(cls, school_year: str, item: Item | None) -> WindowRecord:
        if item is None:
            return cls(school_year)
        override = item.get("close_override")
        grading = item.get("grading_deadline")
        return cls(
            school_year=school_year,
            version=int(item.get("version", 0)),
            close_override=date.fromisoformat(override) if override else None,
            opened_at=_instant(item, "opened_at"),
            announced_on=_str(item, "announced_on"),
            closed_on=_str(item, "closed_on"),
            closed_at=_instant(item, "closed_at"),
            summarized_on=_str(item, "summarized_on"),
            grading_deadline_override=date.fromisoformat(grading) if grading else None,
            finalized_at=_instant(item, "finalized_at"),
            finalized_by=_str(item, "finalized_by"),
        )

    @property
    def window(self) -> rules.Window:
        """The window the rules give this year, with the staff extension."""
        return rules.window_for(rules.SchoolYear.parse(self.school_year), self.close_override)

    @property
    def grading_deadline(self) -> date:
        """The last day schools post grades for this year (the rules' June 25, or staff's)."""
        return rules.grading_deadline(
            rules.SchoolYear.parse(self.school_year), self.grading_deadline_override
        )

    @property
    def finalized(self) -> bool:
        return self.finalized_at is not None
