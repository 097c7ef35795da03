"""SPARQL over HTTP: ``kg serve`` against ``oxigraph serve`` and rdflib-endpoint, the same data, one run.

    PYTHONPATH=. python benchmarks/sparql.py --quads 100000 [--cache ~/.cache/newskg-bench]

The dataset is ``benchmarks/pages.py``'s synthetic N-Quads (the mapper's shapes: articles, people,
events, participations with roles, posts, holdings, grants; one graph per article), generated once
per size and kept in ``--cache``. The same file is loaded into three servers, each a subprocess on a
free loopback port:

1. ``kg serve`` on a temp store (bulk-loaded with pyoxigraph);
2. the pip ``oxigraph`` server (``oxigraph load`` then ``oxigraph serve --union-default-graph``, so
   patterns without GRAPH see every article graph, as in newskg);
3. rdflib-endpoint over an in-memory rdflib ``Dataset(default_union=True)``.

For each, four queries are timed over HTTP (JSON results), one client: p50 and p99; then four
concurrent clients send one query at a time for a fixed time: requests/s per query. Peak RSS is the
server process's VmHWM, and for the whole process tree (kg serve's query workers, its forkserver and the
start-up VoID child) the summed RSS sampled every 0.5 s: its peak and its value at the end. Finally
``kg serve`` is restarted and the time to its first answer taken.
Every loop is bounded by a request count and by seconds; a slow peer gets fewer samples (``n``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import pages  # noqa: E402

BASE = pages.BASE
PREFIXES = (
    "PREFIX kg: <https://w3id.org/newskg/ontology#>\n"
    "PREFIX schema: <https://schema.org/>\n"
)
PERSON = "$PERSON"  # a frequent person, not the hub (in 60 % of events): set per dataset (``dataset``)
TEMPLATES: dict[str, str] = {
    "a participations": PREFIXES + f"""SELECT ?e ?name ?role ?date WHERE {{
  ?e kg:participation ?part . ?part kg:agent {PERSON} ; kg:role ?role .
  ?e schema:name ?name . OPTIONAL {{ ?e schema:startDate ?date }}
}} ORDER BY ?date""",
    "b co-participants": PREFIXES + f"""SELECT ?other ?name (COUNT(DISTINCT ?e) AS ?n) WHERE {{
  ?e kg:participation ?p1 . ?p1 kg:agent {PERSON} .
  ?e kg:participation ?p2 . ?p2 kg:agent ?other . FILTER(?other != {PERSON})
  ?other schema:name ?name
}} GROUP BY ?other ?name ORDER BY DESC(?n) ?other LIMIT 10""",
    "c events/type/month": PREFIXES + """SELECT ?type ?month (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?a schema:about ?e . ?e a ?type ; schema:startDate ?d .
  BIND(SUBSTR(STR(?d), 1, 7) AS ?month)
} GROUP BY ?type ?month ORDER BY ?month ?type""",
    "d name substring": PREFIXES + """SELECT DISTINCT ?p ?name WHERE {
  ?p a schema:Person ; schema:name ?name . FILTER(CONTAINS(STR(?name), "明"))
} ORDER BY ?name LIMIT 50""",
}
QUERIES: dict[str, str] = dict(TEMPLATES)  # the templates with the dataset's person (``dataset``)
ACCEPT = {"Accept": "application/sparql-results+json"}

RDFLIB_SERVER = """
import sys, uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint
ds = Dataset(default_union=True)
ds.parse(sys.argv[1], format="nquads")
print(f"rdflib: {len(ds)} quads", file=sys.stderr, flush=True)
app = SparqlEndpoint(graph=ds, path="/sparql", cors_enabled=False)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""

# quads; single-client requests and seconds per query; four-client seconds; start-up timeout (s)
SIZES: dict[str, dict] = {
    "tiny": {"quads": 3_000, "requests": 5, "seconds": 2, "conc_seconds": 1, "start": 120},
    "small": {"quads": 100_000, "requests": 60, "seconds": 4, "conc_seconds": 3, "start": 300},
    "medium": {"quads": 300_000, "requests": 100, "seconds": 8, "conc_seconds": 8, "start": 600},
    "large": {"quads": 1_000_000, "requests": 200, "seconds": 15, "conc_seconds": 15, "start": 1800},
}


