"""``kg ingest --cluster SCHEDULER``: reading, extraction and mapping on the workers of a Dask cluster.

Why Dask distributed: it already schedules tasks over machines, restarts dead workers (through its
nanny) and runs a dead worker's tasks again elsewhere; newskg only says what a task is. A task is the
local pool's task (``kg.ingest_pool.read_task``: read, extract and map a few files) and, with a shared store
(``--store http://…``), the local writer's one write (``kg.ingest.write_works``: one transaction for the
task's files, file by file if it fails). With an embedded store the read files come back to this
process, which writes them in walk order exactly as ``--jobs N`` does. Either way this process records
every file through the one ``BatchWriter`` (report, progress, resolution graphs), so the store ends as
a local run leaves it, whatever the number of workers and the order tasks finish in.

Faults follow the local rule (kg.ingest_pool._pool_results): no file is blamed on suspicion. Dask retries a
task whose worker died; a task that killed its workers too often (the scheduler's ``allowed-failures``)
is run again file by file after the others, one file at a time on the whole cluster, and only a file
that still kills its worker there is reported.
"""

from __future__ import annotations

import logging
import os
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.ingest import (
    DEFAULT_BATCH_ARTICLES,
    BatchReport,
    BatchWriter,
    FileResult,
    IngestOptions,
    begin_batch,
    write_works,
)
from kg.ingest_pool import FileWork, _chunks, _died, one_thread_per_process, read_task, warm_up
from kg.progress import Progress
from kg.store.base import Store

MAX_FILES_PER_TASK = 64  # a task is one transaction on a shared store: a few hundred articles at most
# enough tasks that the last ones do not leave workers idle at the end (the tail costs about half a task
# per worker); a task of a few files still takes seconds, against about a millisecond of Dask's own work
TASKS_PER_WORKER = 16
WINDOW_PER_WORKER = 8  # tasks in flight per worker: bounds what the cluster holds for an embedded store

Done = list[tuple[FileWork, str | None]]  # a task's files as written to a shared store (error or None)


def _dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise KgError("--cluster needs Dask distributed: pip install 'newskg[cluster]'") from None
    return distributed


def local_workers(scheduler: str) -> int | None:
    """N of ``local:N`` (a KgError if N is not a positive number), None for a scheduler's address."""
    if not scheduler.startswith("local:"):
        if "://" not in scheduler and ":" not in scheduler:
            raise KgError(f"--cluster {scheduler}: give a scheduler address (tcp://host:8786) or local:N")
        return None
    try:
        n = int(scheduler.partition(":")[2])
    except ValueError:
        n = 0
    if n < 1:
        raise KgError(f"--cluster {scheduler}: give local:N with N workers (at least 1)")
    return n


# Dask's housekeeping in this process (and a local cluster's): the event loop's tick monitor every 20 ms and the
# system monitor every 0.5 s cost ≈0.022 CPU s per second in the kg ingest process, idle or not, on the core
# the workers need; at these intervals 0.009. The workers' statistical profiler samples every thread every
# 10 ms for the dashboard, which kg ingest does not start.
QUIET_DASK = {
    "distributed.admin.tick.interval": "100ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.worker.profile.enabled": False,
}


# A local cluster's nannies fork their workers from a fork server that imported what a task needs once
# (kg.cluster_preload), instead of spawning them (Dask's default: each worker imports Dask, newskg and
# jieba's dictionary again, ≈2.4 CPU s, on the cores the other workers and the writer need).
LOCAL_WORKERS = {"distributed.worker.multiprocessing-method": "forkserver"}


def start_fork_server(segmenter: bool = False) -> None:
    """Start the fork server a local cluster's workers are forked from, unless it runs already.

    Called as early as possible (``ingest_cluster``, before the inputs are walked): the server imports
    while this process goes on starting. ``segmenter``: the workers segment text for the writer's
    search index, so jieba's dictionary is loaded in the server too (kg.cluster_preload_segmenter).
    Dask's environment for new worker processes (``distributed.nanny.pre-spawn-environ`` and a fixed
    hash seed, which Dask sets in this process before it spawns one) is set first, so that the server
    and every worker forked from it have it, as spawned workers would.
    """
    import multiprocessing
    from multiprocessing import forkserver

    _dask()
    import dask

    for key, value in (dask.config.get("distributed.nanny.pre-spawn-environ") or {}).items():
        if value is not None:
            os.environ.setdefault(key, str(value))
    if os.environ.get("PYTHONHASHSEED") in (None, "0"):
        os.environ["PYTHONHASHSEED"] = "6640"  # the seed Dask gives the workers it spawns
    preload = ["kg.cluster_preload"] + (["kg.cluster_preload_segmenter"] if segmenter else [])
    multiprocessing.get_context("forkserver").set_forkserver_preload(preload)  # used only when it starts
    forkserver.ensure_running()


