"""``kg ingest --cluster``: a Dask LocalCluster of two workers stores exactly what ``--jobs 1`` stores.

Against a real ``oxigraph serve`` (the workers write their tasks there themselves) and an embedded store
(the read files come back to the writer); a worker killed mid-run loses no article; a file that kills
every worker reading it is the only one reported. Cluster sizes are tiny and no test times anything.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from kg.cluster import ingest_cluster
from kg.ingest import ingest_batch, walk
from kg.store import open_store
from tests.support.remote_servers import Server, find_oxigraph, start_oxigraph
from tests.support.seed import SEED

distributed = pytest.importorskip(
    "distributed", reason="Dask distributed is not installed (scripts/setup.sh installs the cluster extra)"
)

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT.parent / "shared" / "eval"
BASE = "http://127.0.0.1:8000"


def kg(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=env, timeout=900)


def sorted_export(store_location) -> list[str]:
    store = open_store(store_location, read_only=True) if isinstance(store_location, Path) else open_store(
        store_location)
    try:
        buf = io.BytesIO()
        store.export("nquads", buf)
    finally:
        store.close()
    return sorted(buf.getvalue().decode("utf-8").splitlines())


@pytest.fixture
def oxigraph(tmp_path) -> Iterator[Server]:
    if find_oxigraph() is None:
        pytest.skip("the oxigraph server CLI is not installed (pip install -e '.[test]' brings it)")
    srv = start_oxigraph(tmp_path / "oxigraph")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def gold_pages(tmp_path_factory) -> Path:
    """The seed page and every dev and dev2 article as a page with its sidecar (read from ../shared at run time)."""
    out = tmp_path_factory.mktemp("gold")
    (out / "seed").mkdir()
    seed = SEED
    (out / "seed" / seed.name).write_bytes(seed.read_bytes())
    n = 0
    for name in ("dev", "dev2"):
        folder = out / name
        folder.mkdir()
        for gold in sorted((EVAL / name).glob("*.json")):
            d = json.loads(gold.read_text(encoding="utf-8"))
            if "text" not in d:
                continue
            (folder / f"{gold.stem}.txt").write_text(f"# {d['title']}\n\n{d['text']}\n", encoding="utf-8")
            meta = {k: v for k, v in (d.get("publication") or {}).items() if k in ("date", "locality") and v}
            if (d.get("publication") or {}).get("name"):
                meta["publication"] = d["publication"]["name"]
            (folder / f"{gold.stem}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            n += 1
    if n < 10:
        pytest.skip("../shared/eval/dev and dev2 were not found")
    return out


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    """A synthetic corpus (benchmarks/corpus.py) of about twenty pages."""
    out = tmp_path_factory.mktemp("pages")
    assert generate(out, 60, seed=11)["pages"] >= 20
    return out


@pytest.fixture(scope="module")
def local_jobs1(pages, tmp_path_factory) -> list[str]:
    """What ``--jobs 1`` stores from the synthetic corpus, as sorted N-Quads."""
    folder = tmp_path_factory.mktemp("jobs1")
    store = open_store(folder / "s")
    try:
        assert ingest_batch(store, [pages], base=BASE, jobs=1).failed == 0
    finally:
        store.close()
    return sorted_export(folder / "s")


def test_cluster_into_an_oxigraph_server_equals_jobs_1_into_an_embedded_store(gold_pages, oxigraph, tmp_path):
    folders = [str(gold_pages / "seed"), str(gold_pages / "dev"), str(gold_pages / "dev2")]
    local = kg("ingest", "--store", str(tmp_path / "local"), "--base", BASE, "--jobs", "1", *folders)
    assert local.returncode == 0, local.stderr
    cluster = kg("ingest", "--store", oxigraph.url, "--base", BASE, "--cluster", "local:2", *folders)
    assert cluster.returncode == 0, cluster.stderr
    assert "ingest: " in cluster.stderr and "0 failed" in cluster.stderr
    expected = sorted_export(tmp_path / "local")
    assert len(expected) > 1000
    assert sorted_export(oxigraph.config) == expected

    again = kg("ingest", "--store", oxigraph.url, "--base", BASE, "--cluster", "local:2", "--resume", *folders)
    assert again.returncode == 0, again.stderr
    n = sum(1 for _ in walk(folders))
    assert f"({n} skipped, 0 failed)" in again.stderr
    assert sorted_export(oxigraph.config) == expected


def test_cluster_into_an_embedded_store_equals_jobs_1(pages, local_jobs1, tmp_path):
    store = open_store(tmp_path / "s")
    try:
        rep = ingest_cluster(store, [pages], scheduler="local:2", base=BASE)
    finally:
        store.close()
    assert rep.failed == 0 and rep.files == sum(1 for _ in walk([pages]))
    assert sorted_export(tmp_path / "s") == local_jobs1


def _kill_a_busy_worker(client) -> int | None:
    """SIGKILL one worker process that is running a task (its nanny starts a new one); its pid, or None."""
    pids = client.run(os.getpid)  # worker address -> pid
    busy = [w for w, keys in client.processing().items() if keys and w in pids]
    if not busy:
        return None
    os.kill(pids[busy[0]], signal.SIGKILL)
    return pids[busy[0]]


def test_a_worker_killed_mid_run_loses_no_article(pages, local_jobs1, oxigraph, tmp_path):
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None, memory_limit=0)
    killed: list[int] = []
    try:
        with distributed.Client(cluster) as client:
            def kill_once(_res) -> None:
                if not killed:
                    pid = _kill_a_busy_worker(client)
                    if pid is not None:
                        killed.append(pid)

            store = open_store(oxigraph.config)
            try:
                rep = ingest_cluster(store, [pages], scheduler=cluster.scheduler_address, shared_store=oxigraph.config,
                                     on_file=kill_once, base=BASE)
            finally:
                store.close()
    finally:
        cluster.close()
    assert killed, "no worker was busy to be killed"
    assert rep.failed == 0 and not rep.errors and rep.files == sum(1 for _ in walk([pages]))
    assert sorted_export(oxigraph.config) == local_jobs1


CRASH = "\n自毁标记出现在这里。\n"  # tests/support/crashing_extractor.py: the worker reading it exits at once


def test_only_the_file_that_kills_its_workers_is_reported(pages, tmp_path, monkeypatch):
    files = list(walk([pages]))[:16]
    folder = tmp_path / "marked"
    folder.mkdir()
    for i, f in enumerate(files):
        text = f.read_text(encoding="utf-8") + (CRASH if i == 3 else "")
        (folder / f"{i:02d}-{f.name}").write_text(text, encoding="utf-8")
        (folder / f"{i:02d}-{f.stem}.meta.json").write_bytes(f.with_name(f.stem + ".meta.json").read_bytes())
    killer = sorted(walk([folder]))[3]
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the workers import the extractor (tests.support)
    monkeypatch.syspath_prepend(str(ROOT))
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):  # fewer restarts: the rule is the same
        store = open_store(tmp_path / "s")
        try:
            # the killer's task has two innocents
            rep = ingest_cluster(store, [folder], scheduler="local:2", base=BASE, task_files=3,
                                 extractor="tests.support.crashing_extractor:extract")
        finally:
            store.close()
    assert rep.files == 16 and rep.failed == 1
    assert rep.errors == [f"{killer}: the worker process reading it died"]
    assert rep.articles > 0


def test_a_bad_file_is_reported_and_the_rest_of_its_task_stored(pages, oxigraph, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for f in list(walk([pages]))[:5]:
        for name in (f.name, f.stem + ".meta.json"):
            (folder / name).write_bytes((f.parent / name).read_bytes())
    (folder / "0-empty.txt").write_bytes(b"")
    (folder / "9-gbk.txt").write_bytes("# 标题\n\n正文。\n".encode("gbk"))
    store = open_store(oxigraph.config)
    try:  # one task of all seven files, written by the worker to the server
        rep = ingest_cluster(store, [folder], scheduler="local:2", shared_store=oxigraph.config, base=BASE,
                             task_files=7)
    finally:
        store.close()
    assert rep.files == 7 and rep.failed == 2
    assert any("empty file" in e for e in rep.errors) and any("gb18030" in e for e in rep.errors)
    local = open_store(tmp_path / "local")
    try:
        alone = ingest_batch(local, [folder], base=BASE, jobs=1)
    finally:
        local.close()
    assert (rep.articles, rep.quads) == (alone.articles, alone.quads) > (0, 0)
    assert sorted_export(oxigraph.config) == sorted_export(tmp_path / "local")
