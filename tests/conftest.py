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

# What each test file needs beyond Python, so a newcomer can run the quick part alone:
#   pytest -m "not slow"        the quick tests (about a minute; no browser, no servers, no process pools)
#   pytest -m browser / remote / subprocess / served   one kind of slow test
# ``slow`` is implied by every other mark. A new file that starts servers, processes or a browser belongs here.
AREA_MARKS: dict[str, tuple[str, ...]] = {
    "test_pages_browser.py": ("browser",),
    "test_identity_browser.py": ("browser",),
    "test_remote_store.py": ("remote",),  # a real oxigraph server (and Fuseki where installed)
    "test_cluster.py": ("remote", "subprocess"),  # a Dask LocalCluster and an oxigraph server
    "test_batch_ingest.py": ("subprocess",),
    "test_benchmarks.py": ("subprocess",),
    "test_cli.py": ("subprocess",),
    "test_packaging.py": ("subprocess",),  # builds a wheel into a fresh virtual environment
    "test_read_dumps.py": ("subprocess",),
    "test_read_html.py": ("subprocess",),
    "test_read_dump_scale.py": ("subprocess",),  # 3 x 1,000 articles through the real extractor
    "test_reliability_concurrency.py": ("subprocess", "served"),
    "test_reliability_crash.py": ("subprocess",),
    "test_security_cli.py": ("subprocess", "served"),
    "test_security_crash.py": ("subprocess", "served"),
    "test_web_cli.py": ("subprocess",),
    "test_web_resources.py": ("subprocess",),
    "test_reliability_auth.py": ("served",),  # an HTTP server with query worker processes
    "test_reliability_hostile.py": ("served",),
    "test_reliability_http.py": ("served",),
    "test_reliability_limits.py": ("served",),
    "test_resolve_writes.py": ("served",),
    "test_security_properties.py": ("served",),
    "test_security_ssrf.py": ("served",),
    "test_serve_void.py": ("served",),
    "test_w3c_suites.py": ("served",),
    "test_curation.py": ("subprocess",),
    "test_identity.py": ("subprocess",),  # random ingest orders and job counts (process pools)
    "test_extract_robust.py": (),  # property tests over the real extractor
    "test_read_hostile.py": (),  # 300 hostile inputs
    "test_pages_scale.py": (),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test by what its file needs (AREA_MARKS); every listed file is also ``slow``."""
    for item in items:
        marks = AREA_MARKS.get(item.path.name)
        if marks is None:
            continue
        for name in ("slow", *marks):
            item.add_marker(getattr(pytest.mark, name))
