"""dal.records: a stored student-year item reads as the fee facts the rules take whole,
and the other records read their items (the attribute names stay in the data layer)."""

from datetime import date

import pytest

from dualcredit import rules
from dualcredit.dal.records import (
    SLOT_ATTRIBUTE,
    PaymentMethod,
    PaymentRecord,
    ProfileRecord,
    StudentYear,
    WindowRecord,
    fee_facts,
)
from tests.unit.rules.test_fees import EVERY_COMBINATION

FEE, LATE_FEE = SLOT_ATTRIBUTE[rules.PaymentSlot.FEE], SLOT_ATTRIBUTE[rules.PaymentSlot.LATE_FEE]

# A record holds one waiver status, so "approved and pending" cannot be read from one.
READABLE = [row for row in EVERY_COMBINATION if not (row[1] and row[2])]


def _slot(payment_id: str, **more):
    return {
        "payment_id": payment_id,
        "method": "card",
        "amount_cents": 5000,
        "received_on": "2027-01-15",
        **more,
    }


def item_of(paid, approved, pending, prior, late_paid, *, late_fee_with_fee=False, legacy=False):
    item = {"student_id": "s-1", "school_year": "2025-26"}
    if paid:
        item[FEE] = _slot("p-1", covers_late_fee=late_paid and late_fee_with_fee)
    if approved or pending:
        item["waiver_status"] = "approved" if approved else "pending"
        item["waiver"] = {"reason": "hardship", "requested_at": "2027-01-02T00:00:00+00:00"}
    if prior:
        # Records written before 2026-12-02 say `late_fee_applies` for the same fact.
        item["late_fee_applies" if legacy else "prior_year_credit"] = True
    if late_paid and not (paid and late_fee_with_fee):
        item[LATE_FEE] = _slot("p-2")
    return item


@pytest.mark.parametrize("legacy", [False, True])
@pytest.mark.parametrize("late_fee_with_fee", [False, True])
@pytest.mark.parametrize(
    ("paid", "approved", "pending", "prior", "late_paid", "status", "due", "slot", "late", "least"),
    READABLE,
)
def test_the_item_reads_as_the_same_fee_facts(
    paid,
    approved,
    pending,
    prior,
    late_paid,
    status,
    due,
    slot,
    late,
    least,
    late_fee_with_fee,
    legacy,
):
    # Given a stored student-year item
    item = item_of(
        paid,
        approved,
        pending,
        prior,
        late_paid,
        late_fee_with_fee=late_fee_with_fee,
        legacy=legacy,
    )
    # When it is read
    year = StudentYear.of_item(item)
    # Then its facts are the ones it stores, and the rules answer from them
    facts = year.fee_facts
    assert facts == rules.FeeFacts(paid, approved, pending, prior, late_paid)
    assert rules.fee_status(facts) is status
    assert rules.amount_due(facts) == due
    assert rules.payment_slot(facts) == slot
    assert rules.late_fee_applies(facts) is late
    assert [p.settles for p in year.settled_payments] == (
        ([rules.PaymentSlot.FEE] if paid else [])
        + ([rules.PaymentSlot.LATE_FEE] if late_paid and not (paid and late_fee_with_fee) else [])
    )


def test_no_record_owes_the_base_fee():
    facts = fee_facts(None)
    assert facts == rules.FeeFacts()
    assert rules.amount_due(facts) == 5000
    assert rules.payment_slot(facts) is rules.PaymentSlot.FEE


def test_a_profile_reads_its_birth_date_and_writes_it_back_as_stored():
    item = {
        "student_id": "s-1",
        "sers_id": "TP3-26-7KQ2",
        "email": "ana@example.org",
        "legal_first_name": "Ana",
        "legal_last_name": "Lopez",
        "birth_date": "2010-04-05",
        "school_id": "sch-1",
        "school_name": "Central High",
        "expected_graduation_year": 2028,
        "mailing_address": {
            "line1": "1 Main St",
            "city": "Tacoma",
            "state": "WA",
            "postal_code": "98402",
        },
        "created_at": "2026-12-02T10:00:00+00:00",
        "version": 3,
        "language": "es",
    }
    profile = ProfileRecord.of_item(item)
    assert profile.birth_date == date(2010, 4, 5)
    assert profile.fields() == item


def test_a_profile_stored_before_languages_reads_as_english_without_a_guardian():
    # Given a profile item written before issue 11 (no language, no guardian)
    item = {
        "student_id": "s-1",
        "sers_id": "TP3-26-7KQ2",
        "email": "ana@example.org",
        "legal_first_name": "Ana",
        "legal_last_name": "Lopez",
        "birth_date": "2010-04-05",
        "school_id": "sch-1",
        "expected_graduation_year": 2028,
        "created_at": "2026-12-02T10:00:00+00:00",
    }
    # When it is read
    profile = ProfileRecord.of_item(item)
    # Then its emails are English and nobody gets copies; written back, it says English
    assert (profile.language, profile.copies_to) == ("en", None)
    assert profile.fields()["language"] == "en" and "guardian_copies" not in profile.fields()


def test_a_guardian_who_stopped_the_copies_gets_none_and_one_without_a_language_the_students():
    base = {
        "student_id": "s-1",
        "sers_id": "TP3-26-7KQ2",
        "email": "ana@example.org",
        "legal_first_name": "Ana",
        "legal_last_name": "Lopez",
        "birth_date": "2010-04-05",
        "school_id": "sch-1",
        "expected_graduation_year": 2028,
        "created_at": "2026-12-02T10:00:00+00:00",
        "language": "es",
        "guardian_email": "mom@example.net",
    }
    # Given a guardian with copies on and no language of their own, and one who stopped them
    on = ProfileRecord.of_item(base)
    stopped = ProfileRecord.of_item({**base, "guardian_copies": False})
    # Then the first gets copies in the student's language, the second none
    assert on.copies_to == ("mom@example.net", "es")
    assert stopped.copies_to is None


def test_a_payment_known_only_by_its_intent_reads_as_unsettled():
    payment = PaymentRecord.of_item({"payment_id": "pi_1", "type": "payment"})
    assert (payment.method, payment.settles, payment.closed) == (None, None, False)
    settled = PaymentRecord.of_item({"payment_id": "pi_1", "method": "card", "settles": "fee"})
    assert (settled.method, settled.settles, settled.closed) == (
        PaymentMethod.CARD,
        rules.PaymentSlot.FEE,
        True,
    )


def test_a_year_with_no_window_item_has_the_published_window():
    record = WindowRecord.of_item("2026-27", None)
    assert record.version == 0
    assert record.window == rules.window_for(rules.SchoolYear(2026))
    extended = WindowRecord.of_item("2026-27", {"close_override": "2027-06-25", "version": 2})
    assert extended.window.closes_on == date(2027, 6, 25)
    assert extended.window.extended
