"""Every key the table uses, in one place. docs/data-model.md lists the access
pattern each one serves; change both together."""

from __future__ import annotations

import hashlib

# --- students (partition = one student; the dashboard is one Query of it) ---


def student_pk(student_id: str) -> str:
    return f"STUDENT#{student_id}"


PROFILE_SK = "PROFILE"


YEAR_SK_PREFIX = "YEAR#"
REGISTRATION_SK_PREFIX = "REG#"


def year_sk(school_year: str) -> str:
    """The student-year record: fee status, waiver, the one payment."""
    return f"{YEAR_SK_PREFIX}{school_year}"


def registration_sk(school_year: str, offering_id: str) -> str:
    return f"{REGISTRATION_SK_PREFIX}{school_year}#{offering_id}"


# --- uniqueness claims (written with attribute_not_exists, never deleted) ---


def sers_id_pk(sers_id: str) -> str:
    return f"SERSID#{sers_id}"


def email_pk(email: str) -> str:
    return f"EMAIL#{email.strip().lower()}"


def identity_pk(fingerprint: str) -> str:
    return f"IDENTITY#{fingerprint}"


CLAIM_SK = "CLAIM"


def guardian_stop_pk(token: str) -> str:
    """The item behind a parent's or guardian's stop link: the token names the student."""
    return f"GUARDIANSTOP#{token}"


GUARDIAN_STOP_SK = "STOP"

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


def roster_sort(offering_id: str, student_id: str) -> str:
    """GSI1 sort key of a registration on its school's roster: by class, then student."""
    return f"{offering_id}#{student_id}"


def catalog_sort(text: str, item_id: str) -> str:
    """GSI1 sort key of a catalog list: by name (case-insensitive), then id."""
    return f"{text.casefold()}#{item_id}"


def school_users_gsi(school_id: str) -> str:
    return f"SCHOOL_USERS#{school_id}"


def school_user_sort(email: str, user_id: str) -> str:
    return f"{email.lower()}#{user_id}"


def school_user_pk(user_id: str) -> str:
    return f"SCHOOL_USER#{user_id}"


def college_user_pk(user_id: str) -> str:
    return f"COLLEGE_USER#{user_id}"


def college_users_gsi(college: str) -> str:
    """GSI1 partition listing a college's registrars (the college's name, as its
    articulated courses spell it)."""
    return f"COLLEGE_USERS#{college}"


# --- transcript batches (one partition per college and school year) ---


def transcript_pk(school_year: str, college: str) -> str:
    return f"TRANSCRIPT#{school_year}#{college}"


#: The item holding the number of the partition's last batch (claimed per batch).
TRANSCRIPT_HEAD_SK = "HEAD"


def transcript_batch_sk(number: int) -> str:
    return f"BATCH#{number:05d}"


def transcript_line_sk(batch_id: str, student_id: str, offering_id: str) -> str:
    return f"LINE#{batch_id}#{student_id}#{offering_id}"


def transcript_batch_pk(batch_id: str) -> str:
    """A batch's pointer (which college and year it belongs to), for its routes."""
    return f"TRANSCRIPT_BATCH#{batch_id}"


def student_name_gsi(index_key: str) -> str:
    """GSI1 partition for the staff name search, split by the last name's first letter."""
    return f"STUDENT_NAME#{index_key}"


def student_name_sort(name_sort: str, student_id: str) -> str:
    """GSI1 sort key of the name search: 'last|first' (rules.name_sort_key), then id."""
    return f"{name_sort}#{student_id}"


# --- window ---


WINDOW_PK_PREFIX = "WINDOW#"


def window_pk(school_year: str) -> str:
    return f"{WINDOW_PK_PREFIX}{school_year}"


def window_year(pk: str) -> str:
    """The school year a window partition key names."""
    return pk.removeprefix(WINDOW_PK_PREFIX)


# --- audit ---


