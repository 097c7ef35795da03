"""Load: concurrent clients mixing SPARQL, entity pages and exports against ``kg serve`` on loopback.

    PYTHONPATH=. python benchmarks/load.py                       # 100k articles, 4 clients, 60 s
    PYTHONPATH=. python benchmarks/load.py --articles 2000 --seconds 10   # a quick run

Builds (once, cached in ``--cache``) a store of N synthetic article graphs written directly as
N-Quads and bulk-loaded (article, headline, date, body, publisher, a meeting with place, organiser and
four participations of people drawn from a cast), starts ``kg serve`` on it in a subprocess (query
worker processes, ``--query-timeout``), waits for its VoID warm-up, then runs ``--clients`` threads
for ``--seconds`` (at most 600) or ``--max-requests`` in all, whichever comes first. A small share of
the SPARQL requests are runaway cartesian products, which must come back as 504 (stopped) while
everything else keeps being answered. Reports requests, errors by status, p50/p99 per kind and
overall, the server's resident memory, and fails (exit 1) on any 5xx other than 504.
Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCHEMA = "https://schema.org/"
KG = "https://w3id.org/newskg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
CAST = 20_000
PLACES = 200
ORGS = 500
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def cast(n: int) -> int:
    """People to draw from: about one per five articles, so everyone appears in several."""
    return min(CAST, max(10, n // 5))


def article_quads(i: int, base: str, rnd: random.Random, n_articles: int) -> list[str]:
    """One article graph as N-Quads lines (about 45)."""
    g = f"<{base}/article/a{i}>"
    a, e = g, f"<{base}/event/e{i}>"
    day = f"2022-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
    place = f"<{base}/place/pl{rnd.randrange(PLACES)}>"
    org = f"<{base}/organization/o{rnd.randrange(ORGS)}>"
    paper = f"<{base}/organization/paper{i % 5}>"
    q = [
        f"{a} <{RDF_TYPE}> <{SCHEMA}NewsArticle>",
        f'{a} <{SCHEMA}headline> "标题{i} 人才工作会议召开"@zh',
        f'{a} <{SCHEMA}datePublished> "{day}"^^<{XSD}date>',
        f"{a} <{SCHEMA}publisher> {paper}",
        f'{paper} <{SCHEMA}name> "日报{i % 5}"@zh',
        f'{a} <{SCHEMA}articleBody> "{"会议强调要抓好落实。" * 20}{i}"@zh',
        f"{a} <{SCHEMA}about> {e}",
        f"{e} <{RDF_TYPE}> <{KG}Meeting>",
        f'{e} <{SCHEMA}name> "会议{i}"@zh',
        f'{e} <{SCHEMA}startDate> "{day}"^^<{XSD}date>',
        f"{e} <{SCHEMA}location> {place}",
        f'{place} <{SCHEMA}name> "地方{place[-4:-1]}"@zh',
        f"{e} <{SCHEMA}organizer> {org}",
        f'{org} <{SCHEMA}name> "机构{org[-4:-1]}"@zh',
    ]
    for j, pid in enumerate(rnd.sample(range(cast(n_articles)), 4)):
        p = f"<{base}/person/p{pid}>"
        part = f"<{base}/article/a{i}#p{j}>"
        role = "Chair" if j == 0 else "Speaker" if j == 1 else "Attendee"
        q += [
            f"{p} <{RDF_TYPE}> <{SCHEMA}Person>",
            f'{p} <{SCHEMA}name> "人{pid}"@zh',
            f"{a} <{SCHEMA}mentions> {p}",
            f"{e} <{KG}participation> {part}",
            f"{part} <{RDF_TYPE}> <{KG}Participation>",
            f"{part} <{KG}agent> {p}",
            f"{part} <{KG}role> <{KG}{role}>",
            f"{part} <{PROV}wasDerivedFrom> {a}",
        ]
    return [f"{t} {g} .\n" for t in q]


def build(store_dir: Path, n: int, base: str) -> float:
    """Write the N-Quads in chunks and bulk-load them; returns the seconds it took."""
    import pyoxigraph as ox

    t0 = time.perf_counter()
    store_dir.mkdir(parents=True, exist_ok=True)
    (store_dir / "newskg.json").write_text(json.dumps({"base": base}) + "\n")
    nq = store_dir / "build.nq"
    rnd = random.Random(7)
    with nq.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.writelines(article_quads(i, base, rnd, n))
    db = ox.Store(str(store_dir / "oxigraph"))
    db.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    db.optimize()
    size = len(db)
    db.flush()
    del db
    nq.unlink()
    secs = time.perf_counter() - t0
    print(f"built {n} articles, {size} quads in {secs:.1f} s", file=sys.stderr)
    (store_dir / "built.json").write_text(json.dumps({"articles": n, "quads": size, "seconds": round(secs, 1)}))
    return secs


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds (user + system) used so far by ``root`` and all its descendants (/proc)."""
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(d.name)] = int(fields[1])
        cpu[int(d.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0.0)
        todo += [c for c, p in parent.items() if p == pid]
    return total


def runaway_check(url: str, pid: int, timeout: float, n: int = 3) -> dict:
    """Send ``n`` runaway queries one at a time: how long until the 504, and whether the server's
    process tree still burns CPU in the second after it (it should not: the worker was killed)."""
    waits, after = [], []
    for _ in range(n):
        t = time.perf_counter()
        r = httpx.post(url + "/sparql", data={"query": RUNAWAY}, timeout=timeout + 60)
        waits.append(time.perf_counter() - t)
        assert r.status_code == 504, r.status_code
        c0 = tree_cpu_seconds(pid)
        time.sleep(1.0)
        after.append(tree_cpu_seconds(pid) - c0)
    return {
        "query_timeout_s": timeout,
        "answer_504_after_s": [round(w, 2) for w in waits],
        "server_cpu_s_in_the_second_after": [round(a, 2) for a in after],
    }


def flood(url: str, n: int, timeout: float, give_up: float) -> dict:
    """``n`` runaway queries at once, spread over every path that runs a visitor's query (``/sparql`` by
    GET, form POST and body POST, the ``/query`` editor), each client giving up after ``give_up`` seconds;
    meanwhile a simple page is fetched every 50 ms. Reports that page's latency during the flood and how
    long after the flood's clients had gone a plain query was answered in under a second again."""
    paths = [
        lambda c: c.get(url + "/sparql", params={"query": RUNAWAY}),
        lambda c: c.post(url + "/sparql", data={"query": RUNAWAY}),
        lambda c: c.post(url + "/sparql", content=RUNAWAY, headers={"Content-Type": "application/sparql-query"}),
        lambda c: c.get(url + "/query", params={"query": RUNAWAY}),
    ]
    statuses: Counter = Counter()
    page_ms: list[float] = []
    stop = threading.Event()

    def attacker(i: int) -> None:
        with httpx.Client(timeout=give_up) as c:
            try:
                statuses[paths[i % len(paths)](c).status_code] += 1
            except httpx.HTTPError:
                statuses["client gave up"] += 1

    def prober() -> None:
        with httpx.Client(timeout=30) as c:
            while not stop.is_set():
                t = time.perf_counter()
                r = c.get(url + "/ontology/Chair", headers={"Accept": "text/turtle"})
                page_ms.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, r.status_code
                time.sleep(0.05)

    probe = threading.Thread(target=prober)
    probe.start()
    started = time.perf_counter()
    threads = [threading.Thread(target=attacker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    gone = time.perf_counter()
    stop.set()
    probe.join()
    recovered = None
    while time.perf_counter() - gone < 10 * timeout:
        t = time.perf_counter()
        r = httpx.get(url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
                      headers={"Accept": "application/json"}, timeout=60)
        if r.status_code == 200 and time.perf_counter() - t < 1.0:
            recovered = time.perf_counter() - gone
            break
        time.sleep(0.1)
    return {
        "runaway_queries": n,
        "query_timeout_s": timeout,
        "client_gives_up_after_s": give_up,
        "flood_s": round(gone - started, 1),
        "answers": dict(statuses),
        "simple_page_during_flood_ms": {"n": len(page_ms), "p50": round(pct(page_ms, 50), 1),
                                        "p99": round(pct(page_ms, 99), 1), "max": round(max(page_ms), 1)},
        "back_to_normal_after_clients_left_s": None if recovered is None else round(recovered, 2),
    }


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def requests_for(n: int) -> list[tuple[str, float]]:
    """The mix: (kind, weight)."""
    return [("sparql", 0.35), ("page", 0.35), ("export_graph", 0.2), ("export_dump", 0.02),
            ("void", 0.03), ("runaway", 0.005)]


def one_request(c: httpx.Client, url: str, kind: str, rnd: random.Random, n: int) -> int:
    """Send one request of ``kind``; returns the status (the body is read, or 1 MiB of a dump)."""
    i = rnd.randrange(n)
    if kind == "sparql":
        q = rnd.choice([
            "SELECT ?e ?name ?who WHERE { ?e kg:participation ?p . ?p kg:role kg:Chair ; kg:agent/schema:name ?who . "
            "?e schema:name ?name } LIMIT 100",
            f'SELECT ?e ?role WHERE {{ ?p kg:agent ?x ; kg:role ?role . '
            f'?x schema:name "人{rnd.randrange(cast(n))}"@zh . ?e kg:participation ?p }}',
            f"SELECT ?h ?d WHERE {{ <{url}/article/a{i}> schema:headline ?h ; schema:datePublished ?d }}",
            f"ASK {{ <{url}/event/e{i}> a kg:Meeting }}",
            f"CONSTRUCT {{ ?a schema:headline ?h }} WHERE {{ ?a schema:about <{url}/event/e{i}> ; "
            "schema:headline ?h }",
        ])
        r = c.post(url + "/sparql", data={"query": q})
    elif kind == "runaway":
        r = c.post(url + "/sparql", data={"query": RUNAWAY})
    elif kind == "page":
        path = rnd.choice([f"/person/p{rnd.randrange(cast(n))}", f"/event/e{i}", f"/article/a{i}",
                           f"/place/pl{rnd.randrange(PLACES)}"])
        browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # HTML once pages land
        r = c.get(url + path, headers={"Accept": rnd.choice([browser, "text/turtle", "application/ld+json"])})
    elif kind == "export_graph":
        r = c.get(url + f"/article/a{i}" + rnd.choice([".ttl", ".jsonld", ".nt", ".rdf"]))
    elif kind == "export_dump":
        with c.stream("GET", url + rnd.choice(["/export.nq", "/export.trig"])) as s:
            got = 0
            for chunk in s.iter_bytes():
                got += len(chunk)
                if got >= 1 << 20:
                    break
            return s.status_code
    else:
        r = c.get(url + "/.well-known/void")
    return r.status_code


def run_clients(url: str, n: int, clients: int, seconds: float, max_requests: int, seed: int) -> dict:
    kinds = requests_for(n)
    names = [k for k, _ in kinds]
    weights = [w for _, w in kinds]
    lat: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter] = defaultdict(Counter)
    lock = threading.Lock()
    sent = 0
    deadline = time.monotonic() + seconds

    def client(k: int) -> None:
        nonlocal sent
        rnd = random.Random(seed * 100 + k)
        with httpx.Client(timeout=120) as c:
            while time.monotonic() < deadline:
                with lock:
                    if sent >= max_requests:
                        return
                    sent += 1
                kind = rnd.choices(names, weights)[0]
                t = time.perf_counter()
                try:
                    status = one_request(c, url, kind, rnd, n)
                except httpx.HTTPError as exc:
                    status = f"error:{type(exc).__name__}"  # type: ignore[assignment]
                dt = time.perf_counter() - t
                with lock:
                    lat[kind].append(dt)
                    statuses[kind][status] += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    every = [x for v in lat.values() for x in v]
    served_ok = [x for k, v in lat.items() if k != "runaway" for x in v]
    report: dict = {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": len(every),
        "requests_per_s": round(len(every) / wall, 1),
        "p50_ms": round(pct(every, 50) * 1000, 1),
        "p99_ms": round(pct(every, 99) * 1000, 1),
        "p99_ms_without_runaways": round(pct(served_ok, 99) * 1000, 1),
        "by_kind": {},
    }
    for k in names:
        if lat[k]:
            report["by_kind"][k] = {
                "requests": len(lat[k]),
                "status": {str(s): c for s, c in sorted(statuses[k].items(), key=str)},
                "p50_ms": round(pct(lat[k], 50) * 1000, 1),
                "p99_ms": round(pct(lat[k], 99) * 1000, 1),
            }
    total = Counter()
    for c in statuses.values():
        total.update(c)
    report["status"] = {str(s): c for s, c in sorted(total.items(), key=str)}
    bad = {s: c for s, c in total.items() if not (isinstance(s, int) and (s < 500 or s == 504))}
    report["server_errors_other_than_timeouts"] = sum(bad.values())
    return report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get("KG_BENCH_CACHE", "/tmp/kg-load-cache")))
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--max-requests", type=int, default=200_000)
    ap.add_argument("--query-timeout", type=float, default=10)
    ap.add_argument("--port", type=int, default=8797)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="also write the report here")
    ap.add_argument("--flood", type=int, default=40, metavar="N",
                    help="runaway queries sent at once over every query path before the mixed load (0: none)")
    args = ap.parse_args()
    if not (1 <= args.clients <= 16 and 0 < args.seconds <= 600 and args.articles >= 10):
        ap.error("--clients 1..16, --seconds up to 600, --articles at least 10")
    url = f"http://127.0.0.1:{args.port}"
    store = args.cache / f"articles-{args.articles}"
    built = store / "built.json"
    if not built.exists():
        import shutil

        shutil.rmtree(store, ignore_errors=True)
        build(store, args.articles, url)
    info = json.loads(built.read_text())
    base = json.loads((store / "newskg.json").read_text())["base"]
    if base != url:
        ap.error(f"{store} was built for {base}; use --port {base.rsplit(':', 1)[1]}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = store.parent / f"access-{args.articles}.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(args.port),
         "--query-timeout", str(args.query_timeout), "--access-log", str(log)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        t = time.perf_counter()
        while True:
            if proc.poll() is not None:
                print(proc.stderr.read() if proc.stderr else "", file=sys.stderr)
                return 1
            try:
                httpx.get(url + "/ontology/Chair", timeout=5)  # cheap: "/" (the home page) scans the store
                break
            except httpx.HTTPError:
                if time.perf_counter() - t > 120:
                    raise
                time.sleep(0.2)
        t = time.perf_counter()
        httpx.get(url + "/.well-known/void", timeout=600)
        void_s = time.perf_counter() - t
        stop = runaway_check(url, proc.pid, args.query_timeout)
        flooded = flood(url, args.flood, args.query_timeout, give_up=args.query_timeout / 2) if args.flood else None
        rss0 = rss_mib(proc.pid)
        report = run_clients(url, args.articles, args.clients, args.seconds, args.max_requests, args.seed)
        report = {
            "articles": info["articles"],
            "quads": info["quads"],
            "build_s": info["seconds"],
            "void_warmup_s": round(void_s, 1),
            "server_rss_mib_before": round(rss0, 1),
            "server_rss_mib_after": round(rss_mib(proc.pid), 1),
            "runaway_stop": stop,
            "flood": flooded,
            **report,
        }
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 1 if report["server_errors_other_than_timeouts"] else 0


if __name__ == "__main__":
    sys.exit(main())
