"""Ingest: page files → articles → facts → article graphs → the store.

Each file is read and mapped completely before anything is written; its graphs are then written in
one transaction, so a failure leaves the store exactly as it was before that file.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from kg.career_memory import CareerMemory
from kg.errors import KgError, StoreError
from kg.extract.pipeline import extract
from kg.ingest_pool import (  # the worker pool; warm_up and one_thread_per_process also serve benchmarks
    FILES_PER_TASK,
    FileWork,
    _chunks,
    _pool_results,
    default_jobs,
    file_work,
    one_thread_per_process,
    read_task,
    warm_up,
)
from kg.model import Article, Extraction
from kg.progress import Progress
from kg.rdf.curation import EMPTY, Curation
from kg.rdf.mapping import ArticleGraph, map_article
from kg.read.inputs import INPUT_SUFFIXES, is_input, read_input, stored_records
from kg.read.source import Source
from kg.store.base import GraphUpdate, Store

PAGE_SUFFIXES = INPUT_SUFFIXES  # text and HTML pages, JSON Lines/CSV dumps, WARC files (kg.read.inputs)


@dataclass
class FileResult:
    path: Path
    articles: list[str] = field(default_factory=list)  # article IRIs
    quads: int = 0
    skipped: bool = False
    error: str | None = None
    problems: list[str] = field(default_factory=list)  # records of a dump that gave no article (FILE#N: why)


def walk(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files given, and input files (pages, HTML pages, dumps) under folders given, in a stable order."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(x for x in p.rglob("*") if x.is_file() and is_input(x))
        else:
            yield p


@dataclass(frozen=True)
class IngestOptions:
    """How every file of one ingest is read and minted: one value, built once from the command line.

    Why one object: the same options reach the single-file path, the local worker pool and a cluster's
    workers; one frozen, picklable value is sent to each worker instead of six arguments threaded
    through every signature (where one forgotten argument would make a worker mint other IRIs).
    ``extractor``: ``module:function`` instead of the real extractor (benchmarks, fault tests);
    ``curation``: the editors' overrides ``kg resolve`` applied (kg.rdf.curation), so a re-ingest mints
    the same people.
    """

    base: str
    encoding: str | None = None
    publication: str | None = None
    date: str | None = None
    locality: str | None = None
    extractor: str | None = None
    curation: Curation = EMPTY
    fields: dict[str, str] | None = None  # a dump's column names (--fields)
    # per dump file, the records already stored (--resume): asked of the store in the parent, left out by readers
    known_records: dict[str, frozenset[str]] | None = None
    # the writer keeps a search index (an embedded store): workers segment the texts it will index
    segment_text: bool = False


def build_graphs(path: Path, **options: Any) -> tuple[str, list[Article], list[ArticleGraph]]:
    """Read and map one file, touching no store. Returns (content hash, articles, graphs).

    ``options``: the fields of IngestOptions.
    """
    src, articles, graphs = read_and_map(path, IngestOptions(**options))
    return src.sha256, articles, graphs


def read_and_map(path: Path, options: IngestOptions) -> tuple[Source, list[Article], list[ArticleGraph]]:
    """The one reading of a file, for every path (single file, worker pool, cluster task)."""
    o = options
    src, articles = read_input(path, encoding=o.encoding, publication=o.publication, date=o.date, locality=o.locality,
                               fields=o.fields, known_records=(o.known_records or {}).get(str(path), frozenset()))
    fn = resolve_extractor(o.extractor) if o.extractor else extract
    graphs = [map_article(a, fn(a), o.base, o.curation) for a in articles]
    return src, articles, graphs


@cache
def resolve_extractor(spec: str) -> Callable[[Article], Extraction]:
    """``module:function`` to the function, imported once per process (workers import it themselves).

    Why: benchmarks and experiments run batch ingest with another extractor (e.g. the bare NER tagger
    as a stand-in for the real one's cost) without patching the package in every worker.
    """
    import importlib

    module, _, name = spec.partition(":")
    fn = getattr(importlib.import_module(module), name or "extract")
    if not callable(fn):
        raise TypeError(f"extractor {spec} is not callable")
    return fn


def ingest_file(
    store: Store,
    path: Path,
    *,
    skip_known: bool = False,
    before_write: Callable[[FileWork], None] | None = None,
    **options: Any,
) -> FileResult:
    """Ingest one page file: a batch of one, read in this process and written by the batch's writer
    (``BatchWriter``). Raises KgError on bad input or a refused write (the store is then untouched), where a
    batch records the error and goes on: its callers (``POST /ingest``, ``kg ingest FILE``) answer by it.

    ``before_write``: called with the file's read graphs just before they are written (tests inject a
    failure there). ``options``: the fields of IngestOptions (``base`` is required).
    """
    t0 = time.perf_counter()
    quiet = Progress(1, 0, stream=io.StringIO(), enabled=False)  # no lines: the caller reports the result
    opts, todo, writer = begin_batch(store, [path], options, skip_known, quiet, None, DEFAULT_BATCH_ARTICLES)
    if todo:  # not already stored (--resume)
        work = file_work(todo[0], opts)
        if before_write is not None:
            before_write(work)
        writer.take([work])
    res = writer.finish(t0).results[-1]
    if res.error:
        raise StoreError(res.error)  # the write was refused (a reading error was raised above)
    return res


def refresh_resolution(store: Store, article_iris: list[str], index_rows: Mapping[str, Any] | None = None,
                       mentions: Mapping[str, list[Any]] | None = None, sightings: Mapping[str, Any] | None = None,
                       memory: CareerMemory | None = None) -> None:
    """Keep the identity resolution graphs (kg.resolve) and the search index (kg.search) current for the
    articles just written.

    Why here: the blocks are derived from article graphs, so they are recomputed after the articles
    are stored, from the store (not from this batch alone) — the result cannot depend on arrival order.
    """
    from kg.derived import refresh_derived

    refresh_derived(store, article_iris, index_rows, mentions, sightings, memory)


def ingest_paths(store: Store, paths: Iterable[str | Path], **options: Any) -> list[FileResult]:
    """Ingest many files; a bad file is reported in its result and does not stop the others."""
    results = []
    for path in walk(paths):
        try:
            results.append(ingest_file(store, path, **options))
        except KgError as exc:
            results.append(FileResult(path, error=str(exc)))
    return results


# ---------------------------------------------------------------- batch ingest
#
# Folders of pages: reading, extraction and mapping (the CPU-heavy part, with the NER model) run in
# worker processes, one per core (kg.ingest_pool); each worker loads its models once. The
# parent alone writes to the store (one writer per store), many files per transaction, in the
# order of the walk, so the result does not depend on the number of workers.

DEFAULT_BATCH_ARTICLES = 500
ENDING_WRITES = 3  # writes of less than a batch near the end, a run: a half, a quarter, an eighth (BatchWriter.take)
FLUSH_EVERY_QUADS = 500_000  # bounds the writer's memory (RocksDB buffers), see OxigraphStore.flush


@dataclass
class BatchReport:
    """Totals of one batch run, for the summary line and the benchmarks."""

    files: int = 0
    skipped: int = 0
    failed: int = 0
    articles: int = 0
    quads: int = 0
    chars: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    results: list[FileResult] = field(default_factory=list)

    def summary(self) -> str:
        secs = max(self.seconds, 1e-9)
        return (
            f"ingest: {self.files} files ({self.skipped} skipped, {self.failed} failed), {self.articles} articles, "
            f"{self.quads} quads in {self.seconds:.1f} s, {self.articles / secs:.1f} articles/s, "
            f"{self.chars / secs:.0f} chars/s"
        )


def write_works(store: Store, works: list[FileWork]) -> list[tuple[FileWork, str | None]]:
    """Store read files in one transaction; each file with the error that kept it out, or None.

    If the transaction fails, the files are written again one by one, so only the bad one is lost:
    every file is stored whole or not at all. The one write of batch ingest, in the local writer and
    in a cluster task that writes to a shared store itself (kg.cluster).
    """
    try:
        store.replace_graphs([GraphUpdate.from_text(iri, text) for w in works for iri, text, _ in w.graphs])
        return [(w, None) for w in works]
    except KgError:  # find the file at fault: one transaction per file
        done: list[tuple[FileWork, str | None]] = []
        for w in works:
            try:
                store.replace_graphs([GraphUpdate.from_text(iri, text) for iri, text, _ in w.graphs])
                done.append((w, None))
            except KgError as exc:
                done.append((w, str(exc)))
        return done


class BatchWriter:
    """The one writer of a batch ingest: it records every file's outcome (report, progress, ``on_file``),
    stores read files many per transaction and keeps the resolution graphs current.

    Why a class: the local pool and a cluster feed it the same way (``take`` read files in walk order,
    or ``stored`` files a cluster task already wrote to the shared store), so what is counted, reported
    and resolved does not depend on where the files were read.
    """

    def __init__(self, store: Store, report: BatchReport, progress: Progress,
                 on_file: Callable[[FileResult], None] | None = None,
                 batch_articles: int = DEFAULT_BATCH_ARTICLES) -> None:
        self.store = store
        self.report = report
        self.progress = progress
        self.on_file = on_file
        self.batch_articles = batch_articles
        self.batch: list[FileWork] = []
        self.pending_articles = 0
        self.taken_files = 0  # read files taken so far, and their articles: what a file holds on average
        self.taken_articles = 0
        self.unflushed = 0
        self.ending = 0  # writes of less than a batch made because the end was near (``take``)
        self.store_flush = store.flush  # a no-op for backends without write buffers (kg.store.base.Capabilities)
        self.memory = CareerMemory()  # the career blocks' sightings read or made so far: read once a run

    def record(self, res: FileResult, nbytes: int, chars: int = 0) -> None:
        """Count one file's outcome and show it."""
        report, progress = self.report, self.progress
        report.files += 1
        report.results.append(res)
        for problem in res.problems:  # the file's other records are stored; the run still fails at the end
            report.errors.append(problem)
            progress.message(f"kg: {problem}")
        if res.skipped:
            report.skipped += 1
        elif res.error:
            report.failed += 1
            report.errors.append(res.error)
            progress.message(f"kg: {res.error}")
        else:
            report.articles += len(res.articles)
            report.quads += res.quads
            report.chars += chars
        if self.on_file is not None:
            self.on_file(res)
        progress.advance(nbytes=nbytes, articles=len(res.articles), quads=res.quads, skipped=res.skipped,
                         failed=res.error is not None)

    def take(self, works: Iterable[FileWork], files_to_come: int | None = None) -> None:
        """Read files, in walk order: a file that failed is recorded, the others wait for the next write.

        ``files_to_come``: how many files the workers have still to send (the pool and the cluster say).
        Batches are written as they fill; near the end (less than a batch estimated to come) a write
        starts as soon as what waits is as much as what is to come (and at least an eighth of a batch),
        so the writes shrink (a half, a quarter, an eighth of a batch) as the workers finish: each ends
        while they still read what the next one holds, and the write left for after the last file
        (run with nothing beside it) is small. At most ``ENDING_WRITES`` such writes a run: the estimate,
        from the files so far, may be low (files without articles, then dumps), and a wrong one then
        costs three writes, not one at every file. Why not one large last write: it runs alone once the
        workers are done; nor many small ones all along: each write's reads of the store (the career
        joins, the search figures) and a career join's intermediate moves cost more than its articles
        (batches of 100 cost 1.5x the writer's CPU of batches of 500). Without the count
        (a single file, ``--jobs 1``, a small ``batch_articles``), batches are written as they fill."""
        for w in works:
            if w.error:
                self.record(FileResult(Path(w.path), error=w.error), w.nbytes)
                continue
            self.batch.append(w)
            self.pending_articles += len(w.graphs)
            self.taken_files += 1
            self.taken_articles += len(w.graphs)
        batch, pending = self.batch_articles, self.pending_articles
        if pending >= batch:
            self.flush()
            return
        if files_to_come is None or batch < 8 or self.ending >= ENDING_WRITES:
            return
        to_come = files_to_come * self.taken_articles / max(1, self.taken_files)  # articles, as so far
        if to_come < batch and pending >= max(to_come, batch / 8):
            self.flush()
            self.ending += 1

    def flush(self) -> None:
        """Write the waiting files (one transaction) and record them."""
        if self.batch:
            self.stored(write_works(self.store, self.batch), written_here=True)
            self.batch.clear()
            self.pending_articles = 0

    def finish(self, t0: float) -> BatchReport:
        """The end of a batch: the last files written, the progress closed, the report timed from ``t0``."""
        self.flush()
        self.progress.finish()
        self.report.seconds = time.perf_counter() - t0
        return self.report

    def stored(self, done: list[tuple[FileWork, str | None]], written_here: bool = False) -> None:
        """Files written (or refused, with the reason): record them, then refresh their name blocks.

        ``written_here``: this writer stored them just now, so the store holds the graphs exactly as the
        workers made them and the refresh may take the workers' mentions, sightings and index rows (kg.derived).
        Not so for files a cluster task wrote to a shared store: the career joins of files recorded
        meanwhile may have rewritten them before their task's answer came back, so they are read."""
        for w, err in done:
            if err:
                self.record(FileResult(Path(w.path), error=f"{w.path}: {err}"), w.nbytes)
            elif w.error:
                self.record(FileResult(Path(w.path), error=w.error), w.nbytes)
            else:
                res = FileResult(Path(w.path), [iri for iri, _, _ in w.graphs], sum(n for _, _, n in w.graphs),
                                 problems=w.problems)
                self.record(res, w.nbytes, w.chars)
                self.unflushed += res.quads
        from kg.search.segment import given

        written = [w for w, err in done if not err and not w.error]
        segmented = {t: words for w in written for t, words in w.segmented.items()}
        index_rows = {r.graph: r for w in written for r in w.index_rows} if written_here else {}
        mentions = {g: ms for w in written for g, ms in w.mentions.items()} if written_here else {}
        sightings = {m: s for w in written for m, s in w.sightings.items()} if written_here else {}
        with given(segmented):  # the texts the workers segmented: not segmented again in this process
            refresh_resolution(self.store, [iri for w in written for iri, _, _ in w.graphs], index_rows, mentions,
                               sightings, self.memory)
        if self.unflushed >= FLUSH_EVERY_QUADS:
            self.store_flush()
            self.unflushed = 0


