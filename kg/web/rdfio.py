"""Writing small in-memory graphs (descriptions, service description, VoID) in any RDF format.

The same serialiser as the store's (pyoxigraph), so an entity looks the same whether it comes from
``/person/x``, a CONSTRUCT or the export.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pyoxigraph as ox

from kg.rdf.namespaces import PREFIXES
from kg.store.base import Triple
from kg.store.oxigraph import RDF_FORMATS, to_ox
from kg.web.answer import NOT_XML, XML_FORBIDDEN, XML_KEYS, NotXml

EXTRA_PREFIXES = {
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": "http://rdfs.org/ns/void#",
    "dcterms": "http://purl.org/dc/terms/",
    "formats": "http://www.w3.org/ns/formats/",
}


def serialize_triples(triples: Iterable[Triple], fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """``triples`` (rdflib terms) as bytes in ``fmt`` (a Format.key): duplicates dropped, grouped by
    subject in order of first appearance so Turtle reads as one block per resource."""
    by_subject: dict[object, dict[Triple, None]] = {}
    for t in triples:
        by_subject.setdefault(t[0], {})[t] = None
    ox_triples = [
        ox.Triple(to_ox(s), to_ox(p), to_ox(o))  # type: ignore[arg-type]
        for group in by_subject.values()
        for s, p, o in group
    ]
    out = io.BytesIO()
    pfx = {**PREFIXES, **(prefixes or {})} if fmt in ("turtle", "trig", "rdfxml") else None
    ox.serialize(ox_triples, out, RDF_FORMATS[fmt], prefixes=pfx)
    data = out.getvalue()
    if fmt in XML_KEYS and XML_FORBIDDEN.search(data):  # as for query results (kg.web.answer): 406
        raise NotXml(NOT_XML)
    return data