def audit_pk(entity_pk: str) -> str:
    return f"AUDIT#{entity_pk}"


def audit_sk(at_iso: str, unique: str) -> str:
    """Audit records sort by time; `unique` keeps two at the same instant apart."""
    return f"{at_iso}#{unique}"


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


def payments_sort(recorded_at: str, payment_id: str) -> str:
    return f"{recorded_at}#{payment_id}"


def checkout_pk(session_id: str) -> str:
    """What the app created a Checkout Session to collect (SK `META`), kept after the
    session closes so its payment is checked against it."""
    return f"CHECKOUT#{session_id}"


#: GSI2 partition of the payments flagged for staff review (GSI2SK: flagged at, id).
REVIEW_QUEUE_GSI2 = "REVIEW#payments"


def review_sort(flagged_at: str, payment_id: str) -> str:
    return f"{flagged_at}#{payment_id}"


def review_flagged_at(sort_key: str) -> str:
    """When a queued payment was flagged, from its GSI2 sort key (`review_sort`)."""
    return sort_key.partition("#")[0]


def fees_gsi2(school_year: str) -> str:
    """GSI2 partition: every student-year of a school year (payments report)."""
    return f"FEES#{school_year}"


def fees_sort(school_id: str | None, student_id: str) -> str:
    """GSI2 sort key: by school ('-' before the student chose one), then student."""
    return f"{school_id or '-'}#{student_id}"


WAIVER_QUEUE_GSI = "WAIVERS#pending"
PRIOR_YEAR_QUEUE_GSI = "PRIOR_YEAR#pending"


def waiver_queue_sort(requested_at: str, student_id: str, school_year: str) -> str:
    """GSI1 sort key of the staff waiver queue: oldest request first."""
    return f"{requested_at}#{student_id}#{school_year}"


def prior_year_queue_sort(requested_at: str, request_id: str) -> str:
    return f"{requested_at}#{request_id}"


PRIOR_YEAR_SK_PREFIX = "PRIOR#"


def prior_year_sk(school_year: str, request_id: str) -> str:
    return f"{PRIOR_YEAR_SK_PREFIX}{school_year}#{request_id}"


def prior_year_claim_sk(school_year: str, class_key: str) -> str:
    """The student's one waiting prior-year request for a class and year (its SK, in the
    student's partition): `class_key` is rules.same_class_key of the class name, hashed
    so any name fits a key. Not under PRIOR_YEAR_SK_PREFIX: no request is read from it."""
    digest = hashlib.sha256(class_key.encode()).hexdigest()[:32]
    return f"PRIORCLAIM#{school_year}#{digest}"


#: Powertools idempotency records of Stripe's events, shared by the webhook and the
#: reconciliation (`stripe-event#<hash of the event id>` is the SK).
IDEMPOTENCY_PK = "IDEMPOTENCY#stripe-webhook"
#: Powertools idempotency records of paid Checkout Sessions, settled from an event or
#: from the success page (`checkout-session#<hash of the session id>` is the SK).
SESSION_IDEMPOTENCY_PK = "IDEMPOTENCY#checkout-session"
#: The reconciliation's runs, newest last (`RUN#<started at>#<run id>`).
RECONCILIATION_PK = "RECONCILIATION"


def reconciliation_run_sk(started_at: str, run_id: str) -> str:
    return f"RUN#{started_at}#{run_id}"


# --- reminders (one claim per reminder and student) ---


def reminder_pk(school_year: str, label: str) -> str:
    """The claims of one reminder of a school year: label "7" (days before the close) or
    "open" (registration is open); the sort key is the student's partition key."""
    return f"REMINDER#{school_year}#{label}"


# --- grade files (a school's large grade imports, uploaded to S3) ---


def grade_import_pk(school_id: str) -> str:
    return f"GRADEIMPORT#{school_id}"


def grade_import_sk(import_id: str) -> str:
    return f"IMPORT#{import_id}"
