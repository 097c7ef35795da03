"""The write operations, enabled only with a token: SPARQL Update, Graph Store writes, ``POST /ingest``.

Why they exist: the service should be able to take new articles without being stopped (RocksDB lets
one process write a store; with writes enabled that process is ``kg serve``, and ``kg ingest`` on the
same folder gets a clear "open in another process" error). Every write holds one lock,
so writes are serial; readers keep reading snapshots (a query never sees half of a write). After each
write the query workers (``kg.web.limits``) are renewed so queries see it.

- ``POST /sparql`` with ``application/sparql-update`` or form ``update=`` — LOAD and SERVICE are
  refused (they make the server fetch URLs).
- Graph Store Protocol at ``/rdf-graphs?graph=IRI`` (indirect), ``/rdf-graphs?default`` and
  ``/rdf-graphs/{path}`` (a graph named by its own IRI, ``{base}/rdf-graphs/{path}``): PUT replaces a
  graph, POST adds to it (several documents at once as ``multipart/form-data``), DELETE drops it; POST
  to ``/rdf-graphs`` itself makes a new graph (201, ``Location``). GET/HEAD read without a token,
  through ``/sparql``'s guarded path, in any RDF format by Accept. The default graph queries see is the
  union of all graphs; ``?default`` writes go to the store's unnamed graph (statements that belong to
  no article), which that union includes, and GET ``?default`` reads the union.
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
from urllib.parse import quote, unquote

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from kg.derived import refresh_derived
from kg.errors import InputError, KgError, QueryError, StoreError
from kg.resolve import refresh_after_write
from kg.store.base import GraphUpdate, Store
from kg.store.sparql_text import with_using
from kg.update_scope import update_scope
from kg.web.auth import Auth
from kg.web.context import context
from kg.web.errors import HttpError, public_message
from kg.web.limits import LimitError

log = logging.getLogger(__name__)
NAME_RE = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{1,100}$")
RDF_BODY_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
}

router = APIRouter()


_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def declares_entities(body: bytes) -> bool:
    """Whether an XML body has a DOCTYPE or ENTITY declaration, in UTF-8 or UTF-16 (either byte order)."""
    if _DECLARATION.search(body):
        return True
    for enc in ("utf-16-le", "utf-16-be"):
        with contextlib.suppress(UnicodeDecodeError):
            if _DECLARATION.search(body.decode(enc, errors="ignore").encode("utf-8")):
                return True
    return False


class Writes:
    """The write side of one app: the token check, the single writer lock, what to renew afterwards."""

    def __init__(self, store: Store, auth: Auth, after_write: Callable[[], None] = lambda: None) -> None:
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
        """Errors answer through ``kg.web.errors``: a malformed update 400, SERVICE/LOAD 403, limits theirs,
        the store's failure 500."""
        self.auth.require(request, "SPARQL Update")
        if len(updates) != 1 or not updates[0].strip():
            raise HttpError("give exactly one non-empty update")
        using, using_named = params.all("using-graph-uri"), params.all("using-named-graph-uri")
        bad = next((g for g in using + using_named if not _is_iri(g)), None)
        if bad is not None:
            raise HttpError("using-graph-uri / using-named-graph-uri must be absolute IRIs")
        update = with_using(updates[0], using, using_named)
        # size, LOAD/SERVICE and a dry run in a worker process, before the store sees it
        await context(request).runner.check_update(update)
        base = context(request).runner.base_iri  # relative IRIs: as in queries

        def run() -> None:
            scope = update_scope(self.store, update, base)  # the graphs it will write, read before it runs
            self.store.update(update, base_iri=base) if base else self.store.update(update)
            refresh_after_write(self.store, scope.graphs, scope.everything)  # their joins

        await self.write(run)
        return Response(status_code=204)


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _is_iri(value: str) -> bool:
    """An absolute IRI that can be written between ``<`` and ``>`` in a SPARQL text as it is."""
    import pyoxigraph as ox

    if _IRI_FORBIDDEN.search(value) or not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", value):
        return False
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def _writes(request: Request) -> Writes | None:
    return context(request).writes


DEFAULT = ""  # the graph a Graph Store request names when it is the default graph (``?default``)
_DIRECT_SAFE = "/:@!$&'()*+,;=-._~%"


