"""``kg ingest --cluster``: one local Dask worker against two, and the cluster path against ``--jobs 2``.

    python benchmarks/cluster.py [--articles 600] [--seed 1] [--repeat 1] [--remote]

On a synthetic corpus (benchmarks/corpus.py), each setting runs in its own process into a fresh store,
as ``kg ingest`` would: ``--jobs 2`` (the local worker pool), then ``--cluster local:1`` and
``--cluster local:2`` (a Dask LocalCluster of one and two worker processes). ``--remote`` writes to a
fresh ``oxigraph serve`` instead (the workers then write their tasks themselves). Measured: the ingest's
own time from its report (cluster or pool start-up and model loading included), articles/s, and the
CPU seconds of the writer process alone (what does not spread over workers: the resolution graphs,
and with an embedded store the writes). Goals (issue 20): two workers ≥ 1.7× one; the cluster path at
most 15 % slower than ``--jobs 2``.

The projection for 10 million articles uses measured CPU, not wall time (on a shared machine the
wall time says more about the other tenants): a worker's CPU per article (the one-worker run's process
tree less its writer) spread over the workers, one core each, and the writer's CPU per article (the
serial part: no number of workers makes the run faster than that). ``cores used`` (CPU s over s) and
what two busy processes get here against one, measured in the same run, tell whether the machine
could show a speed-up at all.

The machine may be shared: the load average before each run is printed beside its figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BASE = "http://127.0.0.1:8000"
SETTINGS = ("jobs:2", "local:1", "local:2")


def child_main(args: argparse.Namespace) -> int:
    """The measured process: one ingest, then its figures as JSON on stdout."""
    import kg.ingest
    from kg.store import open_store

    resolving = [0.0]  # CPU seconds in the resolution refresh, the writer's serial part for a shared store
    refresh = kg.ingest.refresh_resolution

    def timed_refresh(store, iris, *rest) -> None:  # type: ignore[no-untyped-def]
        t = time.thread_time()  # this thread only: the in-process scheduler has a thread of its own
        refresh(store, iris, *rest)
        resolving[0] += time.thread_time() - t

    kg.ingest.refresh_resolution = timed_refresh  # measuring only: the writer calls it by this name
    location = args.store if args.store.startswith("http") else Path(args.store)
    store = open_store(location)
    try:
        if args.setting.startswith("jobs:"):
            from kg.ingest import ingest_batch

            rep = ingest_batch(store, [args.corpus], base=BASE, jobs=int(args.setting[5:]))
        else:
            from kg.cluster import ingest_cluster

            shared = None if isinstance(location, Path) else location
            rep = ingest_cluster(store, [args.corpus], scheduler=args.setting, shared_store=shared, base=BASE)
    finally:
        store.close()
    from benchmarks.ingest_scale import tree_cpu_seconds

    ru = resource.getrusage(resource.RUSAGE_SELF)
    out = {k: getattr(rep, k) for k in ("files", "failed", "articles", "quads", "chars", "seconds")}
    out["writer_cpu"] = ru.ru_utime + ru.ru_stime  # the process itself, not its workers
    out["resolve_cpu"] = resolving[0]
    time.sleep(0.3)  # let the pool's fork server reap its workers, so their CPU time is counted
    out["cpu"] = tree_cpu_seconds(os.getpid())  # writer, workers, scheduler: the whole tree
    print(json.dumps(out))
    return 1 if rep.failed else 0


def startup_main(args: argparse.Namespace) -> int:
    """The measured process: start a LocalCluster of one worker and load its models, nothing else.

    Why: a run's time and CPU include this fixed cost (Dask's imports, the scheduler, the worker's
    start and model load); the per-article figures of the projection are taken without it.
    """
    from benchmarks.ingest_scale import tree_cpu_seconds
    from kg.cluster import _prepared, connect

    def writer_cpu() -> float:
        ru = resource.getrusage(resource.RUSAGE_SELF)
        return ru.ru_utime + ru.ru_stime

    t0 = time.perf_counter()
    with connect("local:1") as client:
        client.wait_for_workers(1)
        client.submit(_prepared, None, pure=False).result()
        seconds = time.perf_counter() - t0
        # what a cluster burns while idle (heartbeats, system monitors, the event loops), per second: on
        # a loaded machine a run lasts long and this would be counted as per-article cost
        w0, t0_cpu = writer_cpu(), tree_cpu_seconds(os.getpid())
        time.sleep(args.idle)
        idle_writer = (writer_cpu() - w0) / args.idle
        idle_tree = (tree_cpu_seconds(os.getpid()) - t0_cpu) / args.idle
    w = writer_cpu()
    time.sleep(0.3)
    print(json.dumps({"seconds": seconds, "writer_cpu": w - idle_writer * args.idle, "idle_writer": idle_writer,
                      "idle_tree": idle_tree, "cpu": tree_cpu_seconds(os.getpid()) - idle_tree * args.idle}))
    return 0


def _warm() -> None:
    """On a worker: what a task of an ingest into an embedded store loads before its first article."""
    from kg.cluster import _prepared
    from kg.search.segment import tokenizer

    _prepared(None)
    tokenizer()


def ready_main(args: argparse.Namespace) -> int:
    """The measured process: a LocalCluster of ``args.ready`` workers started as ``kg ingest`` into an
    embedded store starts it (the fork server with jieba's dictionary), each worker ready for its first
    article. Why beside ``startup_main``: the second worker's start-up is part of the two-worker run's
    time, on the cores the first worker needs."""
    from benchmarks.ingest_scale import tree_cpu_seconds
    from kg.cluster import connect, start_fork_server

    t0 = time.perf_counter()
    start_fork_server(segmenter=True)
    with connect(f"local:{args.ready}") as client:
        client.wait_for_workers(args.ready)
        client.run(_warm)
        seconds = time.perf_counter() - t0
    time.sleep(0.3)
    print(json.dumps({"seconds": seconds, "cpu": tree_cpu_seconds(os.getpid())}))
    return 0


def _env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
                KG_PROGRESS_INTERVAL="3600")


def measure(corpus: Path, setting: str, remote: bool) -> dict:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="kg-bench-cluster-") as tmp:
        server = None
        server_cpu = 0.0
        store = str(Path(tmp) / "store")
        if remote:
            from tests.support.remote_servers import start_oxigraph

            server = start_oxigraph(Path(tmp) / "oxigraph")
            store = server.url
        try:
            cmd = [sys.executable, str(Path(__file__).resolve()), "--child", setting, "--corpus", str(corpus),
                   "--store", store]
            res = subprocess.run(cmd, capture_output=True, text=True, env=_env())
            if server is not None:
                from benchmarks.ingest_scale import tree_cpu_seconds

                server_cpu = tree_cpu_seconds(server.proc.pid)
        finally:
            if server is not None:
                server.stop()
    if res.returncode != 0 or not res.stdout.strip():
        raise SystemExit(f"ingest run failed ({setting}): {res.stderr.strip()[-2000:]}")
    r = json.loads(res.stdout.strip().splitlines()[-1])
    r.update(setting=setting, load=load, server_cpu=server_cpu)
    return r


def startup(*flags: str) -> dict:
    res = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--startup", *flags], capture_output=True,
                         text=True, env=_env())
    if res.returncode != 0:
        raise SystemExit(f"start-up run failed: {res.stderr.strip()[-2000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def fmt_hours(seconds: float) -> str:
    return f"{seconds / 3600:,.1f} h" if seconds >= 3600 else f"{seconds / 60:,.0f} min"


def report(runs: dict[str, dict], start: dict, ceiling: float, remote: bool) -> list[str]:
    head = ("setting", "articles", "quads", "s", "articles/s", "CPU s", "cores used", "writer CPU s", "load")
    rows = [head] + [(s, str(r["articles"]), str(r["quads"]), f"{r['seconds']:.1f}",
                      f"{r['articles'] / r['seconds']:.1f}", f"{r['cpu']:.1f}", f"{r['cpu'] / r['seconds']:.2f}",
                      f"{r['writer_cpu']:.1f}", f"{r['load']:.1f}")
                     for s, r in runs.items()]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    one, two, jobs2 = runs["local:1"], runs["local:2"], runs["jobs:2"]
    speedup = one["seconds"] / two["seconds"]
    overhead = two["seconds"] / jobs2["seconds"] - 1
    lines.append("")
    lines.append(f"store: {'oxigraph serve (the workers write)' if remote else 'embedded (the writer writes)'}")
    lines.append(f"2 workers / 1 worker: {speedup:.2f}x (goal >= 1.7x)")
    lines.append(f"cluster local:2 against --jobs 2: {overhead:+.1%} time (goal <= +15%)")
    n = one["articles"]
    # per article, without the fixed start-up (measured alone): a worker's CPU; the writer's serial part
    # (the resolution refresh; with an embedded store also the writes: the whole writer less start-up);
    # the store server's CPU (a shared store: one server takes every write)
    idle_workers = (start["idle_tree"] - start["idle_writer"]) * one["seconds"]  # time-, not article-bound
    worker_cpu = max((one["cpu"] - one["writer_cpu"]) - (start["cpu"] - start["writer_cpu"]) - idle_workers, 1e-9) / n
    writer = max(one["writer_cpu"] - start["writer_cpu"] - start["idle_writer"] * one["seconds"], 0) / n
    serial = one["resolve_cpu"] / n if remote else writer
    server = one["server_cpu"] / n
    lines.append(f"cores the runs got: 1 worker {one['cpu'] / one['seconds']:.2f}, 2 workers "
                 f"{two['cpu'] / two['seconds']:.2f}; two busy processes here get {ceiling:.2f}x one "
                 f"(2.00 on two idle cores)")
    lines.append(f"start-up (LocalCluster of 1 + model load): {start['seconds']:.1f} s, {start['cpu']:.1f} CPU s; "
                 f"an idle one-worker cluster burns {start['idle_tree']:.3f} CPU s per s "
                 f"({start['idle_writer']:.3f} in the writer process)")
    lines.append("per-article figures below leave out the start-up and the idle burn over the run's duration")
    lines.append(f"CPU per article (one-worker run): worker {worker_cpu * 1000:.1f} ms; writer "
                 f"{writer * 1000:.2f} ms (in-process scheduler included), of which resolution "
                 f"{one['resolve_cpu'] / n * 1000:.2f} ms"
                 + (f"; store server {server * 1000:.2f} ms" if remote else ""))
    if not remote:  # the writer's CPU is on the two cores too: the most two workers can gain, before start-up
        lines.append(f"beside the measured ratio: two cores allow at most 2 x worker / (worker + writer) = "
                     f"{2 * worker_cpu / (worker_cpu + writer):.2f}x from these CPU figures (start-up, tail and "
                     f"transfers left out)")
    lines.append("projection for 10,000,000 articles, one core per worker: worker CPU per article / workers, "
                 "bounded below by the writer's serial part" + (" and the server's CPU" if remote else "") + ":")
    for workers in (10, 50, 100):
        spread, floor = 1e7 * worker_cpu / workers, 1e7 * max(serial, server)
        lines.append(f"  {workers:>3} workers: {fmt_hours(max(spread, floor))}"
                     + (" (bound by the writer/store)" if floor >= spread else ""))
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=600)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1, help="run each setting N times (interleaved), keep the fastest")
    ap.add_argument("--remote", action="store_true", help="write to a fresh oxigraph serve, not an embedded store")
    ap.add_argument("--child", metavar="SETTING", help=argparse.SUPPRESS)
    ap.add_argument("--startup", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--ready", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--idle", type=float, default=10.0, help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--store", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        args.setting = args.child
        return child_main(args)
    if args.startup:
        return ready_main(args) if args.ready else startup_main(args)

    import shutil

    from benchmarks.corpus import generate

    corpus = Path(tempfile.mkdtemp(prefix="kg-corpus-"))
    try:
        generate(corpus, args.articles, args.seed)
        runs: dict[str, dict] = {}
        for _ in range(args.repeat):
            for setting in SETTINGS:
                r = measure(corpus, setting, args.remote)
                print(f"{setting}: {r['articles']} articles in {r['seconds']:.1f} s (load {r['load']:.1f})",
                      file=sys.stderr)
                if setting not in runs or r["seconds"] < runs[setting]["seconds"]:
                    runs[setting] = r
        start = startup()
        ready = {n: startup("--ready", str(n)) for n in (1, 2)}
        from benchmarks.ingest_scale import machine_scaling

        ceiling = machine_scaling()
    finally:
        shutil.rmtree(corpus, ignore_errors=True)
    print("\n".join(report(runs, start, ceiling, args.remote)))
    print("start-up as an ingest into an embedded store starts it (fork server, jieba's dictionary, each worker's "
          "models): " + ", ".join(f"local:{n} {r['seconds']:.1f} s, {r['cpu']:.1f} CPU s" for n, r in ready.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
