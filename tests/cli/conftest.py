"""Command-line tests: ``kg`` run as a process (ingest, query, export, serve).

This area's shared fixtures go here; the whole suite's are in tests/conftest.py."""
