"""No names, emails, birth dates or addresses in log lines."""

from __future__ import annotations

import logging

from tests.support.events import claims
from tests.support.world import World, profile_body

PERSONAL = ("Quentin", "Quill", "2009-04-02", "quentin@example.org", "100 Main St", "Bellevue")


def test_sign_up_registration_and_failures_log_no_personal_data(
    api, clock, capsys, caplog, monkeypatch
):
    caplog.set_level(logging.INFO)  # the deployed level (POWERTOOLS_LOG_LEVEL)
    clock("2027-01-15T10:00:00-08:00")
    world = World(api).build("2026-27")
    who = claims("s-q", email="quentin@example.org")
    body = profile_body(world.school_x, legal_first_name="Quentin", legal_last_name="Quill")
    api("POST", "/students/me", as_=who, body=body)
    api("POST", "/students/me", as_=claims("s-q2", email="quentin@example.org"), body=body)
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
