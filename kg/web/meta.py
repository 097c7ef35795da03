"""Describing the service itself: the SPARQL service description and the VoID description.

The service description (GET ``/sparql`` without a query) states what the endpoint speaks and that its
default graph is the union of the article graphs. VoID (``/.well-known/void``) gives the dataset's
size, per class and per property (``kg/queries/void_*.rq``); those counts scan the store, so they are
computed once per store size and cached. Addresses of the service's own documents come from the
request (where clients actually reached it); the IRI space from the configured base.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from kg.queries import load
from kg.rdf.namespaces import ORG, PROV, SCHEMA
from kg.store.base import Store, Triple
from kg.web.context import context
from kg.web.errors import HttpError
from kg.web.negotiation import DESCRIPTION_FORMATS, GRAPH_FORMATS, RESULT_FORMATS, Format, acceptable_list, choose
from kg.web.ontology import ONTOLOGY_IRI
from kg.web.rdfio import EXTRA_PREFIXES, serialize_triples

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
W3C_FORMAT = {
    "json": FORMATS.SPARQL_Results_JSON,
    "xml": FORMATS.SPARQL_Results_XML,
    "csv": FORMATS.SPARQL_Results_CSV,
    "tsv": FORMATS.SPARQL_Results_TSV,
    "turtle": FORMATS.Turtle,
    "ntriples": FORMATS["N-Triples"],
    "jsonld": FORMATS["JSON-LD"],
    "rdfxml": FORMATS.RDF_XML,
    "trig": FORMATS.TriG,
    "nquads": FORMATS["N-Quads"],
}
META_FORMATS: tuple[Format, ...] = DESCRIPTION_FORMATS  # as IRIs: a browser's application/xml;q=0.9 gets Turtle


def _root(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _dataset(request: Request) -> URIRef:
    return URIRef(f"{_root(request)}/.well-known/void#dataset")


def _respond(request: Request, triples: list[Triple]) -> Response:
    fmt = choose(request.headers.get("accept"), request.query_params.get("format"), META_FORMATS)
    if fmt is None:
        raise HttpError(f"not acceptable; choose one of {acceptable_list(META_FORMATS)}", 406)
    body = serialize_triples(triples, fmt.key, EXTRA_PREFIXES)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


async def service_description(request: Request) -> Response:
    """The ``sd:Service`` for this endpoint."""
    store: Store = context(request).store
    quads = await run_in_threadpool(store.quad_count)
    svc = URIRef(f"{_root(request)}/sparql")
    ds, dg = _dataset(request), BNode()
    t: list[Triple] = [
        (svc, RDF.type, SD.Service),
        (svc, SD.endpoint, svc),
        (svc, SD.supportedLanguage, SD.SPARQL11Query),
        (svc, SD.feature, SD.UnionDefaultGraph),
        (svc, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")),
        (svc, DCTERMS.description, Literal(
            "newskg: Chinese local newspaper articles as a knowledge graph. Read-only: SPARQL Update and "
            "SERVICE are disabled. The default graph is the union of all article graphs; each article's "
            "facts are in a named graph whose IRI is the article's IRI (GRAPH ?g).", lang="en")),
        (svc, SD.defaultDataset, ds),
        (ds, RDF.type, SD.Dataset),
        (ds, RDF.type, VOID.Dataset),
        (ds, SD.defaultGraph, dg),
        (dg, RDF.type, SD.Graph),
        (dg, DCTERMS.description, Literal("the union of all article graphs", lang="en")),
        (dg, VOID.triples, Literal(quads, datatype=XSD.integer)),
    ]
    for f in (*RESULT_FORMATS, *GRAPH_FORMATS):
        t.append((svc, SD.resultFormat, W3C_FORMAT[f.key]))
    return _respond(request, t)


class VoidCache:
    """VoID statistics, recomputed only when the store's size changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: int | None = None
        self._stats: dict[str, Any] = {}

    def stats(self, store: Store) -> dict[str, Any]:
        return self.fill(store, lambda _quads: compute_stats(store))

    def fill(self, store: Store, compute: Callable[[int], dict[str, Any]]) -> dict[str, Any]:
        """The stats, computed by ``compute`` if the store changed (``kg serve`` computes them in another
        process at start-up); a request meanwhile waits for them rather than computing them twice."""
        with self._lock:
            key = store.quad_count()
            if key != self._key:
                self._stats = compute(key)  # given the quad count, a full scan in Oxigraph, not to repeat
                self._key = key
            return self._stats


def compute_stats(store: Store) -> dict[str, Any]:
    """Totals, class partitions and property partitions over the union default graph."""
    totals = next(store.query(load("void_totals")).rows())
    classes = [
        (r["class"], int(r["entities"]), int(r["triples"]))  # type: ignore[arg-type]
        for r in store.query(load("void_classes")).rows()
    ]
    props = [(r["property"], int(r["triples"])) for r in store.query(load("void_properties")).rows()]  # type: ignore[arg-type]
    return {
        "triples": int(totals["triples"] or 0),  # type: ignore[arg-type]
        "subjects": int(totals["subjects"] or 0),  # type: ignore[arg-type]
        "objects": int(totals["objects"] or 0),  # type: ignore[arg-type]
        "properties": int(totals["properties"] or 0),  # type: ignore[arg-type]
        "graphs": len(store.graph_iris()),
        "classes": classes,
        "property_partitions": props,
    }


async def void_description(request: Request) -> Response:
    """The VoID description of the dataset, with counts per class and per property."""
    store: Store = context(request).store
    stats = await run_in_threadpool(context(request).void_cache.stats, store)
    root, ds = _root(request), _dataset(request)

    def n(v: int) -> Literal:
        return Literal(v, datatype=XSD.integer)

    t: list[Triple] = [
        (ds, RDF.type, VOID.Dataset),
        (ds, DCTERMS.title, Literal("newskg", lang="en")),
        (ds, DCTERMS.description, Literal("Chinese local newspaper articles as a knowledge graph; "
                                          "one named graph per article.", lang="en")),
        (ds, VOID.sparqlEndpoint, URIRef(f"{root}/sparql")),
        (ds, VOID.dataDump, URIRef(f"{root}/export.trig")),
        (ds, VOID.dataDump, URIRef(f"{root}/export.nq")),
        (ds, VOID.uriSpace, Literal(f"{context(request).base}/")),
        (ds, VOID.triples, n(stats["triples"])),
        (ds, VOID.distinctSubjects, n(stats["subjects"])),
        (ds, VOID.distinctObjects, n(stats["objects"])),
        (ds, VOID.properties, n(stats["properties"])),
        (ds, VOID.classes, n(len(stats["classes"]))),
        (ds, VOID.documents, n(stats["graphs"])),
    ]
    for vocab in (ONTOLOGY_IRI + "#", str(SCHEMA), str(ORG), str(PROV)):
        t.append((ds, VOID.vocabulary, URIRef(vocab)))
    for cls, entities, triples in stats["classes"]:
        part = BNode()
        t += [(ds, VOID.classPartition, part), (part, VOID["class"], cls),
              (part, VOID.entities, n(entities)), (part, VOID.triples, n(triples))]
    for prop, triples in stats["property_partitions"]:
        part = BNode()
        t += [(ds, VOID.propertyPartition, part), (part, VOID.property, prop), (part, VOID.triples, n(triples))]
    return _respond(request, t)
