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

    @classmethod
    def of_item(cls, school_year: str, item: Item | None) -> WindowRecord:
        if item is None:
            return cls(school_year)
        override = item.get("close_override")
        return cls(
            school_year=school_year,
            version=int(item.get("version", 0)),
            close_override=date.fromisoformat(override) if override else None,
            opened_at=_instant(item, "opened_at"),
            announced_on=_str(item, "announced_on"),
            closed_on=_str(item, "closed_on"),
            closed_at=_instant(item, "closed_at"),
            summarized_on=_str(item, "summarized_on"),
        )

    @property
    def window(self) -> rules.Window:
        """The window the rules give this year, with the staff extension."""
        return rules.window_for(rules.SchoolYear.parse(self.school_year), self.close_override)
