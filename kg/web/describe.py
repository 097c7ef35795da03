"""Bounded descriptions of the things an IRI names, read from the store (blocking: call off the loop).

An entity's description is its own triples, its participations and the labels of what those link to
(``kg/queries/describe.rq``), plus up to ``BACKLINKS`` resources that point at it with their labels
(``backlinks.rq``); an article's is its whole named graph. Each function consumes its query results
on the calling thread, as pyoxigraph requires.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from kg.queries import load, with_iri
from kg.store.base import Store, Triple

BACKLINKS = 200


@dataclass
class Description:
    """What a route hands to a representation: the IRI, its kind, and a bounded set of triples."""

    iri: str
    kind: str
    triples: list[Triple] = field(default_factory=list)

    @property
    def ident(self) -> str:
        """The ``{id}`` of ``{base}/{kind}/{id}`` (what an HTML renderer looks the entity up by)."""
        return self.iri.rsplit("/", 1)[-1]


def describe_entity(store: Store, iri: str, kind: str, *, backlinks: int = BACKLINKS) -> Description | None:
    """The bounded description of ``iri``, or None when the store says nothing about it."""
    this = URIRef(iri)
    triples = list(store.query(with_iri(load("describe"), "this", iri)).triples())
    if not any(s == this for s, _, _ in triples):
        return None
    if backlinks > 0:
        res = store.query(f"{load('backlinks')}\nLIMIT {int(backlinks)}", bindings={"this": this})
        for row in res.rows():
            s, p = row["s"], row["p"]
            if s is None or p is None:
                continue
            triples.append((s, p, this))
            if row.get("lp") is not None and row.get("label") is not None:
                triples.append((s, row["lp"], row["label"]))  # type: ignore[arg-type]
    return Description(iri, kind, triples)


def article_graph(store: Store, iri: str, kind: str = "article") -> Description | None:
    """An article's named graph (graph IRI = article IRI), or None when there is no such article; with
    ``kind="resolution"`` a resolution layer's graph (``{base}/resolution/person/{name}``), which is also
    named by the IRI it answers for."""
    this = URIRef(iri)
    if not store.query(load("graph_exists"), bindings={"this": this}).boolean():
        return None
    triples = list(store.query(load("article_graph"), bindings={"this": this}).triples())
    return Description(iri, kind, triples)
