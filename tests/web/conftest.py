"""Web tests' fixtures: the service running on a real uvicorn (helpers in tests/support/web.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.web import SEED, Web, add_handmade, ingest_seed, reserve_port, running


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    """The seed and the hand-made graphs in a store, served by a real uvicorn on a free loopback port."""
    from kg.store import open_store
    from kg.web.app import create_app

    port = reserve_port()
    base = f"http://127.0.0.1:{port}"
    store_dir = tmp_path_factory.mktemp("web") / "store"
    ingest_seed(store_dir, base, SEED)
    store = open_store(store_dir)
    add_handmade(store, base)
    app = create_app(store, base)
    with running(app, port) as url:
        yield Web(url, store, store_dir, app)
    store.close()
