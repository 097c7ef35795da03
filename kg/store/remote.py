"""A store on a SPARQL server: SPARQL 1.1 Query, Update and the Graph Store HTTP Protocol.

Same contract as the embedded store (``kg.store.base``), so ingest and the web layer do not know which
one they talk to. Decisions, and why:

- **Writes** are one SPARQL Update request per ``replace_graphs`` batch: ``DROP SILENT GRAPH <g> ;
  INSERT DATA { GRAPH <g> { … } }`` for every article of the batch. Oxigraph server and Fuseki (TDB2)
  run one update request as one transaction, so queries see every article of the batch old or every
  one new, never half an article, and a failure anywhere in the request changes nothing. A GSP PUT
  per graph would be atomic per article only, and costs one request per article.
- **Idempotent**: the request states the whole graph, so repeating it (a retry after a lost answer)
  leaves the same data. That is what makes retrying writes safe.
- **Retries** with exponential backoff on connection errors and 429/502/503/504 (``Retry-After`` is
  honoured); anything else is one clear StoreError line with the HTTP status and the server's message.
  A query the server rejects (400) is a QueryError, as with the embedded parser.
- **The default graph of queries is the union of the article graphs**, like the embedded store: with
  Oxigraph server we send its ``union-default-graph`` parameter; other servers are configured to do it
  themselves (``union_default_graph = "server"``, e.g. Fuseki's ``tdb2:unionDefaultGraph``) or get a
  special default graph IRI (``urn:x-arq:UnionGraph`` for Jena). A query's own ``FROM`` and the
  protocol's ``default-graph-uri`` / ``named-graph-uri`` take precedence, as the protocol says.
- **Pre-bound variables** (``query(bindings=…)``, used by the web layer) become a one-row ``VALUES``
  block at the start of the WHERE group: the protocol has no parameter for them.
- **Results** come as SPARQL JSON (solutions, booleans) or N-Triples (graphs) and are parsed with
  pyoxigraph's own parsers, so rows hold the same rdflib terms, and other serialisations come out
  byte-for-byte as the embedded store writes them; the server's bytes pass through when the format matches.
- **Export** streams: the dataset GET of the Graph Store endpoint as N-Quads when the server offers one
  (Oxigraph ``/store``, Fuseki ``/ds``), else a streamed ``SELECT ?s ?p ?o ?g``; nothing is held whole.

Beside this module: ``remote_config`` (where the server is, how to reach it), ``remote_results`` (reading
its answers), ``remote_text`` (the SPARQL texts sent to it).
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, BinaryIO, cast
from urllib.parse import urlencode, urlsplit

import httpx
import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError, StoreError
from kg.rdf.namespaces import KG, PREFIXES
from kg.store.base import Capabilities, ExportFormat, GraphUpdate
from kg.store.oxigraph import QUAD_FORMATS, RDF_FORMATS, parser_message
from kg.store.remote_config import (  # noqa: F401 - RemoteConfig and is_remote are named from here too
    RemoteConfig,
    _without_userinfo,
    is_remote,
    remote_config,
)
from kg.store.remote_results import (
    N_QUADS,
    N_TRIPLES,
    RESULTS_JSON,
    RemoteResult,
    _Body,
    _media,
    _ResponseReader,
)
from kg.store.remote_text import add_text, nt_term, update_text, with_bindings, with_prefixes  # noqa: F401 - named from here too
from kg.store.sparql_text import has_keyword

TRANSIENT_STATUS = frozenset({429, 502, 503, 504})
QUERY_ACCEPT = f"{RESULTS_JSON}, {N_TRIPLES};q=0.9, text/turtle;q=0.5"


def _error_message(resp: httpx.Response, shift_lines: int = 0) -> str:
    """The server's explanation on one line (first 300 characters), error positions as the user wrote them."""
    try:
        text = resp.text
    except (httpx.HTTPError, UnicodeDecodeError):
        text = ""
    text = parser_message(Exception(text))[:300] or resp.reason_phrase
    if shift_lines:
        text = re.sub(
            r"(error at |line[: ]\s*)(\d+)",
            lambda m: m.group(1) + str(max(1, int(m.group(2)) - shift_lines)),
            text,
        )
    return text


