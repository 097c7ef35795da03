"""Reader tests (kg/read): text pages, HTML layouts, dumps, WARC; their pages are in tests/data and tests/fixtures.

This area's shared fixtures go here; the whole suite's are in tests/conftest.py."""
