"""Ingest: page files → articles → facts → article graphs → the store.

Each file is read and mapped completely before anything is written; its graphs are then written in
one transaction, so a failure leaves the store exactly as it was before that file.
"""

from __future__ import annotations

import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.extract.pipeline import extract
from kg.model import Article, Extraction
from kg.progress import Progress
from kg.rdf.curation import EMPTY, Curation
from kg.rdf.mapping import ArticleGraph, map_article
from kg.read.inputs import INPUT_SUFFIXES, is_input, read_input, stored_records
from kg.read.source import Source
from kg.store.base import GraphUpdate, Store, statements

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
    before_write: Callable[[list[ArticleGraph]], None] | None = None,
    **options: Any,
) -> FileResult:
    """Ingest one page file; raises KgError on bad input (the store is then untouched).

    ``options``: the fields of IngestOptions (``base`` is required).
    """
    res = FileResult(path)
    if skip_known:
        import hashlib

        if path.is_file() and store.has_content_hash(hashlib.sha256(path.read_bytes()).hexdigest()):
            res.skipped = True
            return res
    opts = IngestOptions(**options)
    if skip_known:  # a dump's records already stored are left out (--resume)
        stored = stored_records(path, store.has_content_hash, opts.encoding, opts.fields)
        opts = replace(opts, known_records={str(path): stored})
    src, _, graphs = read_and_map(path, opts)
    res.problems = list(src.problems)
    if before_write is not None:
        before_write(graphs)
    store.replace_graphs([GraphUpdate(str(g.iri), g.triples) for g in graphs])
    res.articles = [str(g.iri) for g in graphs]
    refresh_resolution(store, res.articles)
    res.quads = sum(len(g.triples) for g in graphs)
    return res


def refresh_resolution(store: Store, article_iris: list[str]) -> None:
    """Keep the identity resolution graphs (kg.resolve) and the search index (kg.search) current for the
    articles just written.

    Why here: the blocks are derived from article graphs, so they are recomputed after the articles
    are stored, from the store (not from this batch alone) — the result cannot depend on arrival order.
    """
    if article_iris:
        from kg.resolve import refresh
        from kg.search import refresh as refresh_search

        refresh(store, article_iris)
        refresh_search(store, article_iris)  # the search index re-reads these graphs (kg.search)


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
# worker processes, one per core; each worker loads its models once and returns each article graph
# as Turtle statement text, which is cheap to send back and needs no second serialisation. The
# parent alone writes to the store (one writer per store), many files per transaction, in the
# order of the walk, so the result does not depend on the number of workers.

DEFAULT_BATCH_ARTICLES = 500
FILES_PER_TASK = 8
MAX_IDLE_DEATHS = 5  # pools that may break before any task starts in them, see _Pools
FLUSH_EVERY_QUADS = 500_000  # bounds the writer's memory (RocksDB buffers), see OxigraphStore.flush


@dataclass
class FileWork:
    """What a worker sends back for one file: its graphs as text, or the error that stopped it."""

    path: str
    nbytes: int = 0
    chars: int = 0
    graphs: list[tuple[str, str, int]] = field(default_factory=list)  # (graph IRI, statements, triples)
    error: str | None = None
    problems: list[str] = field(default_factory=list)  # records of a dump that gave no article


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


def default_jobs() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


_STARTED: Any = None  # in a worker: its pool's shared "task started" flags, see read_task


def _init_worker(extractor: str | None = None, started: Any = None) -> None:
    """Runs once in each worker: leave Ctrl-C to the parent, and load the extraction models now.

    The extractor's module may define ``warm_up()`` (load the NER model); it runs here, once per
    worker process, so no file pays for it and no model is loaded twice in one process.
    """
    global _STARTED
    _STARTED = started
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    one_thread_per_process()
    warm_up(extractor)


def one_thread_per_process() -> None:
    """Numeric libraries run single-threaded here: the pool is the parallelism.

    Why: onnxruntime (the LAC tagger) starts one spinning thread per core in every session. Two
    workers on two cores then fight over four busy threads; measured on this machine, the tagger
    alone took twice the CPU per character (16.6k against 33.5k chars per CPU second) and was slower
    in wall time too, even with one process. Sessions created without explicit options get one
    thread and no spinning; BLAS/OpenMP libraries loaded later read the environment variables.
    """
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    try:
        import onnxruntime as ort
    except ImportError:
        return
    if getattr(ort.InferenceSession, "kg_single_threaded", False):
        return
    base_cls = ort.InferenceSession

    class SingleThreadedSession(base_cls):  # type: ignore[misc, valid-type]
        kg_single_threaded = True

        def __init__(self, path_or_bytes, sess_options=None, *args, **kwargs):  # type: ignore[no-untyped-def]
            if sess_options is None:
                sess_options = ort.SessionOptions()
                sess_options.intra_op_num_threads = 1
                sess_options.inter_op_num_threads = 1
                sess_options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            super().__init__(path_or_bytes, sess_options, *args, **kwargs)

    ort.InferenceSession = SingleThreadedSession


