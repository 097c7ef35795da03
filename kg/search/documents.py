"""What the search index keeps of one graph: names of entities, facts for the hits' one-line
descriptions, and the article (headline, text, date, paper) for full-text search.

Read back from the store (``read``: the graphs of one write; ``scan``: every graph, for a rebuild), so
the index holds what the store holds whichever way a graph was written. Only a few predicates are
read (``PREDICATES``); the rest of a graph (participations, evidence offsets …) is not needed here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.rdf.kinds import KIND_OF_CLASS
from kg.rdf.namespaces import KG, ORG, RDF, RDFS, SCHEMA
from kg.store.base import Store
from kg.store.sparql_text import values

ENTITY_KINDS = ("person", "organization", "event", "post", "place")
# the name properties and their rank: names before other names, pinyin last
NAME_PROPS = {str(SCHEMA.name): 0, str(RDFS.label): 0, str(SCHEMA.alternateName): 1, str(KG.pinyin): 2}
PREDICATES = [RDF.type, SCHEMA.name, RDFS.label, SCHEMA.alternateName, KG.pinyin, SCHEMA.headline,
              SCHEMA.articleBody, SCHEMA.datePublished, SCHEMA.publisher, KG.locality, ORG.holds, ORG.postIn,
              SCHEMA.startDate, SCHEMA.location, SCHEMA.superEvent]
CHUNK = 400  # graphs read per query


@dataclass
class Article:
    iri: str
    headline: str = ""
    body: str = ""
    date: str = ""
    paper: str = ""
    locality: str = ""


@dataclass
class GraphRows:
    """One graph's rows: (entity, kind, rank, name) names, (entity, field, value) facts, its articles."""

    graph: str
    names: list[tuple[str, str, int, str]] = field(default_factory=list)
    facts: list[tuple[str, str, str]] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    present: bool = True  # the store holds the graph (False: removed; nothing to index, nothing to remember)


# the predicates as plain strings (an rdflib Namespace attribute costs a lookup each time)
P = {name: str(term) for name, term in (
    ("type", RDF.type), ("name", SCHEMA.name), ("label", RDFS.label), ("headline", SCHEMA.headline),
    ("body", SCHEMA.articleBody), ("published", SCHEMA.datePublished), ("publisher", SCHEMA.publisher),
    ("locality", KG.locality), ("holds", ORG.holds), ("postIn", ORG.postIn), ("start", SCHEMA.startDate),
    ("location", SCHEMA.location), ("super", SCHEMA.superEvent))}
EVENT_FACTS = (("date", P["start"]), ("place", P["location"]), ("super", P["super"]))


def rows_of(graph: str, triples: Sequence[tuple[str, str, str]]) -> GraphRows:
    """The index rows of one graph from its (subject, predicate, object) triples, as plain strings."""
    by: dict[str, dict[str, list[str]]] = {}
    for s, p, o in triples:
        by.setdefault(s, {}).setdefault(p, []).append(o)
    out = GraphRows(graph)

    def kind(s: str) -> str | None:
        classes = by.get(s, {}).get(P["type"], [])
        for c in classes:  # the article first: an article graph's subject is never an entity of another kind
            if KIND_OF_CLASS.get(c) == "article":
                return "article"
        for c in classes:
            if c in KIND_OF_CLASS:
                return KIND_OF_CLASS[c]
        return None

    def first(s: str, p: str) -> str:
        vals = by.get(s, {}).get(p)
        return min(vals) if vals else ""

    def name(s: str) -> str:
        return first(s, P["name"]) or first(s, P["label"])

    for s, props in by.items():
        k = kind(s)
        if k == "article":
            out.articles.append(Article(s, first(s, P["headline"]), first(s, P["body"]), first(s, P["published"])[:10],
                                        name(first(s, P["publisher"])), first(s, P["locality"])))
            continue
        if k not in ENTITY_KINDS:
            continue
        for p, rank in NAME_PROPS.items():
            for o in props.get(p, []):
                if o.strip():
                    out.names.append((s, k, rank, o))
        if k == "person":
            for post in props.get(P["holds"], []):
                label = name(post)
                org = name(first(post, P["postIn"]))
                if label:
                    out.facts.append((s, "post", f"{label}（{org}）" if org and not label.startswith(org) else label))
        elif k == "event":
            for f, p in EVENT_FACTS:
                v = first(s, p)
                v = v if f == "date" or not v else name(v)  # a place or super-event by its name
                if v:
                    out.facts.append((s, f, v))
        elif k == "post":
            org = name(first(s, P["postIn"]))
            if org:
                out.facts.append((s, "org", org))
    return out