@dataclass
class Result:
    name: str
    version: str = ""
    start_s: float = float("nan")
    per_query: dict[str, tuple[float, float, int, int]] = field(default_factory=dict)  # p50, p99 ms, n, rows
    rps4: dict[str, float] = field(default_factory=dict)  # four clients, requests/s per query
    n4: int = 0
    errors4: int = 0
    hwm_mib: float = float("nan")  # the server process itself (VmHWM)
    tree_peak_mib: float = float("nan")  # its process tree (query workers etc.): summed RSS, sampled peak
    tree_end_mib: float = float("nan")  # the same at the end of the measurements
    restart_s: float = float("nan")
    skipped: str | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hwm_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (kg serve's query workers, forkserver, VoID child)."""
    out = [pid]
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        kids = []
    for k in kids:
        out += descendants(int(k))
    return out


def status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler:
    """Samples the summed RSS of a process tree every ``every`` seconds: its peak and its last value."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        self.pid, self.every = pid, every
        self.peak_mib = 0.0
        self.last_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def sample(self) -> float:
        mib = sum(status_kib(p, "VmRSS") for p in descendants(self.pid)) / 1024
        self.peak_mib = max(self.peak_mib, mib)
        self.last_mib = mib
        return mib

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def stop(self) -> None:
        self.sample()
        self._stop.set()
        self._thread.join()


def dataset(quads: int, cache: Path) -> Path:
    """The N-Quads file of about ``quads`` quads, generated once per size into ``cache``, with the person
    the queries ask about (the fourth busiest: frequent, not the hub; its IRI is minted from its name and
    place, so it is kept beside the file); sets ``QUERIES`` for it."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"sparql-v2-{quads}.nq"  # v2: the generator mints person IRIs as the mapper does
    who = path.with_suffix(".person")
    if not path.exists() or not who.exists():
        data = pages.generate(quads)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(data.text, encoding="utf-8")
        who.write_text(BASE + data.samples["person (frequent)"][3], encoding="utf-8")
        tmp.replace(path)
    person = f"<{who.read_text(encoding='utf-8').strip()}>"
    QUERIES.update({name: q.replace(PERSON, person) for name, q in TEMPLATES.items()})
    return path


def oxigraph_bin() -> str | None:
    here = Path(sys.executable).with_name("oxigraph")
    return str(here) if here.exists() else shutil.which("oxigraph")


def wait_ready(url: str, proc: subprocess.Popen, timeout: float) -> float:
    """Seconds until ``url`` answers query (a) with 200, from now; raises if the process dies or time runs out."""
    t0 = time.perf_counter()
    with httpx.Client(timeout=30) as c:
        while time.perf_counter() - t0 < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"exited with {proc.returncode}")
            try:
                r = c.get(url, params={"query": QUERIES["a participations"]}, headers=ACCEPT)
                if r.status_code == 200:
                    return time.perf_counter() - t0
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
    raise RuntimeError(f"no answer within {timeout:.0f} s")


def rows(r: httpx.Response) -> int:
    return len(r.json()["results"]["bindings"])


def measure(res: Result, url: str, cfg: dict) -> None:
    with httpx.Client(timeout=120, headers=ACCEPT) as c:
        for name, q in QUERIES.items():
            n_rows = -1
            for _ in range(2):  # warm-up
                r = c.get(url, params={"query": q})
                r.raise_for_status()
                n_rows = rows(r)
            times: list[float] = []
            t_end = time.perf_counter() + cfg["seconds"]
            while len(times) < cfg["requests"] and (not times or time.perf_counter() < t_end):
                t = time.perf_counter()
                r = c.get(url, params={"query": q})
                times.append((time.perf_counter() - t) * 1000)
                r.raise_for_status()
            res.per_query[name] = (statistics.median(times), pages.percentile(times, 99), len(times), n_rows)
    # four clients on one query at a time, each for a fixed time (and at most 10k requests per client)
    for name, q in QUERIES.items():
        n, errors, rps = four_clients(url, q, cfg["conc_seconds"])
        res.rps4[name] = rps
        res.n4 += n
        res.errors4 += errors


