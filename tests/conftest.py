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


_LISTENER = None


@pytest.fixture(scope="session")
def listener():
    """The 127.0.0.1 listener every SSRF test aims at (tests/_listener.py); it must never be reached."""
    global _LISTENER
    import _listener

    if _LISTENER is None:
        _LISTENER = _listener.start()
    return _LISTENER


@pytest.fixture
def quiet_listener(listener):
    """The listener, checked after the test: nothing reached it during the test."""
    before = len(listener.hits)
    yield listener
    assert listener.hits[before:] == [], f"the server made outbound requests: {listener.hits[before:]}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Over the whole suite the listener receives nothing: a request that reached it fails the run."""
    if _LISTENER is not None and _LISTENER.hits:
        print(f"\nFAILED: the outbound listener was reached {len(_LISTENER.hits)} times: {_LISTENER.hits[:3]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


from _web import web  # noqa: E402, F401  (the running web service fixture, tests/_web.py)
