"""Batch ingest of folders: worker pool, transactions of many files, resume, per-file errors, progress."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from kg.errors import KgError, StoreError
from kg.ingest import ingest_batch, walk
from kg.progress import Progress
from kg.store import open_store

ROOT = Path(__file__).resolve().parents[2]
BASE = "http://127.0.0.1:8000"


def article_graphs(store) -> list[str]:
    """The article graphs (the identity resolution layer has graphs of its own, kg.resolve)."""
    from kg.resolve import is_resolution_graph

    return [g for g in store.graph_iris() if not is_resolution_graph(g)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("corpus")
    manifest = generate(out, 40, seed=7)
    return out, manifest


@pytest.fixture(scope="module")
def many_pages(tmp_path_factory) -> Path:
    """23 pages (60 articles): room for twenty good files and two bad ones."""
    out = tmp_path_factory.mktemp("many")
    assert generate(out, 60, seed=11)["pages"] >= 22
    return out


def dump(store_dir: Path) -> list[str]:
    store = open_store(store_dir, read_only=True)
    buf = io.BytesIO()
    store.export("nquads", buf)
    store.close()
    return sorted(buf.getvalue().decode("utf-8").splitlines())


def ingest(store_dir: Path, paths, **kw):
    store = open_store(store_dir)
    try:
        return ingest_batch(store, paths, base=BASE, **kw)
    finally:
        store.close()


def copy_pages(files: list[Path], folder: Path, extra: dict[Path, str] | None = None) -> list[Path]:
    """Copy pages (and their sidecars) into one flat folder under unique names; ``extra`` text appended."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, f in enumerate(files):
        dest = folder / f"{i:02d}-{f.name}"
        dest.write_text(f.read_text(encoding="utf-8") + (extra or {}).get(f, ""), encoding="utf-8")
        side = f.with_name(f.stem + ".meta.json")
        dest.with_name(dest.stem + ".meta.json").write_bytes(side.read_bytes())
        out.append(dest)
    return out


def kg(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    e = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=e)


def test_walk_finds_pages_in_nested_folders_only(corpus):
    folder, manifest = corpus
    files = list(walk([folder]))
    assert len(files) == manifest["pages"]
    assert all(f.suffix == ".txt" for f in files)  # sidecars and corpus.json are not pages
    assert files == sorted(files)


def test_every_generated_article_is_read_and_stored(corpus, tmp_path):
    folder, manifest = corpus
    rep = ingest(tmp_path / "s", [folder], jobs=1)
    assert rep.failed == 0 and rep.files == manifest["pages"]
    assert rep.articles == manifest["articles"]
    store = open_store(tmp_path / "s", read_only=True)
    assert len(article_graphs(store)) == manifest["articles"]
    q = 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!CONTAINS(STR(?g), "/resolution/")) }'
    assert int(next(store.query(q).rows())["n"]) == rep.quads  # the article graphs' quads
    store.close()


def test_two_workers_store_exactly_what_one_does(corpus, tmp_path):
    folder, _ = corpus
    one = ingest(tmp_path / "one", [folder], jobs=1, batch_articles=7)
    two = ingest(tmp_path / "two", [folder], jobs=2, batch_articles=7)
    assert (one.articles, one.quads) == (two.articles, two.quads)
    assert dump(tmp_path / "one") == dump(tmp_path / "two")


def test_batch_matches_file_by_file_ingest(corpus, tmp_path):
    folder, _ = corpus
    ingest(tmp_path / "batch", [folder], jobs=1)
    for f in walk([folder]):
        assert kg("ingest", "--store", str(tmp_path / "single"), str(f)).returncode == 0
    assert dump(tmp_path / "batch") == dump(tmp_path / "single")


