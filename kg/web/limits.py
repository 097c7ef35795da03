"""Query limits: a per-query timeout that stops the work, a result-size limit, bounded concurrency.

This module holds the knobs (``Limits``), the gates a query passes (per client, queue, threads) and
``QueryRunner``, what the routes call; the worker processes are ``kg.web.worker`` and ``kg.web.pool``,
the errors ``kg.web.query_errors``, the one answer sequence ``kg.web.answer``.

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
import os
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from kg.errors import QueryError
from kg.store.sparql_text import check_size
from kg.web.answer import answer, table_rows
from kg.web.pool import QueryPool, Stats, Waiting
from kg.web.query_errors import (  # noqa: F401 - the names callers import from here
    Busy,
    ClientGone,
    LimitError,
    NotAcceptable,
    QueryFailed,
    QueryTimeout,
    ResultTooLarge,
    TooManyFromClient,
    WorkerDied,
    WorkerFailed,
)
from kg.web.worker import Payload, Probe, QueryJob, Table, TableJob, UpdateCheck, base_kw  # noqa: F401

if TYPE_CHECKING:
    from kg.store.base import Store

T = TypeVar("T")
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
    max_query_chain: int = 2000  # operators and chained patterns (sparql_text.chain_length; ~6,500 `+` crash it)
    worker_memory_mb: int = 4096  # address space of one query worker (RLIMIT_AS)
    allow_service: bool = False  # SERVICE and LOAD (outbound requests); off: refused, and workers have no network


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

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        self.acquire()
        try:
            yield
        finally:
            self.release()


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

    def announce(self, meta: Any = None) -> None:
        self.out.announce(meta)

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


def discard_payload(payload: Payload) -> None:
    payload.discard()


class QueryRunner:
    """What ``/sparql`` calls: a streaming job for one query, under the limits (pool or threads)."""

    def __init__(self, store: Store, limits: Limits, base_iri: str | None = None) -> None:
        """``base_iri``: what relative IRIs in visitors' queries and updates resolve against (the SPARQL
        Protocol lets the service choose; ``kg serve`` gives its endpoint, ``{base}/sparql``)."""
        self.store = store
        self.limits = limits
        self.base_iri = base_iri
        path = store.path
        self.pool: QueryPool | None = None
        if limits.isolate and path is not None and (path / "oxigraph").exists():  # an embedded store's folder
            # writing: the workers read checkpoints (``Store.backup``), renewed after every write
            self.pool = QueryPool(path, limits, checkpoint=None if store.read_only else store.backup,
                                  base_iri=base_iri)
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
        """TooComplex (400) for a text over the length, nesting or chaining limit, before any parser sees it."""
        check_size(text, what, self.limits.max_query_chars, self.limits.max_query_depth,
                   self.limits.max_query_chain)

    def _check_outbound(self, text: str, update: bool = False) -> None:
        from kg.web.policy import check_outbound

        if not self.limits.allow_service:
            check_outbound(text, update)

    async def answer(self, state: Any, job: QueryJob) -> tuple[Any, Any]:
        """(format, body) for ``/sparql``: body is a ``Payload`` from a worker process, or an iterator of
        chunks from a thread. Raises QueryError (Forbidden, TooComplex), LimitError or NotAcceptable;
        sets ``state.query_seconds`` for the access log."""
        from kg.web import streaming

        self.check_size(job.query)
        if self.pool is not None:
            reply = await self.pool.run(job)
            state.query_seconds = reply.seconds
            return reply.fmt, reply.payload
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
        assert isinstance(reply, Table)
        return reply.as_dict()

    def _table_on_thread(self, query: str, max_rows: int) -> Table:
        self._check_outbound(query)
        with self.gate.held():
            t0 = time.monotonic()
            res = self.store.query(query, timeout=self.limits.query_timeout, **base_kw(self.base_iri))
            kind, columns = res.kind, list(res.variables) if res.kind == "solutions" else []
            if kind == "boolean":
                value = res.boolean()
                del res  # pyoxigraph results must be dropped on the thread that made them
                return Table("boolean", [], [], False, time.monotonic() - t0, value=value)
            items = res.rows() if kind == "solutions" else res.triples()
            cells = ([_plain(x) for x in ([item.get(v) for v in columns] if kind == "solutions" else item)]
                     for item in items)
            rows, truncated = table_rows(cells, max_rows)
            del cells, items, res  # dropped here, on the thread that made them
            return Table(kind, columns or ["subject", "predicate", "object"], rows, truncated, time.monotonic() - t0)

    async def check_update(self, update: str) -> None:
        """Refuse an update that is too large or deep (TooComplex), uses LOAD or SERVICE (Forbidden) or
        does not parse (QueryError), deciding in a worker process where there is one: a text that
        crashes the parser ends a worker, not the server (WorkerDied)."""
        self.check_size(update, "update")
        if self.pool is not None:
            await self.pool.call(UpdateCheck(update))
        elif not self.limits.allow_service:
            from fastapi.concurrency import run_in_threadpool

            await run_in_threadpool(self._check_outbound, update, True)

    async def parse_upload(self, body: bytes, media_type: str, base_iri: str) -> bytes:
        """An uploaded graph as N-Triples, parsed in a worker process where there is one (capped in memory
        and time, off the event loop); QueryError if it does not parse."""
        from kg.web.worker import ParseJob

        if self.pool is None:
            from fastapi.concurrency import run_in_threadpool

            return await run_in_threadpool(parse_to_ntriples, body, media_type, base_iri)
        fd, path = tempfile.mkstemp(prefix="kg-upload-", dir=self.pool.spool_dir)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            reply = await self.pool.call(ParseJob(path, media_type, base_iri))
        finally:
            with contextlib.suppress(OSError):
                os.unlink(path)
        payload = reply.payload  # type: ignore[union-attr]
        if payload.path is None:
            return bytes(payload.data)
        try:
            with open(payload.path, "rb") as f:
                return f.read()
        finally:
            payload.discard()

    def job(self, state: Any, job: QueryJob) -> Callable[[Any], None]:
        """A ``kg.web.streaming`` job for the threaded mode (no pool: the route awaits ``pool.run`` itself);
        sets ``state.query_seconds`` for the access log."""
        store, limits, base = self.store, self.limits, base_kw(self.base_iri)

        def threaded(out: Any) -> None:
            self._check_outbound(job.query)
            with self.gate.held():
                t0 = time.monotonic()
                answer(lambda: store.query(job.query, default_graph_uris=job.default_graphs,
                                           named_graph_uris=job.named_graphs, timeout=limits.query_timeout, **base),
                       job.accept, job.fmt_param,
                       DeadlineWriter(out, t0 + limits.query_timeout, limits.query_timeout, limits.max_result_bytes))
                state.query_seconds = time.monotonic() - t0

        return threaded


def _plain(term: Any) -> tuple | None:
    """An rdflib term as the plain cell a worker sends (see ``kg.web.worker.cell``)."""
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
