"""Reliability tests: the served app under load, crashes, hostile input and its limits (tests/support/served.py).

This area's shared fixtures go here; the whole suite's are in tests/conftest.py."""
