"""kill -9 of a batch ``kg ingest`` at random points: the store opens afterwards, every article graph
is wholly present (identical to the uninterrupted run's) or absent, and running the batch again ends
with exactly the uninterrupted run's quads. Ten trials, seeded; the kill hits the whole process group,
as a power cut would. Half the kills come at a random time, half just after a random file is reported
stored (so those land mid-batch, or next to it, whatever the machine's load)."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import rdflib
from rdflib.compare import isomorphic

from kg.resolve import is_resolution_graph
from kg.store.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
FILES = 40
TRIALS = 10


def kg(*args: str) -> list[str]:
    return [sys.executable, "-m", "kg", *args]


ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def corpus(folder: Path) -> Path:
    """FILES page files of two short articles each (extraction stays quick); each file its own paper
    (sidecar), so its articles get their own IRIs."""
    folder.mkdir()
    for k in range(FILES):
        text = (
            f"# 市委召开人才工作会议{k}\n\n本报讯(记者 李明)1月12日,市委召开人才工作会议。市委书记韦韬出席并讲话,"
            f"张新伟主持会议。会议表彰了{k + 3}名优秀人才。\n\n"
            f"## 县政协举行座谈会{k}\n\n1月11日,县政协举行座谈会,县政协主席王海出席,李晓波参加。(张波)\n"
        )
        (folder / f"page{k:03d}.txt").write_text(text, encoding="utf-8")
        meta = {"publication": f"测试日报{k}", "date": "2022-01-13", "locality": "太原市"}
        (folder / f"page{k:03d}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return folder


def batch_args() -> list[str]:
    """Small transactions where batch ingest has them (the perf branch), so kills land between them."""
    out = subprocess.run(kg("ingest", "--help"), env=ENV, capture_output=True, text=True).stdout
    return ["--batch-size", "6"] if "--batch-size" in out else []


def graphs(store_dir: Path) -> dict[str, rdflib.Graph]:
    store = OxigraphStore(store_dir)  # read-write, as the next ingest opens it: it must open
    try:
        out = {}
        for iri in store.graph_iris():
            if is_resolution_graph(iri):  # derived data, rebuilt by kg resolve: the articles are checked
                continue
            buf = io.BytesIO()
            store.export_graph(iri, "ntriples", buf)
            out[iri] = rdflib.Graph().parse(data=buf.getvalue().decode("utf-8"), format="nt")
        return out
    finally:
        store.close()


def quads(store_dir: Path) -> int:
    store = OxigraphStore(store_dir, read_only=True)
    try:
        return store.quad_count()
    finally:
        store.close()


def test_kill_minus_nine_during_batch_ingest(tmp_path: Path) -> None:
    pages = corpus(tmp_path / "pages")
    extra = batch_args()
    ref_dir = tmp_path / "ref"
    t0 = time.monotonic()
    subprocess.run(kg("ingest", "--store", str(ref_dir), *extra, str(pages)), env=ENV, check=True,
                   capture_output=True)
    full = time.monotonic() - t0
    ref = graphs(ref_dir)
    ref_quads = quads(ref_dir)
    assert len(ref) == FILES * 2 and ref_quads > 0

    rnd = random.Random(20261125)
    lo, hi = 0.4, 1.0  # the window of kill times, as fractions of the reference run; narrowed as trials
    # land before the first write or after the last, so the kills keep landing inside the batch
    partial = 0
    report = []
    for trial in range(TRIALS):
        store_dir = tmp_path / f"s{trial}"
        cmd = kg("ingest", "--store", str(store_dir), *extra, str(pages))
        if trial % 2:  # at a time: anywhere, start-up included
            at = rnd.uniform(lo, hi) * full  # start-up (imports) is the first part of the run
            proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True)
            time.sleep(at)
        else:  # on a condition: just after the k-th file is reported stored, so surely mid-batch
            # (a kill by the clock alone can miss the batch on every trial when the machine's load
            # changes after the reference run)
            k = rnd.randint(1, FILES // 2)  # the writer may be far ahead of our reading: half the files left
            t = time.monotonic()
            proc = subprocess.Popen(cmd, env={**ENV, "KG_PROGRESS_INTERVAL": "0"}, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, start_new_session=True)
            assert proc.stderr is not None
            seen = 0
            for line in iter(proc.stderr.readline, b""):
                seen += line.startswith(b"ingest: ") and b"ETA" in line
                if seen >= k:
                    break
            time.sleep(rnd.uniform(0, 0.05))  # now and then inside the next transaction
            at = time.monotonic() - t
        with_rc = proc.poll()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(30)
        if proc.stderr is not None:
            proc.stderr.close()
        got = graphs(store_dir) if (store_dir / "oxigraph").exists() else {}
        for iri, g in got.items():
            assert iri in ref, f"trial {trial}: unexpected graph {iri}"
            assert len(g) == len(ref[iri]) and isomorphic(g, ref[iri]), f"trial {trial}: {iri} is half-written"
        if 0 < len(got) < len(ref):
            partial += 1
        elif trial % 2 and not got and hi - at / full > 0.1:
            lo = at / full
        elif trial % 2 and len(got) == len(ref) and at / full - lo > 0.1:
            hi = at / full
        report.append((round(at, 2), with_rc, len(got)))
        # the batch again, uninterrupted: the same store as the reference run
        subprocess.run(kg("ingest", "--store", str(store_dir), *extra, str(pages)), env=ENV, check=True,
                       capture_output=True)
        assert quads(store_dir) == ref_quads, f"trial {trial}"
        assert set(graphs(store_dir)) == set(ref)
        shutil.rmtree(store_dir)
    print(f"kill -9 trials (seconds after start, exit status before the kill, graphs present): {report}; "
          f"{partial} of {TRIALS} killed mid-batch; reference run {full:.2f} s")
    assert partial >= 1, "no kill landed mid-batch, not even those after a file was reported stored"


BULK_CHILD = """
import sys
from pathlib import Path
from kg.store.oxigraph import BULK_FROM_CHARS, OxigraphStore
from kg.store.base import GraphUpdate

