"""Factories and helpers shared by the test levels."""
