"""Pydantic models: API inputs and outputs. Rules stay in dualcredit.rules."""
