"""All of newskg's benchmarks in one run, at one size, with the machine they ran on.

    python benchmarks/run.py --size small          # < 5 minutes on 2 cores
    python benchmarks/run.py --size medium --only ingest

Sections (issue 9):

1. ingest — ``benchmarks/ingest_scale.py``: chars/s and articles/s with one worker and two, peak
   RSS, against the bare NER tagger on the same text.
2. sparql — ``benchmarks/sparql.py``: SPARQL over HTTP, ``kg serve`` against ``oxigraph serve`` and
   rdflib-endpoint on the same synthetic quads (100k at small, 1M at large): p50/p99 of four queries,
   four-client requests/s, peak RSS of each server, ``kg serve`` restart to first answer.
3. pages — ``benchmarks/pages.py``: entity page latency per page type, in-process (no sockets).

Every figure printed is measured in this run; a section that cannot run says why instead.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZES: dict[str, dict] = {
    # articles: the generated corpus; budget: seconds one ingest run with one worker may take (slow
    # extractors get fewer articles); tagger_chars: text for the bare-tagger figure
    "tiny": {"articles": 30, "budget": 1, "tagger_chars": 500},
    "small": {"articles": 3000, "budget": 30, "tagger_chars": 20000},
    "medium": {"articles": 10000, "budget": 90, "tagger_chars": 100000},
    "large": {"articles": 100000, "budget": 900, "tagger_chars": 300000},
}
SECTIONS = ("ingest", "sparql", "pages")


@dataclass
class Section:
    """One benchmark's outcome: a table and ratios, or the reason it did not run."""

    name: str
    table: str = ""
    ratios: list[str] = field(default_factory=list)
    skipped: str | None = None


def machine() -> str:
    """What the figures depend on, for docs/benchmarks.md."""
    import pyoxigraph

    try:
        mem = next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
        mem_gib = int(mem.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        mem_gib = 0.0
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = "?"
    return (
        f"{os.cpu_count()} cores, {mem_gib:.1f} GiB RAM, {platform.platform()}; Python {platform.python_version()}, "
        f"pyoxigraph {pyoxigraph.__version__}; commit {commit or '?'}; load average {os.getloadavg()[0]:.1f} at start"
    )


def ingest_section(size: str, jobs: list[int], repeat: int = 1) -> Section:
    from benchmarks import ingest_scale

    cfg = SIZES[size]
    res = ingest_scale.run(cfg["articles"], jobs, list(ingest_scale.EXTRACTORS), budget=cfg["budget"],
                           tagger_chars=cfg["tagger_chars"], repeat=repeat)
    return Section("ingest", res["table"], res["ratios"])


def sparql_section(size: str) -> Section:
    """SPARQL over HTTP: ``kg serve`` against ``oxigraph serve`` and rdflib-endpoint (``benchmarks/sparql.py``)."""
    from benchmarks import sparql

    res = sparql.run(size)
    return Section("sparql", res["table"], res["ratios"])


PAGE_SIZES = {"tiny": ([2_000], 3), "small": ([10_000, 100_000], 20), "medium": ([10_000, 100_000], 60),
              "large": ([10_000, 100_000, 1_000_000], 60)}


def pages_section(size: str) -> Section:
    """Entity page latency in-process (``benchmarks/pages.py``); serve RSS is in the sparql section."""
    from benchmarks import pages

    sizes, requests = PAGE_SIZES[size]
    lines = [pages.HEADER]
    by_size = {}
    for n in sizes:
        by_size[n] = pages.measure(n, requests)
        lines += [pages.line(n, kind, r) for kind, r in by_size[n].items()]
    return Section("pages", "\n".join(lines), pages.ratios(by_size))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=list(SIZES), default="small")
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections ({', '.join(SECTIONS)})")
    ap.add_argument("--jobs", default="1,2", help="worker counts for the ingest section (default 1,2)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per configuration, fastest kept (shared machines)")
    args = ap.parse_args(argv)
    wanted = [s for s in args.only.split(",") if s]
    for s in wanted:
        if s not in SECTIONS:
            ap.error(f"unknown section {s}")
    t0 = time.perf_counter()
    print(f"newskg benchmarks, size {args.size}: {machine()}")
    sections: list[Section] = []
    for name in wanted:
        print(f"\n## {name}", flush=True)
        if name == "ingest":
            sec = ingest_section(args.size, [int(j) for j in args.jobs.split(",")], args.repeat)
        elif name == "sparql":
            sec = sparql_section(args.size)
        else:
            sec = pages_section(args.size)
        sections.append(sec)
        print(sec.table if not sec.skipped else sec.skipped, flush=True)
    print("\n## ratios")
    for sec in sections:
        for line in sec.ratios:
            print(f"- {line}")
        if sec.skipped:
            print(f"- {sec.name}: {sec.skipped}")
    print(f"\n({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
