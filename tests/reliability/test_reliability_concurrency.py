"""Ingest while serving: readers see whole writes or none (each query reads one snapshot), and the
single-writer rule: while ``kg serve`` holds the store for writing, ``kg ingest`` and a second writable
server are refused with a clear message, and the store is unharmed."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.errors import StoreError
from kg.store.oxigraph import OxigraphStore
from kg.web.limits import Limits
from tests.support.served import TOKEN, Served, served
from tests.support.web import SEED

ROOT = Path(__file__).resolve().parents[2]
K = 25  # triples per graph in every version
GRAPHS = ["http://example.org/c1", "http://example.org/c2"]


@pytest.fixture(scope="module")
def rw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory.mktemp("conc") / "store", token=TOKEN, limits=Limits(workers=2)) as s:
        yield s


def version_update(v: int) -> str:
    """Both graphs replaced in one update, every triple carrying the version."""
    parts = [f"DROP SILENT GRAPH <{g}>" for g in GRAPHS]
    body = " ".join(
        f"GRAPH <{g}> {{ " + " ".join(f'<{g}/s{j}> <http://example.org/version> "{v}" .' for j in range(K)) + " }"
        for g in GRAPHS
    )
    return " ; ".join(parts) + f" ; INSERT DATA {{ {body} }}"


def test_readers_see_whole_writes(rw: Served) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert httpx.post(rw.url + "/sparql", data={"update": version_update(0)}, headers=auth).status_code == 204
    stop = threading.Event()
    seen: list[tuple[str, object]] = []
    problems: list[str] = []

    def writer() -> None:
        for v in range(1, 16):
            r = httpx.post(rw.url + "/sparql", data={"update": version_update(v)}, headers=auth, timeout=60)
            if r.status_code != 204:
                problems.append(f"write {v}: {r.status_code} {r.text}")
        stop.set()

    def sparql_reader() -> None:  # through the query worker processes (checkpoints)
        q = "SELECT ?g ?v WHERE { GRAPH ?g { ?s <http://example.org/version> ?v } }"
        while not stop.is_set():
            r = httpx.get(rw.url + "/sparql", params={"query": q}, timeout=60)
            rows = r.json()["results"]["bindings"]
            versions = {b["v"]["value"] for b in rows}
            per_graph = {g: sum(1 for b in rows if b["g"]["value"] == g) for g in GRAPHS}
            seen.append(("sparql", versions))
            if len(versions) != 1 or set(per_graph.values()) != {K}:
                problems.append(f"sparql saw versions {versions}, triples per graph {per_graph}")

    def graph_reader() -> None:  # through the server's own store handle
        while not stop.is_set():
            for g in GRAPHS:
                r = httpx.get(rw.url + "/rdf-graphs", params={"graph": g}, headers={"Accept": "application/n-triples"},
                              timeout=60)
                lines = [ln for ln in r.text.splitlines() if ln.strip()]
                versions = {ln.rsplit('"', 2)[1] for ln in lines}
                seen.append(("graph", versions))
                if len(lines) != K or len(versions) != 1:
                    problems.append(f"graph store GET saw {len(lines)} triples, versions {versions}")

    threads = [threading.Thread(target=f) for f in (writer, sparql_reader, graph_reader)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert not problems, problems[:5]
    assert len(seen) >= 10
    assert len({tuple(v) for _, v in seen}) > 1, "the readers never saw a write land"


def test_one_writer_at_a_time(rw: Served) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = rw.store.quad_count()
    r = subprocess.run([sys.executable, "-m", "kg", "ingest", "--store", str(rw.store_dir), str(SEED)], env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert "open in another process" in r.stderr and "Traceback" not in r.stderr
    with pytest.raises(StoreError, match="one writer at a time"):
        OxigraphStore(rw.store_dir)
    tok = rw.store_dir.parent / "tok"
    tok.write_text(TOKEN)
    r = subprocess.run([sys.executable, "-m", "kg", "serve", "--store", str(rw.store_dir), "--token-file", str(tok),
                        "--port", "1"], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "open in another process" in r.stderr
    assert rw.store.quad_count() == before
    assert httpx.get(rw.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_a_read_only_server_keeps_writers_out(tmp_path: Path) -> None:
    """kg serve without a token holds a shared lock: kg ingest is refused clearly while it runs (a
    read-only reader beside a writer is not safe with RocksDB), and works again once it stops."""
    import socket
    import time

    from tests.support.web import free_port

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    store_dir = tmp_path / "store"
    ingest = [sys.executable, "-m", "kg", "ingest", "--store", str(store_dir), str(SEED)]
    assert subprocess.run(ingest, env=env, capture_output=True, timeout=120).returncode == 0
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store_dir), "--port", str(port),
                             "--query-workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < deadline
            time.sleep(0.1)
        r = subprocess.run(ingest, env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 1 and "open in another process" in r.stderr and "Traceback" not in r.stderr
        assert httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK { ?s ?p ?o }"},
                         timeout=30).json()["boolean"] is True
    finally:
        proc.terminate()
        proc.wait(30)
    assert subprocess.run(ingest, env=env, capture_output=True, timeout=120).returncode == 0
