"""The ontology and role vocabulary, loaded once, so their terms dereference like instances do.

Ontology terms are hash IRIs (``https://w3id.org/newskg/ontology#Chair``): dereferencing the
namespace document ``/ontology`` gives them all. ``/ontology/{term}`` is a convenience that gives one
term's own triples, what points at it (subclasses, roles in the scheme) and the labels of both.
"""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from kg.rdf.namespaces import KG, SCHEMA
from kg.resources import ONTOLOGY_DIR
from kg.store.base import Triple

ONTOLOGY_IRI = "https://w3id.org/newskg/ontology"
ONTOLOGY_FILES = ("newskg.ttl", "roles.ttl")
LABELS = (RDFS.label, SKOS.prefLabel, SCHEMA.name)


def ontology_dir() -> Path:
    """The package's ontology files (``kg.resources``)."""
    return ONTOLOGY_DIR


class Ontology:
    """The ontology graph and bounded descriptions of its terms."""

    def __init__(self, directory: Path | None = None) -> None:
        d = directory or ontology_dir()
        self.graph = rdflib.Graph()
        for name in ONTOLOGY_FILES:
            path = d / name
            if path.exists():
                self.graph.parse(path, format="turtle")

    def triples(self) -> list[Triple]:
        return list(self.graph)

    def term_iri(self, name: str) -> URIRef:
        return URIRef(f"{KG}{name}")

    def describe(self, name: str) -> list[Triple] | None:
        """``kg:{name}``'s triples, incoming links and labels; None if the ontology does not define it."""
        term = self.term_iri(name)
        own = list(self.graph.triples((term, None, None)))
        if not own:
            return None
        out: list[Triple] = list(own)
        for s, p, _ in self.graph.triples((None, None, term)):
            out.append((s, p, term))
            out.extend(self._labels(s))
        for _, _, o in own:
            out.extend(self._labels(o))
        return out

    def _labels(self, node: object) -> list[Triple]:
        if not isinstance(node, URIRef):
            return []
        return [(node, p, lab) for p in LABELS for lab in self.graph.objects(node, p)]
