"""Run in a fresh process by tests/integration/test_privacy_traces.py, with the Tracer on
and X-Ray's daemon address pointing at the test's UDP socket: a student signs up,
registers and reads the profile through the API handler (against moto), as in Lambda.

    python -m tests.support.traced_requests

Prints the personal values it used, as JSON, on its last line."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO / "shared"), str(REPO)]


def main() -> None:
    import os

    given = dict(os.environ)
    from moto import mock_aws

    from devstack.template import create_table
    from tests.conftest import Api  # its import applies the tests' environment ...

    os.environ.clear()
    os.environ.update(given)  # ... and this process runs with the one it was given
    from tests.support import env
    from tests.support.students import a_student
    from tests.support.world import World

    with mock_aws():
        from dualcredit.dal import aws as aws_clients

        create_table(aws_clients.client("dynamodb"), env.TEST_ENV["TABLE_NAME"])
        aws_clients.client("ses").verify_email_identity(EmailAddress=env.TEST_ENV["EMAIL_SENDER"])
        spec = importlib.util.spec_from_file_location("api_app", REPO / "functions/api/app.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        api = Api(module)
        world = World(api).build("2026-27")
        who = a_student("quentin", sub="s-q", last_name="Quill").but(school_id=world.school_x)
        answers = [
            api("POST", "/students/me", as_=who, body=who.profile()),
            api("POST", "/students/me", as_=who.but(sub="s-q2"), body=who.profile()),
            api("GET", "/students/me", as_=who),
            api(
                "POST",
                "/students/me/registrations",
                as_=who,
                body={"offering_ids": [world.offering_x]},
            ),
            api("GET", "/students/me/dashboard", as_=who),
        ]
        assert [status for status, _ in answers] == [201, 409, 200, 201, 200], answers
        personal = [
            who.first_name,
            who.last_name,
            who.birth_date,
            who.email,
            who.address.line1,
            who.address.city,
        ]
    print(json.dumps(personal))


if __name__ == "__main__":
    main()
