"""Cost of the resolution layer at scale: ``kg resolve`` and the ingest refresh on a large store.

    python benchmarks/identity_scale.py [--articles 20000] [--profile] [--keep DIR]
    python benchmarks/identity_scale.py --ingest 1000 [--jobs 2]     # the refresh's share of a real ingest

Real ingest of 20k articles takes long on a shared 2-core machine, and the resolution layer reads
only the person mentions, so the store is made of article graphs written directly: each with the
triples the mapper writes for an article (a header of ~20 triples of text and metadata, ~7 people
with their mention, name, pinyin, posts) and the same shape of names as the synthetic corpus
(about 0.7 new written names per article, so the blocks grow with the store, as in
``benchmarks/corpus.py``: 1,453 blocks for 2,000 articles). What is timed:

- ``kg resolve`` as ``kg.cli.cmd_resolve`` runs it: ``upgrade`` (articles without mentions),
  ``curate`` without a file (the stale-rules check), ``rebuild`` (every block dropped and written);
- the ingest refresh (``kg.resolve.refresh``) for a batch of 500 articles written into that store,
  the cost ingest pays per batch (compare with the batch's ingest time in benchmarks/ingest_scale.py).

``--ingest N`` instead generates N articles with ``benchmarks/corpus.py`` and ingests them for real
(``kg.ingest.ingest_batch``, the real extractor, ``--jobs`` workers), timing every call of the
resolution refresh the writer makes after each batch: its share of the ingest's wall-clock time is
the throughput the resolution layer costs (issue 14's goal: at most 10 %).

Peak resident memory of the process is printed with each figure. ``--profile`` prints the top
cProfile entries of the rebuild.
"""

from __future__ import annotations

import argparse
import cProfile
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


def article_text(i: int, names: list[tuple[str, str]], rules: str) -> tuple[str, str]:
    """(article IRI, statements) of one synthetic article graph, as the mapper shapes it."""
    from kg.rdf import iris

    a = f"{BASE}/article/2021-01-01-{i:012x}"
    st = [f"<{a}> {RDF_TYPE} <{S}NewsArticle>", f'<{a}> <{S}headline> "会议{i}"@zh',
          f'<{a}> <{K}locality> "城{i % 40}市"@zh', f'<{a}> <{K}identityRules> "{rules}"',
          f'<{a}> <{S}articleBody> "{"本报讯 会议召开。" * 20}"@zh']
    st += [f'<{a}> <{K}filler{j}> "{j}"' for j in range(15)]
    for name, qual in names:
        p = f"{BASE}/person/{iris.person_id(name, qual)}"
        m = f"{a}#mention-{iris.ident(name, 30)}"
        st += [f"<{p}> {RDF_TYPE} <{S}Person>", f'<{p}> <{S}name> "{name}"@zh', f'<{p}> <{K}pinyin> "x"',
               f"<{a}> <{S}mentions> <{p}>", f"<{p}> <http://www.w3.org/ns/org#holds> <{BASE}/post/p{i % 97}>",
               f"<{m}> {RDF_TYPE} <{K}PersonMention>", f'<{m}> <{K}writtenName> "{name}"@zh',
               f"<{m}> <{K}mentionOf> <{p}>", f"<{m}> <{K}identityBasis> <{K}PostJurisdiction>",
               f'<{m}> <{K}jurisdiction> "城{i % 40}市"@zh', f"<{m}> {PROV} <{a}>"]
    return a, " .\n".join(st)


