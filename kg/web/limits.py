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
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from kg.errors import QueryError
from kg.store.sparql_text import check_size

T = TypeVar("T")
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
    max_query_chars: int = 256 * 1024  # a query or update's length, checked before any parser sees it
    max_query_depth: int = 128  # nesting of groups and brackets (Oxigraph's parser recurses; 3,000 crash it)
    worker_memory_mb: int = 4096  # address space of one query worker (RLIMIT_AS)
    allow_service: bool = False  # SERVICE and LOAD (outbound requests); off: refused, and workers have no network


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


class QueryFailed(LimitError):
    """The engine failed while evaluating or writing the result (not the client's syntax): 500, no trace."""

    status = 500


class WorkerDied(LimitError):
    """The worker process ended while running the request (a crash, or its CPU or memory cap)."""

    status = 500


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


@dataclass(frozen=True)
class QueryJob:
    """``/sparql``: one query, its dataset and the client's format wishes; answered serialised."""

    query: str
    default_graphs: list[str]
    named_graphs: list[str]
    accept: str | None
    fmt_param: str | None


@dataclass(frozen=True)
class TableJob:
    """The query editor: the first ``max_rows`` rows of a query as plain cells (see ``_cell``)."""

    query: str
    max_rows: int


@dataclass(frozen=True)
class UpdateCheck:
    """A SPARQL Update run against an empty store in the worker before the server runs it on the real one:
    a text that crashes the parser (deep nesting, long operator chains) kills a worker, not the server."""

    update: str


@dataclass(frozen=True)
class ParseJob:
    """An uploaded graph (in a file) parsed into N-Triples in another file, off the server's event loop."""

    path: str
    media_type: str
    base_iri: str


@dataclass(frozen=True)
class Probe:
    """Asks a worker how it is confined (tests and the start-up line)."""


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker is started with."""

    store_dir: str
    spool_dir: str
    max_bytes: int
    prefixes: dict[str, str]
    allow_outbound: bool = False
    memory_bytes: int = 0  # RLIMIT_AS; 0: none
    cpu_seconds: float = 0  # per job, RLIMIT_CPU over what the worker had used; 0: none
    base_iri: str | None = None  # resolves relative IRIs in queries and updates (the endpoint's IRI)


_CONFINEMENT: dict[str, Any] = {}  # how this worker process is confined (``Probe``)
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def cut_network() -> bool:
    """Move this process into a network namespace of its own (only a loopback that is down): no socket it
    opens can reach any address. Root may do so directly; others through a user namespace, where the
    kernel allows unprivileged ones. False (and nothing changed) where neither works."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    private = _CLONE_NEWUSER | _CLONE_NEWNET
    attempts = [_CLONE_NEWNET, private] if os.geteuid() == 0 else [private]
    return any(libc.unshare(flags) == 0 for flags in attempts)


M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)
WORKER_ARENAS = 2


def _few_malloc_arenas() -> bool:
    """Let glibc's malloc keep at most WORKER_ARENAS arenas in this process. Why: each thread that finds the
    arenas busy gets a new one, reserving 64-128 MiB of address space; the engine's store threads start
    together, so a fresh worker's peak address space varied from 460 to 767 MiB from one start to the next
    (measured: 60 starts) and, under a 768 MiB RLIMIT_AS, a thread could not be created now and then: the
    engine aborted (SIGABRT) and the next, innocent query got a 500. With two arenas the peak is a steady
    ~270 MiB. False where the C library has no mallopt (not glibc)."""
    import ctypes

    try:
        return bool(ctypes.CDLL(None).mallopt(M_ARENA_MAX, WORKER_ARENAS))
    except (OSError, AttributeError):
        return False


def _confine(cfg: WorkerConfig) -> dict[str, Any]:
    """Caps for this worker process: address space, and the network cut off unless outbound is allowed."""
    import resource

    arenas = WORKER_ARENAS if _few_malloc_arenas() else None  # before any thread starts
    if cfg.memory_bytes > 0:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (cfg.memory_bytes, cfg.memory_bytes))
    network_cut = False if cfg.allow_outbound else cut_network()
    return {"network_cut": network_cut, "memory_bytes": cfg.memory_bytes, "cpu_seconds": cfg.cpu_seconds,
            "malloc_arenas": arenas}


