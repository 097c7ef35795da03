"""Search index build time, size and query latency on the pages benchmark's synthetic stores.

    PYTHONPATH=. .venv/bin/python benchmarks/search.py [--sizes 100000 1000000] [--requests 60]

For each size: the store of ``benchmarks/pages.py`` (invented names, the mapper's shapes, bodies with
sentences; cached under ~/.cache/newskg-bench from 500k quads), then ``kg.search.rebuild`` (the whole
index from a scan of the store: the cost of ``kg index`` and of a first ``kg serve``), the index file's
size, and p50/p99 of ``/search`` and ``/search.json`` through the service's app (in-process, after 3
warm-up requests) for queries of each kind: a person's name, pinyin, a post, an organisation,
headline words, body text, and a query without hits (the suggestion path).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from urllib.parse import urlencode

from benchmarks.pages import BASE, BROWSER, bench_store, percentile

QUERIES = {
    "name": [],  # the benchmark corpus's own people (its search samples)
    "pinyin": ["wang", "li ming", "zhang", "dong"],
    "post": ["书记", "副市长", "局长"],
    "organisation": ["示例市委", "锅炉集团", "理工大学"],
    "headline": ["代表大会召开", "座谈会召开"],
    "text": ["出席并讲话", "本报讯", "讲话"],
    "nothing (suggestions)": ["王小明不存在", "qqxxzz", "示例火星局长"],
    "page 5": ["wang&page=5", "讲话&page=5"],
}


def measure(size: int, requests: int, keep_index: bool = False) -> list[str]:
    from fastapi.testclient import TestClient

    import kg.search as S
    from kg.search import segment
    from kg.web.app import create_app

    lines = []
    from urllib.parse import parse_qs, urlsplit

    with bench_store(size) as (store, data):
        QUERIES["name"] = [parse_qs(urlsplit(u).query)["q"][0] for u in data.samples["search"][:4]]
        segment.tokenizer()  # jieba's dictionary once (≈ 1 s), not counted in the build
        path = S.index_path(store)
        t0 = time.perf_counter()
        if keep_index:
            idx = S.index_for(store)  # the file of an earlier run if usable
            how = "opened"
        else:
            for p in path.parent.glob(path.name + "*"):
                p.unlink()
            idx = S.rebuild(store)
            how = "built"
        took = time.perf_counter() - t0
        size_info = idx.size()
        quads = store.quad_count()
        lines.append(f"{quads:>8} quads: index {how} in {took:.1f} s, {size_info['bytes'] / 1e6:.1f} MB "
                     f"({size_info['graphs']} graphs, {size_info['articles']} articles, {size_info['names']} names, "
                     f"{size_info['name_graphs']} name-graph pairs); store folder "
                     f"{sum(f.stat().st_size for f in (path.parent / 'oxigraph').iterdir()) / 1e6:.1f} MB")
        client = TestClient(create_app(store, BASE), headers=BROWSER)
        for fmt in ("/search", "/search.json"):
            for kind, qs in QUERIES.items():
                urls = [f"{fmt}?q={q}" if "&" in q else f"{fmt}?{urlencode({'q': q})}" for q in qs]
                for u in urls[:3]:
                    assert client.get(u).status_code == 200, u
                times = []
                totals = []
                for i in range(requests):
                    u = urls[i % len(urls)]
                    t = time.perf_counter()
                    r = client.get(u)
                    times.append((time.perf_counter() - t) * 1000)
                    assert r.status_code == 200, u
                    if fmt == "/search.json" and i < len(urls):
                        totals.append(r.json()["total"])
                shown = f"  hits {totals}" if totals else ""
                lines.append(f"{quads:>8} {fmt:<12} {kind:<22} p50 {statistics.median(times):7.1f} ms  "
                             f"p99 {percentile(times, 99):7.1f} ms  n {len(times)}{shown}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--requests", type=int, default=60)
    ap.add_argument("--keep-index", action="store_true", help="reuse the index an earlier run left (no rebuild)")
    args = ap.parse_args(argv)
    for size in args.sizes:
        for line in measure(size, args.requests, args.keep_index):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
