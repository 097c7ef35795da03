"""Project tests: module sizes, packaging, the ontology, the benchmarks, no gold facts in the repo.

This area's shared fixtures go here; the whole suite's are in tests/conftest.py."""