def _cpu_cap(seconds: float) -> None:
    """At most ``seconds`` more CPU time for this process (SIGXCPU ends it past that)."""
    import resource

    if seconds <= 0:
        return
    use = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(use.ru_utime + use.ru_stime + seconds) + 1
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.RLIM_INFINITY))


def _cell(term: Any) -> tuple | None:
    """A result term as plain data: ("iri", v), ("bnode", id), ("literal", v, lang, datatype) or None."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.language, term.datatype.value if term.datatype else None)
    return ("literal", str(term), None, None)


TABLE_BYTES = 4 << 20  # the editor's rows travel to the server and are rendered there: a budget for them
CELL_CHARS = 2_000  # a literal longer than this is shown cut (the full value: download the result)


def table_rows(rows: Iterator[list], max_rows: int, max_bytes: int = TABLE_BYTES) -> tuple[list[list], bool]:
    """The first rows of plain cells within ``max_rows`` and ``max_bytes`` of text, literals over CELL_CHARS
    cut with "…"; and whether anything was left out. Without a byte budget one editor request of 1,000
    rows of 1 MB strings held the server's event loop for 27 s while its page was rendered."""
    out: list[list] = []
    size = 0
    for row in rows:
        if len(out) >= max_rows or size > max_bytes:
            return out, True
        cut = []
        for c in row:
            if c is not None and c[0] == "literal" and len(c[1]) > CELL_CHARS:
                c = ("literal", c[1][:CELL_CHARS] + "…", *c[2:])
            size += len(c[1]) if c is not None else 0
            cut.append(c)
        out.append(cut)
    return out, False


def _base(base_iri: str | None) -> dict[str, str]:
    """The engine's keyword for a base IRI, if there is one (relative IRIs are an error without)."""
    return {"base_iri": base_iri} if base_iri else {}


def _answer(job: Any, db: Any, cfg: WorkerConfig, spool: _Spool) -> tuple:
    """One job's reply (a tagged tuple); raises what the caller maps to a reply."""
    import pyoxigraph as ox

    from kg.store import oxigraph_query as oxq
    from kg.web.negotiation import GRAPH_FORMATS, RESULT_FORMATS, choose
    from kg.web.policy import check_outbound

    t0 = time.perf_counter()
    if isinstance(job, Probe):
        return ("probe", dict(_CONFINEMENT))
    if isinstance(job, ParseJob):
        with open(job.path, "rb") as f:
            triples = ox.parse(f, ox.RdfFormat.from_media_type(job.media_type), base_iri=job.base_iri,
                               without_named_graphs=True)
            ox.serialize(triples, spool, ox.RdfFormat.N_TRIPLES)
        return ("parsed", spool.payload())
    text = job.update if isinstance(job, UpdateCheck) else job.query
    if not cfg.allow_outbound:
        check_outbound(text, update=isinstance(job, UpdateCheck))
    if isinstance(job, UpdateCheck):
        try:
            ox.Store().update(text, prefixes=dict(cfg.prefixes), **_base(cfg.base_iri))
        except SyntaxError as exc:
            raise QueryError(f"malformed update: {oxq.parser_message(exc)}") from None
        except (OSError, ValueError, RuntimeError):
            pass  # on an empty store (DROP GRAPH of a graph it lacks): the real store decides
        return ("checked",)
    if isinstance(job, TableJob):
        res = oxq.query(db, text, cfg.prefixes, **_base(cfg.base_iri))
        kind = oxq.kind_of(res)
        if kind == "boolean":
            return ("table", kind, [], bool(res), False, time.perf_counter() - t0)
        columns = [v.value for v in res.variables] if kind == "solutions" else ["subject", "predicate", "object"]
        cells = ([_cell(x) for x in item] if kind == "solutions" else
                 [_cell(item.subject), _cell(item.predicate), _cell(item.object)] for item in res)
        rows, truncated = table_rows(cells, job.max_rows)
        del res
        return ("table", kind, columns, rows, truncated, time.perf_counter() - t0)
    res = oxq.query(db, text, cfg.prefixes, job.default_graphs, job.named_graphs, **_base(cfg.base_iri))
    kind = oxq.kind_of(res)
    fmt = choose(job.accept, job.fmt_param, GRAPH_FORMATS if kind == "graph" else RESULT_FORMATS)
    if fmt is None:
        return ("notacceptable", kind)
    oxq.serialize(res, kind, fmt.key, spool, cfg.prefixes)  # type: ignore[arg-type]
    del res
    return ("ok", fmt, spool.payload(), time.perf_counter() - t0)


