"""kg serve computes the VoID statistics at start-up in a child process (a read-only folder store), so
the scan's memory is not kept by the server; the cache is filled from the child's answer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.store import open_store
from kg.web import meta
from kg.web.app import create_app
from kg.web.context import ServeConfig, context
from kg.web.limits import Limits
from kg.web.serve import void_at_start
from tests.support.served import make_store


def test_void_stats_come_from_a_child_process_and_fill_the_cache(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    store_dir = tmp_path / "store"
    make_store(store_dir, "http://127.0.0.1:1")
    store = open_store(store_dir, read_only=True)
    app = create_app(store, ServeConfig("http://127.0.0.1:1", limits=Limits(isolate=False)))
    try:
        expected = meta.compute_stats(store)
        calls: list[int] = []
        real = meta.compute_stats

        def counted(s: object) -> dict:
            calls.append(os.getpid())
            return real(s)  # type: ignore[arg-type]

        monkeypatch.setattr(meta, "compute_stats", counted)
        void_at_start(app, store, store_dir, read_only=True)
        assert calls == []  # not computed in this process
        assert context(app).void_cache.stats(store) == expected  # served from the cache, filled by the child
        assert calls == []
    finally:
        context(app).runner.close()
        store.close()


def test_a_store_open_for_writing_is_scanned_in_process(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    make_store(store_dir, "http://127.0.0.1:1")
    store = open_store(store_dir, read_only=False)
    app = create_app(store, ServeConfig("http://127.0.0.1:1", limits=Limits(isolate=False)))
    try:
        void_at_start(app, store, store_dir, read_only=False)
        assert context(app).void_cache.stats(store) == meta.compute_stats(store)
    finally:
        context(app).runner.close()
        store.close()


def test_the_void_child_stops_when_the_server_goes_away(tmp_path: Path) -> None:
    """The server's end of the pipe closes (it stopped or was killed): the child exits, answered or not,
    instead of scanning on as an orphan holding the server's stdout and stderr."""
    import multiprocessing as mp

    from kg.web.serve import void_child

    store_dir = tmp_path / "store"
    make_store(store_dir, "http://127.0.0.1:1")
    ctx = mp.get_context("forkserver")
    mine, theirs = ctx.Pipe()
    child = ctx.Process(target=void_child, args=(theirs, str(store_dir)), daemon=True)
    child.start()
    theirs.close()
    mine.close()
    child.join(30)
    assert not child.is_alive()


def test_void_stats_are_kept_for_a_restart_and_dropped_by_a_write(tmp_path: Path) -> None:
    """The first start keeps the child's answer beside the store; the next start of the unchanged store
    reads it (no scan); any write removes it; a file for another quad count is ignored."""
    import json

    from kg.store.base import GraphUpdate
    from kg.store.oxigraph import DERIVED_FILES
    from kg.web.serve import VOID_FILE

    assert VOID_FILE in DERIVED_FILES
    store_dir = tmp_path / "store"
    make_store(store_dir, "http://127.0.0.1:1")
    kept = store_dir / VOID_FILE

    def start() -> dict:
        store = open_store(store_dir, read_only=True)
        app = create_app(store, ServeConfig("http://127.0.0.1:1", limits=Limits(isolate=False)))
        try:
            void_at_start(app, store, store_dir, read_only=True)
            return context(app).void_cache.stats(store)
        finally:
            context(app).runner.close()
            store.close()

    first = start()
    assert kept.exists() and first["graphs"] > 0
    data = json.loads(kept.read_text(encoding="utf-8"))
    data["stats"]["graphs"] = 12345  # a mark: only a start that reads the file can report it
    kept.write_text(json.dumps(data), encoding="utf-8")
    again = start()
    assert again["graphs"] == 12345 and again["classes"] == first["classes"]

    data["quads"] += 1  # describes another store: ignored, computed again
    kept.write_text(json.dumps(data), encoding="utf-8")
    assert start()["graphs"] == first["graphs"]

    store = open_store(store_dir)
    store.replace_graphs([GraphUpdate("http://127.0.0.1:1/article/extra", [])])
    store.close()
    assert not kept.exists()
