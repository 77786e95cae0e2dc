"""A batch of rows a school sends about its roster (grades, or who is really in a class),
matched to the school's registrations: every row is checked, every bad row is named, and
nothing is written while any row is wrong.

The rows come from the API's JSON (`grades[3]`) or from a CSV file (`line 4`, with the
columns named as the file's header names them); the checks are the same for both."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dualcredit import rules
from dualcredit.dal import registrations as registration_data
from dualcredit.dal.records import RegistrationRecord
from dualcredit.errors import Conflict, InvalidInput
from dualcredit.logic.grading import refuse_if_final
from dualcredit.settings import get_settings

#: Whether a registration is the class a row names.
SameClass = Callable[[RegistrationRecord], bool]


@dataclass(frozen=True)
class Row:
    """One row of a batch. `where` starts each error's field ("grades[3]", "line 4");
    `label` ("Line 4"), when given, starts each error's message, followed by the column
    as `columns` names it (the file's header: {"grade": "Final Grade"})."""

    where: str
    sers_text: str
    same_class: SameClass
    raw: Any
    label: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)

    def error(self, column: str | None, problem: str) -> tuple[str, str]:
        """(field, message) of a problem with this row, or with one of its columns."""
        key = f"{self.where}.{column}" if column else self.where
        if self.label is None:
            return key, problem
        named = self.columns.get(column or "")
        place = f'{self.label}, column "{named}"' if named else self.label
        return key, f"{place}: {problem}"


def same_offering(offering_id: str) -> SameClass:
    return lambda registration: registration.offering_id == offering_id


def same_course(code: str) -> SameClass:
    return lambda registration: course_code(registration.college_course_code) == code


def course_code(text: str) -> str:
    """'weld  101' and 'WELD 101' name the same college course."""
    return " ".join(text.upper().split())


def _sers(text: str) -> str | None:
    try:
        return rules.parse_sers_id(text, prefix=get_settings().sers_prefix)
    except rules.RuleError:
        return None


def match[T](
    roster: list[RegistrationRecord],
    rows: Sequence[Row],
    year: rules.SchoolYear,
    *,
    offering_field: str,
    value_field: str,
    parse: Callable[[Any], T],
    check: Callable[[RegistrationRecord, T], None] | None = None,
) -> list[tuple[RegistrationRecord, T]]:
    """Each row's registration and canonical value (`parse`, which raises RuleError, then
    `check(registration, value)`, a rule that may refuse the value for that registration);
    every bad row named, or none."""
    by_sers_id: dict[str, list[RegistrationRecord]] = {}
    for registration in roster:
        by_sers_id.setdefault(registration.sers_id, []).append(registration)
    errors: list[tuple[str, str]] = []
    located: list[str] = []  # each error as the batch's message quotes it
    matched: dict[tuple[str, str], tuple[RegistrationRecord, T]] = {}

    def refuse(row: Row, column: str | None, problem: str) -> None:
        key, message = row.error(column, problem)
        errors.append((key, message))
        located.append(message if row.label else f"{key}: {message}")

    for row in rows:
        sers_id = _sers(row.sers_text)
        if sers_id is None:
            refuse(row, "sers_id", f'"{row.sers_text}" is not a SERS ID (like TP3-27-AB12).')
            continue
        try:
            value = parse(row.raw)
        except rules.RuleError as error:
            refuse(row, value_field, str(error))
            continue
        found = [r for r in by_sers_id.get(sers_id, []) if row.same_class(r)]
        if len(found) > 1:
            refuse(
                row,
                offering_field,
                f"{sers_id} has more than one class with this college course here in "
                f"{year.name}; post these one class at a time.",
            )
            continue
        if not found:
            refuse(
                row,
                offering_field,
                f"{sers_id} is not registered for this class at this school in {year.name}.",
            )
            continue
        if check is not None:
            try:
                check(found[0], value)
            except rules.RuleError as error:
                refuse(row, value_field, f"{sers_id}: {error}")
                continue
        key = (found[0].student_id, found[0].offering_id)
        if key in matched and matched[key][1] != value:
            refuse(
                row, None, f"{sers_id} is given twice for the same class, with different values."
            )
            continue
        matched[key] = (found[0], value)
    if errors:
        raise InvalidInput(
            f"{len(errors)} of the rows cannot be saved; nothing was saved. First: {located[0]}",
            field=errors[0][0],
            errors=errors,
        )
    return list(matched.values())


def against_roster[T](
    school_id: str,
    year: rules.SchoolYear,
    attempt: Callable[[list[RegistrationRecord]], T],
    *,
    what: str,
    by_staff: bool = False,
) -> T:
    """`attempt(roster)`: match and write against the school's roster as read now. When
    another post changed one of the registrations meanwhile, once more on a fresh read
    (what is now as given counts as unchanged); a second change is a conflict. Nothing is
    written once staff finalized the year (logic.grading.refuse_if_final)."""
    refuse_if_final(year, by_staff=by_staff)
    try:
        try:
            return attempt(registration_data.roster(school_id, year.name))
        except registration_data.RegistrationChanged:
            pass
        try:
            return attempt(registration_data.roster(school_id, year.name))
        except registration_data.RegistrationChanged:
            raise Conflict(
                f"Some of these {what} were changed by someone else a moment ago. Reload and "
                f"try again; {what} already saved stay as they are."
            ) from None
    except registration_data.YearFinalized:
        # Staff finalized the year while this batch was written (the writes carry the
        # check, so none landed after it): the same words as before the batch.
        refuse_if_final(year, by_staff=by_staff)
        raise Conflict("This school year's grades were finalized a moment ago.") from None
