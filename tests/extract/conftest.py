"""Extraction tests (kg/extract) on invented sentences; articles are built with tests/support/extract.py.

This area's shared fixtures go here; the whole suite's are in tests/conftest.py."""