def plan_batch(
    store: Store, paths: Iterable[str | Path], skip_known: bool, progress: Progress | None, opts: IngestOptions
) -> tuple[list[str], dict[str, int], Progress, list[str], IngestOptions]:
    """Walk the inputs: (files to read, size of every file, the progress, files already stored, the options
    with each dump's stored records when resuming)."""
    import hashlib

    files = [str(p) for p in walk(paths)]
    sizes = {}
    for f in files:
        try:
            sizes[f] = os.path.getsize(f)
        except OSError:
            sizes[f] = 0
    if progress is None:
        progress = Progress(len(files), sum(sizes.values()), enabled=False)
    else:
        progress.total_files, progress.total_bytes = len(files), max(1, sum(sizes.values()))
    todo: list[str] = []
    known: list[str] = []
    for f in files:
        if skip_known:
            try:
                stored = store.has_content_hash(hashlib.sha256(Path(f).read_bytes()).hexdigest())
            except OSError:
                stored = False  # the reader reports the unreadable file
            if stored:
                known.append(f)
                continue
            records = stored_records(f, store.has_content_hash, opts.encoding, opts.fields)
            if records:  # a dump's records already in: the readers leave them out
                opts = replace(opts, known_records={**(opts.known_records or {}), f: records})
        todo.append(f)
    return todo, sizes, progress, known, opts


