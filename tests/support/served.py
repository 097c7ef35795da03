"""Helpers for the reliability tests: a store with the seed and hand-made graphs, served with limits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.store import open_store
from kg.web.app import create_app
from kg.web.context import ServeConfig, context
from kg.web.limits import Limits
from tests.support.web import SEED, add_handmade, ingest_seed, reserve_port, running

TOKEN = "test-token-0123456789abcdef"
# four-way cartesian product of the whole store: 10^8+ rows even on the seed; COUNT makes the engine do
# all of it inside one call, the case a deadline between rows cannot stop
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@dataclass
class Served:
    url: str
    app: Any
    store: Any
    store_dir: Path

    @property
    def runner(self) -> Any:
        return context(self.app).runner


def make_store(store_dir: Path, base: str) -> None:
    """The seed (through kg ingest) and the hand-made graphs, in a store folder."""
    ingest_seed(store_dir, base, SEED)
    store = open_store(store_dir)
    add_handmade(store, base)
    store.close()


@contextmanager
def served(
    store_dir: Path, *, token: str | None = None, limits: Limits | None = None, build: bool = True
) -> Iterator[Served]:
    """A real uvicorn server on a free port over ``store_dir`` (read-write with a token, else read-only)."""
    port = reserve_port()
    base = f"http://127.0.0.1:{port}"
    if build and not (store_dir / "oxigraph").exists():
        make_store(store_dir, base)
    from kg.web.serve import serve_base

    base = serve_base(store_dir, "127.0.0.1", port, None)
    store = open_store(store_dir, read_only=token is None)
    app = create_app(store, ServeConfig(base, limits=limits or Limits(workers=2, query_timeout=5), token=token))
    try:
        with running(app, port) as url:
            yield Served(url, app, store, store_dir)
    finally:
        context(app).runner.close()
        store.close()
