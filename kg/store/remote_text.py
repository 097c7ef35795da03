"""The SPARQL texts a remote store sends: terms written out, the one update that replaces a batch of
graphs, the project's prefixes and a base added to a query, pre-bound variables as ``VALUES``.
(The embedded store needs none of this: pyoxigraph takes terms, prefixes and substitutions itself.)"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import StoreError
from kg.rdf.namespaces import PREFIXES
from kg.store.base import GraphUpdate
from kg.store.sparql_text import code_only, keyword_span

_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}


def nt_term(term: Node) -> str:
    """A term as N-Triples / SPARQL text; an IRI that no server would accept is refused here."""
    if isinstance(term, URIRef):
        s = str(term)
        if _BAD_IRI.search(s) or ":" not in s:
            raise StoreError(f"internal error: {s!r} is not an IRI that can be stored")
        return f"<{s}>"
    if isinstance(term, Literal):
        body = '"' + re.sub(r'[\\"\n\r]', lambda m: _ESCAPES[m.group()], str(term)) + '"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{body}^^{nt_term(URIRef(term.datatype))}"
        return body
    if isinstance(term, BNode):
        return f"_:{re.sub(r'[^A-Za-z0-9_]', '_', str(term))}"
    raise StoreError(f"internal error: unsupported term {term!r}")


def update_text(updates: Sequence[GraphUpdate]) -> str:
    """One SPARQL Update replacing each graph; servers run it as one transaction."""
    parts: list[str] = []
    for up in updates:
        g = nt_term(URIRef(up.iri))
        parts.append(f"DROP SILENT GRAPH {g}")
        text = getattr(up, "text", None)  # statements already written by batch ingest's workers
        if text is not None:
            if text.strip():
                parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{text} .\n}} }}")
        elif up.triples:
            body = " .\n".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)}" for s, p, o in up.triples)
            parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{body} .\n}} }}")
    return " ;\n".join(parts) + "\n"


def add_text(updates: Sequence[GraphUpdate]) -> str:
    """One SPARQL ``INSERT DATA`` adding each update's triples to its graph ("" when there are none)."""
    parts: list[str] = []
    for up in updates:
        text = getattr(up, "text", None)
        if text is None:
            text = " .\n".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)}" for s, p, o in up.triples)
        if text.strip():
            parts.append(f"GRAPH {nt_term(URIRef(up.iri))} {{\n{text} .\n}}")
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}\n" if parts else ""


_PREFIX_DECL = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:")


def with_prefixes(sparql: str, base_iri: str | None = None) -> tuple[str, int]:
    """The query with the project's prefixes the query does not declare itself (the embedded store
    accepts ``schema:headline`` undeclared) and ``BASE <base_iri>`` (a BASE in the query comes later and
    wins); also how many lines were added, to fix error positions."""
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(sparql)}
    extra = " ".join([f"BASE <{base_iri}>"] * bool(base_iri)
                     + [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p not in declared])
    return (f"{extra}\n{sparql}", 1) if extra else (sparql, 0)


def with_bindings(sparql: str, bindings: Mapping[str, Node]) -> str:
    """Pre-bind variables (SEP-0007, as pyoxigraph's substitutions) for a server: a one-row VALUES
    block at the start of the query's WHERE group, so it joins before grouping and aggregates.
    Without a WHERE group we can find, a trailing VALUES clause (joined after the pattern)."""
    if not bindings:
        return sparql
    names = " ".join(f"?{k}" for k in bindings)
    values = f" VALUES ({names}) {{ ({' '.join(nt_term(v) for v in bindings.values())}) }} "
    code = code_only(sparql)
    where = keyword_span(sparql, "WHERE") or keyword_span(sparql, "SELECT|ASK")
    brace = code.find("{", where[1]) if where is not None else -1
    if brace < 0:
        return f"{sparql}\nVALUES ({names}) {{ ({' '.join(nt_term(v) for v in bindings.values())}) }}"
    return sparql[: brace + 1] + values + sparql[brace + 1 :]
