"""Cost of the resolution layer at scale: ``kg resolve`` and the ingest refresh on a large store.

    python benchmarks/identity_scale.py [--articles 20000] [--profile] [--keep DIR]
    python benchmarks/identity_scale.py --store DIR [--profile]        # a store kept before: no filling
    python benchmarks/identity_scale.py --ingest 1000 [--jobs 2] [--store DIR] [--warm 500]  # share of a real ingest

Real ingest of 100k articles takes long on a shared 2-core machine, and the resolution layer reads
only the person mentions, so the store is made of article graphs written directly: each with the
triples the mapper writes for an article (a header of ~20 triples of text and metadata, ~7 people
with their mention, name, pinyin, posts) and the same shape of names as the synthetic corpus
(about 0.7 new written names per article, so the blocks grow with the store, as in
``benchmarks/corpus.py``: 1,453 blocks for 2,000 articles), each city's paper naming its own people
(``Pools``: a person in about 8 articles at 100k). What is timed, CPU and wall clock, with
the load average of the machine before each step:

- the first build of the layer (``kg.resolve.rebuild`` with no layer yet, as after an upgrade or a
  plain load; with ``--store`` the kept store's layer is dropped first);
- ``kg resolve`` as ``kg.cli.cmd_resolve`` runs it, the layer current: ``upgrade`` (articles without
  mentions), ``curate`` without a file (the stale-rules check), the career joins
  (``kg.careers.apply_all``), ``rebuild``;
- the ingest refresh (``kg.resolve.refresh``) for a batch of 500 articles written into that store,
  the cost ingest pays per batch (compare with the batch's ingest time in benchmarks/ingest_scale.py).

``--store DIR`` measures a store kept by an earlier run (``--keep DIR``): filling a 100k store takes
longer than measuring it, and a fresh process shows the peak memory of resolving alone. The refresh's
batch is then written into that store (run it on a copy to keep the store as it was).

``--ingest N`` instead generates N articles with ``benchmarks/corpus.py`` and ingests them for real
(into a new store, or with ``--store DIR`` into that kept store: the refresh's share at its size)
(``kg.ingest.ingest_batch``, the real extractor, ``--jobs`` workers), timing every call of the
writer's derived-layers refresh (resolution layer and search index) and the writer's store writes:
their share of the ingest's wall-clock time and of its CPU (the writer process and the workers: on a
busy or shared machine the CPU share is the throughput they cost) is issue 14's measure (the resolution
layer, career joins included: at most 10 %), and the writer's CPU per article is the serial part of the
ingest. ``--warm N`` first ingests N other articles, not counted: a store written directly has no search
index yet, and the first refresh would build it from the whole store (a one-off, not the steady state
of a store kept by ingest).

Peak resident memory of the process is printed with each figure. ``--profile`` prints the top
cProfile entries of the first build and of ``kg resolve``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import World  # noqa: E402

BASE = "http://scale.bench"
K = "https://w3id.org/newskg/ontology#"
S = "https://schema.org/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
PROV = "<http://www.w3.org/ns/prov#wasDerivedFrom>"


def article_text(i: int, names: list[tuple[str, str, str, str]], rules: str) -> tuple[str, str]:
    """(article IRI, statements) of one synthetic article graph, as the mapper shapes it; ``names``: (written
    name, qualifier, jurisdiction, basis) of each person it names."""
    from kg.rdf import iris

    a = f"{BASE}/article/2021-01-01-{i:012x}"
    st = [f"<{a}> {RDF_TYPE} <{S}NewsArticle>", f'<{a}> <{S}headline> "会议{i}"@zh',
          f'<{a}> <{K}locality> "城{i % CITIES}市"@zh', f'<{a}> <{K}identityRules> "{rules}"',
          f'<{a}> <{S}articleBody> "{"本报讯 会议召开。" * 20}"@zh']
    st += [f'<{a}> <{K}filler{j}> "{j}"' for j in range(15)]
    for name, qual, jur, basis in names:
        p = f"{BASE}/person/{iris.person_id(name, qual)}"
        m = f"{a}#mention-{iris.ident(name, 30)}"
        st += [f"<{p}> {RDF_TYPE} <{S}Person>", f'<{p}> <{S}name> "{name}"@zh', f'<{p}> <{K}pinyin> "x"',
               f"<{a}> <{S}mentions> <{p}>", f"<{p}> <http://www.w3.org/ns/org#holds> <{BASE}/post/p{i % 97}>",
               f"<{m}> {RDF_TYPE} <{K}PersonMention>", f'<{m}> <{K}writtenName> "{name}"@zh',
               f"<{m}> <{K}mentionOf> <{p}>", f"<{m}> <{K}identityBasis> <{K}{basis}>",
               f'<{m}> <{K}jurisdiction> "{jur}"@zh', f"<{m}> {PROV} <{a}>"]
    return a, " .\n".join(st)


CITIES = 40


class Pools:
    """Who the articles name: each city's paper names its own people (a pool per city, growing by about
    0.7 new written names an article, drawn from the synthetic corpus's names, so common names recur
    across cities as namesakes) and, in half its articles, one of a few national leaders. So a person
    is named in several articles of its city (about 8 at 100k articles), as in ``benchmarks/corpus.py``
    (7 at 600), not once in a random city: that made every other mention a person of its own."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.local = {c: [world.name() for _ in range(5)] for c in range(CITIES)}
        self.national = [world.name() for _ in range(12)]

    def names(self) -> int:
        return len({n for pool in self.local.values() for n in pool} | set(self.national))

    def draw(self, i: int, rng: random.Random) -> list[tuple[str, str, str, str]]:
        from kg.rdf import iris

        c = i % CITIES
        pool = self.local[c]
        for _ in range(rng.choice((0, 1, 1, 2))):
            pool.append(self.world.name())
        jur = f"城{c}市"
        out = {(n, iris.ident(jur, 30), jur, "PostJurisdiction") for n in {rng.choice(pool) for _ in range(6)}}
        if rng.random() < 0.5:
            out.add((rng.choice(self.national), iris.ident("全国", 30), "全国", "NationalPost"))
        return sorted(out)


