"""Ingest tests (kg/ingest.py, kg/ingest_pool.py, kg/cluster.py): batches, worker pools, a Dask cluster.

This area's shared fixtures go here; the whole suite's are in tests/conftest.py."""
