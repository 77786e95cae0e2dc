"""No names, emails, birth dates or addresses in traces (issue 10): real handlers run
under the Powertools Tracer, as in Lambda, sending to a stand-in X-Ray daemon (a UDP
socket), and nothing personal is in what they send."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.support import env

REPO = Path(__file__).resolve().parents[2]


def _traced_requests(**settings: str) -> tuple[list[str], str]:
    """Run tests/support/traced_requests.py as Lambda runs a handler, the Tracer on and
    sending to a stand-in X-Ray daemon (a UDP socket that keeps every datagram): the
    personal values it used, and everything the daemon received."""
    daemon = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    daemon.bind(("127.0.0.1", 0))
    daemon.settimeout(0.2)
    lambda_env = {
        **os.environ,
        **env.TEST_ENV,
        "POWERTOOLS_TRACE_DISABLED": "false",
        "LAMBDA_TASK_ROOT": str(REPO / "functions" / "api"),
        "AWS_LAMBDA_FUNCTION_NAME": "api",
        "_X_AMZN_TRACE_ID": (
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        ),
        "AWS_XRAY_DAEMON_ADDRESS": f"127.0.0.1:{daemon.getsockname()[1]}",
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        "CLOCK_OVERRIDE": "2027-01-15T10:00:00-08:00",
        **settings,
    }
    lambda_env.pop("AWS_ENDPOINT_URL", None)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tests.support.traced_requests"],
            cwd=REPO,
            env=lambda_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        sent = []
        try:
            while True:
                sent.append(daemon.recv(65536).decode("utf-8", "replace"))
        except TimeoutError:
            pass
    finally:
        daemon.close()
    return json.loads(done.stdout.strip().splitlines()[-1]), "\n".join(sent)


def test_what_the_tracer_sends_to_x_ray_holds_no_personal_data():
    # When a student signs up (twice), reads the profile, registers and opens the
    # dashboard, with the Tracer as it ships
    personal, traced = _traced_requests()
    # Then each request's handler subsegment reached the daemon (the check is not vacuous)
    assert traced.count('"name": "## lambda_handler"') >= 5
    # and none of the student's personal data is in what was sent
    for value in personal:
        assert value not in traced, value


def test_the_stand_in_daemon_would_see_personal_data_if_responses_were_captured():
    # Given the Tracer's default (capture every handler's response): the likeness check
    personal, traced = _traced_requests(POWERTOOLS_TRACER_CAPTURE_RESPONSE="true")
    # Then the responses, and the names in them, reach the daemon
    assert any(value in traced for value in personal)
