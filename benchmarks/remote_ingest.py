"""Writing article graphs through the remote backend (an Oxigraph server) against the embedded store.

    python benchmarks/remote_ingest.py                      # 1000 articles, batches of 1 and 100
    python benchmarks/remote_ingest.py --articles 10000     # the figure in docs/benchmarks.md
    python benchmarks/remote_ingest.py --server http://127.0.0.1:7878   # an existing server (emptied!)

Synthetic articles are the real mapped graphs of the seed page and the dev articles, repeated with
a fresh article IRI each time (the people, places and organisations stay shared, as in a real
archive). Reading and extraction are done once, before timing: they cost the same whatever the
store, so the figure is the store's write path (``replace_graphs``) alone, as articles per second.
Without ``--server`` the script starts ``oxigraph serve`` on a free loopback port and stops it.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from rdflib import URIRef

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.ingest import build_graphs  # noqa: E402
from kg.store import open_store  # noqa: E402
from kg.store.base import GraphUpdate, Store  # noqa: E402

BASE = "http://127.0.0.1:8000"


def template_graphs(tmp: Path) -> list[GraphUpdate]:
    """The seed page's and the dev articles' graphs, mapped once."""
    sources: list[tuple[Path, dict]] = [(ROOT / "seeds" / "000_bd3172a97833ae3d.txt", {})]
    dev = ROOT.parent / "shared" / "eval" / "dev"
    for gold in sorted(dev.glob("*.json")) if dev.is_dir() else []:
        d = json.loads(gold.read_text(encoding="utf-8"))
        if "text" in d:
            p = tmp / f"{gold.stem}.txt"
            p.write_text(f"# {d['title']}\n\n{d['text']}\n", encoding="utf-8")
            m = d.get("publication") or {}
            sources.append((p, {"publication": m.get("name"), "date": m.get("date"), "locality": m.get("locality")}))
    out = []
    for path, meta in sources:
        _, _, graphs = build_graphs(path, base=BASE, **meta)
        out += [GraphUpdate(str(g.iri), list(g.triples)) for g in graphs]
    return out


def synthetic(templates: list[GraphUpdate], n: int) -> list[GraphUpdate]:
    """``n`` article graphs: template ``i % len`` with its article IRI renamed to a fresh one."""
    out = []
    for k in range(n):
        t = templates[k % len(templates)]
        old, new = URIRef(t.iri), URIRef(f"{t.iri}-s{k}")
        triples = [(new if s == old else s, p, new if o == old else o) for s, p, o in t.triples]
        out.append(GraphUpdate(str(new), triples))
    return out


def write_all(store: Store, graphs: list[GraphUpdate], batch: int) -> float:
    start = time.perf_counter()
    for i in range(0, len(graphs), batch):
        store.replace_graphs(graphs[i : i + batch])
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    exe = Path(sys.executable).parent / "oxigraph"
    exe_s = str(exe) if exe.exists() else shutil.which("oxigraph")
    if not exe_s:
        sys.exit("benchmark: no oxigraph server CLI (pip install oxigraph, or pip install -e '.[test]')")
    port = free_port()
    proc = subprocess.Popen(
        [exe_s, "serve", "--location", str(folder / "server"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.post(url + "/query", data={"query": "ASK {}"}, timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("benchmark: the oxigraph server did not start")


def server_version() -> str:
    exe = Path(sys.executable).parent / "oxigraph"
    try:
        return subprocess.run([str(exe), "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "unknown"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--batches", default="1,100", help="comma-separated articles per request (default 1,100)")
    ap.add_argument("--server", help="an Oxigraph server URL to use (it is emptied first)")
    args = ap.parse_args()

    import pyoxigraph

    batches = [int(b) for b in args.batches.split(",")]
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        templates = template_graphs(tmp)
        graphs = synthetic(templates, args.articles)
        quads = sum(len(g.triples) for g in graphs)
        print(f"{args.articles} articles from {len(templates)} templates, {quads} quads "
              f"({quads / args.articles:.0f} per article)")
        print(f"python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, {server_version()}, "
              f"{platform.machine()} {_cpu()}")
        proc = None
        url = args.server
        if url is None:
            proc, url = start_server(tmp)
        try:
            for batch in batches:
                remote = open_store(url)
                remote.remove_graphs(remote.graph_iris())
                t_remote = write_all(remote, graphs, batch)
                assert remote.quad_count() == quads, "the remote store lost quads"
                remote.close()
                embedded = open_store(tmp / f"embedded-{batch}")
                t_embedded = write_all(embedded, graphs, batch)
                assert embedded.quad_count() == quads
                embedded.close()
                r, e = args.articles / t_remote, args.articles / t_embedded
                print(f"batch {batch:>4}: remote {r:8.0f} articles/s ({t_remote:6.1f} s)   "
                      f"embedded {e:8.0f} articles/s ({t_embedded:6.1f} s)   remote/embedded {r / e:.2f}")
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    return 0


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                import os

                return f"{line.split(':', 1)[1].strip()} ×{os.cpu_count()}"
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    sys.exit(main())
