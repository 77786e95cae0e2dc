"""Secrets from SSM Parameter Store through Powertools Parameters (cached 5 minutes)."""

from __future__ import annotations

SECRET_MAX_AGE_SECONDS = 300


def get_secret(name: str) -> str:
    # Imported here: only the functions that read secrets pay for the import.
    from aws_lambda_powertools.utilities import parameters

    return parameters.get_parameter(name, decrypt=True, max_age=SECRET_MAX_AGE_SECONDS)