def test_resume_skips_stored_files_and_reads_changed_ones(corpus, tmp_path):
    src, _ = corpus
    folder = tmp_path / "pages"
    files = copy_pages(list(walk([src]))[:6], folder)
    first = ingest(tmp_path / "s", [folder], jobs=1)
    assert first.skipped == 0 and first.articles > 0
    again = ingest(tmp_path / "s", [folder], jobs=1, skip_known=True)
    assert again.skipped == 6 and again.articles == 0
    changed = files[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n补充一段新的正文内容。\n", encoding="utf-8")
    third = ingest(tmp_path / "s", [folder], jobs=2, skip_known=True)
    assert third.skipped == 5 and third.files == 6 and third.articles >= 1


def bad_folder(tmp_path: Path, corpus_dir: Path) -> Path:
    folder = tmp_path / "mixed"
    copy_pages(list(walk([corpus_dir]))[:5], folder)
    (folder / "0-empty.txt").write_bytes(b"")
    (folder / "9-gbk.txt").write_bytes("# 标题\n\n正文。\n".encode("gbk"))
    return folder


@pytest.mark.parametrize("jobs", [1, 2])
def test_bad_files_are_reported_and_the_rest_stored(corpus, tmp_path, jobs):
    folder = bad_folder(tmp_path, corpus[0])
    rep = ingest(tmp_path / "s", [folder], jobs=jobs)
    assert rep.failed == 2 and rep.files == 7
    assert any("empty file" in e for e in rep.errors) and any("gb18030" in e for e in rep.errors)
    store = open_store(tmp_path / "s", read_only=True)
    assert len(article_graphs(store)) == rep.articles > 0
    store.close()


def test_cli_batch_exit_status_errors_and_summary(corpus, tmp_path):
    folder = bad_folder(tmp_path, corpus[0])
    res = kg("ingest", "--store", str(tmp_path / "s"), "--jobs", "2", str(folder))
    assert res.returncode == 1
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("kg: ")]
    assert len(errors) == 2 and "Traceback" not in res.stderr
    summary = [ln for ln in res.stderr.splitlines() if ln.startswith("ingest: 7 files")]
    assert summary and "(0 skipped, 2 failed)" in summary[0] and "articles/s" in summary[0]
    ok = kg("ingest", "--store", str(tmp_path / "s2"), str(corpus[0]))
    assert ok.returncode == 0, ok.stderr


def test_a_failed_transaction_loses_only_the_file_at_fault(corpus, tmp_path):
    """A batch whose write fails is written again file by file: each file whole or not at all."""
    folder, _ = corpus
    files = list(walk([folder]))[:6]
    store = open_store(tmp_path / "s")
    real = store.replace_graphs
    poisoned: list[str] = []

    def replace(updates):
        if poisoned and any(u.iri in poisoned for u in updates):
            raise StoreError("simulated write failure")
        real(updates)

    from kg.ingest import build_graphs

    _, _, graphs = build_graphs(files[2], base=BASE)
    poisoned += [str(g.iri) for g in graphs]
    store.replace_graphs = replace  # type: ignore[method-assign]
    try:
        rep = ingest_batch(store, files, base=BASE, jobs=1, batch_articles=1000)
        stored = set(article_graphs(store))
    finally:
        store.close()
    assert rep.failed == 1 and str(files[2]) in rep.errors[0]
    assert not stored & set(poisoned)
    assert len(stored) == rep.articles > 0