# ---------------------------------------------------------------- the store

class RemoteTimeout(StoreError):
    """No answer within the timeout (not retried: the server may still be working on the request)."""


class RemoteStore(Capabilities):
    """The Store protocol over HTTP. Thread-safe: one pooled httpx client shared by all callers."""

    def __init__(
        self,
        config: RemoteConfig,
        *,
        read_only: bool = False,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.read_only = read_only
        self._sleep = sleep
        auth: httpx.Auth | None = None
        headers = {"User-Agent": "newskg", **dict(config.headers)}
        user = config.username
        password = config.password
        if user is None and urlsplit(config.query).username:
            user, password = urlsplit(config.query).username, urlsplit(config.query).password
        if config.token:
            headers["Authorization"] = f"Bearer {config.token}"
        elif user is not None:
            auth = httpx.BasicAuth(user, password or "")
        self.client = httpx.Client(
            auth=auth,
            headers=headers,
            timeout=httpx.Timeout(config.timeout, connect=config.connect_timeout),
            transport=transport,
        )

    def __repr__(self) -> str:
        return f"RemoteStore({self.config})"

    # ------------------------------------------------------------ HTTP with retries

    def _send(
        self,
        method: str,
        url: str,
        *,
        what: str,
        stream: bool = False,
        timeout: float | None = None,
        ok: Iterable[int] = (),
        **kwargs: Any,
    ) -> httpx.Response:
        """Send with retries on transient failures; any other failure is a StoreError naming the server."""
        cfg = self.config
        attempts = max(1, cfg.retries + 1)
        # None would switch timeouts off altogether: without a per-request one, the client's applies
        t: Any = httpx.Timeout(timeout, connect=cfg.connect_timeout) if timeout else httpx.USE_CLIENT_DEFAULT
        last = ""
        for attempt in range(attempts):
            retry_after: float | None = None
            try:
                req = self.client.build_request(method, url, timeout=t, **kwargs)
                resp = self.client.send(req, stream=stream)
            except httpx.TimeoutException as exc:
                if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
                    last = f"no connection within {cfg.connect_timeout:g}s"
                else:  # a slow answer is not retried: the server is busy with the first request
                    writing = what.startswith("replacing")
                    hint = " (the server may still apply it; writes are idempotent, so re-run)" if writing else ""
                    raise RemoteTimeout(
                        f"{_without_userinfo(url)}: {what} timed out after {timeout or cfg.timeout:g}s{hint}"
                    ) from None
            except httpx.TransportError as exc:
                last = _transport_message(exc)
            else:
                if resp.status_code < 400 or resp.status_code in ok:
                    return resp
                if stream:
                    resp.read()
                if resp.status_code not in TRANSIENT_STATUS:
                    return resp  # the caller turns it into the right error
                last = f"HTTP {resp.status_code}: {_error_message(resp)}"
                retry_after = _retry_after(resp)
                resp.close()
            if attempt + 1 < attempts:
                delay = min(cfg.max_backoff, cfg.backoff * (2**attempt)) * (0.5 + random.random() / 2)
                self._sleep(max(delay, min(retry_after or 0.0, cfg.max_backoff)))
        raise StoreError(
            f"{_without_userinfo(url)}: {what} failed: {last}"
            + (f" (after {attempts} attempts)" if attempts > 1 else "")
        )

    def _send_query_with_timeout(self, *args: Any, **kwargs: Any) -> httpx.Response:
        """A query given its own timeout that runs out is the query's failure (QueryError), as a
        malformed one is; without one, the store's timeout is a StoreError like any server trouble."""
        try:
            return self._send(*args, **kwargs)
        except RemoteTimeout as exc:
            raise QueryError(str(exc)) from None

    def _fail(self, resp: httpx.Response, what: str, shift_lines: int = 0) -> StoreError:
        return StoreError(
            f"{_without_userinfo(str(resp.request.url).split('?')[0])}: {what} failed: "
            f"HTTP {resp.status_code}: {_error_message(resp, shift_lines)}"
        )

    # ------------------------------------------------------------ writing

    def replace_graphs(self, updates: Sequence[GraphUpdate]) -> None:
        if not updates:
            return
        what = f"replacing {len(updates)} graph(s)"
        resp = self._post_update(self._update_text(updates), what)
        if resp.status_code >= 400:
            raise self._fail(resp, f"{what} (nothing was changed)")

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """A SPARQL 1.1 Update sent as it is (with the project's prefixes it leaves undeclared): the
        authenticated ``/sparql`` update of a service over this store. One request, so one transaction
        on servers that run an update request as one (Oxigraph, TDB2). A 400 is the update's fault
        (QueryError, with the server's message), anything else the store's (StoreError)."""
        text, shift = with_prefixes(sparql, base_iri)
        resp = self._post_update(text, "a SPARQL update", ok=(400,))
        if resp.status_code == 400:
            raise QueryError(f"malformed update: {_error_message(resp, shift)}")
        if resp.status_code >= 400:
            raise self._fail(resp, "a SPARQL update", shift)

    def _post_update(self, text: str, what: str, ok: Iterable[int] = ()) -> httpx.Response:
        """One SPARQL Update request (refused at once on a store opened read-only)."""
        if self.read_only:
            raise StoreError(f"{self.config}: opened read-only")
        return self._send(
            "POST",
            self.config.update,
            what=what,
            content=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
            ok=ok,
        )

    def _update_text(self, updates: Sequence[GraphUpdate]) -> str:
        """Kept as a method so a test can inject a failure into the middle of a batch."""
        return update_text(updates)

    def add_to_graphs(self, updates: Sequence[GraphUpdate], *, bulk: bool = False) -> None:
        """One ``INSERT DATA`` request (no bulk loader over the protocol: ``bulk`` changes nothing)."""
        text = add_text(updates)
        if not text:
            return
        what = f"adding to {len(updates)} graph(s)"
        resp = self._post_update(text, what)
        if resp.status_code >= 400:
            raise self._fail(resp, f"{what} (nothing was changed)")

    def remove_graphs(self, iris: Sequence[str]) -> None:
        self.replace_graphs([GraphUpdate(i, ()) for i in iris])

    # ------------------------------------------------------------ reading

    def _dataset_params(
        self, sparql: str, default_graph_uris: Sequence[str], named_graph_uris: Sequence[str]
    ) -> list[tuple[str, str]]:
        """The dataset, as the embedded store reads it: the protocol's graphs if given (named graphs
        alone leave the default graph empty, per the SPARQL 1.1 Protocol), else the query's own FROM /
        FROM NAMED, else the union of all graphs (Oxigraph's union flag would override FROM)."""
        params = [("default-graph-uri", u) for u in default_graph_uris]
        params += [("named-graph-uri", u) for u in named_graph_uris]
        if params or has_keyword(sparql, "FROM"):
            return params
        if self.config.union_default_graph == "param":
            return [("union-default-graph", "")]
        if self.config.union_default_graph != "server":
            return [("default-graph-uri", self.config.union_default_graph)]
        return []

    def _post_query(
        self,
        sparql: str,
        *,
        accept: str = QUERY_ACCEPT,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
        stream: bool = False,
        bindings: Mapping[str, Node] | None = None,
        base_iri: str | None = None,
    ) -> httpx.Response:
        text, shift = with_prefixes(with_bindings(sparql, bindings) if bindings else sparql, base_iri)
        form = [("query", text), *self._dataset_params(sparql, default_graph_uris, named_graph_uris)]
        if timeout:
            form.append(("timeout", f"{timeout:g}"))  # seconds: Fuseki (3.9+) stops the query; others ignore it
        send = self._send if not timeout else self._send_query_with_timeout
        resp = send(
            "POST",
            self.config.query,
            what="query",
            content=_form_bytes(form),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            timeout=(timeout + min(5.0, max(1.0, timeout / 10))) if timeout else None,  # let the server say first
            stream=stream,
        )
        if resp.status_code >= 400:
            msg = _error_message(resp, shift)
            if resp.status_code == 400:
                raise QueryError(f"malformed query: {msg}")
            raise QueryError(f"query failed: HTTP {resp.status_code}: {msg}")
        return resp

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
        bindings: Mapping[str, Node] | None = None,
        base_iri: str | None = None,
    ) -> RemoteResult:
        """A SPARQL query; ``bindings`` pre-binds variables (see ``with_bindings``)."""
        resp = self._post_query(
            sparql,
            base_iri=base_iri,
            default_graph_uris=default_graph_uris,
            named_graph_uris=named_graph_uris,
            timeout=timeout,
            stream=True,
            bindings=bindings,
        )
        body = _Body()
        try:
            for chunk in resp.iter_bytes():
                body.write(chunk)
        except httpx.HTTPError as exc:
            body.close()
            raise StoreError(f"{self.config}: the answer to a query broke off ({_transport_message(exc)})") from None
        finally:
            resp.close()
        try:
            return RemoteResult(body, _media(resp))
        except SyntaxError as exc:
            raise StoreError(f"{self.config}: unreadable query results ({exc})") from None

    def _select_stream(self, sparql: str) -> Iterator[Any]:
        """Solutions of a SELECT, parsed as they arrive (for exports of any size)."""
        resp = self._post_query(sparql, accept=RESULTS_JSON, stream=True)
        try:
            reader = cast(IO[bytes], _ResponseReader(resp.iter_bytes()))  # a RawIOBase: readable like a file
            yield from cast(ox.QuerySolutions, ox.parse_query_results(reader, format=ox.QueryResultsFormat.JSON))
        finally:
            resp.close()

    def _dataset_quads(self) -> Iterator[ox.Quad]:
        """Every quad, streamed: the GSP dataset GET when offered, else SELECT over all graphs."""
        if self.config.dataset:
            resp = self._send("GET", self.config.dataset, what="export", stream=True, headers={"Accept": N_QUADS})
            if resp.status_code < 400 and _media(resp) == N_QUADS:
                try:
                    reader = cast(IO[bytes], _ResponseReader(resp.iter_bytes()))
                    yield from ox.parse(reader, format=ox.RdfFormat.N_QUADS)
                finally:
                    resp.close()
                return
            resp.close()
        for sol in self._select_stream("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            yield ox.Quad(sol["s"], sol["p"], sol["o"], sol["g"])

    def export(self, fmt: ExportFormat, out: BinaryIO) -> None:
        if fmt not in RDF_FORMATS:
            raise ValueError(f"unknown export format {fmt}")
        if fmt == "nquads" and self.config.dataset:
            resp = self._send("GET", self.config.dataset, what="export", stream=True, headers={"Accept": N_QUADS})
            try:
                if resp.status_code < 400 and _media(resp) == N_QUADS:
                    for chunk in resp.iter_bytes():  # the server's N-Quads, passed through
                        out.write(chunk)
                    return
            finally:
                resp.close()
        if fmt in QUAD_FORMATS:
            ox.serialize(self._dataset_quads(), out, RDF_FORMATS[fmt], prefixes=PREFIXES if fmt == "trig" else None)
            return
        triples = (
            ox.Triple(sol["s"], sol["p"], sol["o"])
            for sol in self._select_stream("SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        )
        ox.serialize(triples, out, RDF_FORMATS[fmt], prefixes=PREFIXES if fmt == "turtle" else None)

    def _graph_triples(self, iri: str) -> Iterator[ox.Triple]:
        if self.config.graph_store:
            resp = self._send(
                "GET",
                self.config.graph_store,
                what=f"reading graph {iri}",
                stream=True,
                params={"graph": iri},
                headers={"Accept": N_TRIPLES},
                ok=(404,),
            )
            try:
                if resp.status_code == 404:
                    return
                if resp.status_code >= 400:
                    resp.read()
                    raise self._fail(resp, f"reading graph {iri}")
                fmt = ox.RdfFormat.TURTLE if _media(resp) == "text/turtle" else ox.RdfFormat.N_TRIPLES
                for q in ox.parse(cast(IO[bytes], _ResponseReader(resp.iter_bytes())), format=fmt):
                    yield ox.Triple(q.subject, q.predicate, q.object)
            finally:
                resp.close()
            return
        for sol in self._select_stream(f"SELECT ?s ?p ?o WHERE {{ GRAPH {nt_term(URIRef(iri))} {{ ?s ?p ?o }} }}"):
            yield ox.Triple(sol["s"], sol["p"], sol["o"])

    def export_graph(self, iri: str, fmt: ExportFormat, out: BinaryIO) -> None:
        triples = self._graph_triples(iri)
        if fmt in ("trig", "nquads"):
            g = ox.NamedNode(iri)
            quads = (ox.Quad(t.subject, t.predicate, t.object, g) for t in triples)
            ox.serialize(quads, out, RDF_FORMATS[fmt], prefixes=PREFIXES if fmt == "trig" else None)
        else:
            ox.serialize(triples, out, RDF_FORMATS[fmt], prefixes=PREFIXES if fmt == "turtle" else None)

    def _count(self, sparql: str) -> int:
        rows = list(self.query(sparql).rows())
        n = rows[0].get("n") if rows else None
        return int(str(n)) if n is not None else 0

    def quad_count(self) -> int:
        # the embedded store counts the default graph too; newskg writes only named graphs
        return self._count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")

    def graph_iris(self) -> list[str]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows()
        return sorted(str(r["g"]) for r in rows if isinstance(r["g"], URIRef))

    def has_content_hash(self, sha256: str) -> bool:
        q = f"ASK {{ GRAPH ?g {{ ?a {nt_term(KG.contentHash)} {nt_term(Literal(sha256))} }} }}"
        return self.query(q).boolean()

    def close(self) -> None:
        self.client.close()


def _form_bytes(form: Sequence[tuple[str, str]]) -> bytes:
    return urlencode(list(form)).encode("ascii")


def _retry_after(resp: httpx.Response) -> float | None:
    try:
        return float(resp.headers.get("retry-after", ""))
    except ValueError:
        return None


def _transport_message(exc: Exception) -> str:
    if isinstance(exc, httpx.ConnectError):
        msg = str(exc) or "connection failed"
        if "refused" in msg.lower() or "errno 111" in msg.lower():
            return "cannot connect (connection refused: is the server running?)"
        return f"cannot connect ({msg})"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


# ---------------------------------------------------------------- base IRI of a remote store


def stored_base(store: RemoteStore) -> str | None:
    """The IRI base the store's articles already use (``{base}/article/…``), or None if it is empty.

    A remote store has no folder for ``newskg.json``, and a metadata graph would show up in every
    union-default-graph query, export and article count; the article IRIs themselves carry the base.
    """
    rows = list(
        store.query(
            "SELECT ?a WHERE { GRAPH ?a { ?a a <https://schema.org/NewsArticle> } } LIMIT 1"
        ).rows()
    )
    if not rows:
        return None
    iri = str(rows[0]["a"])
    # the same question of the default graph: it must be the union of the article graphs, or every
    # query without GRAPH would silently find nothing
    if not store.query(f"ASK {{ {nt_term(URIRef(iri))} a <https://schema.org/NewsArticle> }}").boolean():
        raise StoreError(
            f"{store.config}: the server's default graph is not the union of its named graphs, so queries "
            "would miss every article; configure the dataset for it (Fuseki: tdb2:unionDefaultGraph true) "
            "or set union_default_graph in --store-config (\"param\" for Oxigraph server)"
        )
    return iri.rsplit("/article/", 1)[0] if "/article/" in iri else None
