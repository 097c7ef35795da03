"""Shared fixtures: the repo's seed page and the ../shared folder beside the repo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "seeds" / "000_bd3172a97833ae3d.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    path = SHARED / "eval" / "seed-gold.json"
    if not path.exists():
        pytest.skip("../shared/eval/seed-gold.json is not beside the repo")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def kg_store(tmp_path: Path) -> Path:
    return tmp_path / "store"


from _web import web  # noqa: E402, F401  (the running web service fixture, tests/_web.py)
