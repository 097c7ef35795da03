"""Which graphs a SPARQL Update writes, known before it runs: so that what derives from article graphs
(the identity resolution layer) can follow an update sent to the service's ``/sparql``.

Why not a pattern over the text: an update reaches graphs through prefixed names (``GRAPH art:x``),
relative IRIs, ``WITH``, and variables (``DELETE { GRAPH ?g { … } } WHERE { GRAPH ?g { … } }``,
``DELETE WHERE { GRAPH ?g { … } }``), and only a parse tells them apart. So:

- The update is parsed by rdflib's SPARQL 1.1 grammar and algebra (``translateUpdate``: prefixed names
  expanded with the text's own ``PREFIX`` declarations, then the project's, relative IRIs against the
  base, as the store reads them). ``INSERT DATA`` / ``DELETE DATA`` bodies are first reduced to their
  graph names (``kg.store.sparql_text.data_skeleton``): rdflib's parser takes minutes over a few
  thousand triples, and only the names matter here.
- A graph named by an IRI in a template, ``WITH``, ``INTO``, ``DROP``/``CLEAR``/``CREATE``,
  ``ADD``/``COPY``/``MOVE`` is written (a ``MOVE``'s source too).
- A graph named by a variable in a template is found by running the operation's own ``WHERE`` on the
  store *before* the update, as an update that records the variable's bindings in a graph of its own
  (then read and dropped): the same engine, the same dataset (``WITH``, ``USING``, the default graph an
  update sees, which is not the union a query sees) and so the same solutions as the operation itself.
  Every graph the operation writes is among them (a template writes only where its graph variable is
  bound); a binding whose other template variables are unbound is refreshed for nothing, at no harm.
- This is exact only for the first operation: a later one runs on what the earlier ones left. An
  update with a variable graph after its first operation, ``DROP``/``CLEAR`` ``ALL``/``NAMED``, or a
  text rdflib does not parse, has an unknown scope (``everything``): the caller then brings what
  derives from the whole store in line after it (``kg.resolve.refresh_after_write``), exact too, at the
  cost of a ``kg resolve``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef, Variable

from kg.errors import KgError
from kg.rdf.namespaces import PREFIXES
from kg.store.base import Store
from kg.store.sparql_text import data_skeleton, first_operation, prologue_end, where_group

_BOUND = "urn:x-newskg:update-scope#graph"


@dataclass(frozen=True)
class Scope:
    """The graphs an update writes; ``everything`` when they cannot be known before it runs."""

    graphs: frozenset[str]
    everything: bool = False


UNKNOWN = Scope(frozenset(), everything=True)


def parse_operations(update: str, base_iri: str | None = None) -> list[Any] | None:
    """The update's operations as rdflib's algebra (IRIs expanded), or None if rdflib cannot parse it."""
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        return list(translateUpdate(parseUpdate(data_skeleton(update)), base=base_iri, initNs=PREFIXES).algebra)
    except Exception:  # noqa: BLE001 - pyparsing's and rdflib's errors, a RecursionError: scope unknown
        return None


def _iris(nodes: Iterable[Any]) -> set[str]:
    return {str(n) for n in nodes if isinstance(n, URIRef)}


def written(op: Any) -> tuple[set[str], list[str], bool]:
    """(graph IRIs one operation writes, names of the variables naming graphs it writes, whether it
    writes every graph), from its algebra."""
    name = op.name
    keys: list[Any] = []
    if name in ("InsertData", "DeleteData", "DeleteWhere"):
        keys = list(op.quads or {})
        return _iris(keys), sorted({str(k) for k in keys if isinstance(k, Variable)}), False
    if name == "Modify":
        default_template = False
        for clause in (op.delete, op.insert):
            if clause is not None:
                keys += list(clause.quads or {})
                default_template |= bool(clause.triples)
        graphs = _iris(keys) | (_iris([op.withClause]) if default_template else set())
        return graphs, sorted({str(k) for k in keys if isinstance(k, Variable)}), False
    if name in ("Clear", "Drop", "Create", "Load"):
        g = op.graphiri
        if g in ("ALL", "NAMED"):
            return set(), [], True
        return _iris([g]), [], False
    if name in ("Add", "Copy", "Move"):
        source, target = op.graph
        return _iris([target, source] if name == "Move" else [target]), [], False
    return set(), [], True  # an operation this module does not know: assume the worst


def _clauses(op: Any) -> tuple[str, str]:
    """The operation's ``WITH`` and ``USING`` clauses, written out (IRIs expanded); empty for a
    ``DELETE WHERE``, which has neither."""
    if op.name != "Modify":
        return "", ""
    # attributes, not .get: rdflib's CompValue.get answers the key itself for a missing key
    with_ = f"WITH <{op.withClause}>" if op.withClause is not None else ""
    using = " ".join(f"USING NAMED <{u.named}>" if u.named is not None else f"USING <{u.default}>"
                     for u in op.using or [])
    return with_, using


def bound_graphs(store: Store, update: str, op: Any, variables: list[str], base_iri: str | None) -> set[str] | None:
    """The IRIs the graph variables of the update's first operation take, its ``WHERE`` run on the store
    as it is now (before the update) by the store's own update engine; None if that cannot be done."""
    text = first_operation(update)
    group = where_group(text)
    if group is None:
        return None
    scratch = f"urn:x-newskg:update-scope:{uuid.uuid4().hex}"  # no update can name it in advance
    template = " . ".join(f"<{scratch}> <{_BOUND}> ?{v}" for v in variables)
    with_, using = _clauses(op)
    probe = (f"{text[: prologue_end(text)]}\n{with_}\nINSERT {{ GRAPH <{scratch}> {{ {template} }} }}\n"
             f"{using}\nWHERE {group}")
    try:
        store.update(probe, base_iri=base_iri)
        rows = store.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH <{scratch}> {{ <{scratch}> <{_BOUND}> ?g }} }}").rows()
        return {str(r["g"]) for r in rows if isinstance(r["g"], URIRef)}
    except KgError:
        return None
    finally:
        store.update(f"DROP SILENT GRAPH <{scratch}>")


def update_scope(store: Store, update: str, base_iri: str | None = None) -> Scope:
    """The graphs ``update`` will write when run on ``store`` now (call it just before, under the same
    write lock): see the module's docstring for how, and when the answer is ``everything``."""
    ops = parse_operations(update, base_iri)
    if ops is None:
        return UNKNOWN
    graphs: set[str] = set()
    for i, op in enumerate(ops):
        named, variables, every = written(op)
        if every or (variables and i > 0):
            return UNKNOWN
        graphs |= named
        if variables:
            bound = bound_graphs(store, update, op, variables, base_iri)
            if bound is None:
                return UNKNOWN
            graphs |= bound
    return Scope(frozenset(graphs))
