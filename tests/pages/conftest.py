"""Page tests (kg/web/pages): hand-made graphs (tests/support/pages_graph.py) and the ingested seed.

This area's shared fixtures go here; the whole suite's are in tests/conftest.py."""