def _graph_param(request: Request, path: str | None = None) -> str:
    """The graph a Graph Store request names: ``?graph=IRI`` (indirect), ``?default`` (DEFAULT), or, on
    ``/rdf-graphs/{path}``, the request's own IRI ``{base}/rdf-graphs/{path}`` (direct identification)."""
    if path is not None:
        if request.query_params:
            raise HttpError("a graph named by its own IRI (/rdf-graphs/…) takes no graph= or default")
        return f"{context(request).base}/rdf-graphs/{quote(path, safe=_DIRECT_SAFE)}"
    graphs = request.query_params.getlist("graph")
    if "default" in request.query_params:
        if graphs:
            raise HttpError("give graph=IRI or default, not both")
        return DEFAULT
    if len(graphs) != 1:
        raise HttpError("give exactly one graph=IRI, or default")
    if not _is_iri(graphs[0]) or not re.match(r"^https?://", graphs[0]):
        raise HttpError("graph= must be an absolute http(s) IRI")
    return graphs[0]


def _writer(request: Request, what: str, disabled: str) -> Writes:
    """The write gate every write endpoint passes: writes enabled on this server, and the token."""
    writes = _writes(request)
    if writes is None:
        raise HttpError(disabled, 403)
    writes.auth.require(request, what)
    return writes


GSP_OFF = "Graph Store writes are not enabled on this endpoint (read-only)"


def _gsp_gate(request: Request, path: str | None) -> tuple[Writes, str]:
    """Graph Store writes: the write gate, then the graph (see ``_graph_param``)."""
    writes = _writer(request, "Graph Store writes", GSP_OFF)
    return writes, _graph_param(request, path)


async def _gsp_read(request: Request, path: str | None) -> Response:
    """Graph Store GET/HEAD: the graph as a CONSTRUCT through ``/sparql``'s guarded path (query workers,
    limits, Accept), so every RDF format the endpoint speaks is offered. ``?default`` is the default graph
    queries see: the union of all graphs (reading needs no token)."""
    from kg.web.sparql import Params, run_query

    graph = _graph_param(request, path)
    if graph == DEFAULT:
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    else:
        if graph not in await run_in_threadpool(context(request).store.graph_iris):
            raise HttpError(f"no graph {graph}", 404)
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return await run_query(request, Params([("query", query)]), context(request).runner)


@router.api_route("/rdf-graphs", methods=["GET", "HEAD"])
async def gsp_get(request: Request) -> Response:
    """Graph Store Protocol GET/HEAD, the graph named by ``?graph=`` or ``?default``."""
    return await _gsp_read(request, None)


@router.api_route("/rdf-graphs/{path:path}", methods=["GET", "HEAD"])
async def gsp_get_direct(request: Request, path: str) -> Response:
    """Graph Store Protocol GET/HEAD of a graph named by its own IRI."""
    return await _gsp_read(request, path)


def _parts(body: bytes, content_type: str) -> list[tuple[str, bytes]] | None:
    """The (media type, bytes) of each part of a ``multipart/form-data`` body (the Graph Store Protocol's
    way to POST several documents at once), or None if it is not one."""
    from email import policy
    from email.parser import BytesParser

    msg = BytesParser(policy=policy.HTTP).parsebytes(b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n"
                                                     + body)
    if not msg.is_multipart():
        return None
    return [(part.get_content_type(), part.get_payload(decode=True) or b"") for part in msg.iter_parts()]


async def _gsp_write(request: Request, merge: bool, path: str | None = None, new: bool = False) -> Response:
    """PUT (replace) or POST (add to) a graph; ``new``: POST to the graph store itself, which creates a
    graph ``{base}/rdf-graphs/{uuid}`` and answers 201 with its IRI in ``Location``."""
    import uuid

    import pyoxigraph as ox

    from kg.store.oxigraph import to_rdflib

    if new:
        writes = _writer(request, "Graph Store writes", GSP_OFF)
        graph = f"{context(request).base}/rdf-graphs/{uuid.uuid4().hex}"
    else:
        writes, graph = _gsp_gate(request, path)
    raw_ctype = request.headers.get("content-type") or ""
    ctype = raw_ctype.partition(";")[0].strip().lower()
    body = await request.body()
    documents = _parts(body, raw_ctype) if ctype == "multipart/form-data" and merge else [(ctype, body)]
    if documents is None:
        raise HttpError("the multipart/form-data body has no parts")
    ntriples = b""
    for media_type, doc in documents:
        if media_type not in RDF_BODY_TYPES:
            raise HttpError(f"send the graph as one of {', '.join(RDF_BODY_TYPES)}"
                            + (" (or several, as multipart/form-data parts, with POST)" if merge else ""), 415)
        if media_type == "application/rdf+xml" and declares_entities(doc):
            raise HttpError("RDF/XML with a DOCTYPE or ENTITY declaration is refused (entity expansion can exhaust "
                            "the server's memory); send the document without one")
        try:  # in a worker process (capped in memory and time), off the event loop
            ntriples += await context(request).runner.parse_upload(doc, media_type, graph or
                                                                          context(request).base + "/")
        except QueryError as exc:  # said of the body
            raise HttpError(f"the body is not valid {media_type}: {exc}") from None
        except LimitError as exc:
            raise HttpError(f"the body could not be read: {exc}", exc.status) from None
    store = context(request).store

    if graph == DEFAULT:  # the store's unnamed graph: part of the union default graph, no article's
        data = ntriples.decode("utf-8")

        def do() -> bool:
            store.update(("" if merge else "DROP SILENT DEFAULT ;\n") + f"INSERT DATA {{\n{data}\n}}")
            return True
    else:
        parsed = [
            (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
            for t in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)
        ]

        def do() -> bool:
            existed = graph in store.graph_iris()
            triples = list(parsed)
            if merge and existed:
                res = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
                triples = list(res.triples()) + triples
            store.replace_graphs([GraphUpdate(graph, triples)])  # type: ignore[arg-type]
            refresh_derived(store, [graph])  # its mentions' joins and its search entries
            return existed

    existed = await writes.write(do)  # a QueryError answers 400, the store's failure 500 (kg.web.errors)
    if new:
        return Response(status_code=201, headers={"Location": graph})
    return Response(status_code=204 if existed else 201)


