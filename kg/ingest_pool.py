"""The worker pool of the batch ingest: reading, extraction and mapping of a folder's files in worker processes.

Why a module of its own: this is the machinery of processes (starting pools, loading the models once per
worker, telling the file that killed a worker from those killed with it), which ``kg.ingest`` (the
writer) and ``kg.cluster`` (the same task on Dask workers) both use; the reading itself is
``kg.ingest.read_and_map``, one path for every way of ingesting. Each worker returns each article graph
as Turtle statement text, which is cheap to send back and needs no second serialisation.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KgError
from kg.store.base import statements

if TYPE_CHECKING:
    from kg.ingest import IngestOptions

FILES_PER_TASK = 8
MAX_IDLE_DEATHS = 5  # pools that may break before any task starts in them, see _Pools


@dataclass
class FileWork:
    """What a worker sends back for one file: its graphs as text, or the error that stopped it."""

    path: str
    nbytes: int = 0
    chars: int = 0
    graphs: list[tuple[str, str, int]] = field(default_factory=list)  # (graph IRI, statements, triples)
    error: str | None = None
    problems: list[str] = field(default_factory=list)  # records of a dump that gave no article
    segmented: dict[str, str] = field(default_factory=dict)  # headline/body text → search tokens (segment_text)
    index_rows: list[Any] = field(default_factory=list)  # the graphs' search index rows (segment_text), GraphRows
    # graph IRI → its person mentions (kg.mentions.Mention), for the writer's refresh; a graph missing: read back
    mentions: dict[str, list[Any]] = field(default_factory=dict)
    # mention IRI → what the career rules read of it (kg.rdf.careers.Sighting), for the writer's career joins
    sightings: dict[str, Any] = field(default_factory=dict)


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


def file_work(path: str, options: IngestOptions) -> FileWork:
    """Read, extract and map one file into what the batch writer stores; raises KgError on bad input.

    The one reading of every ingest: a worker's files (``read_file_work``) and a single file, a batch of
    one (``kg.ingest.ingest_file``, which lets the error reach its caller)."""
    from kg.ingest import read_and_map  # kg.ingest imports this module

    work = FileWork(path)
    try:
        work.nbytes = os.path.getsize(path)
    except OSError:
        pass
    src, _, graphs = read_and_map(Path(path), options)
    work.chars = len(src.text)
    work.problems = list(src.problems)
    from kg.careers import sightings_of_written
    from kg.mentions import mentions_of_written, written_subjects

    for g in graphs:
        work.graphs.append((str(g.iri), statements(g.triples), len(g.triples)))
        by = written_subjects(g.triples)
        if by is not None:  # else (blank nodes) the writer reads the graph back
            work.mentions[str(g.iri)] = mentions_of_written(str(g.iri), by)
            work.sightings.update(sightings_of_written(str(g.iri), by))
    if options.segment_text:  # the writer keeps a search index: what it needs of these graphs, made here
        from kg.search.documents import rows_of_written

        work.segmented = segmented_texts(graphs)
        work.index_rows = [r for g in graphs if (r := rows_of_written(str(g.iri), g.triples)) is not None]
    return work


def read_file_work(path: str, options: IngestOptions) -> FileWork:
    """``file_work`` for a batch: never raises for bad input (the error is in the result)."""
    try:
        return file_work(path, options)
    except KgError as exc:
        work = FileWork(path, error=str(exc))
    except Exception as exc:  # a bug in extraction must not stop the other files
        work = FileWork(path, error=f"{path}: internal error while reading: {type(exc).__name__}: {exc}")
    try:
        work.nbytes = os.path.getsize(path)
    except OSError:
        pass
    return work


def segmented_texts(graphs: list) -> dict[str, str]:
    """The search tokens of the graphs' headlines and article texts, for the writer's index (made here,
    in the worker, because segmentation is the index's main cost; kg.search.segment.given)."""
    from kg.rdf.namespaces import SCHEMA
    from kg.search.segment import indexed

    texts = {str(o) for g in graphs for _, p, o in g.triples if p in (SCHEMA.headline, SCHEMA.articleBody)}
    return {t: indexed(t) for t in texts}


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