def warm_up(extractor: str | None = None) -> None:
    """Call the extractor module's ``warm_up()`` if it has one (once per process is enough)."""
    import importlib

    module = importlib.import_module(extractor.partition(":")[0] if extractor else "kg.extract.pipeline")
    hook = getattr(module, "warm_up", None)
    if callable(hook):
        hook()


def read_file_work(path: str, options: IngestOptions) -> FileWork:
    """Read, extract and map one file; never raises for bad input (the error is in the result)."""
    work = FileWork(path)
    try:
        work.nbytes = os.path.getsize(path)
    except OSError:
        pass
    try:
        src, _, graphs = read_and_map(Path(path), options)
        work.chars = len(src.text)
        work.problems = list(src.problems)
        for g in graphs:
            work.graphs.append((str(g.iri), statements(g.triples), len(g.triples)))
    except KgError as exc:
        work.error = str(exc)
    except Exception as exc:  # a bug in extraction must not stop the other files
        work.error = f"{path}: internal error while reading: {type(exc).__name__}: {exc}"
    return work


def read_task(paths: list[str], options: IngestOptions, slot: int | None = None) -> list[FileWork]:
    """One task: its files in order. In a pool, it first marks its ``slot`` as started.

    Why the mark: when a worker dies, the pool fails every task it had not finished, run or not;
    the marks tell the parent which tasks were actually running (the suspects, retried alone) and
    which only waited (retried as before, under no suspicion).
    """
    if slot is not None and _STARTED is not None:
        _STARTED[slot] = 1
    return [read_file_work(p, options) for p in paths]


def _chunks(items: list[str], n: int) -> Iterator[list[str]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _died(path: str) -> FileWork:
    """The result of a file that killed its worker while running alone."""
    work = FileWork(path, error=f"{path}: the worker process reading it died")
    try:
        work.nbytes = os.path.getsize(path)
    except OSError:
        pass
    return work


class _Pools:
    """Starts worker pools and keeps count of those that broke before running anything.

    Why count: a pool whose workers die before any task starts (the extractor fails to load, no
    memory for the model) blames no file and would be restarted for ever; after
    ``MAX_IDLE_DEATHS`` such pools the run stops with a clear message instead.
    """

    def __init__(self, options: IngestOptions) -> None:
        import multiprocessing as mp

        self.ctx = mp.get_context("forkserver")  # workers never inherit the parent's open store or threads
        self.ctx.set_forkserver_preload(["kg.ingest"])
        self.options = options
        self.idle_deaths = 0

    def start(self, workers: int, slots: int) -> tuple[Any, Any]:
        """A pool of ``workers`` processes and its shared "task started" flags (``slots`` of them)."""
        from concurrent.futures import ProcessPoolExecutor

        started = self.ctx.RawArray("b", max(1, slots))  # zeroed; passed to each worker at its start
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=self.ctx,
            initializer=_init_worker,
            initargs=(self.options.extractor, started),
        )
        return pool, started

    def died_idle(self) -> None:
        """A pool broke while none of its tasks was running: no file to blame."""
        self.idle_deaths += 1
        if self.idle_deaths > MAX_IDLE_DEATHS:
            raise KgError(
                "worker processes keep dying before reading any file (out of memory, or the extractor "
                "failed to load); run with --jobs 1 to see why"
            )

    def alone(self, files: list[str]) -> list[FileWork]:
        """Each file run alone in a one-worker pool: a file whose worker dies here is the one at fault.

        One pool serves file after file (the models load once) until a file kills it; the next
        file gets a fresh one.
        """
        from concurrent.futures.process import BrokenProcessPool

        out: list[FileWork] = []
        pool: Any = None
        started: Any = None
        try:
            for path in files:
                while True:
                    if pool is None:
                        pool, started = self.start(1, 1)
                    started[0] = 0
                    try:
                        out.append(pool.submit(read_task, [path], self.options, 0).result()[0])
                        break
                    except BrokenProcessPool:
                        pool.shutdown(wait=True, cancel_futures=True)
                        pool = None
                        if started[0]:
                            out.append(_died(path))
                            break
                        self.died_idle()  # it died before the file began: try the file again
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        return out