@router.put("/rdf-graphs")
async def gsp_put(request: Request) -> Response:
    """Graph Store Protocol PUT: replace the graph (token needed)."""
    return await _gsp_write(request, merge=False)


@router.put("/rdf-graphs/{path:path}")
async def gsp_put_direct(request: Request, path: str) -> Response:
    """Graph Store Protocol PUT of a graph named by its own IRI."""
    return await _gsp_write(request, merge=False, path=path)


@router.post("/rdf-graphs")
async def gsp_post(request: Request) -> Response:
    """Graph Store Protocol POST: add the statements to the graph; without ``graph=`` or ``default``, make a
    new graph (201, ``Location``). Token needed."""
    new = "graph" not in request.query_params and "default" not in request.query_params
    return await _gsp_write(request, merge=True, new=new)


@router.post("/rdf-graphs/{path:path}")
async def gsp_post_direct(request: Request, path: str) -> Response:
    """Graph Store Protocol POST to a graph named by its own IRI."""
    return await _gsp_write(request, merge=True, path=path)


async def _gsp_delete(request: Request, path: str | None) -> Response:
    writes, graph = _gsp_gate(request, path)
    store = context(request).store

    def do() -> bool:
        if graph == DEFAULT:
            store.update("DROP SILENT DEFAULT")
            return True
        if graph not in store.graph_iris():
            return False
        store.remove_graphs([graph])
        refresh_derived(store, [graph])  # its mentions' joins and search entries go too
        return True

    if not await writes.write(do):
        raise HttpError(f"no graph {graph}", 404)
    return Response(status_code=204)


@router.delete("/rdf-graphs")
async def gsp_delete(request: Request) -> Response:
    """Graph Store Protocol DELETE: drop the graph (token needed)."""
    return await _gsp_delete(request, None)


@router.delete("/rdf-graphs/{path:path}")
async def gsp_delete_direct(request: Request, path: str) -> Response:
    """Graph Store Protocol DELETE of a graph named by its own IRI."""
    return await _gsp_delete(request, path)


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

    writes = _writer(
        request, "POST /ingest", "POST /ingest is not enabled on this endpoint (read-only: start kg serve with a token)"
    )
    try:
        publication, date, locality = _meta(request, "publication"), _meta(request, "date"), _meta(request, "locality")
        name = _meta(request, "name") or "upload.txt"
        encoding = _meta(request, "encoding")
    except UnicodeDecodeError:
        raise HttpError("X-KG-* headers must be percent-encoded UTF-8") from None
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except (LookupError, ValueError):
            raise HttpError("encoding= is not a known text encoding (e.g. utf-8, gb18030)") from None
    if not NAME_RE.match(name) or name.startswith("."):
        raise HttpError("name= must be a plain file name (letters, digits, Chinese characters, . _ -)")
    if not name.endswith((".txt", ".md", ".text")):
        name += ".txt"
    body = await request.body()
    store, base = context(request).store, context(request).base

    def do() -> Any:
        from kg.rdf.curation import for_store

        # the editors' overrides kg resolve applied (STORE/curation.toml), read each time: it may change
        curation = for_store(store.path)
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
        raise HttpError(msg, status) from None
    payload = {"articles": res.articles, "quads": res.quads}
    return Response(json.dumps(payload, ensure_ascii=False) + "\n", status_code=201, media_type="application/json")
