"""Identity tests' fixtures: a fresh empty store per test (the invented texts and their helpers are in
test_identity.py, which the other identity files import)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.store import open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator:
    s = open_store(tmp_path / "store")
    yield s
    s.close()
