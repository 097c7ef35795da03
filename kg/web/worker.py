"""The query worker process: its jobs, its replies, its confinement, and its main loop.

Why worker processes (see ``kg.web.limits`` for the whole picture): pyoxigraph cannot cancel a query, so
each visitor's query runs in a process that can be killed at its deadline. A worker confines itself
(address space ``RLIMIT_AS``, CPU time ``RLIMIT_CPU`` per job, a network namespace of its own via
``unshare`` unless outbound requests are allowed), opens the store read-only and answers jobs from its
pipe. It imports pyoxigraph and small modules (``kg.store.oxigraph_query``, ``kg.web.answer``), and
rdflib's SPARQL parser only when a text names SERVICE or LOAD (``kg.web.policy``): ~25 MiB resident for
plain queries. Replies are the small tagged types below; a failure travels as the exception the server
raises (``Failed``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import QueryError
from kg.web.answer import table_rows
from kg.web.negotiation import Format
from kg.web.query_errors import NotAcceptable, QueryFailed, ResultTooLarge, WorkerDied, WorkerFailed

MEMORY_RESULT = 1 << 20  # results up to this size travel through the pipe; larger ones through a file

# ------------------------------------------------------------------ jobs


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
    """The query editor: the first ``max_rows`` rows of a query as plain cells (see ``cell``)."""

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


# ------------------------------------------------------------------ replies


@dataclass(frozen=True)
class Payload:
    """Serialised bytes: in ``data`` (up to MEMORY_RESULT: sent after the reply as one raw message, and
    filled in by the server) or in the temporary file ``path``, which its reader removes."""

    path: str | None = None
    data: bytes | None = None

    def discard(self) -> None:
        if self.path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)


@dataclass(frozen=True)
class Serialised:
    fmt: Format
    payload: Payload
    seconds: float


@dataclass(frozen=True)
class Parsed:
    payload: Payload


@dataclass(frozen=True)
class Checked:
    pass


@dataclass(frozen=True)
class Table:
    """The editor's rows; for an ASK query ``value`` and no rows."""

    kind: str
    columns: list[str]
    rows: list[list]
    truncated: bool
    seconds: float
    value: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        if self.kind == "boolean":
            return {"kind": self.kind, "value": self.value, "columns": [], "rows": [], "truncated": False,
                    "seconds": self.seconds}
        return {"kind": self.kind, "columns": self.columns, "rows": self.rows, "truncated": self.truncated,
                "seconds": self.seconds}


@dataclass(frozen=True)
class Confinement:
    info: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Failed:
    """The job failed with ``error`` (what the server raises); ``exit``: the worker ends after replying."""

    error: Exception
    exit: bool = False


Reply = Serialised | Parsed | Checked | Table | Confinement | Failed


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


# ------------------------------------------------------------------ confinement


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


# ------------------------------------------------------------------ answering


class _Spool:
    """A result being written: in memory up to MEMORY_RESULT, then in a temporary file, up to ``limit``."""

    def __init__(self, limit: int, folder: str) -> None:
        self.limit = limit
        self.folder = folder
        self.buf = bytearray()
        self.file: Any = None
        self.size = 0

    def announce(self, meta: Any = None) -> None:
        """The format is in the reply; nothing to send ahead of the bytes."""

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

    def payload(self) -> Payload:
        """In memory (the bytes follow the reply as one ``send_bytes`` message), or the file's path."""
        if self.file is None:
            return Payload()
        self.file.close()
        return Payload(path=self.file.name)

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()
            with contextlib.suppress(OSError):
                os.unlink(self.file.name)


class _TooLarge(Exception):
    pass


def cell(term: Any) -> tuple | None:
    """A pyoxigraph term as a plain cell: ("iri", v), ("bnode", id), ("literal", v, lang, datatype) or None."""
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


def base_kw(base_iri: str | None) -> dict[str, str]:
    """The engine's keyword for a base IRI, if there is one (relative IRIs are an error without)."""
    return {"base_iri": base_iri} if base_iri else {}


class _Raw:
    """A pyoxigraph result as ``kg.web.answer`` reads it: its kind and a way to serialise it."""

    def __init__(self, raw: Any, prefixes: dict[str, str]) -> None:
        from kg.store import oxigraph_query as oxq

        self.raw, self.prefixes, self.kind = raw, prefixes, oxq.kind_of(raw)

    def serialize(self, fmt: str, out: Any) -> None:
        from kg.store import oxigraph_query as oxq

        oxq.serialize(self.raw, self.kind, fmt, out, self.prefixes)


def _parse(job: ParseJob, spool: _Spool) -> Reply:
    import pyoxigraph as ox

    with open(job.path, "rb") as f:
        triples = ox.parse(f, ox.RdfFormat.from_media_type(job.media_type), base_iri=job.base_iri,
                           without_named_graphs=True)
        ox.serialize(triples, spool, ox.RdfFormat.N_TRIPLES)
    return Parsed(spool.payload())


