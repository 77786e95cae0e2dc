"""No names, emails, birth dates or addresses in log lines."""

from __future__ import annotations

import logging

from tests.support.students import a_student
from tests.support.world import World

QUENTIN = a_student("quentin", sub="s-q", last_name="Quill")
PERSONAL = (
    QUENTIN.first_name,
    QUENTIN.last_name,
    QUENTIN.birth_date,
    QUENTIN.email,
    QUENTIN.address.line1,
    QUENTIN.address.city,
)


def test_sign_up_registration_and_failures_log_no_personal_data(
    api, clock, capsys, caplog, monkeypatch
):
    caplog.set_level(logging.INFO)  # the deployed level (POWERTOOLS_LOG_LEVEL)
    clock("2027-01-15T10:00:00-08:00")
    world = World(api).build("2026-27")
    who = QUENTIN.but(school_id=world.school_x)
    body = who.profile()
    api("POST", "/students/me", as_=who, body=body)
    api("POST", "/students/me", as_=who.but(sub="s-q2"), body=body)
    api("POST", "/students/me/registrations", as_=who, body={"offering_ids": [world.offering_x]})
    api("POST", "/sers-id/recovery", body={"email": "quentin@example.org"})
    # And an email that fails to send is logged without its address
    from dualcredit.dal import mailer

    def refuse(**_):
        raise RuntimeError("Email address not verified quentin@example.org")

    monkeypatch.setattr(mailer, "send", refuse)
    api("POST", "/sers-id/recovery", body={"email": "quentin@example.org"})
    captured = capsys.readouterr()
    logged = captured.out + captured.err + caplog.text
    assert "email not sent" in logged
    for value in PERSONAL:
        assert value not in logged, value
