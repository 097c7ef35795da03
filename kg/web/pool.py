"""The query worker pool: ``workers`` processes over a folder store, handed to requests in turn.

No thread per request: the worker's pipe is watched by the event loop (``add_reader``) and the deadline
is a timer on it, at which the worker is killed (SIGKILL: the CPU work stops with it) and a fresh one
takes its place, started off the answer's path. A worker that ended on its own (a crash, its CPU or
memory cap) is reaped and replaced the same way. With writes enabled the workers read checkpoints
(``Store.backup``) renewed after every write (see ``kg.web.limits``).
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
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.web.query_errors import Busy, QueryTimeout, WorkerDied
from kg.web.worker import Confinement, Failed, Parsed, Probe, Reply, Serialised, WorkerConfig, worker_main

if TYPE_CHECKING:
    from kg.web.limits import Limits


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
    """``workers`` query processes over a folder store; ``call`` (awaited on the server's event loop)
    answers one job or raises (LimitError, or the job's own error)."""

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
        with contextlib.suppress(ValueError, AttributeError):  # no rdflib in the workers (see kg.web.worker)
            self._ctx.set_forkserver_preload(["kg.web.worker", "kg.store.oxigraph_query", "kg.web.negotiation"])
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
        p = self._ctx.Process(target=worker_main, args=(child, cfg), name="kg-query", daemon=True)
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

            def replace_worker() -> None:
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
            threading.Thread(target=replace_worker, name="kg-query-respawn", daemon=True).start()
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
        """An idle worker that is still running, waiting up to ``queue_timeout`` for one; Busy if none came.
        One that ended while idle (its engine's own threads can end it) is replaced, never handed the job:
        the job would be blamed for a death it did not cause."""
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
                self.stats.queries += 1
                return w
            self.stats.idle_deaths += 1
            self._release(w, healthy=False)  # reaped and replaced off the event loop

    async def _reply(self, w: _Worker, job: Any, timeout: float) -> Reply:
        """Send ``job`` and read the reply once the pipe is readable; QueryTimeout past ``timeout``."""
        loop = asyncio.get_running_loop()
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
        reply = w.conn.recv()  # readable: the worker has answered (the rest of it is being written)
        if isinstance(reply, (Serialised, Parsed)) and reply.payload.path is None:
            reply = replace(reply, payload=replace(reply.payload, data=w.conn.recv_bytes()))
        return reply

    async def call(self, job: Any, timeout: float | None = None) -> Reply:
        """A worker's reply to ``job`` within ``timeout`` (default: the query timeout); raises LimitError
        (busy, timed out, worker died) or the job's own error (``Failed``). If the awaiting request is
        cancelled (the client went away, the server stops) the worker is killed: the CPU work stops with it."""
        w = await self._take()
        healthy = False
        try:
            reply = await self._reply(w, job, self.limits.query_timeout if timeout is None else timeout)
            healthy = not (isinstance(reply, Failed) and reply.exit)
        except (EOFError, OSError):
            w.process.join(1)
            raise self._death(w.process.exitcode) from None
        finally:
            self._release(w, healthy)
        if isinstance(reply, Failed):
            raise reply.error
        return reply

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
                return reply.info if isinstance(reply, Confinement) else None
            return None
        except (EOFError, OSError):
            return None
        finally:
            self._release(w, healthy)

    def _death(self, code: int | None) -> WorkerDied:
        """Why a worker ended, for the client, with the status that says whose the fault is. A worker killed by
        a signal while running one query died of that query (the engine's stack, the worker's memory cap: a
        fresh worker would die the same way), so that is the client's 422, like a result over the limit; its
        CPU cap is a time limit (504). Only an end without a signal is unexplained (500)."""
        if code is not None and code < 0:
            sig = -code
            if sig == signal.SIGXCPU:
                return WorkerDied("the query used more CPU time than a query worker may, and was stopped", 504)
            name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
            return WorkerDied(
                f"the query is too large or too complex for the engine: its worker ended on {name} while running it "
                f"(it may need more than the {self.limits.worker_memory_mb} MiB a worker may use, or recurse too "
                "deeply); simplify it or split it; the server goes on", 422)
        return WorkerDied("the query worker ended while running it; the server goes on")

    async def run(self, job: Any) -> Serialised:
        """A query's serialised answer; raises QueryError, LimitError or NotAcceptable(kind)."""
        reply = await self.call(job)
        assert isinstance(reply, Serialised)
        return reply

    def close(self) -> None:
        self._closed = True
        for w in self._idle.drain():
            self._retire(w)
        shutil.rmtree(self.spool_dir, ignore_errors=True)
        if self.checkpoint is not None:
            shutil.rmtree(self.snap_root, ignore_errors=True)
