"""Every key the table uses, in one place. docs/data-model.md lists the access
pattern each one serves; change both together."""

from __future__ import annotations

import hashlib

# --- students (partition = one student; the dashboard is one Query of it) ---


def student_pk(student_id: str) -> str:
    return f"STUDENT#{student_id}"


PROFILE_SK = "PROFILE"


def year_sk(school_year: str) -> str:
    """The student-year record: fee status, waiver, the one payment."""
    return f"YEAR#{school_year}"


def registration_sk(school_year: str, offering_id: str) -> str:
    return f"REG#{school_year}#{offering_id}"


# --- uniqueness claims (written with attribute_not_exists, never deleted) ---


def sers_id_pk(sers_id: str) -> str:
    return f"SERSID#{sers_id}"


def email_pk(email: str) -> str:
    return f"EMAIL#{email.strip().lower()}"


def identity_pk(fingerprint: str) -> str:
    return f"IDENTITY#{fingerprint}"


CLAIM_SK = "CLAIM"

# --- catalog ---

SCHOOLS_INDEX_PK = "SCHOOLS"
COLLEGE_COURSES_INDEX_PK = "COLLEGE_COURSES"


def school_pk(school_id: str) -> str:
    return f"SCHOOL#{school_id}"


def college_course_pk(course_id: str) -> str:
    return f"COLLEGE_COURSE#{course_id}"


def offering_pk(offering_id: str) -> str:
    return f"OFFERING#{offering_id}"


META_SK = "META"


def school_year_offerings_gsi(school_id: str, school_year: str) -> str:
    """GSI1 partition: the catalog of one school for one school year."""
    return f"CATALOG#{school_id}#{school_year}"


def roster_gsi(school_id: str, school_year: str) -> str:
    """GSI1 partition: registrations at one school for one school year."""
    return f"ROSTER#{school_id}#{school_year}"


def school_users_gsi(school_id: str) -> str:
    return f"SCHOOL_USERS#{school_id}"


def school_user_pk(user_id: str) -> str:
    return f"SCHOOL_USER#{user_id}"


def student_name_gsi(index_key: str) -> str:
    """GSI1 partition for the staff name search, split by the last name's first letter."""
    return f"STUDENT_NAME#{index_key}"


# --- window ---


def window_pk(school_year: str) -> str:
    return f"WINDOW#{school_year}"


# --- audit ---


def audit_pk(entity_pk: str) -> str:
    return f"AUDIT#{entity_pk}"


# --- throttles (TTL-expired) ---


def throttle_pk(kind: str, subject: str) -> str:
    """Subjects are hashed so no address or email sits in a key."""
    return f"THROTTLE#{kind}#{hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]}"


# --- payments, waivers, prior-year credit ---


def payment_pk(payment_id: str) -> str:
    """Card payments use Stripe's payment intent id; checks get their own id."""
    return f"PAYMENT#{payment_id}"


def payments_gsi(school_year: str) -> str:
    """GSI1 partition: every payment recorded for a school year (staff report)."""
    return f"PAYMENTS#{school_year}"


def fees_gsi2(school_year: str) -> str:
    """GSI2 partition: every student-year of a school year (payments report)."""
    return f"FEES#{school_year}"


WAIVER_QUEUE_GSI = "WAIVERS#pending"
PRIOR_YEAR_QUEUE_GSI = "PRIOR_YEAR#pending"


def prior_year_sk(school_year: str, request_id: str) -> str:
    return f"PRIOR#{school_year}#{request_id}"


#: Powertools idempotency records of the Stripe webhook (the event id is the SK).
IDEMPOTENCY_PK = "IDEMPOTENCY#stripe-webhook"


# --- reminders (one claim per reminder and student) ---


def reminder_pk(school_year: str, label: str) -> str:
    """The claims of one reminder of a school year: label "7" (days before the close) or
    "open" (registration is open); the sort key is the student's partition key."""
    return f"REMINDER#{school_year}#{label}"
