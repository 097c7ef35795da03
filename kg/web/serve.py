"""``kg serve``: open the store read-only, settle the IRI base, run uvicorn.

The base: a store remembers the base it was ingested with (``newskg.json``, see ``kg.config``) and
that is what its IRIs use, so serve uses it too; a different ``--base`` is refused, because every IRI
route would then miss. A store with no recorded base is served with ``--base`` or, failing that, the
listening address. The routes are paths (``/person/{id}``), so IRIs dereference here whenever their
base points at this server, directly or through a proxy that forwards the paths.

Read-only by default: the server never writes; it holds a shared lock that keeps writers out while it
runs (``kg ingest`` then fails with a clear message), because a read-only reader beside a writer is
not safe with RocksDB. With a write token (``--token-file`` or
``$KG_TOKEN``) it opens the store read-write and so holds RocksDB's single-writer lock: updates and
``POST /ingest`` go through it, and ``kg ingest`` on the same folder fails with a clear error.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import StoreError

if TYPE_CHECKING:
    from kg.web.context import ServeConfig
    from kg.web.limits import Limits


def listening_address(host: str, port: int) -> str:
    h = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{h}:{port}"


def _is_remote(location: object) -> bool:
    return not isinstance(location, Path) and str(location).startswith(("http://", "https://"))


def stored_base(location: object) -> str | None:
    """The base the store's IRIs were minted with, or None if it has none recorded yet."""
    if _is_remote(location) or not isinstance(location, (str, Path)):
        from kg.config import remote_stored_base

        return remote_stored_base(location)
    from kg.config import CONFIG_NAME, resolve_base

    folder = Path(location)
    return resolve_base(folder, None, writing=False) if (folder / CONFIG_NAME).exists() else None


def serve_base(location: object, host: str, port: int, requested: str | None) -> str:
    """The base to serve with (see the module docstring); raises StoreError on a conflicting --base."""
    from kg.rdf.iris import normalise_base

    stored = stored_base(location)
    try:
        wanted = normalise_base(requested) if requested else None
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    if stored and wanted and wanted != stored:
        raise StoreError(
            f"{location}: its IRIs use the base {stored}; serving it under --base {wanted} would make every IRI "
            "miss (omit --base, or re-ingest into another store with that base)"
        )
    return stored or wanted or normalise_base(listening_address(host, port))


def limits_from(
    *,
    query_timeout: float | None = None,
    query_workers: int | None = None,
    max_result_mb: float | None = None,
    per_client_queries: int | None = None,
    worker_memory_mb: int | None = None,
    no_isolate: bool = False,
    allow_service: bool = False,
) -> Limits:
    """``kg.web.limits.Limits`` from the ``kg serve`` options (defaults where not given); StoreError for
    values out of range."""
    from kg.web.limits import Limits

    d = Limits()
    timeout = float(d.query_timeout if query_timeout is None else query_timeout)
    workers = int(d.workers if query_workers is None else query_workers)
    per_client = int(d.per_client if per_client_queries is None else per_client_queries)
    memory_mb = int(d.worker_memory_mb if worker_memory_mb is None else worker_memory_mb)
    if memory_mb < 256:
        raise StoreError("--worker-memory-mb must be at least 256")
    if timeout <= 0 or workers < 1 or (max_result_mb is not None and max_result_mb <= 0):
        raise StoreError("--query-timeout, --query-workers and --max-result-mb must be positive")
    if per_client < 0:
        raise StoreError("--per-client-queries must be 0 (no cap) or more")
    return Limits(
        query_timeout=timeout,
        workers=workers,
        max_result_bytes=int(max_result_mb * 1024 * 1024) if max_result_mb else d.max_result_bytes,
        isolate=not no_isolate,
        per_client=per_client,
        worker_memory_mb=memory_mb,
        allow_service=allow_service,
    )


def hold_reader_lock(store_dir: object) -> int | None:
    """A read-only server keeps writers out while it runs: a shared POSIX lock on RocksDB's LOCK file,
    which a writer's open then fails to take (a clear "open in another process" error for ``kg
    ingest``). Why: pyoxigraph calls reading a store read-only while another process writes it
    undefined, and it is not safe (measured: a read-only open failed on an .sst file the writer had
    just compacted away). Returns the descriptor to keep open, or None for a remote store."""
    import fcntl
    import os

    if _is_remote(store_dir) or not isinstance(store_dir, (str, Path)):
        return None
    lock = Path(store_dir) / "oxigraph" / "LOCK"
    if not lock.exists():
        return None
    fd = os.open(lock, os.O_RDONLY)
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise StoreError(
            f"{store_dir}: another process is writing this store (kg ingest, or kg serve with writes enabled); "
            "serve it when that is done, or ingest through one kg serve with a token (POST /ingest)"
        ) from None
    return fd


