"""The embedded default store: Oxigraph (RocksDB on disk) through pyoxigraph.

Writes are SPARQL updates (``DROP SILENT GRAPH …; INSERT DATA …``), which Oxigraph applies as one
transaction: either every graph of a batch is replaced or none is. When every graph of a batch is
new (the common case of a first batch ingest), one TriG load does the same for less CPU: a ``load``
(one transaction) for a small batch, Oxigraph's bulk loader for a large one. The bulk loader is
atomic too (since pyoxigraph 0.5.1 it writes sorted files and hands them to RocksDB in one
``IngestExternalFiles``, which takes all of them or none, also across a crash), and costs about half
the CPU from a few dozen articles up; below that its fixed cost (files on disk, threads) loses.
RocksDB allows one process to open a store for writing; a second writer gets a clear StoreError,
never a corrupt store.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError, StoreError
from kg.rdf.namespaces import KG, PREFIXES
from kg.store.base import Capabilities, ExportFormat, GraphUpdate, QueryKind, Triple, statements
from kg.store.oxigraph_query import RDF_FORMATS, RESULT_FORMATS, parser_message  # noqa: F401 - re-exported
from kg.store.oxigraph_query import query as run_query
from kg.store.oxigraph_query import serialize as serialize_raw

QUAD_FORMATS = {"trig", "nquads", "jsonld"}
# From this much statement text up, a load of new graphs goes through the bulk loader. Measured on a 2-core
# machine with generated articles (≈50 KB of statements, 270 quads each), CPU per article: 20 articles a
# write 3.9 ms transactional against 4.1 ms bulk, 50: 3.8 against 2.7, 200: 4.0 against 1.6.
BULK_FROM_CHARS = 2_000_000


def to_rdflib(term: object) -> Node | None:
    """A pyoxigraph term as the rdflib term the rest of the project uses."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"unsupported term {term!r}")


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


class OxigraphResult:
    """pyoxigraph's QuerySolutions / QueryBoolean / QueryTriples behind the QueryResult protocol."""

    def __init__(self, raw: object) -> None:
        self.raw = raw
        self.kind: QueryKind
        if isinstance(raw, ox.QuerySolutions):
            self.kind = "solutions"
            self.variables = [v.value for v in raw.variables]
        elif isinstance(raw, ox.QueryBoolean):
            self.kind = "boolean"
            self.variables = []
        else:
            self.kind = "graph"
            self.variables = ["subject", "predicate", "object"]

    def rows(self) -> Iterator[dict[str, Node | None]]:
        if self.kind != "solutions":
            raise TypeError(f"a {self.kind} result has no rows")
        names = self.variables
        for sol in self.raw:  # type: ignore[attr-defined]
            yield {n: to_rdflib(sol[n]) for n in names}

    def boolean(self) -> bool:
        if self.kind != "boolean":
            raise TypeError(f"a {self.kind} result is not a boolean")
        return bool(self.raw)

    def triples(self) -> Iterator[Triple]:
        if self.kind != "graph":
            raise TypeError(f"a {self.kind} result has no triples")
        for t in self.raw:  # type: ignore[attr-defined]
            yield to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)  # type: ignore[misc]

    def serialize(self, fmt: str, out: BinaryIO) -> None:
        serialize_raw(self.raw, self.kind, fmt, out, PREFIXES)


# Files beside the RocksDB folder that are computed from the store's content (the VoID statistics kg serve
# keeps, ``kg.web.serve``): every write removes them first, so none outlives the content it describes.
DERIVED_FILES = ("void-stats.json",)