def worker_main(conn: Any, cfg: WorkerConfig) -> None:
    """A query worker: confine itself, open the store read-only, answer jobs until the pipe closes.

    It imports pyoxigraph and small modules (``kg.store.oxigraph_query``), and rdflib's SPARQL parser only
    when a text names SERVICE or LOAD (``kg.web.policy``): ~25 MiB resident for plain queries."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    _CONFINEMENT.update(_confine(cfg))
    import pyoxigraph as ox

    from kg.web.policy import Forbidden

    try:
        db = ox.Store.read_only(str(Path(cfg.store_dir) / "oxigraph"))
    except Exception as exc:  # reported as the answer to the first request
        with contextlib.suppress(EOFError, OSError):
            conn.recv()
            conn.send(("failed", f"the query worker cannot open the store: {type(exc).__name__}"))
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        _cpu_cap(cfg.cpu_seconds)
        spool = _Spool(cfg.max_bytes, cfg.spool_dir)
        try:
            answer = _answer(job, db, cfg, spool)
        except Forbidden as exc:
            answer = ("forbidden", str(exc))
        except QueryError as exc:
            answer = ("badquery", str(exc))
        except MemoryError:
            spool.discard()
            # the worker's heap is left near its cap: it answers, then ends (and is replaced) rather than fail
            # the next, innocent query
            answer = ("failed", "the query needed more memory than a query worker may use, and was stopped",
                      "exit")
        except Exception as exc:  # reported to the client as a failed query, the worker carries on
            spool.discard()
            if isinstance(exc, _TooLarge) or spool.size > cfg.max_bytes:  # the engine may wrap our exception
                answer = ("toolarge", spool.size)
            elif isinstance(job, ParseJob):
                answer = ("badquery", " ".join(str(exc).split())[:300])
            else:
                answer = ("error", f"query failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}")
        try:
            conn.send(answer)
            if answer[0] in ("ok", "parsed"):
                payload = answer[2] if answer[0] == "ok" else answer[1]
                if payload[0] == "memory":
                    conn.send_bytes(spool.buf)  # the serialised result as it is: no copy, no pickling
        except (OSError, EOFError):
            return
        if answer[-1] == "exit":
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
    idle_deaths: int = 0  # workers found ended while idle: replaced, no request blamed
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

    def __init__(self, store_dir: Path, limits: Limits, checkpoint: Callable[[str], None] | None = None,
                 base_iri: str | None = None) -> None:
        """``checkpoint(target)``: the writer's ``Store.backup``; given, workers read checkpoints.
        ``base_iri``: what relative IRIs in queries resolve against."""
        self.store_dir = Path(store_dir)
        self.base_iri = base_iri
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
        cfg = WorkerConfig(
            store_dir=str(self._source(gen)), spool_dir=self.spool_dir, max_bytes=self.limits.max_result_bytes,
            prefixes=self.prefixes, allow_outbound=self.limits.allow_service,
            memory_bytes=self.limits.worker_memory_mb << 20,
            cpu_seconds=self.limits.query_timeout * 2 + 5 if self.limits.query_timeout else 0,
            base_iri=self.base_iri,
        )
        p = self._ctx.Process(
            target=worker_main,
            args=(child, cfg),
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

    def _signal_kill(self, w: _Worker) -> float:
        """SIGKILL now (the CPU work stops with it); the time it was sent, for ``_reap``."""
        with contextlib.suppress(ProcessLookupError, OSError, ValueError, AttributeError):
            os.kill(w.process.pid, signal.SIGKILL)
        self.stats.kills += 1
        return time.perf_counter()

    def _reap(self, w: _Worker, since: float) -> None:
        """Wait for a killed worker to be gone (off the event loop: a busy machine takes its time)."""
        w.process.join(5)
        with contextlib.suppress(OSError):
            w.conn.close()
        self.stats.last_kill_seconds = time.perf_counter() - since
        self._gone(w)

    def _kill(self, w: _Worker) -> None:
        self._reap(w, self._signal_kill(w))

    def _release(self, w: _Worker, healthy: bool) -> None:
        if not healthy or w.generation != self._generation or self._closed:
            killed = None if healthy else self._signal_kill(w)  # at once, on the loop; reaped on a thread

            def replace() -> None:
                if killed is not None:
                    self._reap(w, killed)
                else:
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

    async def _take(self) -> _Worker:
        """An idle worker that is still running. One that ended while idle (its engine's own threads can end
        it) is replaced, never handed the job: the job would be blamed for a death it did not cause."""
        deadline = time.monotonic() + self.limits.queue_timeout
        while True:
            w = self._idle.get_nowait()
            if w is None:
                with self.waiting:
                    w = await self._idle.get(max(0.0, deadline - time.monotonic()))
                if w is None:
                    self.stats.busy += 1
                    raise Busy(
                        f"the server is busy: {self.limits.workers} queries are running and none finished "
                        f"within {self.limits.queue_timeout:g} s; try again shortly"
                    )
            if w.process.exitcode is None:
                return w
            self.stats.idle_deaths += 1
            self._release(w, healthy=False)  # reaped and replaced off the event loop

    async def call(self, job: Any, timeout: float | None = None) -> tuple:
        """A worker's reply to ``job`` (a tagged tuple), within ``timeout`` (default: the query timeout);
        raises LimitError (busy, timed out, worker died). If the awaiting request is cancelled (the client
        went away, the server stops) the worker is killed: the CPU work stops with it."""
        w = await self._take()
        self.stats.queries += 1
        timeout = self.limits.query_timeout if timeout is None else timeout
        loop = asyncio.get_running_loop()
        healthy = False
        try:
            w.conn.send(job)
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
            exiting = answer[0] == "failed" and answer[-1] == "exit"
            if answer[0] in ("ok", "parsed"):
                at = 2 if answer[0] == "ok" else 1
                if answer[at][0] == "memory":
                    answer = (*answer[:at], ("memory", w.conn.recv_bytes()), *answer[at + 1:])
            healthy = not exiting
        except (EOFError, OSError):
            w.process.join(1)
            raise WorkerDied(self._death(w.process.exitcode)) from None
        finally:
            self._release(w, healthy)
        if answer[0] == "forbidden":
            from kg.web.policy import Forbidden

            raise Forbidden(answer[1])
        if answer[0] == "badquery":
            raise QueryError(answer[1])
        if answer[0] == "toolarge":
            raise ResultTooLarge(
                f"the result is larger than the limit of {self.limits.max_result_bytes} bytes; add a LIMIT "
                "or select fewer variables"
            )
        if answer[0] == "failed":
            raise WorkerFailed(answer[1])
        if answer[0] == "error":
            raise QueryFailed(answer[1])
        return answer

    def confinement(self, timeout: float = 30) -> dict[str, Any] | None:
        """How a worker is confined (network cut, memory and CPU caps), asked of an idle one without an
        event loop (the start-up line); None if none answered in time."""
        w = self._idle.get_nowait()
        if w is None:
            return None
        healthy = False
        try:
            w.conn.send(Probe())
            if w.conn.poll(timeout):
                reply = w.conn.recv()
                healthy = True
                return reply[1]
            return None
        except (EOFError, OSError):
            return None
        finally:
            self._release(w, healthy)

    def _death(self, code: int | None) -> str:
        """Why a worker ended, for the client: its CPU or memory cap, or a crash (the engine's stack)."""
        if code is not None and code < 0:
            sig = -code
            if sig == signal.SIGXCPU:
                return "the query used more CPU time than a query worker may, and was stopped"
            name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
            return (f"the query worker ended on {name} while running it (the query may be too large or too "
                    f"complex for the engine, or need more than the {self.limits.worker_memory_mb} MiB a worker "
                    "may use); the server goes on")
        return "the query worker ended while running it; the server goes on"

    async def run(self, job: QueryJob) -> tuple[Any, tuple[str, Any], float]:
        """(format, payload, seconds); raises QueryError, LimitError or NotAcceptable(kind).

        ``payload`` is ("memory", bytes) or ("file", path)."""
        from kg.web.sparql import NotAcceptable

        answer = await self.call(job)
        if answer[0] == "notacceptable":
            raise NotAcceptable(answer[1])
        return answer[1], answer[2], answer[3]

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


async def while_connected(request: Any, work: Awaitable[T]) -> T:
    """Await ``work`` unless the client goes away first; then cancel it (a query waiting for a worker
    leaves the queue, a running one's worker is killed) and raise ClientGone. Without this, requests
    queued by clients that have left would each still run a query to its deadline: 40 abandoned runaway
    queries kept a server stalled for minutes after their clients had gone."""
    task = asyncio.ensure_future(work)

    async def disconnected() -> None:
        while True:
            msg = await request.receive()
            if msg.get("type") == "http.disconnect":
                return

    watch = asyncio.ensure_future(disconnected())
    try:
        done, _ = await asyncio.wait({task, watch}, return_when=asyncio.FIRST_COMPLETED)
    except BaseException:
        task.cancel()
        raise
    finally:
        if not watch.done():
            watch.cancel()
    if task in done:
        return task.result()
    task.cancel()
    with contextlib.suppress(BaseException):
        await task
    raise ClientGone("the client went away; its query was stopped")


class ClientGone(LimitError):
    """The client disconnected before its answer (499 in the access log: nobody reads this answer)."""

    status = 499


class QueryRunner:
    """What ``/sparql`` calls: a streaming job for one query, under the limits (pool or threads)."""

    def __init__(self, store: Any, limits: Limits, base_iri: str | None = None) -> None:
        """``base_iri``: what relative IRIs in visitors' queries and updates resolve against (the SPARQL
        Protocol lets the service choose; ``kg serve`` gives its endpoint, ``{base}/sparql``)."""
        self.store = store
        self.limits = limits
        self.base_iri = base_iri
        path = getattr(store, "path", None)
        self.pool: QueryPool | None = None
        if limits.isolate and isinstance(path, Path) and (path / "oxigraph").exists():
            db = getattr(store, "db", None)
            writable = not getattr(store, "read_only", True) and db is not None
            self.pool = QueryPool(path, limits, checkpoint=db.backup if writable else None, base_iri=base_iri)
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

    def check_size(self, text: str, what: str = "query") -> None:
        """TooComplex (400) for a text over the length or nesting limit, before any parser sees it."""
        check_size(text, what, self.limits.max_query_chars, self.limits.max_query_depth)

    async def answer(self, state: Any, job: QueryJob) -> tuple[Any, Any]:
        """(format, body) for ``/sparql``: body is ("memory", bytes) or ("file", path) from a worker
        process, or an iterator of chunks from a thread. Raises QueryError (Forbidden, TooComplex),
        LimitError or NotAcceptable; sets ``state.query_seconds`` for the access log."""
        from kg.web import streaming

        self.check_size(job.query)
        if self.pool is not None:
            fmt, payload, secs = await self.pool.run(job)
            state.query_seconds = secs
            return fmt, payload
        try:
            return await streaming.start(self.job(state, job), self.first_timeout)
        except streaming.FirstByteTimeout:
            raise QueryTimeout(f"query timed out after {self.limits.query_timeout:g} s") from None

    async def table(self, query: str, max_rows: int) -> dict[str, Any]:
        """The first ``max_rows`` rows of a query as plain cells (the query editor's page), under the same
        guards as ``/sparql``: {"kind", "columns", "rows" | "value", "truncated", "seconds"}."""
        self.check_size(query)
        if self.pool is not None:
            reply = await self.pool.call(TableJob(query, max_rows))
        else:
            from fastapi.concurrency import run_in_threadpool

            reply = await asyncio.wait_for(run_in_threadpool(self._table_on_thread, query, max_rows),
                                           self.limits.query_timeout)
        _, kind, columns, rows, truncated, secs = reply
        if kind == "boolean":
            return {"kind": kind, "value": rows, "columns": [], "rows": [], "truncated": False, "seconds": secs}
        return {"kind": kind, "columns": columns, "rows": rows, "truncated": truncated, "seconds": secs}

    def _table_on_thread(self, query: str, max_rows: int) -> tuple:
        from kg.web.policy import check_outbound

        if not self.limits.allow_service:
            check_outbound(query)
        self.gate.acquire()
        try:
            t0 = time.monotonic()
            res = self.store.query(query, timeout=self.limits.query_timeout, **_base(self.base_iri))
            kind, columns = res.kind, list(res.variables) if res.kind == "solutions" else []
            if kind == "boolean":
                value = res.boolean()
                del res  # pyoxigraph results must be dropped on the thread that made them
                return ("table", "boolean", [], value, False, time.monotonic() - t0)
            items = res.rows() if kind == "solutions" else res.triples()
            cells = ([_plain(x) for x in ([item.get(v) for v in columns] if kind == "solutions" else item)]
                     for item in items)
            rows, truncated = table_rows(cells, max_rows)
            del cells, items, res  # dropped here, on the thread that made them
            return ("table", kind, columns or ["subject", "predicate", "object"], rows, truncated,
                    time.monotonic() - t0)
        finally:
            self.gate.release()

    async def check_update(self, update: str) -> None:
        """Refuse an update that is too large or deep (TooComplex), uses LOAD or SERVICE (Forbidden) or
        does not parse (QueryError), deciding in a worker process where there is one: a text that
        crashes the parser ends a worker, not the server (WorkerDied)."""
        self.check_size(update, "update")
        if self.pool is not None:
            await self.pool.call(UpdateCheck(update))
        elif not self.limits.allow_service:
            from fastapi.concurrency import run_in_threadpool

            from kg.web.policy import check_outbound

            await run_in_threadpool(check_outbound, update, True)

    async def parse_upload(self, body: bytes, media_type: str, base_iri: str) -> bytes:
        """An uploaded graph as N-Triples, parsed in a worker process where there is one (capped in memory
        and time, off the event loop); QueryError if it does not parse."""
        if self.pool is not None:
            fd, path = tempfile.mkstemp(prefix="kg-upload-", dir=self.pool.spool_dir)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(body)
                reply = await self.pool.call(ParseJob(path, media_type, base_iri))
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(path)
            where, value = reply[1]
            if where == "memory":
                return bytes(value)
            try:
                with open(value, "rb") as f:
                    return f.read()
            finally:
                discard_payload(reply[1])
        from fastapi.concurrency import run_in_threadpool

        return await run_in_threadpool(parse_to_ntriples, body, media_type, base_iri)

    def job(self, state: Any, job: QueryJob) -> Callable[[Any], None]:
        """A ``kg.web.streaming`` job for the threaded mode (no pool: the route awaits ``pool.run`` itself);
        sets ``state.query_seconds`` for the access log."""
        store, limits, gate, base = self.store, self.limits, self.gate, _base(self.base_iri)
        query, default_graphs, named_graphs, accept, fmt_param = (
            job.query, job.default_graphs, job.named_graphs, job.accept, job.fmt_param)

        def threaded(out: Any) -> None:
            from kg.web.negotiation import GRAPH_FORMATS, RESULT_FORMATS, choose
            from kg.web.policy import check_outbound
            from kg.web.sparql import NotAcceptable

            if not limits.allow_service:
                check_outbound(query)
            gate.acquire()
            try:
                t0 = time.monotonic()
                res = store.query(
                    query, default_graph_uris=default_graphs, named_graph_uris=named_graphs,
                    timeout=limits.query_timeout, **base,
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


def _plain(term: Any) -> tuple | None:
    """An rdflib term as the plain cell a worker sends (see ``_cell``)."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    if isinstance(term, Literal):
        return ("literal", str(term), term.language, str(term.datatype) if term.datatype else None)
    return ("literal", str(term), None, None)


def parse_to_ntriples(body: bytes, media_type: str, base_iri: str) -> bytes:
    """Parse an uploaded graph and write it as N-Triples (no named graphs); QueryError if it does not parse."""
    import io

    import pyoxigraph as ox

    out = io.BytesIO()
    try:
        triples = ox.parse(body, ox.RdfFormat.from_media_type(media_type), base_iri=base_iri,
                           without_named_graphs=True)
        ox.serialize(triples, out, ox.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError) as exc:
        raise QueryError(" ".join(str(exc).split())[:300]) from None
    return out.getvalue()