def void_stats_of(store_dir: str) -> dict[str, Any]:
    """VoID statistics of a folder store, opened read-only (run in a child process by ``void_at_start``)."""
    from kg.store.oxigraph import OxigraphStore
    from kg.web.meta import compute_stats

    store = OxigraphStore(Path(store_dir), read_only=True)
    try:
        return compute_stats(store)
    finally:
        store.close()


def void_child(conn: Any, store_dir: str) -> None:
    """The child's side: compute on a thread, send the stats; stop at once if the server goes away (its end
    of the pipe closes: the only thing the server ever does on it), rather than scanning on as an orphan."""
    import os

    done = threading.Event()
    answer: dict[str, Any] = {}

    def work() -> None:
        try:
            answer["stats"] = void_stats_of(store_dir)
        except Exception as exc:  # noqa: BLE001 - reported to the server, which logs it
            answer["error"] = f"{type(exc).__name__}: {exc}"
        done.set()

    threading.Thread(target=work, daemon=True).start()
    while not done.wait(0.5):
        if conn.poll(0):  # EOF: the server stopped or was killed
            os._exit(0)
    with contextlib.suppress(OSError):
        conn.send(answer)


VOID_FILE = "void-stats.json"  # in kg.store.oxigraph.DERIVED_FILES: every write to the store removes it


def save_void_stats(store_dir: Path, quads: int, stats: dict[str, Any]) -> None:
    """Keep the statistics beside the store, so a restart does not scan again (minutes at 1M quads).
    Written to a temp file then renamed: a reader sees the whole file or none. Only IRIs are kept (a
    class or property that is not an IRI leaves nothing written: the next start computes again)."""
    import json
    import os

    from rdflib import URIRef

    if not all(isinstance(c, URIRef) for c, *_ in stats["classes"] + stats["property_partitions"]):
        return
    data = {"quads": quads, "stats": {**stats, "classes": [[str(c), e, t] for c, e, t in stats["classes"]],
                                      "property_partitions": [[str(p), t] for p, t in stats["property_partitions"]]}}
    tmp = store_dir / f".{VOID_FILE}.{os.getpid()}.tmp"
    try:
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, store_dir / VOID_FILE)
    except OSError as exc:  # a read-only folder: computed again next time
        tmp.unlink(missing_ok=True)
        print(f"kg: warning: could not keep the VoID statistics in {store_dir} ({exc})", file=sys.stderr)


def load_void_stats(store_dir: Path, quads: int) -> dict[str, Any] | None:
    """The kept statistics, if they describe a store of ``quads`` quads (a second check beside the
    removal on every write), else None."""
    import json

    from rdflib import URIRef

    try:
        data = json.loads((store_dir / VOID_FILE).read_text(encoding="utf-8"))
        if data["quads"] != quads:
            return None
        st = data["stats"]
        return {**st, "classes": [(URIRef(c), int(e), int(t)) for c, e, t in st["classes"]],
                "property_partitions": [(URIRef(p), int(t)) for p, t in st["property_partitions"]]}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def void_at_start(app: Any, store: Any, store_dir: object, read_only: bool) -> None:
    """Fill the VoID cache at start-up. For a read-only folder store the scan runs in a child process
    that exits when done: its distinct-triple sets (≈260 MiB at 1M quads) and the memory the allocator
    would keep afterwards are returned to the system instead of staying in the server for its lifetime.
    A request for VoID meanwhile waits for the child's answer. The answer is kept beside the store
    (``void-stats.json``, removed by every write), so a restart of an unchanged store reads it instead.
    A store opened for writing is scanned in this process (a read-only open beside the writer is not
    safe with RocksDB)."""
    from kg.web.context import context

    cache = context(app).void_cache
    local = read_only and isinstance(store_dir, (str, Path)) and not _is_remote(store_dir) \
        and (Path(store_dir) / "oxigraph").exists()
    try:
        if not local:
            cache.stats(store)
            return
        import multiprocessing as mp

        def in_child() -> dict[str, Any]:
            ctx = mp.get_context("forkserver")
            mine, theirs = ctx.Pipe()
            # daemonic: ended by multiprocessing's exit handler if the server stops before it is done
            child = ctx.Process(target=void_child, args=(theirs, str(store_dir)), name="kg-void", daemon=True)
            child.start()
            theirs.close()
            try:
                answer = mine.recv()
            finally:
                mine.close()
                child.join(5)
            if "error" in answer:
                raise RuntimeError(answer["error"])
            return answer["stats"]

        def kept_or_in_child(quads: int) -> dict[str, Any]:
            stats = load_void_stats(Path(store_dir), quads)
            if stats is None:
                stats = in_child()
                save_void_stats(Path(store_dir), quads, stats)
            return stats

        cache.fill(store, kept_or_in_child)
    except Exception as exc:  # noqa: BLE001 - VoID is computed again on its first request
        print(f"kg: warning: VoID statistics at start-up failed ({exc}); computed on the first request",
              file=sys.stderr)