def four_clients(url: str, query: str, seconds: float) -> tuple[int, int, float]:
    counts = [0] * 4
    errors = [0] * 4
    stop = time.perf_counter() + seconds

    def client(i: int) -> None:
        with httpx.Client(timeout=120, headers=ACCEPT) as c:
            while time.perf_counter() < stop and counts[i] < 10_000:
                try:
                    r = c.get(url, params={"query": query})
                    r.raise_for_status()
                    counts[i] += 1
                except httpx.HTTPError:
                    errors[i] += 1

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return sum(counts), sum(errors), sum(counts) / (time.perf_counter() - t0)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def run_peer(res: Result, cmd: list[str], cfg: dict, log: Path, env: dict | None = None,
             restart: bool = False) -> None:
    port = free_port()
    cmd = [c.replace("{port}", str(port)) for c in cmd]
    url = f"http://127.0.0.1:{port}/sparql"
    with log.open("ab") as fh:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fh, stderr=fh, env=env)
        tree = TreeSampler(proc.pid)
        try:
            wait_ready(url, proc, cfg["start"])
            res.start_s = time.perf_counter() - t0
            if res.name == "newskg":
                # kg serve scans the store for VoID from start-up (in a child process); let it finish so it
                # does not share the cores with the measured queries
                httpx.get(url.replace("/sparql", "/.well-known/void"), timeout=cfg["start"])
            measure(res, url, cfg)
            res.hwm_mib = hwm_mib(proc.pid)
        finally:
            tree.stop()
            res.tree_peak_mib, res.tree_end_mib = tree.peak_mib, tree.last_mib
            stop(proc)
        if restart:
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=fh, stderr=fh, env=env)
            try:
                wait_ready(url, proc, cfg["start"])
                res.restart_s = time.perf_counter() - t0
            finally:
                stop(proc)


