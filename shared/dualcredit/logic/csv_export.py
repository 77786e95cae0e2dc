"""The one way the app writes a CSV file for people to open in a spreadsheet (the payments
report, the transcript): every cell of text that a spreadsheet would read as a formula
is neutralized.

OWASP's rule for CSV injection: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return is prefixed with a single quote, so the spreadsheet shows it as text
(`=HYPERLINK("http://evil", "click")` stays those characters, not a link); the csv
module quotes what needs quoting (commas, quotes, line breaks), so a cell cannot end
early and start a formula in the next one.

Only text is neutralized. Numbers the app itself writes (counts, credits) are written as
numbers, whatever their sign, and still read as numbers: they are ints, floats or
Decimals here, never text a user typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

#: What a spreadsheet reads as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

type Cell = str | int | float | Decimal | None
type Written = str | int | float | Decimal


def neutralized(cell: Cell) -> Written:
    """The cell as written: text that starts like a formula gets a leading `'`; None is an
    empty cell; a number is itself."""
    if cell is None:
        return ""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """The CSV file: the header, then each row, every cell neutralized."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralized(cell) for cell in header])
    writer.writerows([neutralized(cell) for cell in row] for row in rows)
    return out.getvalue()
