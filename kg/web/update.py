"""The write operations, enabled only with a token: SPARQL Update, Graph Store writes, ``POST /ingest``.

Why they exist: the service should be able to take new articles without being stopped (RocksDB lets
one process write a store; with writes enabled that process is ``kg serve``, and ``kg ingest`` on the
same folder gets a clear "open in another process" error). Every write holds one lock,
so writes are serial; readers keep reading snapshots (a query never sees half of a write). After each
write the query workers (``kg.web.limits``) are renewed so queries see it.

- ``POST /sparql`` with ``application/sparql-update`` or form ``update=`` — LOAD and SERVICE are
  refused (they make the server fetch URLs).
- Graph Store Protocol at ``/rdf-graphs?graph=IRI``: PUT replaces a named graph, POST adds to it,
  DELETE drops it (GET reads it, without a token). The default graph is the union of the article
  graphs, so ``?default`` writes are refused.
- ``POST /ingest``: the page text as the body (UTF-8, or ``encoding=``), metadata as query parameters
  ``publication``, ``date``, ``locality``, ``name`` (the file name, which article ids derive from) or
  as ``X-KG-Publication`` … headers (percent-encoded UTF-8). Same path as ``kg ingest``: read,
  extract, map, ``store.replace_graphs`` (one transaction for the whole page).
"""

from __future__ import annotations

import codecs
import contextlib
import json
import logging
import re
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from kg.errors import InputError, KgError, QueryError, StoreError
from kg.store.base import GraphUpdate
from kg.web.auth import Auth
from kg.web.limits import LimitError
from kg.web.policy import Forbidden

log = logging.getLogger(__name__)
TEXT = "text/plain; charset=utf-8"
NAME_RE = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{1,100}$")
RDF_BODY_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
}

router = APIRouter()


_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)


def declares_entities(body: bytes) -> bool:
    """Whether an XML body has a DOCTYPE or ENTITY declaration, in UTF-8 or UTF-16 (either byte order)."""
    if _DECLARATION.search(body):
        return True
    for enc in ("utf-16-le", "utf-16-be"):
        with contextlib.suppress(UnicodeDecodeError):
            if _DECLARATION.search(body.decode(enc, errors="ignore").encode("utf-8")):
                return True
    return False


def public_message(exc: Exception) -> str:
    """An error's message without the server's file system paths (the store's folder, temporary files)."""
    return re.sub(r"(?:/[^\s:'\"]+)+/?", "…", str(exc))


def text(status: int, message: str) -> Response:
    return Response(message.rstrip("\n") + "\n", status_code=status, media_type=TEXT)