def _pool_results(
    tasks: list[list[str]], options: IngestOptions, jobs: int, batch_articles: int
) -> Iterator[list[FileWork]]:
    """Task results in task order, computed by ``jobs`` worker processes.

    When a worker dies, the pool breaks and fails every unfinished task. No file is blamed on
    suspicion: results already computed are kept; tasks that had not started go to a fresh pool
    as before; tasks that were running (one of them killed the worker, the others were killed
    with the pool) are run again file by file, each alone in a one-worker pool, and only a file
    that kills its worker there is reported. So the report names exactly the files at fault, and
    every other file's result is what ``--jobs 1`` gives.
    """
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    pools = _Pools(options)
    # enough tasks in flight to keep every worker busy while the parent writes a whole batch
    window = jobs * 4 + max(1, batch_articles // FILES_PER_TASK)
    queue: deque[int] = deque(range(len(tasks)))  # tasks not yet submitted, in order
    ready: dict[int, list[FileWork]] = {}  # results computed ahead of their turn
    next_out = 0
    while next_out < len(tasks):
        if next_out in ready:
            yield ready.pop(next_out)
            next_out += 1
            continue
        pool, started = pools.start(max(1, min(jobs, len(queue))), len(tasks))
        pending: dict[int, Future] = {}
        broken = False
        try:
            while next_out < len(tasks):
                if next_out in ready:
                    yield ready.pop(next_out)
                    next_out += 1
                    continue
                while queue and len(pending) < window:
                    pending[queue[0]] = pool.submit(read_task, tasks[queue[0]], options, queue[0])
                    queue.popleft()
                result = pending[next_out].result()
                del pending[next_out]
                yield result
                next_out += 1
        except BrokenProcessPool:
            broken = True
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if not broken:
            break
        # the pool broke: sort its unfinished tasks (shutdown has settled every future)
        suspects, waited = [], []
        for i in sorted(pending):
            fut = pending[i]
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                ready[i] = fut.result()
            elif started[i]:
                suspects.append(i)
            else:
                waited.append(i)
        queue.extendleft(reversed(waited))
        if not suspects:
            pools.died_idle()
        alone = iter(pools.alone([f for i in suspects for f in tasks[i]]))  # one pool for all of them
        for i in suspects:
            ready[i] = [next(alone) for _ in tasks[i]]


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
        self.unflushed = 0
        self.store_flush = store.flush  # a no-op for backends without write buffers (kg.store.base.Capabilities)

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

    def take(self, works: Iterable[FileWork]) -> None:
        """Read files, in walk order: a file that failed is recorded, the others wait for the next write."""
        for w in works:
            if w.error:
                self.record(FileResult(Path(w.path), error=w.error), w.nbytes)
                continue
            self.batch.append(w)
            self.pending_articles += len(w.graphs)
        if self.pending_articles >= self.batch_articles:
            self.flush()

    def flush(self) -> None:
        """Write the waiting files (one transaction) and record them."""
        if self.batch:
            self.stored(write_works(self.store, self.batch))
            self.batch.clear()
            self.pending_articles = 0

    def stored(self, done: list[tuple[FileWork, str | None]]) -> None:
        """Files written (or refused, with the reason): record them, then refresh their name blocks."""
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
        refresh_resolution(self.store, [iri for w, err in done if not err and not w.error for iri, _, _ in w.graphs])
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
    opts = IngestOptions(**options)
    t0 = time.perf_counter()
    report = BatchReport()
    todo, sizes, progress, known, opts = plan_batch(store, paths, skip_known, progress, opts)
    writer = BatchWriter(store, report, progress, on_file, batch_articles)
    for f in known:
        writer.record(FileResult(Path(f), skipped=True), sizes[f])
    tasks = list(_chunks(todo, FILES_PER_TASK))
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1 or len(todo) < 2:
        if todo:
            one_thread_per_process()  # as in the workers, so one worker and the pool compare fairly
            warm_up(opts.extractor)
        results: Iterator[list[FileWork]] = (read_task(t, opts) for t in tasks)
    else:
        results = _pool_results(tasks, opts, jobs, batch_articles)
    for works in results:
        writer.take(works)
    writer.flush()
    progress.finish()
    report.seconds = time.perf_counter() - t0
    return report
