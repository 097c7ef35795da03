"""Cost of the career joins (kg.careers) at scale: in ``kg resolve`` and in the refresh after an ingest batch.

    python benchmarks/careers_scale.py [--articles 5000] [--lined 0.1]

The store is ``benchmarks/identity_scale.py``'s (article graphs written directly, ~7 people each,
the same shape of names), with a share ``--lined`` of the mentions given a line of work (``kg:sector``
education, a 局长 post of an education bureau), so that many name blocks hold two lines and are
planned (dates and posts read, ``kg.rdf.careers.plan``) and some articles moved. Timed:

- ``kg.careers.apply_all`` (what ``kg resolve`` adds): once on the fresh store, once more when
  nothing changes (the usual ``kg resolve``);
- ``kg.careers.refresh`` for a batch of 500 articles written into that store (what each ingest batch
  adds to the resolution refresh).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import World  # noqa: E402
from benchmarks.identity_scale import BASE, K, fill, peak_mb  # noqa: E402


def add_lines(store, articles: list[str], share: float, rng: random.Random) -> int:
    """Give a share of the mentions of ``articles`` the education line (sector, a bureau post, a date):
    what the mapper writes for a 教育局局长. Returns the mentions changed."""
    from kg.mentions import mentions_in
    from kg.rdf import iris

    updates = []
    n = 0
    for m in mentions_in(store, articles):
        if rng.random() >= share:
            continue
        n += 1
        jur = m.jurisdiction or ""
        edu = f"{BASE}/person/{iris.person_id(m.name, iris.ident(jur, 30) + '_education')}"
        post = f"{BASE}/post/edu-{iris.ident(jur, 30)}"
        body = f"{BASE}/organization/edu-{iris.ident(jur, 30)}"
        day = f"20{19 + rng.randrange(4)}-0{1 + rng.randrange(9)}-1{rng.randrange(10)}"
        updates.append(f"""DELETE {{ GRAPH <{m.article}> {{ <{m.mention}> <{K}mentionOf> <{m.person}> .
                                               <{m.mention}> <{K}jurisdiction> ?j }} }}
INSERT {{ GRAPH <{m.article}> {{ <{m.mention}> <{K}mentionOf> <{edu}> ; <{K}sector> "education" ;
    <{K}jurisdiction> "{jur}"@zh . <{edu}> <http://www.w3.org/ns/org#holds> <{post}> .
    <{post}> <http://www.w3.org/2000/01/rdf-schema#label> "{jur}教育局局长"@zh ;
    <http://www.w3.org/ns/org#postIn> <{body}> . <{body}> <https://schema.org/name> "{jur}教育局"@zh .
    <{m.article}> <https://schema.org/datePublished> "{day}" }} }}
WHERE {{ GRAPH <{m.article}> {{ <{m.mention}> <{K}jurisdiction> ?j }} }}""")
    for i in range(0, len(updates), 500):
        store.update(" ;\n".join(updates[i : i + 500]))
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--lined", type=float, default=0.1)
    args = ap.parse_args()

    from kg.careers import apply_all, refresh
    from kg.store import open_store

    rng = random.Random(1)
    world = World(1, 100)
    pool = [world.name() for _ in range(50)]
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "store")
        written = fill(store, 0, args.articles, world, pool, rng)
        lined = add_lines(store, written, args.lined, rng)
        print(f"store: {args.articles} articles, {lined} mentions given the education line")
        for what in ("apply_all, fresh", "apply_all, nothing to change"):
            t0, c0 = time.perf_counter(), time.process_time()
            moved = apply_all(store)
            print(f"{what}: {len(moved)} articles moved in {time.perf_counter() - t0:.1f} s "
                  f"(CPU {time.process_time() - c0:.1f} s); peak {peak_mb():.0f} MB")
        batch = fill(store, args.articles, 500, world, pool, rng)
        add_lines(store, batch, args.lined, rng)
        t0, c0 = time.perf_counter(), time.process_time()
        moved = refresh(store, batch)
        print(f"refresh after one 500-article batch: {len(moved)} articles moved in "
              f"{time.perf_counter() - t0:.2f} s (CPU {time.process_time() - c0:.2f} s)")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