def _check_update(job: UpdateCheck, cfg: WorkerConfig) -> Reply:
    import pyoxigraph as ox

    from kg.store import oxigraph_query as oxq

    try:
        ox.Store().update(job.update, prefixes=dict(cfg.prefixes), **base_kw(cfg.base_iri))
    except SyntaxError as exc:
        raise QueryError(f"malformed update: {oxq.parser_message(exc)}") from None
    except (OSError, ValueError, RuntimeError):
        pass  # on an empty store (DROP GRAPH of a graph it lacks): the real store decides
    return Checked()


def _table(job: TableJob, db: Any, cfg: WorkerConfig, t0: float) -> Reply:
    from kg.store import oxigraph_query as oxq

    res = oxq.query(db, job.query, cfg.prefixes, **base_kw(cfg.base_iri))
    kind = oxq.kind_of(res)
    if kind == "boolean":
        return Table(kind, [], [], False, time.perf_counter() - t0, value=bool(res))
    columns = [v.value for v in res.variables] if kind == "solutions" else ["subject", "predicate", "object"]
    cells = ([cell(x) for x in item] if kind == "solutions" else
             [cell(item.subject), cell(item.predicate), cell(item.object)] for item in res)
    rows, truncated = table_rows(cells, job.max_rows)
    del res
    return Table(kind, columns, rows, truncated, time.perf_counter() - t0)


def _handle(job: Any, db: Any, cfg: WorkerConfig, spool: _Spool) -> Reply:
    """One job's reply; raises what ``_failure`` turns into one."""
    from kg.store import oxigraph_query as oxq
    from kg.web.answer import answer
    from kg.web.policy import check_outbound

    t0 = time.perf_counter()
    if isinstance(job, Probe):
        return Confinement(dict(_CONFINEMENT))
    if isinstance(job, ParseJob):
        return _parse(job, spool)
    text = job.update if isinstance(job, UpdateCheck) else job.query
    if not cfg.allow_outbound:
        check_outbound(text, update=isinstance(job, UpdateCheck))
    if isinstance(job, UpdateCheck):
        return _check_update(job, cfg)
    if isinstance(job, TableJob):
        return _table(job, db, cfg, t0)
    fmt = answer(lambda: _Raw(oxq.query(db, text, cfg.prefixes, job.default_graphs, job.named_graphs,
                                        **base_kw(cfg.base_iri)), cfg.prefixes),
                 job.accept, job.fmt_param, spool)
    return Serialised(fmt, spool.payload(), time.perf_counter() - t0)


def _failure(exc: Exception, job: Any, cfg: WorkerConfig, spool: _Spool) -> Failed:
    """What a job that raised ``exc`` replies: the client's error as it is, the engine's as QueryFailed."""
    spool.discard()  # a client's error may come after part of the result was written (NotXml)
    if isinstance(exc, (QueryError, NotAcceptable)):  # Forbidden is a QueryError
        return Failed(exc)
    if isinstance(exc, MemoryError):
        # the worker's heap is left near its cap: it answers, then ends (and is replaced) rather than fail
        # the next, innocent query
        return Failed(WorkerDied("the query needed more memory than a query worker may use, and was stopped; "
                                 "simplify it or split it", 422), exit=True)
    if isinstance(exc, _TooLarge) or spool.size > cfg.max_bytes:  # the engine may wrap our exception
        return Failed(ResultTooLarge(f"the result is larger than the limit of {cfg.max_bytes} bytes; add a LIMIT "
                                     "or select fewer variables"))
    if isinstance(job, ParseJob):
        return Failed(QueryError(" ".join(str(exc).split())[:300]))
    return Failed(QueryFailed(f"query failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"))


def worker_main(conn: Any, cfg: WorkerConfig) -> None:
    """A query worker: confine itself, open the store read-only, answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    _CONFINEMENT.update(_confine(cfg))
    import pyoxigraph as ox

    try:
        db = ox.Store.read_only(str(Path(cfg.store_dir) / "oxigraph"))
    except Exception as exc:  # reported as the answer to the first request
        with contextlib.suppress(EOFError, OSError):
            conn.recv()
            conn.send(Failed(WorkerFailed(f"the query worker cannot open the store: {type(exc).__name__}")))
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        _cpu_cap(cfg.cpu_seconds)
        spool = _Spool(cfg.max_bytes, cfg.spool_dir)
        reply: Reply
        try:
            reply = _handle(job, db, cfg, spool)
        except Exception as exc:  # noqa: BLE001 - reported to the client; the worker carries on (or exits)
            reply = _failure(exc, job, cfg, spool)
        try:
            conn.send(reply)
            if isinstance(reply, (Serialised, Parsed)) and reply.payload.path is None:
                conn.send_bytes(spool.buf)  # the serialised result as it is: no copy, no pickling
        except (OSError, EOFError):
            return
        if isinstance(reply, Failed) and reply.exit:
            return