def fill(store, start: int, n: int, pools: Pools, rng: random.Random) -> list[str]:
    from kg.rdf.identity import rules_version
    from kg.store.base import GraphUpdate

    rules = rules_version()
    written = []
    ups = []
    for i in range(start, start + n):
        a, text = article_text(i, pools.draw(i, rng), rules)
        ups.append(GraphUpdate.from_text(a, text))
        written.append(a)
        if len(ups) >= 2000:
            store.replace_graphs(ups)
            store.flush()  # as batch ingest does: RocksDB's buffers otherwise grow with the store
            ups = []
    store.replace_graphs(ups)
    return written


def restamp(store) -> None:  # type: ignore[no-untyped-def]
    """Stamp a kept store's articles with today's identity rules: an edit of the rules file since the store
    was filled would otherwise make ``kg resolve`` re-key every article (``kg.resolve.stale_articles``), a
    rules upgrade, not the layer's cost that is measured here (the generated articles key their people by
    place alone, the same under any version of the rules)."""
    from kg.rdf.identity import rules_version

    v = rules_version()
    store.update(f"""PREFIX kg: <{K}>
DELETE {{ GRAPH ?a {{ ?a kg:identityRules ?r }} }} INSERT {{ GRAPH ?a {{ ?a kg:identityRules "{v}" }} }}
WHERE {{ GRAPH ?a {{ ?a kg:identityRules ?r }} FILTER(?r != "{v}") }}""")


def cold_caches() -> None:
    """Empty the id caches filling the store warmed: a ``kg resolve`` process starts without them (the
    pinyin of every written name is computed once per process, and it is not free)."""
    from kg.rdf import iris
    from kg.resolve import block_iri

    for f in (iris.pinyin, iris.slug, iris.ident, block_iri):
        f.cache_clear()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> str:
    """The machine's load average (1 and 5 minutes), printed beside each figure: the machine is shared."""
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


class Step:
    """Times one step: wall clock, this process's CPU, the load before it; optionally profiled."""

    def __init__(self, profile: bool) -> None:
        self.prof = cProfile.Profile() if profile else None

    def __enter__(self) -> Step:
        self.before = load()
        self.t0, self.c0 = time.perf_counter(), time.process_time()
        if self.prof:
            self.prof.enable()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.prof:
            self.prof.disable()
        self.wall, self.cpu = time.perf_counter() - self.t0, time.process_time() - self.c0

    def figures(self) -> str:
        return f"{self.wall:.1f} s wall, {self.cpu:.1f} s CPU ({self.before} before); peak {peak_mb():.0f} MB"

    def print_profile(self, title: str) -> None:
        if self.prof:
            print(f"--- profile: {title}")
            pstats.Stats(self.prof).sort_stats("cumulative").print_stats(25)


