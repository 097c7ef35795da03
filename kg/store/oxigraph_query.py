"""Querying a pyoxigraph store with newskg's dataset rules, without rdflib.

``kg.store.oxigraph`` (the store the rest of the project uses) and the ``/sparql`` query worker
processes (``kg.web.limits``) both go through :func:`query`. The workers import only this module,
pyoxigraph and the negotiation table: no rdflib, which would add ~18 MiB to each of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, BinaryIO

import pyoxigraph as ox

from kg.errors import QueryError
from kg.store.sparql_text import has_keyword

RDF_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def parser_message(exc: Exception) -> str:
    """Oxigraph's parse error on one line, without its long lists of character classes."""
    msg = " ".join(str(exc).split())
    msg = re.sub(r"\[[^\[\]]*\]", "…", msg)
    msg = re.sub(r"(?:, …)+", ", …", msg)
    return msg


def query(
    db: ox.Store,
    sparql: str,
    prefixes: Mapping[str, str],
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    **extra: Any,
) -> Any:
    """The engine's raw result; raises QueryError for a malformed or failed query.

    The dataset: the protocol's graphs if given (SPARQL 1.1 Protocol: without default-graph-uri the
    default graph is then empty), else the query's FROM / FROM NAMED, else the union of all graphs.
    Oxigraph's union flag would override FROM, so it is set only when there is none."""
    kwargs: dict[str, Any] = dict(extra)
    for uri in (*default_graph_uris, *named_graph_uris):
        try:
            ox.NamedNode(uri)
        except ValueError:
            raise QueryError(f"default-graph-uri / named-graph-uri {uri!r} is not an IRI") from None
    if default_graph_uris:
        kwargs["default_graph"] = [ox.NamedNode(u) for u in default_graph_uris]
    elif named_graph_uris:
        kwargs["default_graph"] = ox.DefaultGraph()
    elif not has_keyword(sparql, "FROM"):
        kwargs["use_default_graph_as_union"] = True
    if named_graph_uris:
        kwargs["named_graphs"] = [ox.NamedNode(u) for u in named_graph_uris]
    try:
        return db.query(sparql, prefixes=dict(prefixes), **kwargs)
    except SyntaxError as exc:
        raise QueryError(f"malformed query: {parser_message(exc)}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from None


def kind_of(raw: object) -> str:
    """"solutions", "boolean" or "graph"."""
    if isinstance(raw, ox.QuerySolutions):
        return "solutions"
    if isinstance(raw, ox.QueryBoolean):
        return "boolean"
    return "graph"


def serialize(raw: Any, kind: str, fmt: str, out: BinaryIO, prefixes: Mapping[str, str]) -> None:
    """Write a raw result as ``fmt`` (a key of RDF_FORMATS for graphs, of RESULT_FORMATS otherwise)."""
    if kind == "graph":
        if fmt not in RDF_FORMATS:
            raise ValueError(f"a graph result cannot be written as {fmt}")
        ox.serialize(raw, out, RDF_FORMATS[fmt], prefixes=dict(prefixes) if fmt in ("turtle", "trig") else None)
    else:
        if fmt not in RESULT_FORMATS:
            raise ValueError(f"a {kind} result cannot be written as {fmt}")
        raw.serialize(out, RESULT_FORMATS[fmt])