class OxigraphStore(Capabilities):
    """A persistent Oxigraph store: the RocksDB files live in ``PATH/oxigraph``."""

    path: Path
    generation: int

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.generation = 0  # counts writes through this object (its only writer), for caches of answers
        try:
            if read_only:
                if not (path / "oxigraph").exists():
                    raise StoreError(f"{path}: no store here (ingest something first)")
                self.db = ox.Store.read_only(str(path / "oxigraph"))
            else:
                from kg.config import check_store_folder

                check_store_folder(path)
                (path / "oxigraph").mkdir(parents=True, exist_ok=True)
                self.db = ox.Store(str(path / "oxigraph"))
        except OSError as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise StoreError(
                    f"{path}: the store is open in another process (one writer at a time, and no writer "
                    "while kg serve reads it: another kg ingest, or kg serve, which with a token takes "
                    "POST /ingest); stop that process or use another --store"
                ) from None
            raise StoreError(f"{path}: cannot open the store ({msg})") from None

    # ------------------------------------------------------------ writing

    def replace_graphs(self, updates: Sequence[GraphUpdate]) -> None:
        if not updates:
            return
        self.generation += 1  # before and after: a reader never keeps an answer computed mid-write
        self._forget_derived()
        try:
            self._replace_graphs(updates)
        finally:
            self.generation += 1

    def _forget_derived(self) -> None:
        for name in DERIVED_FILES:
            try:
                (self.path / name).unlink(missing_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"{self.path}: cannot remove {name} before writing ({exc}); nothing was changed"
                ) from None

    def _replace_graphs(self, updates: Sequence[GraphUpdate]) -> None:
        bodies: list[tuple[str, str]] = []  # (graph IRI in <>, statements)
        for up in updates:
            if up.text is not None:  # serialised already (batch ingest workers)
                body = up.text
            else:
                try:
                    body = statements(up.triples) if up.triples else ""
                except Exception as exc:  # rdflib refuses terms it cannot write; nothing is written
                    raise StoreError(
                        f"internal error: graph {up.iri} holds a term that cannot be stored: {exc}"
                    ) from exc
            bodies.append((URIRef(up.iri).n3(), body))
        try:
            if self._all_new(updates, bodies):
                # nothing to drop: one TriG load, also all or nothing, and ~1/3 less CPU than the SPARQL
                # update (measured in benchmarks/ingest_scale.py's store-bound runs); large: half again
                self._load([(g, b) for g, b in bodies if b.strip()])
                return
            parts: list[str] = []
            for g, body in bodies:
                parts.append(f"DROP SILENT GRAPH {g} ;\n")
                if body.strip():
                    parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{body} .\n}} }} ;\n")
            self.db.update("".join(parts).rstrip().rstrip(";"))
        except SyntaxError as exc:  # a term the mapper should never produce
            raise StoreError(f"internal error: the update for {len(updates)} graph(s) did not parse: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"{self.path}: write failed, nothing was changed ({exc})") from exc

    def _all_new(self, updates: Sequence[GraphUpdate], bodies: list[tuple[str, str]]) -> bool:
        """Whether a plain load equals the replacement: new graphs, each once, and no blank nodes
        (a load would keep blank node labels where ``INSERT DATA`` makes fresh ones)."""
        iris = [up.iri for up in updates]
        if len(set(iris)) != len(iris) or any("_:" in b for _, b in bodies):
            return False
        return not any(self.db.contains_named_graph(ox.NamedNode(i)) for i in iris)

    def _load(self, bodies: Sequence[tuple[str, str]], bulk: bool = False) -> None:
        """One atomic TriG load of (graph IRI in <>, statements): by the bulk loader if ``bulk`` or from
        BULK_FROM_CHARS of statements up."""
        text = "".join(f"{g} {{\n{b} .\n}}\n" for g, b in bodies)
        load = self.db.bulk_load if bulk or len(text) >= BULK_FROM_CHARS else self.db.load
        load(text, format=ox.RdfFormat.TRIG)

    def add_to_graphs(self, updates: Sequence[GraphUpdate], *, bulk: bool = False) -> None:
        """A TriG load (``bulk``: by the bulk loader whatever its size); with blank nodes, whose labels a
        load would keep, ``INSERT DATA`` instead."""
        bodies = [(URIRef(up.iri).n3(), up.text if up.text is not None else statements(up.triples))
                  for up in updates]
        bodies = [(g, b) for g, b in bodies if b.strip()]
        if not bodies:
            return
        self.generation += 1
        self._forget_derived()
        try:
            if any("_:" in b for _, b in bodies):
                self.db.update("INSERT DATA {\n" + "".join(f"GRAPH {g} {{\n{b} .\n}}\n" for g, b in bodies) + "}")
                return
            self._load(bodies, bulk)
        except SyntaxError as exc:
            raise StoreError(f"internal error: the statements for {len(bodies)} graph(s) did not parse: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"{self.path}: write failed ({exc})") from exc
        finally:
            self.generation += 1

    def remove_graphs(self, iris: Sequence[str]) -> None:
        self.replace_graphs([GraphUpdate(i, ()) for i in iris])

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """A SPARQL 1.1 Update, applied as one transaction (the authenticated ``/sparql`` update);
        ``base_iri`` resolves relative IRIs."""
        self.generation += 1
        self._forget_derived()
        try:
            self.db.update(sparql, prefixes=PREFIXES, base_iri=base_iri)
        except SyntaxError as exc:
            raise QueryError(f"malformed update: {parser_message(exc)}") from None
        except (ValueError, RuntimeError) as exc:
            raise QueryError(f"update failed: {exc}") from None
        except OSError as exc:
            raise StoreError(f"{self.path}: write failed, nothing was changed ({exc})") from None
        finally:
            self.generation += 1

    # ------------------------------------------------------------ reading

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
        bindings: Mapping[str, Node] | None = None,
        base_iri: str | None = None,
    ) -> OxigraphResult:
        extra: dict = {"base_iri": base_iri} if base_iri else {}
        if bindings:
            extra["substitutions"] = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}
        raw = run_query(self.db, sparql, PREFIXES, default_graph_uris, named_graph_uris, **extra)
        return OxigraphResult(raw)

    def export(self, fmt: ExportFormat, out: BinaryIO) -> None:
        if fmt not in RDF_FORMATS:
            raise ValueError(f"unknown export format {fmt}")
        if fmt in QUAD_FORMATS:
            self.db.dump(out, RDF_FORMATS[fmt], prefixes=PREFIXES if fmt == "trig" else None)
            return
        triples = (
            ox.Triple(sol["s"], sol["p"], sol["o"])
            for sol in self.db.query("SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")  # type: ignore[union-attr]
        )
        ox.serialize(triples, out, RDF_FORMATS[fmt], prefixes=PREFIXES if fmt == "turtle" else None)

    def export_graph(self, iri: str, fmt: ExportFormat, out: BinaryIO) -> None:
        g = ox.NamedNode(iri)
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in self.db.quads_for_pattern(None, None, None, g))
        if fmt in ("trig", "nquads"):
            quads = (ox.Quad(t.subject, t.predicate, t.object, g) for t in triples)
            ox.serialize(quads, out, RDF_FORMATS[fmt], prefixes=PREFIXES if fmt == "trig" else None)
        else:
            ox.serialize(triples, out, RDF_FORMATS[fmt], prefixes=PREFIXES if fmt == "turtle" else None)

    def quad_count(self) -> int:
        return len(self.db)

    def graph_iris(self) -> list[str]:
        return sorted(g.value for g in self.db.named_graphs() if isinstance(g, ox.NamedNode))

    def has_content_hash(self, sha256: str) -> bool:
        q = ox.Literal(sha256)
        return any(True for _ in self.db.quads_for_pattern(None, ox.NamedNode(str(KG.contentHash)), q, None))

    def flush(self) -> None:
        """Write RocksDB's in-memory buffers to disk. Batch ingest calls this every ~500k quads: the
        buffers otherwise grow with everything written (2.1 GiB of RSS after 100k articles)."""
        if not self.read_only:
            self.db.flush()

    def backup(self, target: str) -> None:
        """A checkpoint in ``target`` (RocksDB hard links: ~0.05 s), for the query workers of a writing server."""
        self.db.backup(target)

    def close(self) -> None:
        if not self.read_only:
            try:
                self.db.flush()
            except (OSError, RuntimeError):
                pass
        del self.db
