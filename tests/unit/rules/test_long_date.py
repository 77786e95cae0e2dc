"""long_date in each language the program speaks."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from dualcredit import rules

SPANISH_MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
).split()


def test_long_date_in_spanish_writes_day_de_month_de_year():
    # Given dates at the window's edges and a one-digit day
    # When they are written in Spanish
    # Then they read as Spanish dates do, the month in lower case
    assert rules.long_date(date(2027, 6, 15), "es") == "15 de junio de 2027"
    assert rules.long_date(date(2026, 12, 1), "es") == "1 de diciembre de 2026"
    assert rules.long_date(date(2030, 1, 9), "es") == "9 de enero de 2030"


def test_long_date_in_english_is_unchanged_by_the_language_argument():
    # Given a date
    # When it is written in English, named or by default
    # Then both read "June 15, 2027"
    assert rules.long_date(date(2027, 6, 15), "en") == "June 15, 2027"
    assert rules.long_date(date(2027, 6, 15)) == "June 15, 2027"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_a_spanish_long_date_names_the_same_day_month_and_year(d):
    # Given any date
    # When it is written in Spanish
    day, de1, month, de2, year = rules.long_date(d, "es").split(" ")
    # Then its parts are the date's own
    assert (int(day), SPANISH_MONTHS.index(month) + 1, int(year)) == (d.day, d.month, d.year)
    assert de1 == de2 == "de"
