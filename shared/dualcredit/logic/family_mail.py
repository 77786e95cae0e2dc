"""Emails to a student, in the language of their profile, and the parent's or guardian's
copy of the mails they are copied on (receipts, deadline reminders, decisions), in the
guardian's own language, ending with the link that stops the copies."""

from __future__ import annotations

from collections.abc import Callable

from dualcredit import mail
from dualcredit.dal.records import ProfileRecord
from dualcredit.i18n import Language
from dualcredit.logic import notify
from dualcredit.settings import get_settings

#: The mails a parent or guardian gets a copy of. Registration confirmations and the
#: account and SERS ID mails go to the student only.
COPIED = frozenset({"payment_receipt", "reminder", "decision"})

#: A message's values in a language (words such as a payment method differ by language).
Values = Callable[[Language], dict[str, str]]


def stop_url(token: str) -> str:
    """The guardian's stop link: the site's page, the token after `#` (a fragment never
    reaches a server's logs or another site's Referer)."""
    return f"{get_settings().app_base_url}/guardian-stop/#token={token}"


def guardian_copy(profile: ProfileRecord) -> tuple[str, Language, str] | None:
    """(address, language, stop link) of the parent or guardian who gets copies now."""
    copy = profile.copies_to
    if copy is None or not profile.guardian_token:
        return None
    address, language = copy
    return address, mail.language(language), stop_url(profile.guardian_token)


def send(profile: ProfileRecord, name: str, values: Values, *, kind: str) -> bool:
    """`name` to the student in their language, and a copy to their parent or guardian
    when `name` is one of the COPIED mails. True if the student's was sent (a copy that
    fails is logged and counted like any mail, and changes nothing)."""
    language = mail.language(profile.language)
    sent = notify.deliver(profile.email, mail.render(name, language, **values(language)), kind=kind)
    copy = guardian_copy(profile) if name in COPIED else None
    if copy is not None:
        address, guardian_language, link = copy
        message = mail.render(name, guardian_language, stop_url=link, **values(guardian_language))
        notify.deliver(address, message, kind=f"{kind}_guardian_copy")
    return sent
