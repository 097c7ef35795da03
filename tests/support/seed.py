"""The repository's seed page and the base its shared store is ingested with.

The store itself is a session fixture (``seed_store``, read-only, and ``seed_store_copy`` for a test that
writes; tests/conftest.py): the seed is read and extracted once per run, not once per test file.
"""

from __future__ import annotations

from pathlib import Path

from kg.rdf.iris import DEFAULT_BASE

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_bd3172a97833ae3d.txt"
SEED_BASE = DEFAULT_BASE  # the base `kg ingest` gives by default