def run(store_dir: object, host: str, port: int, config: ServeConfig, token_file: Path | None = None,
        access_log: str | None = None) -> int:
    """Serve until interrupted. ``config.base`` is the requested ``--base`` ("" for none): settled here
    (``serve_base``), as is the token (``--token-file`` or ``$KG_TOKEN``)."""
    import uvicorn

    from kg.store import open_store
    from kg.web.app import create_app
    from kg.web.auth import load_token
    from kg.web.hardening import configure_access_log

    base = serve_base(store_dir, host, port, config.base or None)
    token = load_token(token_file)
    config = replace(config, base=base, token=token)
    reader_lock = hold_reader_lock(store_dir) if token is None else None
    store = open_store(store_dir, read_only=token is None)  # type: ignore[arg-type]
    try:
        configure_access_log(access_log)
        app = create_app(store, config)
        # VoID scans the whole store (minutes at 1M quads): start it now, not on the first request.
        threading.Thread(target=void_at_start, args=(app, store, store_dir, token is None), name="kg-void",
                         daemon=True).start()
        from kg.search import start as search_index_at_start

        search_index_at_start(store)  # opens, builds (first time) or, for a remote store, scans: kg.search
        _announce(app, store, store_dir, listening_address(host, port), token_file)
        # uvicorn's own access log prints query strings (queries, possibly secrets): ours (kg.access) does not
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
    finally:
        store.close()
        if reader_lock is not None:
            import os

            os.close(reader_lock)
    return 0


def _announce(app: Any, store: Any, store_dir: object, here: str, token_file: Path | None) -> None:
    """The start-up lines on stderr: what is served, where, how (writes, limits, confinement), warnings."""
    from kg.resolve import is_resolution_graph
    from kg.web.auth import token_file_warning
    from kg.web.context import context

    ctx = context(app)
    limits, base = ctx.config.limits, ctx.base
    articles = sum(1 for g in store.graph_iris() if not is_resolution_graph(g))
    print(f"kg: serving {store_dir} ({store.quad_count()} quads, {articles} article graphs)", file=sys.stderr)
    print(f"kg: SPARQL endpoint {here}/sparql ; IRIs {base}/person/… etc.", file=sys.stderr)
    print(f"kg: listening on {here} ; " + (
        "writes ENABLED with a token (SPARQL Update, /rdf-graphs, POST /ingest); the store is locked for "
        "writing by this server" if ctx.config.token else "read-only (no token)"
    ) + f" ; query timeout {limits.query_timeout:g} s, {limits.workers} query "
        + ("processes" if limits.isolate else "threads"), file=sys.stderr)
    pool = ctx.runner.pool
    confined = pool.confinement() if pool is not None else None
    if limits.allow_service:
        print("kg: warning: --allow-service: SPARQL SERVICE and LOAD make this server fetch URLs", file=sys.stderr)
    elif confined is not None and not confined.get("network_cut"):
        print("kg: note: query workers could not be given a network namespace of their own here; SERVICE and "
              "LOAD are still refused on the parse", file=sys.stderr)
    warning = token_file_warning(token_file)
    if warning:
        print(f"kg: warning: {warning}", file=sys.stderr)
    if base != here:
        print(f"kg: note: the store's IRIs use {base}, not this address; they dereference here only "
              f"through a proxy forwarding {base}/… to {here}/…", file=sys.stderr)
