"""Secrets from SSM Parameter Store through Powertools Parameters (cached 5 minutes)."""

from __future__ import annotations

SECRET_MAX_AGE_SECONDS = 300


def get_secret(name: str) -> str:
    # Imported here: only the functions that read secrets pay for the import.
    from aws_lambda_powertools.utilities import parameters

    return parameters.get_parameter(name, decrypt=True, max_age=SECRET_MAX_AGE_SECONDS)


def forget() -> None:
    """Drop every cached secret (after a SnapStart restore: a secret read before the
    snapshot must not outlive its rotation in every restored environment)."""
    import sys

    if "aws_lambda_powertools.utilities.parameters" in sys.modules:
        from aws_lambda_powertools.utilities import parameters

        parameters.clear_caches()


def prepare() -> None:
    """Load Powertools Parameters (no secret is read: those must not be in a snapshot)."""
    from aws_lambda_powertools.utilities import parameters  # noqa: F401