def begin_batch(
    store: Store, paths: Iterable[str | Path], options: dict[str, Any], skip_known: bool,
    progress: Progress | None, on_file: Callable[[FileResult], None] | None, batch_articles: int,
) -> tuple[IngestOptions, list[str], BatchWriter]:
    """The start of every batch, local pool or cluster: the options (with a dump's stored records when
    resuming), the files to read, and the writer, which has recorded the files already stored."""
    from kg.search import index_path

    opts = IngestOptions(**options)
    opts = replace(opts, segment_text=index_path(store) is not None)  # see kg.search.segment.given
    todo, sizes, progress, known, opts = plan_batch(store, paths, skip_known, progress, opts)
    writer = BatchWriter(store, BatchReport(), progress, on_file, batch_articles)
    for f in known:
        writer.record(FileResult(Path(f), skipped=True), sizes[f])
    return opts, todo, writer


def ingest_batch(
    store: Store,
    paths: Iterable[str | Path],
    *,
    jobs: int | None = None,
    batch_articles: int = DEFAULT_BATCH_ARTICLES,
    skip_known: bool = False,
    progress: Progress | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    **options: Any,
) -> BatchReport:
    """Ingest every page file under ``paths``; a bad file is reported and the others are stored.

    Files are written whole or not at all, many per transaction (about ``batch_articles``
    articles); if a transaction fails, its files are written again one by one so only the bad one
    is lost. ``jobs=1`` does everything in this process. ``options``: the fields of IngestOptions.
    """
    t0 = time.perf_counter()
    opts, todo, writer = begin_batch(store, paths, options, skip_known, progress, on_file, batch_articles)
    tasks = list(_chunks(todo, FILES_PER_TASK))
    jobs = default_jobs() if jobs is None else max(1, jobs)
    pooled = not (jobs == 1 or len(todo) < 2)
    if not pooled:
        if todo:
            one_thread_per_process()  # as in the workers, so one worker and the pool compare fairly
            warm_up(opts.extractor)
        results: Iterator[list[FileWork]] = (read_task(t, opts) for t in tasks)
    else:
        results = _pool_results(tasks, opts, jobs, batch_articles)
    to_come = len(todo)
    for works in results:
        to_come -= len(works)
        writer.take(works, to_come if pooled else None)  # one process: no workers to wait for at the end
    return writer.finish(t0)
