"""Query limits: a per-query timeout that stops the work, a result-size limit, bounded concurrency.

Why worker processes: pyoxigraph has no way to cancel a query, and an aggregate or ``ORDER BY`` over a
cartesian product does all its work inside one call before the first row exists, so a deadline
checked between rows cannot stop it (measured: ``COUNT(*)`` over a 3k×3k product runs 2.3 s in one
``Store.query`` call). Each ``/sparql`` query therefore runs in one of a fixed set of worker processes
that open the store read-only; at the deadline the worker is killed (SIGKILL: the CPU work stops
with it) and a fresh one takes its place. The client gets 504 with a message.

- Concurrency: there are ``workers`` processes; a request waits at most ``queue_timeout`` seconds for a
  free one (a burst queues, holding only its small request), then gets 503 with ``Retry-After``.
- Result size: a worker writes the serialised result to memory (up to 1 MiB) or a temporary file and
  refuses beyond ``max_result_bytes`` (422, "add a LIMIT"); the server streams it from there, so a
  slow client holds neither a worker nor the memory of its result.
- Writes: RocksDB forbids reading a store read-only while another handle writes it (measured: a
  read-only open beside the server's read-write one failed with "No such file …sst" as the writer
  compacted). So a server with writes enabled gives its workers a checkpoint (``Store.backup``: hard
  links, ~0.05 s) in ``STORE/.kg-snapshots/N``; after every write a new checkpoint is made and the
  workers are renewed (idle ones at once, busy ones when their query is done): each query reads one
  consistent snapshot. A read-only server's workers open the store folder itself, read-only.

Stores that are not a local folder (a remote SPARQL server) run queries on a thread, with the timeout
sent to the server and the same bounded concurrency.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import os
import shutil
import signal
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import QueryError

MEMORY_RESULT = 1 << 20  # results up to this size travel through the pipe; larger ones through a file
READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """The knobs, with defaults for a public endpoint on a small machine."""

    query_timeout: float = 30.0
    max_result_bytes: int = 256 << 20
    workers: int = 4
    queue_timeout: float = 15.0
    max_waiting: int = 64  # requests queued for a slot beyond this get 503 at once
    max_body_bytes: int = 1 << 20  # a query or update; /ingest has its own (the reader's page limit)
    isolate: bool = True  # worker processes for folder stores (False: threads, no hard stop)
    # queries one client address may have running or waiting at once; 0: no cap. Off by default: behind
    # a reverse proxy, or for local clients, every request comes from the same address
    per_client: int = 0


class LimitError(Exception):
    """A limit was hit: ``status`` and ``headers`` are what the client gets, with the message."""

    status = 503
    headers: dict[str, str] = {}


class QueryTimeout(LimitError):
    status = 504


class Busy(LimitError):
    status = 503
    headers = {"Retry-After": "5"}


class TooManyFromClient(LimitError):
    status = 429
    headers = {"Retry-After": "1"}


class PerClient:
    """Queries in progress per client address; ``slot`` refuses one past the cap (429) at once."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.n: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def slot(self, client: str) -> Iterator[None]:
        if self.cap <= 0:
            yield
            return
        with self._lock:
            if self.n.get(client, 0) >= self.cap:
                raise TooManyFromClient(
                    f"this client already has {self.cap} queries running or waiting (the limit per client); "
                    "wait for one to finish"
                )
            self.n[client] = self.n.get(client, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                left = self.n[client] - 1
                if left:
                    self.n[client] = left
                else:
                    del self.n[client]


class ResultTooLarge(LimitError):
    status = 422


class WorkerFailed(LimitError):
    status = 503


# ------------------------------------------------------------------ the worker process


class _Spool:
    """A result being written: in memory up to MEMORY_RESULT, then in a temporary file, up to ``limit``."""

    def __init__(self, limit: int, folder: str) -> None:
        self.limit = limit
        self.folder = folder
        self.buf = bytearray()
        self.file: Any = None
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge()
        if self.file is None and len(self.buf) + len(data) <= MEMORY_RESULT:
            self.buf += data
        else:
            if self.file is None:
                self.file = tempfile.NamedTemporaryFile(dir=self.folder, prefix="kg-result-", delete=False)
                self.file.write(self.buf)
                self.buf = bytearray()
            self.file.write(data)
        return len(data)

    def flush(self) -> None:
        pass

    def writable(self) -> bool:
        return True

    def payload(self) -> tuple[str, Any]:
        """("memory", None): the bytes follow the answer as one ``send_bytes`` message; ("file", path)."""
        if self.file is None:
            return ("memory", None)
        self.file.close()
        return ("file", self.file.name)

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()
            with contextlib.suppress(OSError):
                os.unlink(self.file.name)


class _TooLarge(Exception):
    pass


def worker_main(conn: Any, store_dir: str, spool_dir: str, max_bytes: int, prefixes: dict[str, str]) -> None:
    """A query worker: open the store read-only, answer requests until the pipe closes. It imports only
    pyoxigraph and small modules (``kg.store.oxigraph_query``), not rdflib: ~25 MiB resident, not ~43."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    import pyoxigraph as ox

    from kg.store import oxigraph_query as oxq
    from kg.web.negotiation import GRAPH_FORMATS, RESULT_FORMATS, choose

    try:
        db = ox.Store.read_only(str(Path(store_dir) / "oxigraph"))
    except Exception as exc:  # reported as the answer to the first request
        with contextlib.suppress(EOFError, OSError):
            conn.recv()
            conn.send(("failed", f"the query worker cannot open the store: {exc}"))
        return
    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError):
            return
        query, default_graphs, named_graphs, accept, fmt_param = req
        t0 = time.perf_counter()
        spool = _Spool(max_bytes, spool_dir)
        try:
            res = oxq.query(db, query, prefixes, default_graphs, named_graphs)
            kind = oxq.kind_of(res)
            fmt = choose(accept, fmt_param, GRAPH_FORMATS if kind == "graph" else RESULT_FORMATS)
            if fmt is None:
                answer: tuple = ("notacceptable", kind)
            else:
                oxq.serialize(res, kind, fmt.key, spool, prefixes)  # type: ignore[arg-type]
                answer = ("ok", fmt, spool.payload(), time.perf_counter() - t0)
            del res
        except QueryError as exc:
            answer = ("badquery", str(exc))
        except Exception as exc:  # reported to the client as a failed query, the worker carries on
            spool.discard()
            if isinstance(exc, _TooLarge) or spool.size > max_bytes:  # the engine may wrap our exception
                answer = ("toolarge", spool.size)
            else:
                answer = ("failed", f"query failed: {type(exc).__name__}: {exc}")
        try:
            conn.send(answer)
            if answer[0] == "ok" and answer[2][0] == "memory":
                conn.send_bytes(spool.buf)  # the serialised result as it is: no copy, no pickling
        except (OSError, EOFError):
            return


# ------------------------------------------------------------------ the server side


@dataclass
class _Worker:
    process: Any
    conn: Any
    generation: int


@dataclass
class Stats:
    """Counters the tests and the load benchmark read."""

    queries: int = 0
    timeouts: int = 0
    busy: int = 0
    kills: int = 0
    last_kill_seconds: float | None = None  # from the kill signal until the process was gone


class _Idle:
    """Idle workers, handed to waiting requests in arrival order. ``put`` may be called from any thread
    (the respawn threads); ``get`` is awaited on the event loop, which is woken through
    ``call_soon_threadsafe``, so a request waiting for a worker holds no thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._workers: deque[_Worker] = deque()
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = deque()

    def put(self, w: _Worker) -> None:
        with self._lock:
            if not self._waiters:
                self._workers.append(w)
                return
            loop, fut = self._waiters.popleft()
        try:
            loop.call_soon_threadsafe(self._deliver, fut, w)
        except RuntimeError:  # that loop is closed: keep the worker for the next request
            self.put(w)

    def _deliver(self, fut: asyncio.Future, w: _Worker) -> None:
        if fut.done():  # the waiter timed out or was cancelled meanwhile: the worker goes back
            self.put(w)
        else:
            fut.set_result(w)

    def get_nowait(self) -> _Worker | None:
        with self._lock:
            return self._workers.popleft() if self._workers else None

    async def get(self, timeout: float) -> _Worker | None:
        """An idle worker, waiting up to ``timeout`` seconds for one; None if none came."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._workers:
                return self._workers.popleft()
            fut: asyncio.Future = loop.create_future()
            entry = (loop, fut)
            self._waiters.append(entry)
        try:
            return await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            return None
        finally:
            if not fut.done() or fut.cancelled():
                with self._lock, contextlib.suppress(ValueError):
                    self._waiters.remove(entry)

    def drain(self) -> list[_Worker]:
        with self._lock:
            out = list(self._workers)
            self._workers.clear()
            return out


class QueryPool:
    """``workers`` query processes over a folder store; ``run`` (awaited on the server's event loop)
    answers one query or raises LimitError. No thread per request: the worker's pipe is watched by the
    event loop (``add_reader``) and the deadline is a timer on it, at which the worker is killed."""

    def __init__(self, store_dir: Path, limits: Limits, checkpoint: Callable[[str], None] | None = None) -> None:
        """``checkpoint(target)``: the writer's ``Store.backup``; given, workers read checkpoints."""
        self.store_dir = Path(store_dir)
        self.limits = limits
        self.checkpoint = checkpoint
        self.snap_root = self.store_dir / ".kg-snapshots"
        self._live: dict[int, int] = {}  # generation -> workers alive on it
        self.spool_dir = tempfile.mkdtemp(prefix="kg-results-")
        self._ctx = mp.get_context("forkserver")  # a clean process: no inherited store handles or threads
        with contextlib.suppress(ValueError, AttributeError):  # no rdflib in the workers (see worker_main)
            self._ctx.set_forkserver_preload(["kg.web.limits", "kg.store.oxigraph_query", "kg.web.negotiation"])
        from kg.rdf.namespaces import PREFIXES

        self.prefixes = dict(PREFIXES)
        self._idle = _Idle()
        self._lock = threading.Lock()
        self._generation = 0
        self._closed = False
        self.stats = Stats()
        self.waiting = Waiting(limits, self.stats)
        if checkpoint is not None:
            shutil.rmtree(self.snap_root, ignore_errors=True)  # left by a server that was killed
            self._snapshot(0)
        for _ in range(max(1, limits.workers)):
            self._idle.put(self._spawn())

    def _snapshot(self, generation: int) -> None:
        target = self.snap_root / str(generation)
        target.mkdir(parents=True, exist_ok=True)
        assert self.checkpoint is not None
        self.checkpoint(str(target / "oxigraph"))

    def _source(self, generation: int) -> Path:
        return self.snap_root / str(generation) if self.checkpoint is not None else self.store_dir

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        with self._lock:
            gen = self._generation
            self._live[gen] = self._live.get(gen, 0) + 1
        p = self._ctx.Process(
            target=worker_main,
            args=(child, str(self._source(gen)), self.spool_dir, self.limits.max_result_bytes, self.prefixes),
            name="kg-query",
            daemon=True,
        )
        p.start()
        child.close()
        return _Worker(p, parent, gen)

    def _gone(self, w: _Worker) -> None:
        """A worker ended: drop its checkpoint once no worker reads it any more."""
        with self._lock:
            left = self._live.get(w.generation, 1) - 1
            self._live[w.generation] = left
            if left <= 0 and w.generation != self._generation and self.checkpoint is not None:
                del self._live[w.generation]
                shutil.rmtree(self.snap_root / str(w.generation), ignore_errors=True)

    def _kill(self, w: _Worker) -> None:
        t = time.perf_counter()
        with contextlib.suppress(ProcessLookupError, OSError, ValueError, AttributeError):
            os.kill(w.process.pid, signal.SIGKILL)
        w.process.join(5)
        with contextlib.suppress(OSError):
            w.conn.close()
        self.stats.kills += 1
        self.stats.last_kill_seconds = time.perf_counter() - t
        self._gone(w)

    def _release(self, w: _Worker, healthy: bool) -> None:
        if not healthy or w.generation != self._generation or self._closed:
            if not healthy:
                self._kill(w)  # at once: the CPU work stops now, and the client is answered next

            def replace() -> None:
                if healthy:
                    self._retire(w)
                if not self._closed:
                    fresh = self._spawn()
                    if self._closed:  # closed meanwhile: do not leave it behind
                        self._retire(fresh)
                    else:
                        self._idle.put(fresh)

            # starting a process takes a while on a busy machine: not on the answer's path
            threading.Thread(target=replace, name="kg-query-respawn", daemon=True).start()
            return
        self._idle.put(w)

    def _retire(self, w: _Worker) -> None:
        with contextlib.suppress(OSError):
            w.conn.close()  # the worker sees EOF and exits
        w.process.join(2)
        if w.process.is_alive():
            self._kill(w)
        else:
            self._gone(w)

    def renew(self) -> None:
        """After a write: workers opened before it do not see it; replace them (busy ones when done)."""
        with self._lock:
            if self.checkpoint is not None:
                self._snapshot(self._generation + 1)
            self._generation += 1
        for w in self._idle.drain():
            self._release(w, healthy=True)

    async def run(
        self,
        query: str,
        default_graphs: list[str],
        named_graphs: list[str],
        accept: str | None,
        fmt_param: str | None,
    ) -> tuple[Any, tuple[str, Any], float]:
        """(format, payload, seconds); raises QueryError, LimitError or NotAcceptable(kind).

        ``payload`` is ("memory", bytes) or ("file", path). If the awaiting request is cancelled (the
        client went away, the server stops) the worker is killed: the CPU work stops with it."""
        from kg.web.sparql import NotAcceptable

        w = self._idle.get_nowait()
        if w is None:
            with self.waiting:
                w = await self._idle.get(self.limits.queue_timeout)
            if w is None:
                self.stats.busy += 1
                raise Busy(
                    f"the server is busy: {self.limits.workers} queries are running and none finished within "
                    f"{self.limits.queue_timeout:g} s; try again shortly"
                )
        self.stats.queries += 1
        timeout = self.limits.query_timeout
        loop = asyncio.get_running_loop()
        healthy = False
        try:
            w.conn.send((query, default_graphs, named_graphs, accept, fmt_param))
            ready = loop.create_future()
            fd = w.conn.fileno()

            def readable() -> None:
                if not ready.done():
                    ready.set_result(None)

            loop.add_reader(fd, readable)
            try:
                await asyncio.wait_for(ready, timeout)
            except TimeoutError:
                self.stats.timeouts += 1
                raise QueryTimeout(
                    f"query timed out after {timeout:g} s and was stopped; narrow it (a LIMIT, more "
                    "specific patterns) or ask the operator for a longer --query-timeout"
                ) from None
            finally:
                loop.remove_reader(fd)
                os.set_blocking(fd, True)  # uvloop's add_reader made it non-blocking; recv below blocks
            answer = w.conn.recv()  # readable: the worker has answered (the rest of it is being written)
            if answer[0] == "ok" and answer[2][0] == "memory":
                answer = (*answer[:2], ("memory", w.conn.recv_bytes()), *answer[3:])
            healthy = True
        except (EOFError, OSError) as exc:
            raise WorkerFailed(f"the query worker died ({exc.__class__.__name__}); try again") from None
        finally:
            self._release(w, healthy)
        kind = answer[0]
        if kind == "ok":
            return answer[1], answer[2], answer[3]
        if kind == "badquery":
            raise QueryError(answer[1])
        if kind == "notacceptable":
            raise NotAcceptable(answer[1])
        if kind == "toolarge":
            raise ResultTooLarge(
                f"the result is larger than the limit of {self.limits.max_result_bytes} bytes; add a LIMIT "
                "or select fewer variables"
            )
        raise WorkerFailed(answer[1])

    def close(self) -> None:
        self._closed = True
        for w in self._idle.drain():
            self._retire(w)
        shutil.rmtree(self.spool_dir, ignore_errors=True)
        if self.checkpoint is not None:
            shutil.rmtree(self.snap_root, ignore_errors=True)


def discard_payload(payload: tuple[str, Any]) -> None:
    if payload[0] == "file":
        with contextlib.suppress(OSError):
            os.unlink(payload[1])


class Waiting:
    """Counts requests queued for a slot, so a burst beyond ``max_waiting`` is refused at once."""

    def __init__(self, limits: Limits, stats: Stats) -> None:
        self.limits = limits
        self.stats = stats
        self.n = 0
        self._lock = threading.Lock()

    def __enter__(self) -> Waiting:
        with self._lock:
            if self.n >= self.limits.max_waiting:
                self.stats.busy += 1
                raise Busy(f"the server is busy: {self.n} queries are waiting already; try again shortly")
            self.n += 1
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.n -= 1


class ThreadGate:
    """Bounded concurrency for queries run on threads (remote stores, or isolation switched off)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._sem = threading.BoundedSemaphore(max(1, limits.workers))
        self.stats = Stats()
        self.waiting = Waiting(limits, self.stats)

    def acquire(self) -> None:
        with self.waiting:
            ok = self._sem.acquire(timeout=self.limits.queue_timeout)
        if not ok:
            self.stats.busy += 1
            raise Busy(
                f"the server is busy: {self.limits.workers} queries are running; try again shortly"
            )
        self.stats.queries += 1

    def release(self) -> None:
        self._sem.release()


class DeadlineWriter:
    """Wraps a Sink for threaded queries: a serialisation still writing at the deadline, or past the
    size limit, stops there (the response has started, so the connection is dropped, not ended as if
    the result were whole)."""

    def __init__(self, out: Any, deadline: float, timeout: float, max_bytes: int | None = None) -> None:
        self.out = out
        self.deadline = deadline
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.size = 0

    def write(self, data: bytes) -> int:
        if time.monotonic() > self.deadline:
            raise QueryTimeout(f"query timed out after {self.timeout:g} s and was stopped")
        self.size += len(data)
        if self.max_bytes is not None and self.size > self.max_bytes:
            raise ResultTooLarge(f"the result is larger than the limit of {self.max_bytes} bytes")
        return self.out.write(data)

    def flush(self) -> None:
        self.out.flush()

    def writable(self) -> bool:
        return True


class QueryRunner:
    """What ``/sparql`` calls: a streaming job for one query, under the limits (pool or threads)."""

    def __init__(self, store: Any, limits: Limits) -> None:
        self.store = store
        self.limits = limits
        path = getattr(store, "path", None)
        self.pool: QueryPool | None = None
        if limits.isolate and isinstance(path, Path) and (path / "oxigraph").exists():
            db = getattr(store, "db", None)
            writable = not getattr(store, "read_only", True) and db is not None
            self.pool = QueryPool(path, limits, checkpoint=db.backup if writable else None)
        self.gate = ThreadGate(limits)
        self.per_client = PerClient(limits.per_client)

    @property
    def stats(self) -> Stats:
        return self.pool.stats if self.pool is not None else self.gate.stats

    @property
    def first_timeout(self) -> float | None:
        """How long the route waits for the first byte (threads: the work itself cannot be stopped)."""
        return None if self.pool is not None else self.limits.query_timeout

    def renew(self) -> None:
        if self.pool is not None:
            self.pool.renew()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()

    def job(
        self,
        state: Any,
        query: str,
        default_graphs: list[str],
        named_graphs: list[str],
        accept: str | None,
        fmt_param: str | None,
    ) -> Callable[[Any], None]:
        """A ``kg.web.streaming`` job for the threaded mode (no pool: the route awaits ``pool.run`` itself);
        sets ``state.query_seconds`` for the access log."""
        store, limits, gate = self.store, self.limits, self.gate

        def threaded(out: Any) -> None:
            from kg.web.negotiation import GRAPH_FORMATS, RESULT_FORMATS, choose
            from kg.web.sparql import NotAcceptable

            gate.acquire()
            try:
                t0 = time.monotonic()
                res = store.query(
                    query, default_graph_uris=default_graphs, named_graph_uris=named_graphs,
                    timeout=limits.query_timeout,
                )
                fmt = choose(accept, fmt_param, GRAPH_FORMATS if res.kind == "graph" else RESULT_FORMATS)
                if fmt is None:
                    kind = res.kind
                    del res
                    raise NotAcceptable(kind)
                out.announce(fmt)
                res.serialize(fmt.key, DeadlineWriter(out, t0 + limits.query_timeout, limits.query_timeout,
                                                      limits.max_result_bytes))
                state.query_seconds = time.monotonic() - t0
            finally:
                gate.release()

        return threaded