PREDICATE_SET = {str(p) for p in PREDICATES}


def renamed(rows: GraphRows, names: Mapping[str, str]) -> GraphRows | None:
    """``rows`` of a graph in which the nodes ``names`` maps were renamed (old IRI → new), as ``read``
    would give them after the rename: the entities' rows follow their node (the values are names and
    labels, never a person's IRI). None where two of the graph's entities end under one name: their
    triples are then one subject's, which only a read groups as the store does.

    Why: a career join renames person nodes in articles an ingest has just written; their rows are
    known (``rows_of_written``), and patching them spares reading the graphs back (kg.derived)."""
    if not names:
        return rows
    own = {e for e, _, _, _ in rows.names} | {e for e, _, _ in rows.facts}
    if len({names.get(e, e) for e in own}) < len(own):
        return None
    out = GraphRows(rows.graph, articles=list(rows.articles), present=rows.present)
    out.names = [(names.get(e, e), k, r, n) for e, k, r, n in rows.names]  # no two entities become one:
    out.facts = [(names.get(e, e), f, v) for e, f, v in rows.facts]  # the rows stay as a read gives them
    return out


def rows_of_written(graph: str, triples: Sequence[tuple[object, object, object]]) -> GraphRows | None:
    """The rows of a graph from the rdflib triples written to the store (an ingest worker makes them, so the
    writer need not read the graph back), or None if the graph has blank nodes: the store renames those,
    so only a read gives the rows it holds. Why it equals ``read``: the store holds exactly these
    triples, and ``str`` of an rdflib IRI or literal is what the store's term gives as its value."""
    from rdflib import BNode

    picked = []
    for s, p, o in triples:
        if isinstance(s, BNode) or isinstance(o, BNode):
            return None
        if str(p) in PREDICATE_SET:
            picked.append((str(s), str(p), str(o)))
    rows = rows_of(graph, picked)
    rows.present = bool(picked)
    return rows


_SELECT = "SELECT ?g ?s ?p ?o WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o FILTER(?p IN ({preds})) }} }}"


def _query(store: Store, graphs: Sequence[str] | None) -> str:
    bound = values("g", map(URIRef, graphs)) if graphs is not None else ""
    return _SELECT.format(values=bound, preds=", ".join(p.n3() for p in PREDICATES))


def read(store: Store, graphs: Sequence[str], known: Mapping[str, GraphRows] | None = None) -> Iterator[GraphRows]:
    """The rows of each graph in ``graphs`` as the store holds it now (a graph no longer stored: no rows).
    ``known``: rows of graphs whose stored content the caller knows (``rows_of_written``), not read again."""
    if known:
        yield from (known[g] for g in graphs if g in known)
        graphs = [g for g in graphs if g not in known]
    for i in range(0, len(graphs), CHUNK):
        chunk = list(graphs[i:i + CHUNK])
        found: dict[str, list[tuple[str, str, str]]] = {g: [] for g in chunk}
        for g, subj, pred, obj in _values(store.query(_query(store, chunk))):
            found.setdefault(g, []).append((subj, pred, obj))
        for g, triples in found.items():
            rows = rows_of(g, triples)
            rows.present = bool(triples)  # a graph without any of PREDICATES counts as gone: none is typeless
            yield rows


def _values(res: object) -> Iterator[tuple[str, str, str, str]]:
    """(graph, subject, predicate, object) as plain strings (IRI, blank node id or literal's lexical form).
    The embedded store's answer is read as pyoxigraph terms directly: turning ≈ 400k rows into rdflib
    terms was most of a rebuild's time at 1M quads."""
    raw = getattr(res, "raw", None)
    if raw is not None and type(raw).__name__ == "QuerySolutions":
        for sol in raw:
            yield sol["g"].value, sol["s"].value, sol["p"].value, sol["o"].value
        return
    for r in res.rows():  # type: ignore[attr-defined]
        yield str(r["g"]), str(r["s"]), str(r["p"]), str(r["o"])


def scan(store: Store, known: Mapping[str, GraphRows] | None = None) -> Iterator[GraphRows]:
    """The rows of every graph of the store (a rebuild), read a chunk of graphs at a time (``known``: see
    ``read``)."""
    yield from read(store, searchable_graphs(store), known)


def searchable_graphs(store: Store) -> list[str]:
    """The store's graphs but the identity layer's name blocks (``kg.resolve``: nothing to search there, and
    ingest, which writes them, hands the index only its article graphs)."""
    from kg.resolve import is_resolution_graph

    return [g for g in store.graph_iris() if not is_resolution_graph(g)]