def tests_importable() -> None:
    """Workers import the test extractors by name, from tests.support (they inherit the parent's sys.path)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


CRASH = "\n自毁标记出现在这里。\n"  # crashing_extractor.MARK: the worker reading it exits at once


def test_a_worker_that_dies_costs_only_its_file(corpus, tmp_path):
    folder, _ = corpus
    files = list(walk([folder]))[:10]
    victim = files[3]
    marked = tmp_path / "pages"
    copied = copy_pages(files, marked, {victim: CRASH})
    tests_importable()
    rep = ingest(tmp_path / "s", [marked], jobs=2, extractor="tests.support.crashing_extractor:extract")
    assert rep.failed == 1 and str(copied[3]) in rep.errors[0] and "died" in rep.errors[0]
    assert rep.files == 10 and rep.articles > 0


def test_two_files_that_kill_workers_among_twenty_good_ones(many_pages, tmp_path):
    """Exactly the two killers are reported; the twenty others are stored as --jobs 1 stores them.

    The killers sit in different tasks (8 files each), so the pool breaks twice, and each time the
    other worker's task is killed with it: its innocent files must be run again, not blamed.
    """
    files = list(walk([many_pages]))[:22]
    killers = {5, 17}
    marked = tmp_path / "pages"
    copied = copy_pages(files, marked, {files[i]: CRASH for i in killers})
    tests_importable()
    rep = ingest(tmp_path / "s", [marked], jobs=2, extractor="tests.support.crashing_extractor:extract")
    assert rep.files == 22 and rep.failed == 2
    assert rep.errors == [f"{copied[i]}: the worker process reading it died" for i in sorted(killers)]
    failed = [str(r.path) for r in rep.results if r.error]
    assert failed == [str(copied[i]) for i in sorted(killers)]

    good = tmp_path / "good"  # the same twenty files (same names) without the killers, in one process
    good.mkdir()
    for i, f in enumerate(copied):
        if i not in killers:
            for name in (f.name, f.stem + ".meta.json"):
                (good / name).write_bytes((marked / name).read_bytes())
    alone = ingest(tmp_path / "one", [good], jobs=1)
    assert alone.failed == 0 and (rep.articles, rep.quads) == (alone.articles, alone.quads) > (0, 0)
    assert dump(tmp_path / "s") == dump(tmp_path / "one")


def test_workers_that_die_before_reading_stop_the_run_with_a_message(corpus, tmp_path):
    """No file is blamed when workers die while loading the extractor, and the pool is not restarted for ever."""
    folder, _ = corpus
    tests_importable()
    with pytest.raises(KgError, match="keep dying before reading any file"):
        ingest(tmp_path / "s", list(walk([folder]))[:4], jobs=2, extractor="tests.support.dying_extractor:extract")


def test_progress_lines_when_not_a_terminal(corpus, tmp_path):
    res = kg("ingest", "--store", str(tmp_path / "s"), "--jobs", "1", str(corpus[0]), env={"KG_PROGRESS_INTERVAL": "0"})
    assert res.returncode == 0, res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("ingest: ") and "ETA" in ln]
    assert len(lines) >= corpus[1]["pages"]  # one per file at interval 0
    assert "articles/s" in lines[-1] and "\r" not in res.stderr


def test_progress_bar_on_a_terminal():
    out = io.StringIO()
    p = Progress(4, 400, out, tty=True, interval=0)
    for _ in range(4):
        p.advance(nbytes=100, articles=2, quads=50)
    p.message("kg: a.txt: empty file")
    p.finish()
    text = out.getvalue()
    assert "\r" in text and "100%" in text and "8 articles" in text and "ETA" in text
    assert "kg: a.txt: empty file\n" in text and text.endswith("\n")


def test_single_file_output_is_unchanged(seed_path, tmp_path):
    res = kg("ingest", "--store", str(tmp_path / "s"), str(seed_path))
    assert res.returncode == 0
    lines = res.stderr.splitlines()
    assert lines[0].startswith(f"{seed_path}: ") and "article(s)" in lines[0]
    assert not any(ln.startswith("ingest: ") for ln in lines)


def test_store_batch_write_paths_agree(tmp_path):
    """New graphs go in by one TriG load, others by DROP+INSERT: the results must be the same."""
    from kg.store.base import GraphUpdate

    g1, g2 = "http://x.org/a/1", "http://x.org/a/2"
    t = '<http://x.org/s> <http://x.org/p> "甲\\n乙"@zh'
    store = open_store(tmp_path / "s")
    try:
        store.replace_graphs([GraphUpdate.from_text(g1, t), GraphUpdate.from_text(g2, t)])  # all new: load
        assert store.quad_count() == 2
        store.replace_graphs([GraphUpdate.from_text(g1, '<http://x.org/s> <http://x.org/p> "丙"')])  # replace
        assert store.quad_count() == 2
        rows = store.query(f"SELECT ?o WHERE {{ GRAPH <{g1}> {{ ?s ?p ?o }} }}").rows()
        assert [str(r["o"]) for r in rows] == ["丙"]
        g3 = "http://x.org/a/3"  # the same new graph twice in one batch: the last one wins
        store.replace_graphs([GraphUpdate.from_text(g3, t), GraphUpdate.from_text(g3, t.replace("甲", "丁"))])
        rows = store.query(f"SELECT ?o WHERE {{ GRAPH <{g3}> {{ ?s ?p ?o }} }}").rows()
        assert [str(r["o"]) for r in rows] == ["丁\n乙"]
        assert len(GraphUpdate.from_text(g3, t).triples) == 1  # backends without the text fast path
    finally:
        store.close()


def test_files_stored_elsewhere_are_refreshed_from_the_store_not_the_workers_rows(tmp_path):
    """A cluster task that wrote its files to a shared store hands the writer its mentions too, but the
    career joins of files recorded meanwhile may have rewritten those graphs: the writer reads them.
    Files it wrote itself just now it takes from the worker (here a forged name shows which was used)."""
    from kg.ingest import BatchReport, BatchWriter, IngestOptions
    from kg.ingest_pool import file_work
    from kg.progress import Progress
    from kg.store.base import GraphUpdate
    from tests.identity.test_identity import page

    def blocks(store) -> set[str]:
        rows = store.query("PREFIX kg: <https://w3id.org/newskg/ontology#> "
                           "SELECT DISTINCT ?n WHERE { GRAPH ?b { ?b a kg:NameBlock ; kg:writtenName ?n } }").rows()
        return {str(r["n"]) for r in rows}

    for written_here in (False, True):
        p = page(tmp_path / f"pages{written_here}", "p", "青禾市", "2021-03-02", "青禾市会议",
                 "本报讯 青禾市召开会议。市长柯望舒出席。")
        work = file_work(str(p), IngestOptions(base=BASE))
        work.mentions = {g: [m._replace(name="伪造名") for m in ms] for g, ms in work.mentions.items()}
        assert work.mentions
        store = open_store(tmp_path / f"s{written_here}")
        try:
            writer = BatchWriter(store, BatchReport(), Progress(1, 0, enabled=False))
            if written_here:
                writer.take([work])
                writer.flush()
            else:  # as kg.cluster does once a task wrote its files to the shared store
                store.replace_graphs([GraphUpdate.from_text(i, t) for i, t, _ in work.graphs])
                writer.stored([(work, None)])
            assert ("伪造名" in blocks(store)) is written_here and ("柯望舒" in blocks(store)) is not written_here
        finally:
            store.close()


def _writes(sizes: list[int], batch: int, told: bool, per_task: int = 5) -> list[int]:
    """The writes (articles each) a BatchWriter makes of files of ``sizes`` articles, ``per_task`` files a
    task, told or not how many files are to come; the store write itself left out."""
    from kg.ingest import BatchReport, BatchWriter
    from kg.ingest_pool import FileWork

    class Store:
        def flush(self) -> None:
            pass

    writer = BatchWriter(Store(), BatchReport(), Progress(len(sizes), len(sizes), enabled=False),  # type: ignore[arg-type]
                         batch_articles=batch)
    written: list[int] = []

    def flush() -> None:
        if writer.batch:
            written.append(writer.pending_articles)
        writer.batch.clear()
        writer.pending_articles = 0

    writer.flush = flush  # type: ignore[method-assign]
    files = [FileWork(f"f{i}", graphs=[(f"g{i}-{j}", "", 1) for j in range(n)]) for i, n in enumerate(sizes)]
    for k in range(0, len(files), per_task):
        writer.take(files[k : k + per_task], len(files) - k - per_task if told else None)
    writer.flush()
    return written


def test_the_writes_shrink_as_the_workers_finish() -> None:
    """Told how many files are still to come, the writer writes full batches, then, with less than a batch
    to come, as soon as what waits is as much as what is to come: a half, a quarter, an eighth of a
    batch, so the write left for after the workers (with nothing beside it) is small."""
    assert _writes([1] * 350, 100, told=False) == [100, 100, 100, 50]
    assert _writes([1] * 350, 100, told=True) == [100, 100, 75, 40, 20, 15]
    assert _writes([1] * 2000, 500, told=True, per_task=20) == [500, 500, 500, 260, 120, 80, 40]


@pytest.mark.parametrize("sizes", [[1] * 300 + [40] * 30,  # single pages, then dumps: the estimate is low
                                   [0] * 400 + [1] * 200,  # files without articles: the estimate is low
                                   [3, 0, 1, 7] * 60, [1] * 7])
def test_what_the_writer_holds_stays_bounded(sizes: list[int]) -> None:
    """However wrong the estimate of what is to come, the writer never holds more than a batch (and a
    task), and makes at most three more writes than untold, each but the last at least an eighth of a
    batch."""
    from kg.ingest import ENDING_WRITES

    for per_task in (1, 5):
        told, untold = _writes(sizes, 100, True, per_task), _writes(sizes, 100, False, per_task)
        assert sum(told) == sum(untold) == sum(sizes)
        assert max(told) < 100 + per_task * max(sizes)
        assert all(w >= 100 / 8 for w in told[:-1]) and len(told) <= len(untold) + ENDING_WRITES
