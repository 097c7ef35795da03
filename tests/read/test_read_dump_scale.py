"""A 1,000-record JSON Lines dump and CSV dump (issue 18) store exactly the quads of the same articles given as
1,000 text pages, through batch ingest with its progress output.

The records are generated (``benchmarks.corpus``): one per article, without URL or 版次, so that the text pages
(each record's text page written to a file, its paper and date in a sidecar) are the same articles. The stores
are exported as N-Quads and compared sorted. Two kinds of quad say where an article was read from, so they
legitimately differ, and are taken out and compared apart, each against what it must be:

- ``kg:sourceFile``: ``rec-0001.txt`` for a text page, ``dump.jsonl#1`` (the record's line or number) for a record;
- ``kg:pagePosition``: the article's position in its source file (ontology: "in its page file, from 0"): 0 in
  a text page of one article, the record's position in the dump (0 to 999).

Everything else (article IRIs, content hashes, text offsets, people, events, the identity resolution graphs)
must be equal.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from kg.ingest import ingest_batch
from kg.progress import Progress
from kg.read.dumps import Record
from kg.read.inputs import read_input
from kg.store import open_store

BASE = "http://127.0.0.1:8000"
N = int(os.environ.get("KG_TEST_DUMP_RECORDS", "1000"))  # smaller only to debug this test
PROVENANCE = {"<https://w3id.org/newskg/ontology#sourceFile>": "file",
              "<https://w3id.org/newskg/ontology#pagePosition>": "position"}


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[dict]:
    """N records, one per generated article (a headline repeated on the same day of the same paper is left out:
    such articles are one article to both readers, and the survivor would depend on order alone)."""
    out = tmp_path_factory.mktemp("corpus")
    generate(out, N + 150, seed=11)
    recs, seen = [], set()
    for page in sorted(out.rglob("*.txt")):
        for a in read_input(page)[1]:
            reporter = next((c.name for c in a.credits if c.role == "reporter"), "")
            key = (a.publication.name, a.publication.date, a.headline)
            if key in seen:
                continue
            seen.add(key)
            recs.append({"title": a.headline, "date": a.publication.date.isoformat(), "text": a.body[a.text_start:],
                         "publication": a.publication.name, "author": reporter})
    assert len(recs) >= N
    return recs[:N]


def ingest(paths: list[Path], store_dir: Path, jobs: int) -> tuple[str, list[str], object]:
    """Batch ingest with the progress shown as plain lines; returns the sorted N-Quads, the progress lines, report."""
    stream = io.StringIO()
    progress = Progress(0, 0, stream=stream, tty=False, interval=0.0)
    store = open_store(store_dir)
    try:
        report = ingest_batch(store, paths, base=BASE, jobs=jobs, progress=progress)
        out = io.BytesIO()
        store.export("nquads", out)
    finally:
        store.close()
    return out.getvalue().decode(), stream.getvalue().splitlines(), report


def split(nquads: str) -> tuple[list[str], dict[str, tuple[str, int]]]:
    """The quads that must be equal (sorted), and each article's source file and position in it."""
    same, where = [], {}
    for line in nquads.splitlines():
        if not line.strip():
            continue
        subject, pred, rest = line.split(" ", 2)
        if pred in PROVENANCE:
            value = json.loads(rest.split("^^")[0] if "^^" in rest else rest.rsplit(" <", 1)[0])
            where.setdefault(subject, {})[PROVENANCE[pred]] = value
        else:
            same.append(line)
    return sorted(same), {s: (w["file"], int(w["position"])) for s, w in where.items()}


@pytest.fixture(scope="module")
def text_pages(records, tmp_path_factory) -> tuple[list[str], dict[str, str]]:
    folder = tmp_path_factory.mktemp("pages")
    for i, rec in enumerate(records, 1):
        page = folder / f"rec-{i:04d}.txt"
        page.write_text(Record(i, rec).text_page(), encoding="utf-8")
        page.with_name(page.stem + ".meta.json").write_text(
            json.dumps({"publication": rec["publication"], "date": rec["date"]}, ensure_ascii=False), encoding="utf-8")
    nquads, lines, report = ingest([folder], tmp_path_factory.mktemp("s") / "store", jobs=2)
    assert report.articles == N and not report.errors
    return split(nquads)


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_dump_of_1000_records_stores_the_quads_of_1000_text_pages(kind, records, text_pages, tmp_path):
    path = tmp_path / "dumps" / f"dump.{kind}"
    path.parent.mkdir()
    if kind == "jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    else:
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(records[0]))
            w.writeheader()
            w.writerows(records)
    nquads, lines, report = ingest([path.parent], tmp_path / "store", jobs=2)
    assert report.articles == N and not report.errors and report.files == 1
    # the progress output: plain lines while it runs, and the final count
    assert lines and all(ln.startswith("ingest: ") for ln in lines)
    assert re.match(rf"ingest: 1/1 files, {N} articles, \d+ quads", lines[-1])
    same, where = split(nquads)
    want_same, want_where = text_pages
    assert len(same) > 30 * N  # a real graph, not two empty ones
    assert same == want_same
    # the legitimate differences, article for article: record i of the dump is text page rec-i.txt
    assert set(where) == set(want_where)
    pairs = {want_where[a]: where[a] for a in where}
    assert pairs == {(f"rec-{i:04d}.txt", 0): (f"dump.{kind}#{i}", i - 1) for i in range(1, N + 1)}