@contextmanager
def connect(scheduler: str) -> Iterator[Any]:
    """A client of the scheduler ``tcp://host:8786``, or of a LocalCluster of N workers for ``local:N``.

    A local cluster's workers are processes of one thread each (extraction holds the GIL; the processes
    are the parallelism, as in the local pool), forked from a fork server that has imported what a
    task needs (``start_fork_server``), and listen on the loopback interface only. Dask's housekeeping
    runs less often (``QUIET_DASK``) in this process and a local cluster's.
    """
    _dask()  # a clear error if Dask is not installed
    import dask

    with dask.config.set(QUIET_DASK):
        with _connect(scheduler) as client:
            yield client


@contextmanager
def _connect(scheduler: str) -> Iterator[Any]:
    n = local_workers(scheduler)
    distributed = _dask()
    if n is not None:
        import dask

        start_fork_server()  # a no-op if ingest_cluster started it already
        with dask.config.set(LOCAL_WORKERS), _local_cluster(distributed, n) as client:
            yield client
        return
    try:
        client = distributed.Client(scheduler, timeout=30)
    except OSError as exc:
        raise KgError(f"--cluster {scheduler}: cannot reach the scheduler ({exc})") from None
    with client:
        yield client


@contextmanager
def _local_cluster(distributed: Any, n: int) -> Iterator[Any]:
    """A client of a new LocalCluster of ``n`` one-thread worker processes on the loopback interface."""
    with warnings.catch_warnings():  # its status page tries port 8787 (on 127.0.0.1), else any free port
        warnings.filterwarnings("ignore", message="Port 8787 is already in use", category=UserWarning)
        cluster = distributed.LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
            silence_logs=logging.ERROR, memory_limit=0,
        )
    try:
        with distributed.Client(cluster) as client:
            yield client
    finally:
        cluster.close()


# ---------------------------------------------------------------- on the workers


@cache
def _prepared(extractor: str | None) -> bool:
    """Load the models once per worker process (the first task pays; later tasks find them loaded)."""
    one_thread_per_process()
    warm_up(extractor)
    return True


_STORES: dict[str, Store] = {}  # per worker process: the shared store, opened once


def _shared_store(location: Any) -> Store:
    from kg.store import open_store

    key = repr(location)
    if key not in _STORES:
        _STORES[key] = open_store(location)
    return _STORES[key]


def cluster_task(paths: list[str], options: IngestOptions, store: Any = None) -> list[FileWork] | Done:
    """One task on a worker: read, extract and map ``paths``; with a shared ``store``, also write them.

    Returns the read files (graphs as text) for the writer process, or, having written them, each
    file with its graphs' IRIs and sizes (no text) and the write error that kept it out, if any.
    """
    _prepared(options.extractor)
    works = read_task(paths, options)
    if store is None:
        return works
    done = dict((w.path, err) for w, err in write_works(_shared_store(store), [w for w in works if not w.error]))
    out: Done = []
    for w in works:
        w.graphs = [(iri, "", n) for iri, _, n in w.graphs]  # written: only the counts travel back
        out.append((w, done.get(w.path)))
    return out


# ---------------------------------------------------------------- on the writer


