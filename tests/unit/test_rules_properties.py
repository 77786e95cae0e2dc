"""Property tests of dualcredit.rules (hypothesis)."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dualcredit.rules import (
    BASE_FEE_CENTS,
    CROCKFORD_ALPHABET,
    GRADE_SCALE,
    LATE_FEE_CENTS,
    PACIFIC,
    InvalidSersId,
    SchoolYear,
    WindowStatus,
    amount_due_cents,
    default_close_date,
    format_sers_id,
    identity_fingerprint,
    new_sers_id,
    parse_sers_id,
    prior_year_cost_cents,
    qualifies_for_credit,
    school_year_of,
    window_for,
)

# Aware instants in 1950-2150 with arbitrary fixed offsets (up to +-14h) as well as
# UTC and Pacific, so DST transitions and date-line crossings are covered.
offsets = st.one_of(
    st.just(UTC),
    st.just(PACIFIC),
    st.integers(min_value=-14 * 60, max_value=14 * 60).map(
        lambda m: timezone(timedelta(minutes=m))
    ),
)
instants = st.datetimes(
    min_value=datetime(1950, 1, 1), max_value=datetime(2150, 12, 31), timezones=offsets
)
school_years = st.integers(min_value=1950, max_value=2150).map(SchoolYear)
crockford_codes = st.text(alphabet=CROCKFORD_ALPHABET, min_size=4, max_size=4)


# --------------------------------------------------------------------------- school year


@given(instants)
def test_every_instant_lies_in_exactly_one_school_year(instant):
    year = school_year_of(instant)
    pacific_date = instant.astimezone(PACIFIC).date()
    assert year.starts_on <= pacific_date <= year.ends_on
    for neighbour in (year.previous(), year.next()):
        assert not neighbour.starts_on <= pacific_date <= neighbour.ends_on


@given(school_years)
def test_school_years_tile_the_calendar(year):
    assert year.next().starts_on == year.ends_on + timedelta(days=1)
    assert school_year_of(datetime.combine(year.starts_on, datetime.min.time(), PACIFIC)) == year
    assert SchoolYear.parse(year.name) == year


# --------------------------------------------------------------------------- window


@given(school_years, st.integers(min_value=0, max_value=15), instants)
def test_window_status_matches_its_instants(year, extra_days, instant):
    window = window_for(year, default_close_date(year) + timedelta(days=extra_days))
    status = window.status(instant)
    if instant < window.opens_at:
        assert status is WindowStatus.NOT_YET_OPEN
    elif instant < window.closes_at:
        assert status is WindowStatus.OPEN
    else:
        assert status is WindowStatus.CLOSED
    assert window.is_open(instant) == (status is WindowStatus.OPEN)


@given(school_years, st.integers(min_value=0, max_value=15), st.integers(0, 10**6))
def test_window_edges_to_the_microsecond(year, extra_days, micros):
    window = window_for(year, default_close_date(year) + timedelta(days=extra_days))
    step = timedelta(microseconds=micros + 1)
    assert window.status(window.opens_at - step) is WindowStatus.NOT_YET_OPEN
    assert window.status(window.opens_at) is WindowStatus.OPEN
    assert window.status(window.closes_at - timedelta(microseconds=1)) is WindowStatus.OPEN
    assert window.status(window.closes_at) is WindowStatus.CLOSED
    assert window.status(window.closes_at + step) is WindowStatus.CLOSED
    assert window.opens_at.astimezone(PACIFIC).time() == datetime.min.time()
    assert window.closes_at.astimezone(PACIFIC).date() == window.closes_on + timedelta(days=1)
    assert window.opens_at.utcoffset() == timedelta(hours=-8)  # December: PST
    assert window.closes_at.utcoffset() == timedelta(hours=-7)  # June: PDT
    assert year.starts_on < window.opens_on < window.closes_on <= year.ends_on


# --------------------------------------------------------------------------- fees

booleans = st.booleans()


@given(booleans, booleans, booleans, booleans, booleans)
def test_amount_due_is_bounded(paid, approved, pending, late_applies, late_paid):
    amount = amount_due_cents(
        paid=paid,
        waiver_approved=approved,
        waiver_pending=pending,
        late_fee_applies=late_applies,
        late_fee_paid=late_paid,
    )
    assert 0 <= amount <= BASE_FEE_CENTS + LATE_FEE_CENTS
    if approved:
        assert amount == 0
    if not (approved or pending or paid):
        assert amount >= BASE_FEE_CENTS


@given(school_years, st.integers(min_value=1, max_value=30), booleans, booleans)
def test_prior_year_cost_is_bounded(current, back, paid, waived):
    request = SchoolYear(current.start - back)
    cost = prior_year_cost_cents(
        request_year=request, current_year=current, year_paid=paid, year_waived=waived
    )
    assert 0 <= cost <= BASE_FEE_CENTS + LATE_FEE_CENTS
    assert cost == (0 if waived else LATE_FEE_CENTS + (0 if paid else BASE_FEE_CENTS))


# --------------------------------------------------------------------------- grades

grades = st.sampled_from(GRADE_SCALE)


@given(grades, grades, grades)
def test_qualifies_is_monotone_along_the_scale(better, worse, threshold):
    assume(GRADE_SCALE.index(better) <= GRADE_SCALE.index(worse))
    if qualifies_for_credit(worse, threshold):
        assert qualifies_for_credit(better, threshold)
    assert qualifies_for_credit(threshold, threshold)
    assert qualifies_for_credit(worse, threshold) == (
        GRADE_SCALE.index(worse) <= GRADE_SCALE.index(threshold)
    )


@given(grades)
def test_grade_case_does_not_change_the_decision(grade):
    assert qualifies_for_credit(grade.lower()) == qualifies_for_credit(grade)


# --------------------------------------------------------------------------- SERS ID


@given(st.integers(min_value=0, max_value=99), crockford_codes)
def test_format_then_parse_round_trips(year, code):
    canonical = format_sers_id(year, code)
    assert parse_sers_id(canonical) == canonical
    assert parse_sers_id(canonical.lower()) == canonical
    assert parse_sers_id(canonical.replace("-", "")) == canonical
    assert parse_sers_id(" " + canonical.lower().replace("-", " ") + " ") == canonical


@given(instants, st.randoms(use_true_random=False))
def test_new_sers_id_parses_to_itself(instant, rnd):
    sers_id = new_sers_id(instant, choose=rnd.choice)
    assert parse_sers_id(sers_id) == sers_id
    assert sers_id[4:6] == f"{instant.astimezone(PACIFIC).year % 100:02d}"


@given(
    st.integers(min_value=0, max_value=99),
    crockford_codes,
    st.integers(min_value=0, max_value=3),
    st.sampled_from("Uu"),
)
def test_a_u_anywhere_in_the_code_is_refused(year, code, position, bad):
    text = format_sers_id(year, code)  # "TP3-YY-" is 7 characters
    broken = text[: 7 + position] + bad + text[8 + position :]
    with pytest.raises(InvalidSersId):
        parse_sers_id(broken)


# --------------------------------------------------------------------------- identity

name_text = st.text(
    alphabet=st.characters(categories=("Lu", "Ll", "Zs")), min_size=1, max_size=20
).filter(lambda s: s.strip())


@given(name_text, name_text, st.dates(min_value=date(1990, 1, 1), max_value=date(2020, 1, 1)))
def test_fingerprint_ignores_case_and_spacing(first, last, dob):
    base = identity_fingerprint(first, last, dob)
    assume(first.upper().lower() == first.lower() and last.upper().lower() == last.lower())
    assert identity_fingerprint(f"  {first.upper()} ", f" {last.lower()}  ", dob) == base
    assert identity_fingerprint(first, last, dob + timedelta(days=1)) != base