def fill(store, start: int, n: int, world: World, pool: list[str], rng: random.Random) -> list[str]:
    from kg.rdf.identity import rules_version
    from kg.store.base import GraphUpdate

    rules = rules_version()
    written = []
    ups = []
    for i in range(start, start + n):
        for _ in range(rng.choice((0, 1, 1, 2))):  # ~0.7 new written names per article
            pool.append(world.name())
        names = {rng.choice(pool) for _ in range(7)}
        a, text = article_text(i, [(nm, f"q{i % 40}") for nm in sorted(names)], rules)
        ups.append(GraphUpdate.from_text(a, text))
        written.append(a)
        if len(ups) >= 2000:
            store.replace_graphs(ups)
            ups = []
    store.replace_graphs(ups)
    return written


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ingest_share(n: int, jobs: int, keep: Path | None) -> None:
    """Ingest a generated corpus of ``n`` articles; print the refresh's share of the time."""
    import kg.ingest as ingest_mod
    from benchmarks.corpus import generate
    from kg.store import open_store

    spent: list[float] = []
    real = ingest_mod.refresh_resolution

    def timed(store, article_iris):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        real(store, article_iris)
        spent.append(time.perf_counter() - t)

    ingest_mod.refresh_resolution = timed  # the writer calls it by this module name after each batch
    with tempfile.TemporaryDirectory() as tmp:
        root = keep or Path(tmp)
        generate(root / "pages", n)
        store = open_store(root / "store")
        t0 = time.perf_counter()
        rep = ingest_mod.ingest_batch(store, [root / "pages"], base=BASE, jobs=jobs)
        total = time.perf_counter() - t0
        store.close()
    share = sum(spent) / total if total else 0.0
    print(f"ingest of {rep.articles} generated articles, --jobs {jobs}: {total:.1f} s; resolution refresh "
          f"{sum(spent):.1f} s in {len(spent)} batches ({100 * share:.1f} % of the ingest's time; "
          f"largest batch {max(spent, default=0):.2f} s)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--keep", type=Path)
    ap.add_argument("--ingest", type=int, help="measure the refresh's share of a real ingest of N articles")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    if args.ingest:
        ingest_share(args.ingest, args.jobs, args.keep)
        return 0

    from kg.rdf.curation import EMPTY
    from kg.resolve import curate, rebuild, refresh, upgrade
    from kg.store import open_store

    rng = random.Random(1)
    world = World(1, 100)
    pool = [world.name() for _ in range(50)]
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        store = open_store(root / "store")
        t0 = time.perf_counter()
        fill(store, 0, args.articles, world, pool, rng)
        print(f"store: {args.articles} articles, {len(pool)} written names, made in "
              f"{time.perf_counter() - t0:.1f} s; peak {peak_mb():.0f} MB")
        t0, c0 = time.perf_counter(), time.process_time()
        mentions, blocks = rebuild(store)  # the first build of the layer (as after a plain load)
        print(f"first rebuild: {mentions} mentions, {blocks} blocks in {time.perf_counter() - t0:.1f} s "
              f"(CPU {time.process_time() - c0:.1f} s); peak {peak_mb():.0f} MB")

        t0, c0 = time.perf_counter(), time.process_time()
        prof = cProfile.Profile() if args.profile else None
        if prof:
            prof.enable()
        up = upgrade(store, EMPTY)
        t1 = time.perf_counter()
        cur, _ = curate(store, EMPTY)
        t2 = time.perf_counter()
        mentions, blocks = rebuild(store)
        t3, c3 = time.perf_counter(), time.process_time()
        if prof:
            prof.disable()
        print(f"kg resolve: {t3 - t0:.1f} s (upgrade {t1 - t0:.1f} s: {up} graphs, curate {t2 - t1:.1f} s: {cur} "
              f"graphs, rebuild {t3 - t2:.1f} s: {mentions} mentions, {blocks} blocks), CPU {c3 - c0:.1f} s; "
              f"peak {peak_mb():.0f} MB")
        per_100k = (t3 - t0) * 100_000 / args.articles
        print(f"  linear extrapolation to 100k articles: {per_100k:.0f} s wall, "
              f"{(c3 - c0) * 100_000 / args.articles:.0f} s CPU")

        batch = fill(store, args.articles, 500, world, pool, rng)
        t0, c0 = time.perf_counter(), time.process_time()
        refresh(store, batch)
        print(f"ingest refresh of one 500-article batch into this store: {time.perf_counter() - t0:.2f} s "
              f"(CPU {time.process_time() - c0:.2f} s)")
        store.close()
        if prof:
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
