"""Measure the web layer on a synthetic store: export streaming memory, query and describe latency, VoID.

    PYTHONPATH=. python benchmarks/web.py [--articles 20000] [--store /tmp/kg-bench]

Builds (once) a store of N article graphs shaped like real ones (article, credits, one meeting with
participations, a grant), runs ``kg serve`` on it in a subprocess, and reports the server's resident
memory before and after streaming the whole N-Quads dump, and timings of typical requests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import httpx
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.rdf.namespaces import KG, PROV, SCHEMA  # noqa: E402
from kg.store import open_store  # noqa: E402
from kg.store.base import GraphUpdate  # noqa: E402


def build(store_dir: Path, n: int, base: str) -> None:
    rnd = random.Random(1)
    store = open_store(store_dir)
    (store_dir / "newskg.json").write_text(json.dumps({"base": base}) + "\n")
    paper = URIRef(f"{base}/organization/paper")
    batch: list[GraphUpdate] = []
    for i in range(n):
        a = URIRef(f"{base}/article/a{i}")
        e = URIRef(f"{base}/event/e{i}")
        t = [(a, RDF.type, SCHEMA.NewsArticle), (a, SCHEMA.headline, Literal(f"标题{i} 人才工作会议召开", lang="zh")),
             (a, SCHEMA.datePublished, Literal(f"2022-01-{i % 28 + 1:02d}", datatype=XSD.date)),
             (a, SCHEMA.publisher, paper), (paper, SCHEMA.name, Literal("太原日报", lang="zh")),
             (a, SCHEMA.articleBody, Literal("正文" * 400, lang="zh")), (a, SCHEMA.about, e),
             (e, RDF.type, KG.Meeting), (e, SCHEMA.name, Literal(f"会议{i}", lang="zh"))]
        for j, pid in enumerate(rnd.sample(range(2000), 4)):
            p = URIRef(f"{base}/person/p{pid}")
            part = URIRef(f"{a}#p{j}")
            t += [(p, RDF.type, SCHEMA.Person), (p, SCHEMA.name, Literal(f"人{pid}", lang="zh")),
                  (a, SCHEMA.mentions, p), (e, KG.participation, part), (part, RDF.type, KG.Participation),
                  (part, KG.agent, p), (part, KG.role, KG.Attendee if j else KG.Chair),
                  (part, PROV.wasDerivedFrom, a)]
        batch.append(GraphUpdate(str(a), t))
        if len(batch) == 500:
            store.replace_graphs(batch)
            batch = []
    store.replace_graphs(batch)
    print(f"built {n} articles, {store.quad_count()} quads", file=sys.stderr)
    store.close()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--store", type=Path, default=Path("/tmp/kg-bench"))
    ap.add_argument("--port", type=int, default=8791)
    args = ap.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    if not (args.store / "oxigraph").exists():
        build(args.store, args.articles, base)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(args.store), "--port", str(args.port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        c = httpx.Client(timeout=600)
        # VoID is computed in the background from start-up; wait for it so it does not skew the rest.
        t = time.perf_counter()
        c.get(base + "/.well-known/void")
        report: dict[str, object] = {"void_ready_after_start_s": round(time.perf_counter() - t, 2)}
        report["void_cached_s"] = round(timed(lambda: c.get(base + "/.well-known/void")), 3)
        report["rss_start_mib"] = round(rss_mib(proc.pid), 1)
        peak, size = 0.0, 0
        t = time.perf_counter()
        with c.stream("GET", base + "/export.nq") as r:
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size % (8 << 20) < len(chunk):
                    peak = max(peak, rss_mib(proc.pid))
        report["export_nq_mib"] = round(size / 2**20, 1)
        report["export_nq_s"] = round(time.perf_counter() - t, 2)
        report["rss_peak_during_export_mib"] = round(peak, 1)
        q = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
        report["count_all_s"] = round(timed(lambda: c.get(base + "/sparql", params=q)), 3)
        q2 = {"query": "SELECT ?e ?n WHERE { ?e kg:participation [ kg:role kg:Chair ; kg:agent/schema:name ?n ] } "
                       "LIMIT 100"}
        report["chairs_limit100_s"] = round(timed(lambda: c.get(base + "/sparql", params=q2)), 3)
        report["describe_person_s"] = round(timed(lambda: c.get(base + "/person/p7")), 3)
        report["describe_paper_s"] = round(timed(lambda: c.get(base + "/organization/paper")), 3)
        report["article_graph_s"] = round(timed(lambda: c.get(base + "/article/a5.ttl")), 3)
        report["rss_end_mib"] = round(rss_mib(proc.pid), 1)
        print(json.dumps(report, indent=1))
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