def batch(prefix, graphs, lines):
    return [GraphUpdate.from_text(f"http://example.org/{prefix}/{i}", " .\\n".join(
        f'<http://example.org/{prefix}/{i}/s{j}> <http://example.org/p> "第{i}篇第{j}句:' + "长句" * 20 + '"@zh'
        for j in range(lines))) for i in range(graphs)]

store = OxigraphStore(Path(sys.argv[1]))
store.replace_graphs(batch("first", 20, 10))  # a small batch: the transactional load
big = batch("big", int(sys.argv[2]), 200)
assert sum(len(u.text) for u in big) > 2 * BULK_FROM_CHARS  # surely the bulk loader
print("ready", flush=True)
store.replace_graphs(big)
print("done", flush=True)
store.close()
"""


def test_kill_minus_nine_during_a_bulk_load(tmp_path: Path) -> None:
    """A batch of new graphs large enough for Oxigraph's bulk loader (kg.store.oxigraph.BULK_FROM_CHARS)
    killed at seeded points inside the load: the store opens and holds the earlier batch and either all
    of the big batch, each graph whole, or none of it."""
    graphs_n, lines = 400, 200

    def run(store_dir: Path, kill_after: float | None) -> tuple[float, bool]:
        proc = subprocess.Popen([sys.executable, "-c", BULK_CHILD, str(store_dir), str(graphs_n)], env=ENV,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"
        t = time.monotonic()
        if kill_after is None:
            assert proc.stdout.readline().strip() == b"done"
            proc.wait(60)
            return time.monotonic() - t, True
        time.sleep(kill_after)
        finished = proc.poll() is not None
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(30)
        proc.stdout.close()
        return kill_after, finished

    load_seconds, _ = run(tmp_path / "ref", None)
    rnd = random.Random(20261207)
    outcomes = []
    for trial in range(6):
        store_dir = tmp_path / f"b{trial}"
        run(store_dir, rnd.uniform(0.05, 0.95) * load_seconds)
        store = OxigraphStore(store_dir)  # read-write: the next ingest must be able to open it
        try:
            counts: dict[str, int] = {}
            for row in store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows():
                counts[str(row["g"])] = int(row["n"])
        finally:
            store.close()
        first = {g: n for g, n in counts.items() if "/first/" in g}
        big = {g: n for g, n in counts.items() if "/big/" in g}
        assert len(first) == 20 and set(first.values()) == {10}, f"trial {trial}: the committed batch changed"
        assert len(big) in (0, graphs_n), f"trial {trial}: {len(big)} of {graphs_n} graphs of the batch stored"
        assert set(big.values()) <= {lines}, f"trial {trial}: a graph of the batch is half-written"
        outcomes.append(len(big))
        shutil.rmtree(store_dir)
    print(f"bulk load of {graphs_n} graphs ({load_seconds:.2f} s) killed 6 times: graphs of it stored {outcomes}")