def _tree_cpu() -> float:
    """CPU seconds of this process's descendants, the exited ones included (the ingest's workers): each
    one's own CPU plus that of the children it reaped (``/proc/PID/stat``). The workers are children of
    multiprocessing's fork server, not of this process, so ``RUSAGE_CHILDREN`` does not see them; the
    fork server reaps them, so they stay counted in its ``cutime`` after they exit."""
    tick = os.sysconf("SC_CLK_TCK")
    parent: dict[int, int] = {}
    times: dict[int, float] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        parent[int(d.name)] = int(fields[1])
        times[int(d.name)] = sum(int(f) for f in fields[11:15]) / tick  # utime stime cutime cstime
    mine, total = {os.getpid()}, 0.0
    changed = True
    while changed:
        changed = False
        for pid, pp in parent.items():
            if pp in mine and pid not in mine:
                mine.add(pid)
                total += times[pid]
                changed = True
    return total


def ingest_share(n: int, jobs: int, keep: Path | None, into: Path | None = None, warm: int = 0) -> None:
    """Ingest a generated corpus of ``n`` articles (into the store kept in ``into``, else a new one);
    print the share of the time and of the CPU the derived-layers refresh takes, part by part.

    ``warm``: first ingest ``warm`` other generated articles, untimed (the same seed, dates years
    earlier: the first city and part of its cast are the measured corpus's), then close the store and
    open it again. Why: a store whose article graphs were written directly (``--keep``/``fill``) has no
    search index, and the first refresh of an ingest builds it from the whole store — a one-off that a
    store kept by ingest never pays again; the new opening makes the measured ingest start as a
    ``kg ingest`` process does (the index opened and checked against the store's graphs)."""
    import kg.careers
    import kg.ingest as ingest_mod
    import kg.resolve
    import kg.search
    from benchmarks.corpus import generate
    from kg.store import open_store

    spent: list[float] = []
    parts = ("career joins", "resolution refresh", "search index refresh", "store writes")
    cpu = dict.fromkeys(parts, 0.0)
    wall = dict.fromkeys(parts, 0.0)

    def cpu_timed(name: str, fn):  # type: ignore[no-untyped-def]
        def timed(*args):  # type: ignore[no-untyped-def]
            t, w = time.thread_time(), time.perf_counter()  # the writer's thread (the pool's threads feed it)
            try:
                return fn(*args)
            finally:
                cpu[name] += time.thread_time() - t
                wall[name] += time.perf_counter() - w
        return timed

    real = ingest_mod.refresh_resolution

    def timed(store, article_iris, *rest):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        real(store, article_iris, *rest)
        spent.append(time.perf_counter() - t)

    with tempfile.TemporaryDirectory() as tmp:
        root = keep or Path(tmp)
        if not (root / "pages").exists():
            generate(root / "pages", n)
        where = (into or root) / "store"
        if warm:
            if not (root / "warm").exists():
                generate(root / "warm", warm, start="2012-01-01")
            store = open_store(where)
            before = load()
            t0 = time.perf_counter()
            rep = ingest_mod.ingest_batch(store, [root / "warm"], base=BASE, jobs=jobs)
            store.close()
            print(f"warm-up (not counted): {rep.articles} generated articles ingested in "
                  f"{time.perf_counter() - t0:.1f} s ({before} before)")
        # measuring only: the writer calls these by their module names
        ingest_mod.refresh_resolution = timed
        kg.careers.refresh = cpu_timed("career joins", kg.careers.refresh)
        kg.resolve.refresh = cpu_timed("resolution refresh", kg.resolve.refresh)
        kg.search.refresh = cpu_timed("search index refresh", kg.search.refresh)
        ingest_mod.write_works = cpu_timed("store writes", ingest_mod.write_works)
        store = open_store(where)
        before = load()
        t0, c0, w0 = time.perf_counter(), time.process_time(), _tree_cpu()
        rep = ingest_mod.ingest_batch(store, [root / "pages"], base=BASE, jobs=jobs)
        total, writer = time.perf_counter() - t0, time.process_time() - c0
        time.sleep(1)  # the fork server reaps the pool's workers (their CPU moves into its cutime)
        workers = _tree_cpu() - w0
        store.close()
    after = load()
    share = sum(spent) / total if total else 0.0
    per = 1000 / max(1, rep.articles)
    everything = writer + workers
    print(f"ingest of {rep.articles} generated articles, --jobs {jobs} ({before} before, {after} after): "
          f"{total:.1f} s; derived-layers refresh {sum(spent):.1f} s in {len(spent)} batches "
          f"({100 * share:.1f} % of the ingest's time; largest batch {max(spent, default=0):.2f} s)")
    print(f"  CPU: writer process {writer:.1f} s + workers {workers:.1f} s = {everything:.1f} s "
          f"({everything * per:.1f} ms/article; writer {writer * per:.2f}, workers {workers * per:.2f})")
    print("  writer's thread, per part: " + ", ".join(
        f"{k} {wall[k]:.1f} s wall, {cpu[k]:.1f} s CPU ({cpu[k] * per:.2f} ms/article)" for k in parts))
    res_wall = wall["career joins"] + wall["resolution refresh"]
    res_cpu = cpu["career joins"] + cpu["resolution refresh"]
    print("  share of the ingest (wall time / all CPU, writer and workers): "
          + ", ".join(f"{k} {100 * wall[k] / total:.1f} % / {100 * cpu[k] / max(everything, 1e-9):.1f} %"
                      for k in parts[:3])
          + f"; resolution (career joins + resolution refresh) {100 * res_wall / total:.1f} % / "
            f"{100 * res_cpu / max(everything, 1e-9):.1f} %")
    print(f"  peak {peak_mb():.0f} MB")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--keep", type=Path, help="make the store in DIR and keep it")
    ap.add_argument("--store", type=Path, help="measure a store kept by an earlier run instead of making one")
    ap.add_argument("--ingest", type=int, help="measure the refresh's share of a real ingest of N articles")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--warm", type=int, default=0,
                    help="with --ingest: first ingest N other generated articles, not counted "
                         "(builds a missing search index)")
    args = ap.parse_args(argv)
    if args.ingest:
        ingest_share(args.ingest, args.jobs, args.keep, args.store, args.warm)
        return 0

    from kg.careers import apply_all
    from kg.rdf.curation import EMPTY
    from kg.resolve import curate, is_resolution_graph, rebuild, refresh, upgrade
    from kg.store import open_store

    rng = random.Random(1)
    world = World(1, 100)
    pools = Pools(world)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.store or args.keep or Path(tmp)
        store = open_store(root / "store")
        if args.store:
            graphs = store.graph_iris()
            layer = [g for g in graphs if is_resolution_graph(g)]
            articles = len(graphs) - len(layer)
            for i in range(0, len(layer), 5000):
                store.remove_graphs(layer[i : i + 5000])
            restamp(store)
            store.flush()
            print(f"store {args.store}: {articles} articles ({len(layer)} layer graphs dropped); "
                  f"peak {peak_mb():.0f} MB")
        else:
            articles = args.articles
            t0 = time.perf_counter()
            fill(store, 0, articles, pools, rng)
            print(f"store: {articles} articles, {pools.names()} written names, made in "
                  f"{time.perf_counter() - t0:.1f} s; peak {peak_mb():.0f} MB")

        cold_caches()
        with Step(args.profile) as first:
            mentions, blocks = rebuild(store)  # the first build of the layer (as after an upgrade or a plain load)
        print(f"first build: {mentions} mentions, {blocks} blocks: {first.figures()}")
        store.flush()

        cold_caches()
        with Step(args.profile) as again:
            up = upgrade(store, EMPTY)
            cur, _ = curate(store, EMPTY)
            moved = len(apply_all(store))
            mentions, blocks = rebuild(store)
        print(f"kg resolve, layer current: {up} graphs upgraded, {cur} curated, {moved} moved by careers, "
              f"{mentions} mentions, {blocks} "
              f"blocks: {again.figures()}")
        for step, name in ((first, "first build"), (again, "kg resolve, layer current")):
            print(f"  {name}, linear extrapolation to 100k articles: {step.wall * 100_000 / articles:.0f} s wall, "
                  f"{step.cpu * 100_000 / articles:.0f} s CPU")

        batch = fill(store, articles + 1_000_000, 500, pools, rng)  # ids apart from a kept store's
        with Step(False) as fresh:
            refresh(store, batch)
        print(f"ingest refresh of one 500-article batch into this store: {fresh.figures()}")
        store.close()
        first.print_profile("first build")
        again.print_profile("kg resolve, layer current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