def run(size: str = "small", cache: Path | None = None, peers: tuple[str, ...] = ("newskg", "oxigraph", "rdflib"),
        quads: int | None = None) -> dict:
    """Measure every peer; returns {"table", "ratios", "results"}."""
    import pyoxigraph as ox

    cfg = dict(SIZES[size])
    if quads:
        cfg["quads"] = quads
    cache = cache or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "newskg-bench"
    t0 = time.perf_counter()
    nq = dataset(cfg["quads"], cache)
    print(f"# dataset {nq} ({nq.stat().st_size / 2**20:.1f} MiB) ready in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr, flush=True)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="kg-sparql-bench-") as d:
        tmp = Path(d)
        log = tmp / "servers.log"
        if "newskg" in peers:
            res = Result("newskg", f"kg serve, pyoxigraph {ox.__version__}")
            store_dir = tmp / "kg-store"
            from kg.store.oxigraph import OxigraphStore

            store = OxigraphStore(store_dir)
            with nq.open("rb") as fh:
                store.db.bulk_load(fh, ox.RdfFormat.N_QUADS)
            n = store.quad_count()
            store.close()
            (store_dir / "newskg.json").write_text(json.dumps({"base": BASE}) + "\n")
            print(f"# newskg store: {n} quads", file=sys.stderr, flush=True)
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            try:
                run_peer(res, [sys.executable, "-m", "kg", "serve", "--store", str(store_dir), "--port", "{port}"],
                         cfg, log, env=env, restart=True)
            except Exception as exc:  # noqa: BLE001 - a peer that fails is reported, not fatal
                res.skipped = f"failed: {exc}"
            results.append(res)
        if "oxigraph" in peers:
            binary = oxigraph_bin()
            res = Result("oxigraph")
            if binary is None:
                res.skipped = "the `oxigraph` server binary is not installed (pip install oxigraph)"
            else:
                res.version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
                loc = tmp / "oxigraph"
                subprocess.run([binary, "load", "--location", str(loc), "--file", str(nq)], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                try:
                    run_peer(res, [binary, "serve", "--location", str(loc), "--bind", "127.0.0.1:{port}",
                                   "--union-default-graph"], cfg, log)
                except Exception as exc:  # noqa: BLE001
                    res.skipped = f"failed: {exc}"
            results.append(res)
        if "rdflib" in peers:
            res = Result("rdflib")
            try:
                from importlib.metadata import version

                import rdflib
                import rdflib_endpoint  # noqa: F401

                res.version = f"rdflib-endpoint {version('rdflib-endpoint')}, rdflib {rdflib.__version__}"
                run_peer(res, [sys.executable, "-c", RDFLIB_SERVER, str(nq), "{port}"], cfg, log)
            except ImportError:
                res.skipped = "rdflib-endpoint is not installed (pip install rdflib-endpoint)"
            except Exception as exc:  # noqa: BLE001
                res.skipped = f"failed: {exc}"
            results.append(res)
        if any(r.skipped for r in results):
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            print(f"# server log tail:\n{tail}", file=sys.stderr)
    return {"table": table(results, cfg["quads"]), "ratios": ratios(results), "results": results}


def table(results: list[Result], quads: int) -> str:
    ok = [r for r in results if not r.skipped]
    lines = [f"SPARQL over HTTP, {quads} quads requested; ms p50 / p99 (n requests), one client"]
    head = f"{'query':<22}" + "".join(f"{r.name:>26}" for r in ok)
    lines.append(head)
    for q in QUERIES:
        cells = []
        for r in ok:
            p50, p99, n, nrows = r.per_query[q]
            cells.append(f"{p50:8.1f} / {p99:7.1f} ({n:>3})")
        lines.append(f"{q:<22}" + "".join(f"{c:>26}" for c in cells))
    lines.append(f"{'rows (a,b,c,d)':<22}" + "".join(
        f"{','.join(str(r.per_query[q][3]) for q in QUERIES):>26}" for r in ok))
    for q in QUERIES:
        lines.append(f"{'4 clients req/s ' + q.split()[0]:<22}" + "".join(f"{r.rps4[q]:>26.1f}" for r in ok))
    lines.append(f"{'4 clients: n, errors':<22}" + "".join(f"{f'{r.n4}, {r.errors4}':>26}" for r in ok))
    lines.append(f"{'peak RSS MiB (VmHWM)':<22}" + "".join(f"{r.hwm_mib:>26.0f}" for r in ok))
    lines.append(f"{'tree RSS MiB peak/end':<22}" + "".join(
        f"{f'{r.tree_peak_mib:.0f} / {r.tree_end_mib:.0f}':>26}" for r in ok))
    lines.append(f"{'start to 1st answer s':<22}" + "".join(f"{r.start_s:>26.2f}" for r in ok))
    lines.append(f"{'restart to 1st answer':<22}" + "".join(
        f"{(f'{r.restart_s:.2f}' if r.restart_s == r.restart_s else '-'):>26}" for r in ok))
    for r in results:
        lines.append(f"# {r.name}: {r.version}" + (f" — skipped: {r.skipped}" if r.skipped else ""))
    # the three must agree on what they answer
    counts = {r.name: tuple(r.per_query[q][3] for q in QUERIES) for r in ok}
    if len(set(counts.values())) > 1:
        lines.append(f"# WARNING: result row counts differ between servers: {counts}")
    return "\n".join(lines)


def ratios(results: list[Result]) -> list[str]:
    by = {r.name: r for r in results if not r.skipped}
    out: list[str] = []
    kg, ox = by.get("newskg"), by.get("oxigraph")
    if kg and ox:
        parts = [f"{q.split()[0]} {kg.per_query[q][0] / ox.per_query[q][0]:.2f}x" for q in QUERIES]
        out.append("sparql p50 newskg/oxigraph (goal <= 1.2x): " + ", ".join(parts))
        parts = [f"{q.split()[0]} {kg.rps4[q] / ox.rps4[q]:.2f}x ({kg.rps4[q]:.0f} vs {ox.rps4[q]:.0f})"
                 for q in QUERIES]
        out.append("sparql 4-client req/s newskg/oxigraph (goal >= 0.8x): " + ", ".join(parts))
        out.append(f"serve peak RSS newskg {kg.hwm_mib:.0f} MiB (process tree: peak {kg.tree_peak_mib:.0f}, "
                   f"at the end {kg.tree_end_mib:.0f} MiB) vs oxigraph {ox.hwm_mib:.0f} MiB; "
                   f"kg serve restart to first answer {kg.restart_s:.2f} s (goal < 5 s)")
    rd = by.get("rdflib")
    if kg and rd:
        parts = [f"{q.split()[0]} {rd.per_query[q][0] / kg.per_query[q][0]:.1f}x" for q in QUERIES]
        out.append("sparql p50 rdflib-endpoint/newskg (reference): " + ", ".join(parts)
                   + "; 4-client req/s " + "/".join(f"{rd.rps4[q]:.0f}" for q in QUERIES)
                   + f" (a/b/c/d); peak RSS {rd.hwm_mib:.0f} MiB")
    for r in results:
        if r.skipped:
            out.append(f"sparql {r.name}: skipped ({r.skipped})")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", choices=list(SIZES), default="small")
    ap.add_argument("--quads", type=int, default=None, help="override the size's quad count")
    ap.add_argument("--cache", type=Path, default=None, help="where generated datasets are kept")
    ap.add_argument("--peers", default="newskg,oxigraph,rdflib")
    args = ap.parse_args(argv)
    out = run(args.size, args.cache, tuple(p for p in args.peers.split(",") if p), args.quads)
    print(out["table"])
    for line in out["ratios"]:
        print(f"- {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
