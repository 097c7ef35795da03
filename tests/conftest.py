"""The whole suite's fixtures (the repo's seed page, the ../shared folder beside the repo) and its marks.

Tests live in one folder per area (read, extract, identity, ingest, store, pages, web, security,
reliability, cli, project), each with a ``conftest.py`` for that area's fixtures; helper modules shared
across areas are in ``tests/support/`` (imported as ``tests.support.<name>``).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.ingest import ingest_paths
from kg.store import open_store
from kg.store.base import Store
from tests.support.seed import SEED, SEED_BASE

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    path = SHARED / "eval" / "seed-gold.json"
    if not path.exists():
        pytest.skip("../shared/eval/seed-gold.json is not beside the repo")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed page ingested once for the whole run (base SEED_BASE), the store closed: the folder that
    ``seed_store`` opens and ``seed_store_copy`` copies. Why: reading and extracting the seed is the
    costly part of a store test; files that only read had each made their own."""
    folder = tmp_path_factory.mktemp("seed") / "store"
    store = open_store(folder)
    try:
        results = ingest_paths(store, [SEED], base=SEED_BASE)
    finally:
        store.close()
    assert all(r.error is None for r in results), results
    return folder


@pytest.fixture(scope="session")
def seed_store(seed_folder: Path) -> Iterator[Store]:
    """The seeded store, shared by every test that only reads it: opened read-only, so a write fails."""
    store = open_store(seed_folder, read_only=True)
    yield store
    store.close()


@pytest.fixture
def seed_store_copy(seed_folder: Path, tmp_path: Path) -> Iterator[Store]:
    """A private, writable copy of the seeded store (its folder copied, search index included), for a test
    that writes."""
    target = tmp_path / "seed-store"
    shutil.copytree(seed_folder, target)
    store = open_store(target)
    yield store
    store.close()


# What each test file needs beyond Python, so a newcomer can run the quick part alone:
#   pytest -m "not slow"        the quick tests (about a minute; no browser, no servers, no process pools)
#   pytest -m browser / remote / subprocess / served   one kind of slow test
# ``slow`` is implied by every other mark. A new file that starts servers, processes or a browser belongs here
# (keys are paths under tests/; a key that names no file stops the run).
AREA_MARKS: dict[str, tuple[str, ...]] = {
    "read/test_read_dump_scale.py": ("subprocess",),  # 3 x 1,000 articles through the real extractor
    "read/test_read_dumps.py": ("subprocess",),
    "read/test_read_hostile.py": (),  # 300 hostile inputs
    "read/test_read_html.py": ("subprocess",),
    "extract/test_extract_robust.py": (),  # property tests over the real extractor
    "identity/test_curation.py": ("subprocess",),
    "identity/test_identity.py": ("subprocess",),  # random ingest orders and job counts (process pools)
    "identity/test_identity_browser.py": ("browser",),
    "identity/test_resolve_writes.py": ("served",),
    "ingest/test_batch_ingest.py": ("subprocess",),
    "ingest/test_cluster.py": ("remote", "subprocess"),  # a Dask LocalCluster and an oxigraph server
    "store/test_remote_store.py": ("remote",),  # a real oxigraph server (and Fuseki where installed)
    "pages/test_pages_browser.py": ("browser",),
    "pages/test_pages_scale.py": (),
    "web/test_serve_void.py": ("served",),
    "web/test_w3c_suites.py": ("served",),
    "web/test_web_resources.py": ("subprocess",),
    "security/test_security_cli.py": ("subprocess", "served"),
    "security/test_security_crash.py": ("subprocess", "served"),
    "security/test_security_properties.py": ("served",),
    "security/test_security_ssrf.py": ("served",),
    "reliability/test_reliability_auth.py": ("served",),  # an HTTP server with query worker processes
    "reliability/test_reliability_concurrency.py": ("subprocess", "served"),
    "reliability/test_reliability_crash.py": ("subprocess",),
    "reliability/test_reliability_hostile.py": ("served",),
    "reliability/test_reliability_http.py": ("served",),
    "reliability/test_reliability_limits.py": ("served",),
    "cli/test_cli.py": ("subprocess",),
    "cli/test_web_cli.py": ("subprocess",),
    "project/test_benchmarks.py": ("subprocess",),
    "project/test_packaging.py": ("subprocess",),  # builds a wheel into a fresh virtual environment
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test by what its file needs (AREA_MARKS); every listed file is also ``slow``."""
    missing = [key for key in AREA_MARKS if not (TESTS / key).is_file()]
    if missing:  # a moved or renamed file would silently lose its marks and slow the quick run
        raise pytest.UsageError(f"tests/conftest.py AREA_MARKS names files that do not exist: {missing}")
    for item in items:
        if not item.path.is_relative_to(TESTS):
            continue
        marks = AREA_MARKS.get(item.path.relative_to(TESTS).as_posix())
        if marks is None:
            continue
        for name in ("slow", *marks):
            item.add_marker(getattr(pytest.mark, name))
