"""The store protocol every backend implements; the CLI, ingest and web layers use only this.

Contract: one named graph per article (graph IRI = article IRI); ``replace_graphs`` swaps whole
article graphs atomically for the batch, so a query never sees half an article, and a failure leaves
the store as it was. The default graph of queries is the union of all article graphs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal, Protocol, runtime_checkable

from rdflib.term import Node

Triple = tuple[Node, Node, Node]
ExportFormat = Literal["trig", "nquads", "turtle", "ntriples", "jsonld", "rdfxml"]
QueryKind = Literal["solutions", "boolean", "graph"]
DEFAULT_STORE = Path(os.environ.get("KG_STORE", "data/store"))


@dataclass(frozen=True)
class GraphUpdate:
    """One article graph to put in place of whatever the store holds under ``iri``.

    ``text``, when given, is the same triples already written as Turtle statements without prefixes
    (``<s> <p> "o"@zh``, one per triple, separated by `` .``): batch ingest serialises in its worker
    processes, and a backend that speaks SPARQL can send it as is instead of serialising again.
    """

    iri: str
    triples: Sequence[Triple]
    text: str | None = None

    @classmethod
    def from_text(cls, iri: str, text: str) -> GraphUpdate:
        """An update carrying only the text; ``triples`` is parsed from it if a backend asks."""
        return cls(iri, TextTriples(text), text)


def statements(triples: Sequence[Triple]) -> str:
    """Triples as Turtle statements without prefixes (also valid inside SPARQL ``INSERT DATA``)."""
    return " .\n".join(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in triples)


class TextTriples(Sequence):
    """The triples of Turtle statement text, parsed on first use (backends that need rdflib terms)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._parsed: list[Triple] | None = None

    def _all(self) -> list[Triple]:
        if self._parsed is None:
            from rdflib import Graph

            g = Graph()
            g.parse(data=self.text + " .\n" if self.text.strip() else "", format="turtle")
            self._parsed = list(g)
        return self._parsed

    def __getitem__(self, i):  # type: ignore[override]
        return self._all()[i]

    def __len__(self) -> int:
        return len(self._all())

    def __bool__(self) -> bool:
        return bool(self.text.strip())


class QueryResult(Protocol):
    """A query's answer, in the engine's own form, readable as rows or as a serialisation."""

    kind: QueryKind
    variables: list[str]

    def rows(self) -> Iterator[dict[str, Node | None]]: ...

    def boolean(self) -> bool: ...

    def triples(self) -> Iterator[Triple]: ...

    def serialize(self, fmt: str, out: BinaryIO) -> None:
        """Results formats: json, xml, csv, tsv; graph formats: turtle, ntriples, jsonld, rdfxml, trig."""
        ...


class Capabilities:
    """What a backend may have or lack, with the answer for one that lacks it. Backends inherit this and
    override what they have, so callers ask ``store.path`` or call ``store.flush()`` instead of probing
    with ``getattr`` (as Oxigraph's own Store declares ``flush``, ``backup`` and read-only)."""

    path: Path | None = None  # the local folder holding the store (the embedded one); None: elsewhere
    read_only: bool = False
    generation: int | None = None  # writes made through this object, for caches of answers; None: not counted

    def flush(self) -> None:
        """Write buffered changes to disk (batch ingest calls it now and then); nothing to do by default."""

    def backup(self, target: str) -> None:
        """A consistent checkpoint of the store in the new folder ``target`` (the query workers read one
        while the server writes); a store that cannot make one says so."""
        from kg.errors import StoreError

        raise StoreError(f"{type(self).__name__}: this store cannot make a checkpoint")


@runtime_checkable
class Store(Protocol):
    """The operations every backend has; the capabilities of ``Capabilities`` come with defaults."""

    @property
    def path(self) -> Path | None: ...

    @property
    def read_only(self) -> bool: ...

    @property
    def generation(self) -> int | None: ...

    def flush(self) -> None: ...

    def backup(self, target: str) -> None: ...

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update (the service's write side); StoreError on a read-only store."""
        ...

    def replace_graphs(self, updates: Sequence[GraphUpdate]) -> None:
        """Atomically replace (or create) each named graph with exactly the given triples."""
        ...

    def add_to_graphs(self, updates: Sequence[GraphUpdate], *, bulk: bool = False) -> None:
        """Add each update's triples to its named graph, keeping what the graph holds (one transaction).

        ``bulk``: a backend that has a faster loader for large writes may use it whatever the write's size
        (the embedded store's bulk loader: half the CPU, also all or nothing, but a fixed cost that small
        writes lose on): for content rebuilt from scratch in large chunks (``kg resolve``'s resolution
        layer)."""
        ...

    def remove_graphs(self, iris: Sequence[str]) -> None: ...

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
        bindings: Mapping[str, Node] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query; raises QueryError with the parser's message if it is malformed.

        ``base_iri`` resolves relative IRIs (``<s>``); without it they are a syntax error.

        ``bindings`` pre-binds variables (SEP-0007 substitution, like a VALUES of one row) so query
        texts kept in files can be reused for one entity without splicing IRIs into strings.
        """
        ...

    def export(self, fmt: ExportFormat, out: BinaryIO) -> None:
        """Write the whole store, streaming (quad formats keep graphs; triple formats the union)."""
        ...

    def export_graph(self, iri: str, fmt: ExportFormat, out: BinaryIO) -> None: ...

    def quad_count(self) -> int: ...

    def graph_iris(self) -> list[str]: ...

    def has_content_hash(self, sha256: str) -> bool:
        """Whether an article read from a source file with this hash is stored (resumable ingest)."""
        ...

    def close(self) -> None: ...


def open_store(location: str | os.PathLike | object | None = None, *, read_only: bool = False) -> Store:
    """A store from ``--store``: a folder (embedded Oxigraph), an ``http(s)://`` server, or a
    ``kg.store.remote.RemoteConfig`` (from ``--store-config FILE``)."""
    from kg.store.remote import RemoteConfig, RemoteStore, is_remote, remote_config

    if location is not None and is_remote(location):
        return RemoteStore(remote_config(location), read_only=read_only)  # type: ignore[arg-type]
    if isinstance(location, RemoteConfig):  # pragma: no cover - is_remote covers it
        return RemoteStore(location, read_only=read_only)
    from kg.store.oxigraph import OxigraphStore

    loc = str(location) if location is not None else str(DEFAULT_STORE)
    return OxigraphStore(Path(loc), read_only=read_only)
