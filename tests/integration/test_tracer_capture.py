"""Personal data stays out of traces: the Tracer captures no responses or errors."""

import os

from aws_lambda_powertools.shared.functions import resolve_truthy_env_var_choice


def test_the_tracer_captures_no_response_and_no_error():
    import dualcredit.observability  # noqa: F401 - sets the defaults

    for setting in ("POWERTOOLS_TRACER_CAPTURE_RESPONSE", "POWERTOOLS_TRACER_CAPTURE_ERROR"):
        assert resolve_truthy_env_var_choice(env=os.getenv(setting, "true")) is False, setting
