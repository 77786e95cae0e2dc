"""Issue 11: every email in the reader's language, and a parent's or guardian's copies.

The student's language is on the profile (left out: the request's Accept-Language);
confirmations, receipts, reminders and decisions go in it. A parent or guardian on the
profile gets receipts, deadline reminders and decisions in their own language, each
ending with a link that stops the copies (POST /guardian-copies/stop, no sign-in)."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

from devstack.names import STACK_NAME
from tests.integration import test_schedule
from tests.support.students import Student, a_student
from tests.support.world import World

# The scheduled jobs and the reminder sender, played in-process as test_schedule plays them.
scheduled_module = test_schedule.scheduled_module
sender_module = test_schedule.sender_module
jobs = test_schedule.jobs

IN_WINDOW = "2027-01-15T10:00:00-08:00"
PARENT = "parent@example.net"
LINK = re.compile(r"https://[^\s\"<]+/guardian-stop/#token=([A-Za-z0-9_-]+)")


@pytest.fixture
def world(api, clock) -> World:
    clock(IN_WINDOW)
    return World(api).build("2026-27")


def _sign_up(
    world: World, name: str, *, accept_language: str | None = None, **fields: Any
) -> Student:
    """A student signed up with these profile fields, the request in `accept_language`."""
    student = a_student(name, school_id=world.school_x)
    status, created = world.api(
        "POST",
        "/students/me",
        as_=student,
        body=student.profile(**fields),
        headers={"Accept-Language": accept_language} if accept_language else None,
    )
    assert status == 201, created
    world.students[name] = student.but(sers_id=created["sers_id"], student_id=created["student_id"])
    return world.students[name]


def _register(world: World, student: Student) -> None:
    world.ok(
        "POST", "/students/me/registrations", as_=student, body={"offering_ids": [world.offering_x]}
    )


def _pay_by_check(world: World, student: Student) -> dict[str, Any]:
    return world.ok(
        "POST",
        f"/students/{student.student_id}/payments",
        body={
            "kind": "check",
            "school_year": "2026-27",
            "instrument_number": "1001",
            "amount_cents": 5000,
            "received_on": "2027-01-14",
            "payer_name": "Pat Parent",
        },
    )


def _mail_to(sent_emails, address: str) -> list[tuple[str, str]]:
    """(subject, body) of each message to `address`, oldest first."""
    return [(subject, body) for to, subject, body in sent_emails() if to == address]


def _subjects(sent_emails, address: str) -> list[str]:
    return [subject for subject, _ in _mail_to(sent_emails, address)]


def test_a_profile_left_without_a_language_takes_the_requests_and_its_emails_follow(
    world, sent_emails
):
    # Given a student whose browser asks for Spanish, the form naming no language
    ana = _sign_up(world, "ana", accept_language="es-MX,es;q=0.9,en;q=0.5")
    # Then the profile's language is Spanish, and the SERS ID email is in Spanish
    assert world.ok("GET", "/students/me", as_=ana)["language"] == "es"
    ((subject, body),) = _mail_to(sent_emails, ana.email)
    assert subject == "Su SERS ID de CTE Dual Credit"
    assert '<html lang="es">' in body and ana.sers_id in body
    # When she registers a class
    _register(world, ana)
    # Then the confirmation is in Spanish, its deadline a Spanish date
    subject, body = _mail_to(sent_emails, ana.email)[-1]
    assert subject == f"Usted se inscribió en CTE Dual Credit 2026-27 (SERS ID {ana.sers_id})"
    assert "15 de junio de 2027" in body and "con Ms. Rivera" in body


def test_the_forms_language_wins_over_the_requests(world, sent_emails):
    # Given a Spanish browser whose form chose English
    bo = _sign_up(world, "bo", accept_language="es", language="en")
    # Then the profile and its email are in English
    assert world.ok("GET", "/students/me", as_=bo)["language"] == "en"
    assert _subjects(sent_emails, bo.email) == ["Your CTE Dual Credit SERS ID"]


def test_a_receipt_goes_to_the_student_and_a_copy_to_the_parent_each_in_their_language(
    world, sent_emails
):
    # Given a Spanish-speaking student whose parent reads English
    ana = _sign_up(world, "ana", language="es", guardian_email=PARENT, guardian_language="en")
    _register(world, ana)
    # Then neither the SERS ID email nor the confirmation is copied to the parent
    assert _mail_to(sent_emails, PARENT) == []
    # When staff record her check
    _pay_by_check(world, ana)
    # Then her receipt is in Spanish: the method and date in Spanish, the amount as is
    subject, body = _mail_to(sent_emails, ana.email)[-1]
    assert subject == f"Recibo: CTE Dual Credit 2026-27 (SERS ID {ana.sers_id})"
    assert "cheque" in body and "14 de enero de 2027" in body and "$50.00" in body
    assert "guardian-stop" not in body
    # And the parent's copy is in English, with the link that stops the copies
    ((subject, body),) = _mail_to(sent_emails, PARENT)
    assert subject == f"Receipt: CTE Dual Credit 2026-27 (SERS ID {ana.sers_id})"
    assert "January 14, 2027" in body and "Paid by</th><td>check" in body
    assert "Stop these copies" in body and LINK.search(body)


def test_a_decision_is_copied_in_the_parents_language_which_defaults_to_the_students(
    world, sent_emails
):
    # Given a Spanish-speaking student whose parent's language was left out
    ana = _sign_up(world, "ana", language="es", guardian_email=PARENT)
    _register(world, ana)
    world.ok("POST", "/students/me/waivers", as_=ana, body={"reason": "free_reduced_lunch"})
    # When staff approve her waiver
    world.ok(
        "POST",
        "/waivers/decisions",
        body={
            "decisions": [{"student_id": ana.student_id, "school_year": "2026-27", "approve": True}]
        },
    )
    # Then she and her parent get the decision in Spanish, the parent's with the stop link
    expected = "CTE Dual Credit: su solicitud de exención de la cuota de 2026-27 fue aprobada"
    assert _subjects(sent_emails, ana.email)[-1] == expected
    ((subject, body),) = _mail_to(sent_emails, PARENT)
    assert subject == expected
    assert "No hay nada que pagar para ese año escolar." in body
    assert "Dejar de recibir estas copias" in body


def _decide_waiver(world: World, student: Student, *, approve: bool) -> None:
    world.ok("POST", "/students/me/waivers", as_=student, body={"reason": "free_reduced_lunch"})
    world.ok(
        "POST",
        "/waivers/decisions",
        body={
            "decisions": [
                {"student_id": student.student_id, "school_year": "2026-27", "approve": approve}
            ]
        },
    )


def test_the_parents_link_stops_the_copies_once_and_again_is_the_same(api, world, sent_emails):
    # Given a student with a parent who got a decision's copy (her waiver was denied)
    ana = _sign_up(world, "ana", guardian_email=PARENT, guardian_language="es")
    _register(world, ana)
    _decide_waiver(world, ana, approve=False)
    token = LINK.search(_mail_to(sent_emails, PARENT)[-1][1]).group(1)
    # When the parent follows the link, twice, signed in as nobody
    first = api("POST", "/guardian-copies/stop", body={"token": token})
    second = api("POST", "/guardian-copies/stop", body={"token": token})
    # Then both say the copies stopped, and the profile says so
    assert first[0] == second[0] == 200
    profile = world.ok("GET", "/students/me", as_=ana)
    assert (profile["guardian_email"], profile["guardian_copies"]) == (PARENT, False)
    # And her receipt now goes to her only
    _pay_by_check(world, ana)
    assert len(_mail_to(sent_emails, PARENT)) == 1
    assert _subjects(sent_emails, ana.email)[-1].startswith("Receipt: CTE Dual Credit")


def test_a_new_guardian_email_gets_a_new_link_with_copies_on_and_the_old_link_ends(
    api, world, sent_emails
):
    # Given a parent who stopped the copies
    ana = _sign_up(world, "ana", guardian_email=PARENT)
    _register(world, ana)
    _decide_waiver(world, ana, approve=False)
    old = LINK.search(_mail_to(sent_emails, PARENT)[-1][1]).group(1)
    assert api("POST", "/guardian-copies/stop", body={"token": old})[0] == 200
    # When the student names another guardian, in Spanish
    changed = world.ok(
        "PATCH",
        "/students/me",
        as_=ana,
        body={"guardian_email": "tia@example.net", "guardian_language": "es"},
    )
    # Then their copies are on, and the old link is no longer in use
    assert (changed["guardian_email"], changed["guardian_copies"]) == ("tia@example.net", True)
    status, answer = api("POST", "/guardian-copies/stop", body={"token": old})
    assert (status, answer["code"]) == (404, "link_unknown")
    # And the new guardian's copy of the receipt, in Spanish, carries a link of its own
    _pay_by_check(world, ana)
    ((subject, body),) = _mail_to(sent_emails, "tia@example.net")
    assert subject.startswith("Recibo: CTE Dual Credit 2026-27")
    assert LINK.search(body).group(1) != old


def test_a_denied_waiver_reads_denied_in_spanish(world, sent_emails):
    # Given a Spanish-speaking student
    ana = _sign_up(world, "ana", language="es")
    _register(world, ana)
    # When her waiver is denied
    _decide_waiver(world, ana, approve=False)
    # Then the decision says so in Spanish, with what is owed
    subject, body = _mail_to(sent_emails, ana.email)[-1]
    assert (
        subject == "CTE Dual Credit: su solicitud de exención de la cuota de 2026-27 fue denegada"
    )
    assert "Debe pagar la cuota de $50.00" in body


def test_removing_the_guardian_ends_copies_and_their_link(api, world, sent_emails):
    # Given a student with a parent
    ana = _sign_up(world, "ana", guardian_email=PARENT)
    _register(world, ana)
    _pay_by_check(world, ana)
    token = LINK.search(_mail_to(sent_emails, PARENT)[-1][1]).group(1)
    # When she removes the parent's email
    changed = world.ok("PATCH", "/students/me", as_=ana, body={"guardian_email": None})
    # Then the profile has no guardian and the link is no longer in use
    assert (changed["guardian_email"], changed["guardian_language"]) == (None, None)
    assert api("POST", "/guardian-copies/stop", body={"token": token})[0] == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"guardian_email": "ana@example.org"}, "guardian_email"),
        ({"guardian_email": "not an email"}, "guardian_email"),
        ({"language": "fr"}, "language"),
        ({"guardian_language": "de"}, "guardian_language"),
        ({"language": None}, "language"),
    ],
)
def test_bad_email_settings_are_refused_naming_the_field(world, body, field):
    # Given a student
    ana = _sign_up(world, "ana")
    # When she sends a bad language or guardian email
    status, answer = world.api("PATCH", "/students/me", as_=ana, body=body)
    # Then it is a 4xx naming the field, and nothing changed
    assert 400 <= status < 500, answer
    assert [e["field"] for e in answer["errors"]] == [field]
    profile = world.ok("GET", "/students/me", as_=ana)
    assert (profile["language"], profile["guardian_email"]) == ("en", None)


@pytest.mark.parametrize("token", ["short", "x" * 43 + "!", ""])
def test_a_malformed_link_is_refused_naming_the_link(api, token):
    status, answer = api("POST", "/guardian-copies/stop", body={"token": token})
    assert (status, [e["field"] for e in answer["errors"]]) == (422, ["token"])


def test_the_deadline_reminder_goes_per_language_with_the_parents_copy(
    world, jobs, clock, sent_emails, monkeypatch
):
    # Given a Spanish-speaking student owing the fee, with a parent reading English,
    # and an English-speaking student without one
    ana = _sign_up(world, "ana", language="es", guardian_email=PARENT, guardian_language="en")
    bo = _sign_up(world, "bo")
    _register(world, ana)
    _register(world, bo)
    # When the reminder job runs 7 days before the close and the sender delivers
    monkeypatch.setenv("EMAIL_TEMPLATE_PREFIX", STACK_NAME)  # the template's own, as deployed
    clock("2027-06-08T09:00:00-07:00")
    jobs.run("remind")
    jobs.deliver()
    # Then Ana's reminder is in Spanish
    subject, body = _mail_to(sent_emails, ana.email)[-1]
    assert subject == (
        "Recordatorio: la cuota de CTE Dual Credit de 2026-27 vence el 15 de junio de 2027"
    )
    assert "en 7 días" in body and "11:59 p. m., hora del Pacífico" in body
    # And Bo's in English
    assert _subjects(sent_emails, bo.email)[-1] == (
        "Reminder: your 2026-27 CTE Dual Credit fee is due by June 15, 2027"
    )
    # And Ana's parent gets an English copy with the stop link
    ((subject, body),) = _mail_to(sent_emails, PARENT)
    assert subject == "Reminder: your 2026-27 CTE Dual Credit fee is due by June 15, 2027"
    assert "in 7 days" in body and "Stop these copies" in body and LINK.search(body)


def test_the_guardians_email_never_reaches_the_logs(world, sent_emails, caplog, capsys):
    caplog.set_level(logging.INFO)
    # Given a student signing up with a parent, who then changes the parent
    ana = _sign_up(world, "ana", guardian_email=PARENT)
    _register(world, ana)
    _pay_by_check(world, ana)
    world.ok("PATCH", "/students/me", as_=ana, body={"guardian_email": "tia@example.net"})
    # Then neither address is in anything logged
    logged = caplog.text + capsys.readouterr().out
    assert PARENT not in logged and "tia@example.net" not in logged


def test_fifty_mixed_reminders_take_one_bulk_send_per_template_used(
    world, jobs, clock, aws, sent_emails, monkeypatch
):
    # Given 50 due students: 25 reading Spanish, and 10 of all 50 with a parent reading
    # English (the other language's copies: none)
    for i in range(50):
        fields: dict[str, Any] = {"language": "es" if i % 2 else "en"}
        if i % 5 == 0:
            fields |= {"guardian_email": f"parent{i:02d}@example.net", "guardian_language": "en"}
        _register(world, _sign_up(world, f"s{i:02d}", **fields))
    monkeypatch.setenv("EMAIL_TEMPLATE_PREFIX", STACK_NAME)
    clock("2027-06-08T09:00:00-07:00")
    assert jobs.run("remind")["enqueued"] == 50
    aws.clear()
    ses = test_schedule._ses_requests()
    # When the sender gets them as one batch
    (response,) = jobs.deliver()
    # Then the table requests are those of one language (2 reads, 2 transactions), and
    # SES takes one bulk send per stored template used: reminder, reminder-es and
    # reminder-guardian
    assert response["batchItemFailures"] == []
    assert dict(aws) == {"BatchGetItem": 2, "TransactWriteItems": 2}
    assert ses == {"SendBulkTemplatedEmail": 3}
    # And 50 students and 10 parents got theirs
    sent = [to for to, subject, _ in sent_emails() if subject.startswith(("Reminder", "Record"))]
    assert len(sent) == 60 and sum(to.startswith("parent") for to in sent) == 10


def test_a_spanish_parent_reads_why_a_link_is_no_longer_in_use(api):
    # Given a link nobody holds (the guardian's email was changed), opened in Spanish
    # When the page sends it
    status, answer = api(
        "POST", "/guardian-copies/stop", body={"token": "x" * 43}, headers={"Accept-Language": "es"}
    )
    # Then the answer says why, in Spanish
    assert (status, answer["code"]) == (404, "link_unknown")
    assert answer["message"].startswith("Este enlace ya no se usa")