def files_per_task(files: int, workers: int) -> int:
    """About TASKS_PER_WORKER tasks per worker, at most MAX_FILES_PER_TASK files each."""
    return max(1, min(MAX_FILES_PER_TASK, files // max(1, workers * TASKS_PER_WORKER)))


def ingest_cluster(
    store: Store,
    paths: Iterable[str | Path],
    *,
    scheduler: str,
    shared_store: Any = None,
    batch_articles: int = DEFAULT_BATCH_ARTICLES,
    skip_known: bool = False,
    progress: Progress | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    task_files: int | None = None,
    **options: Any,
) -> BatchReport:
    """``kg ingest --cluster``: the batch ingest of ``paths`` with the reading done by the cluster's workers.

    ``store``: the store this process records into (resume checks, resolution graphs); ``shared_store``:
    where the workers write themselves (a remote store's address or RemoteConfig), or None to have the
    read files sent back and written here. ``task_files``: files per task (default: files_per_task).
    ``options``: the fields of IngestOptions.
    """
    import time

    t0 = time.perf_counter()
    local = local_workers(scheduler) is not None
    if local and not skip_known:  # resuming, the walk may find nothing to do: the server waits for it
        from kg.search import index_path

        start_fork_server(segmenter=index_path(store) is not None)  # as begin_batch sets segment_text
    opts, todo, writer = begin_batch(store, paths, options, skip_known, progress, on_file, batch_articles)
    if todo:
        if local:
            start_fork_server(segmenter=opts.segment_text)  # a no-op if started above
        with connect(scheduler) as client:
            _run(client, todo, opts, shared_store, writer, task_files)
    return writer.finish(t0)


def _run(client: Any, todo: list[str], opts: IngestOptions, shared_store: Any, writer: BatchWriter,
         task_files: int | None) -> None:
    """Submit the tasks (a bounded window of them), record results as they come, then the suspects."""
    distributed = _dask()
    try:
        client.wait_for_workers(1, timeout=120)
    except TimeoutError:
        raise KgError("the cluster has no workers (none joined within 120 s): start some with dask worker") from None
    workers = max(1, len(client.scheduler_info()["workers"]))
    tasks = list(_chunks(todo, task_files or files_per_task(len(todo), workers)))
    run_id = uuid.uuid4().hex[:12]
    to_come = [0] * len(tasks)  # the files of the tasks after each task, for the writer (BatchWriter.take)
    for i in range(len(tasks) - 2, -1, -1):
        to_come[i] = to_come[i + 1] + len(tasks[i + 1])

    def submit(i: int, files: list[str], suffix: str = "") -> Any:
        return client.submit(cluster_task, files, opts, shared_store, key=f"kg-ingest-{run_id}-{i}{suffix}",
                             pure=False)

    ready: dict[int, list[FileWork]] = {}  # embedded store: results waiting for their turn (walk order)
    next_out = 0
    suspects: list[int] = []

    def emit() -> None:
        nonlocal next_out
        while next_out < len(tasks) and next_out in ready:  # a suspect's turn waits for its files, run alone
            writer.take(ready.pop(next_out), to_come[next_out])
            next_out += 1

    queue = iter(range(len(tasks)))
    inflight: dict[str, tuple[int, Any]] = {}  # no other reference: a result is released once recorded
    running = distributed.as_completed()

    def submit_next() -> None:
        i = next(queue, None)
        if i is not None:
            fut = submit(i, tasks[i])
            inflight[fut.key] = (i, fut)
            running.add(fut)

    try:
        for _ in range(workers * WINDOW_PER_WORKER):
            submit_next()
        for fut in running:
            i, _ = inflight.pop(fut.key)
            if fut.status == "error":
                exc = fut.exception()
                if not isinstance(exc, distributed.KilledWorker):
                    raise KgError(f"a cluster task failed (is newskg installed alike on every worker?): "
                                  f"{type(exc).__name__}: {exc}")
                suspects.append(i)
            elif shared_store is not None:
                writer.stored(fut.result())
            else:
                ready[i] = fut.result()
                emit()
            del fut
            submit_next()
        for i in sorted(suspects):  # each file alone on the whole cluster: only a killer is blamed
            results = [_alone(distributed, submit, i, j, f, shared_store) for j, f in enumerate(tasks[i])]
            if shared_store is not None:
                writer.stored([d for r in results for d in r])  # type: ignore[misc]
            else:
                ready[i] = [w for r in results for w in r]  # type: ignore[misc]
                emit()
    except BaseException:
        client.cancel([f for _, f in inflight.values()])
        raise


def _alone(distributed: Any, submit: Callable[..., Any], i: int, j: int, path: str, shared_store: Any) -> list[Any]:
    """One file of a suspect task, run alone: its result, or the report that it killed its worker."""
    fut = submit(i, [path], f"-alone-{j}")
    try:
        return fut.result()
    except distributed.KilledWorker:
        died = _died(path)
        return [(died, None)] if shared_store is not None else [died]
