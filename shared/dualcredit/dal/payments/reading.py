"""Reading payments and student-years: one payment, the year's payments (the payments
report), and the year's student-years whole or a page at a time."""

from __future__ import annotations

from collections.abc import Iterator

from dualcredit.dal import dynamo, keys
from dualcredit.dal.records import PaymentRecord, StudentYear


def student_year(student_id: str, school_year: str) -> StudentYear | None:
    item = dynamo.get_item(keys.student_pk(student_id), keys.year_sk(school_year), consistent=True)
    return StudentYear.of_item(item) if item else None


def get_payment(payment_id: str) -> PaymentRecord | None:
    item = dynamo.get_item(keys.payment_pk(payment_id), keys.META_SK, consistent=True)
    return PaymentRecord.of_item(item) if item else None


def payments_of_year(school_year: str) -> list[PaymentRecord]:
    items = dynamo.query(index="GSI1", pk_name="GSI1PK", pk=keys.payments_gsi(school_year))
    return [PaymentRecord.of_item(item) for item in items]


def student_years(school_year: str) -> list[StudentYear]:
    items = dynamo.query(index="GSI2", pk_name="GSI2PK", pk=keys.fees_gsi2(school_year))
    return [StudentYear.of_item(item) for item in items]


def student_year_pages(school_year: str) -> Iterator[list[StudentYear]]:
    """The year's student-years (GSI2), one Query page at a time, for jobs that walk
    every student of a year without holding them all."""
    for page in dynamo.query_pages(index="GSI2", pk_name="GSI2PK", pk=keys.fees_gsi2(school_year)):
        yield [StudentYear.of_item(item) for item in page]