class Writes:
    """The write side of one app: the token check, the single writer lock, what to renew afterwards."""

    def __init__(self, store: Any, auth: Auth, after_write: Callable[[], None] = lambda: None) -> None:
        self.store = store
        self.auth = auth
        self.after_write = after_write
        self.lock = threading.Lock()

    async def write(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on a thread, one write at a time, then renew what caches the old state."""

        def locked() -> Any:
            with self.lock:
                try:
                    return fn()
                finally:
                    self.after_write()

        return await run_in_threadpool(locked)

    async def sparql_update(self, request: Request, updates: list[str], params: Any) -> Response:
        refused = self.auth.check(request, "SPARQL Update")
        if refused is not None:
            return refused
        if len(updates) != 1 or not updates[0].strip():
            return text(400, "give exactly one non-empty update")
        if params.all("using-graph-uri") or params.all("using-named-graph-uri"):
            return text(400, "using-graph-uri / using-named-graph-uri are not supported; write USING in the update")
        update = updates[0]
        do = getattr(self.store, "update", None)
        if do is None:
            return text(501, "this store does not take SPARQL Update through the service")
        try:  # size, LOAD/SERVICE and a dry run in a worker process, before the store sees it
            await request.app.state.query_runner.check_update(update)
        except Forbidden as exc:
            return text(403, str(exc))
        except QueryError as exc:
            return text(400, str(exc))
        except LimitError as exc:
            return text(exc.status, str(exc))
        try:
            await self.write(lambda: do(update))
        except QueryError as exc:
            return text(400, str(exc))
        except KgError as exc:
            return text(500, public_message(exc))
        return Response(status_code=204)


def _writes(request: Request) -> Writes | None:
    return getattr(request.app.state, "writes", None)


def _graph_param(request: Request) -> tuple[str | None, Response | None]:
    import pyoxigraph as ox

    if "default" in request.query_params:
        return None, text(400, "the default graph is the union of the article graphs; write to a named graph "
                                "(?graph=IRI)")
    graphs = request.query_params.getlist("graph")
    if len(graphs) != 1:
        return None, text(400, "give exactly one graph=IRI")
    try:
        ox.NamedNode(graphs[0])
    except ValueError:
        return None, text(400, "graph= is not a valid IRI")
    if not re.match(r"^https?://", graphs[0]):
        return None, text(400, "graph= must be an http(s) IRI")
    return graphs[0], None


def _writer(request: Request, what: str, disabled: str) -> tuple[Writes | None, Response | None]:
    """The write gate every write endpoint passes: writes enabled on this server, and the token."""
    writes = _writes(request)
    if writes is None:
        return None, text(403, disabled)
    return writes, writes.auth.check(request, what)


def _gsp_gate(request: Request) -> tuple[Writes, str, Response | None]:
    """Graph Store writes: the write gate, then exactly one named graph."""
    writes, refused = _writer(request, "Graph Store writes",
                              "Graph Store writes are not enabled on this endpoint (read-only)")
    if refused is not None or writes is None:
        return writes, "", refused  # type: ignore[return-value]
    graph, bad = _graph_param(request)
    return writes, graph or "", bad


@router.get("/rdf-graphs")
async def gsp_get(request: Request) -> Response:
    """Graph Store Protocol GET: one named graph as N-Triples or Turtle (reading needs no token)."""
    import io

    graph, bad = _graph_param(request)
    if bad is not None:
        return bad
    store = request.app.state.store
    if graph not in await run_in_threadpool(store.graph_iris):
        return text(404, f"no graph {graph}")
    fmt = "ntriples" if "n-triples" in (request.headers.get("accept") or "") else "turtle"
    buf = io.BytesIO()
    await run_in_threadpool(store.export_graph, graph, fmt, buf)
    return Response(buf.getvalue(), media_type="application/n-triples" if fmt == "ntriples" else "text/turtle")


async def _gsp_write(request: Request, merge: bool) -> Response:
    import pyoxigraph as ox

    from kg.store.oxigraph import to_rdflib

    writes, graph, refused = _gsp_gate(request)
    if refused is not None:
        return refused
    ctype = (request.headers.get("content-type") or "").partition(";")[0].strip().lower()
    if ctype not in RDF_BODY_TYPES:
        return text(415, f"send the graph as one of {', '.join(RDF_BODY_TYPES)}")
    body = await request.body()
    if ctype == "application/rdf+xml" and declares_entities(body):
        return text(400, "RDF/XML with a DOCTYPE or ENTITY declaration is refused (entity expansion can exhaust "
                         "the server's memory); send the document without one")
    try:  # in a worker process (capped in memory and time), off the event loop
        ntriples = await request.app.state.query_runner.parse_upload(body, ctype, graph)
    except QueryError as exc:
        return text(400, f"the body is not valid {ctype}: {exc}")
    except LimitError as exc:
        return text(exc.status, f"the body could not be read: {exc}")
    parsed = [
        (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
        for t in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)
    ]
    store = request.app.state.store

    def do() -> bool:
        existed = graph in store.graph_iris()
        triples = list(parsed)
        if merge and existed:
            res = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
            triples = list(res.triples()) + triples
        store.replace_graphs([GraphUpdate(graph, triples)])  # type: ignore[arg-type]
        return existed

    try:
        existed = await writes.write(do)
    except KgError as exc:
        return text(500, public_message(exc))
    return Response(status_code=204 if existed else 201)


@router.put("/rdf-graphs")
async def gsp_put(request: Request) -> Response:
    """Graph Store Protocol PUT: replace the named graph (token needed)."""
    return await _gsp_write(request, merge=False)


@router.post("/rdf-graphs")
async def gsp_post(request: Request) -> Response:
    """Graph Store Protocol POST: add the statements to the named graph (token needed)."""
    return await _gsp_write(request, merge=True)


@router.delete("/rdf-graphs")
async def gsp_delete(request: Request) -> Response:
    """Graph Store Protocol DELETE: drop the named graph (token needed)."""
    writes, graph, refused = _gsp_gate(request)
    if refused is not None:
        return refused
    store = request.app.state.store

    def do() -> bool:
        if graph not in store.graph_iris():
            return False
        store.remove_graphs([graph])
        return True

    return Response(status_code=204) if await writes.write(do) else text(404, f"no graph {graph}")


def _meta(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value is None:
        header = request.headers.get(f"x-kg-{name}")
        value = unquote(header, errors="strict") if header is not None else None
    return value or None


@router.post("/ingest")
async def ingest(request: Request) -> Response:
    """Ingest one page (the body) like ``kg ingest FILE``; answers its article IRIs and quad count."""
    from kg.ingest import ingest_file

    writes, refused = _writer(
        request, "POST /ingest", "POST /ingest is not enabled on this endpoint (read-only: start kg serve with a token)"
    )
    if refused is not None or writes is None:
        return refused  # type: ignore[return-value]
    try:
        publication, date, locality = _meta(request, "publication"), _meta(request, "date"), _meta(request, "locality")
        name = _meta(request, "name") or "upload.txt"
        encoding = _meta(request, "encoding")
    except UnicodeDecodeError:
        return text(400, "X-KG-* headers must be percent-encoded UTF-8")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except (LookupError, ValueError):
            return text(400, "encoding= is not a known text encoding (e.g. utf-8, gb18030)")
    if not NAME_RE.match(name) or name.startswith("."):
        return text(400, "name= must be a plain file name (letters, digits, Chinese characters, . _ -)")
    if not name.endswith((".txt", ".md", ".text")):
        name += ".txt"
    body = await request.body()
    store, base = request.app.state.store, request.app.state.base

    def do() -> Any:
        from kg.rdf.curation import for_store

        # the editors' overrides kg resolve applied (STORE/curation.toml), read each time: it may change
        curation = for_store(getattr(store, "path", None))
        with tempfile.TemporaryDirectory(prefix="kg-ingest-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(body)
            return ingest_file(store, path, base=base, encoding=encoding, publication=publication, date=date,
                               locality=locality, curation=curation)

    try:
        res = await writes.write(do)
    except KgError as exc:
        # the temporary folder means nothing to the client: name the upload instead
        msg = public_message(re.sub(r"(?:/[^\s:]*)?/kg-ingest-[^/\s]+/", "", str(exc)))
        from kg.rdf.curation import CurationError

        status = (422 if isinstance(exc, InputError) else 503 if isinstance(exc, StoreError)
                  else 500 if isinstance(exc, CurationError) else 400)  # the server's file, not the client's
        return text(status, msg)
    payload = {"articles": res.articles, "quads": res.quads}
    return Response(json.dumps(payload, ensure_ascii=False) + "\n", status_code=201, media_type="application/json")
