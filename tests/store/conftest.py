"""Store tests (kg/store): the embedded Oxigraph store and the remote SPARQL store.

This area's shared fixtures go here; the whole suite's are in tests/conftest.py."""
