"""SHACL validation of article graphs against ``ontology/shapes.ttl``.

Every article's facts live in one named graph; :func:`validate_graphs` runs pySHACL on each graph
separately, with the ontology and role vocabulary mixed in as pySHACL's ``ont_graph``, and gathers
the results into one :class:`ValidationReport` whose text has one line per violation::

    <graph-iri>  <focus-node>  <path>  <message>

The shapes and ontology are parsed once per process. The command line (``kg validate``) lives
elsewhere and calls this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import rdflib
from pyshacl import validate as _shacl_validate
from rdflib import RDF, XSD, BNode, Literal, Namespace, URIRef

from kg.resources import ONTOLOGY_DIR

ONTOLOGY_FILES = ("newskg.ttl", "roles.ttl")
SHAPES_FILE = "shapes.ttl"

SH = Namespace("http://www.w3.org/ns/shacl#")
KG = Namespace("https://w3id.org/newskg/ontology#")

PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": str(RDF),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": str(SH),
}


_GREGORIAN = {
    XSD.gMonthDay: re.compile(r"--(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-]\d\d:\d\d)?"),
    XSD.gMonth: re.compile(r"--(0[1-9]|1[0-2])(Z|[+-]\d\d:\d\d)?"),
    XSD.gDay: re.compile(r"---(0[1-9]|[12][0-9]|3[01])(Z|[+-]\d\d:\d\d)?"),
}


def _gregorian_checker(datatype: URIRef) -> object:
    pattern = _GREGORIAN[datatype]

    def check(lexical: str) -> str:
        if not pattern.fullmatch(lexical):
            raise ValueError(f"invalid {datatype} {lexical!r}")
        return lexical

    return check


def _fix_owlrl_gregorian_converters() -> None:
    """Replace owlrl's xsd:gMonthDay/gMonth/gDay checkers, which reject valid values such as "--01-12".

    owlrl (used by pySHACL for ``inference='rdfs'``) installs them into rdflib's global lexical
    converters during inference and leaves them there, so afterwards every new gMonthDay literal
    in the process is ill-typed and fails ``sh:datatype xsd:gMonthDay``, with or without inference.
    """
    try:
        from owlrl import DatatypeHandling
    except ImportError:  # pragma: no cover - owlrl comes with pyshacl
        return
    for datatype in _GREGORIAN:
        DatatypeHandling.AltXSDToPYTHON[datatype] = _gregorian_checker(datatype)


_fix_owlrl_gregorian_converters()


@dataclass(frozen=True)
class Violation:
    """One SHACL result, already shortened for reading."""

    graph: str
    focus: str
    path: str
    message: str
    severity: str = "Violation"
    value: str | None = None

    def line(self) -> str:
        """The report line: ``graph  focus  path  message``."""
        msg = self.message if self.value is None else f"{self.message} (value: {self.value})"
        if self.severity != "Violation":
            msg = f"[{self.severity}] {msg}"
        return f"{self.graph}  {self.focus}  {self.path}  {msg}"


@dataclass
class ValidationReport:
    """The outcome over all graphs validated."""

    conforms: bool = True
    graphs: int = 0
    violations: list[Violation] = field(default_factory=list)

    def text(self) -> str:
        """Readable summary: a ``conforms`` line, then one line per violation."""
        head = (
            f"conforms: {'yes' if self.conforms else 'no'} "
            f"({self.graphs} graph{'s' if self.graphs != 1 else ''}, "
            f"{len(self.violations)} violation{'s' if len(self.violations) != 1 else ''})"
        )
        return "\n".join([head, *(v.line() for v in self.violations)])

    def __str__(self) -> str:
        return self.text()


@lru_cache(maxsize=1)
def load_shapes() -> rdflib.Graph:
    """The SHACL shapes graph (parsed once)."""
    return rdflib.Graph().parse(ONTOLOGY_DIR / SHAPES_FILE, format="turtle")


@lru_cache(maxsize=1)
def load_ontology() -> rdflib.Graph:
    """The ontology plus the role vocabulary as one graph (parsed once)."""
    g = rdflib.Graph()
    for name in ONTOLOGY_FILES:
        g.parse(ONTOLOGY_DIR / name, format="turtle")
    return g


class _Shortener:
    """Turns nodes into short readable strings: prefixed names, base-relative IRIs, quoted literals."""

    def __init__(self, base: str | None = None) -> None:
        self.base = base.rstrip("/") + "/" if base else None

    def __call__(self, node: object) -> str:
        if node is None:
            return "-"
        if isinstance(node, URIRef):
            s = str(node)
            for prefix, iri in PREFIXES.items():
                if s.startswith(iri) and _is_local_name(s[len(iri) :]):
                    return f"{prefix}:{s[len(iri) :]}"
            if self.base and s.startswith(self.base):
                return s[len(self.base) :]
            return f"<{s}>"
        if isinstance(node, BNode):
            return f"_:{node}"
        if isinstance(node, Literal):
            text = str(node)
            if len(text) > 40:
                text = text[:39] + "…"
            lit = f'"{text}"'
            if node.language:
                return f"{lit}@{node.language}"
            if node.datatype is not None:
                return f"{lit}^^{self(node.datatype)}"
            return lit
        return str(node)

    def path(self, report: rdflib.Graph, node: object) -> str:
        """A result path; complex (blank-node) SHACL paths are shown in brief."""
        if node is None:
            return "-"
        if isinstance(node, BNode):
            inverse = report.value(node, SH.inversePath)
            if inverse is not None:
                return f"^{self(inverse)}"
            return "(complex path)"
        return self(node)


def _is_local_name(local: str) -> bool:
    return bool(local) and all(ch.isalnum() or ch in "_-." for ch in local)


def _pick_message(messages: list[Literal]) -> str:
    """Prefer the English sh:message, then an untagged one, then any."""
    for lang in ("en", None):
        for m in messages:
            if m.language == lang:
                return str(m)
    return str(messages[0]) if messages else "constraint violated"


def _results(report: rdflib.Graph, graph_label: str, short: _Shortener) -> list[Violation]:
    out: list[Violation] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        messages = [m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)]
        severity = report.value(result, SH.resultSeverity)
        value = report.value(result, SH.value)
        focus = report.value(result, SH.focusNode)
        out.append(
            Violation(
                graph=graph_label,
                focus=short(focus),
                path=short.path(report, report.value(result, SH.resultPath)),
                message=_pick_message(messages),
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                value=None if value is None or value == focus else short(value),
            )
        )
    out.sort(key=lambda v: (v.focus, v.path, v.message))
    return out


def _base_of(graph_iri: str) -> str | None:
    """Instance base guessed from an article graph IRI (``{base}/article/{id}``)."""
    head, sep, _ = graph_iri.rpartition("/article/")
    return head if sep else None


def validate_graph(graph_iri: str, graph: rdflib.Graph, *, inference: str = "none") -> list[Violation]:
    """Validate one article graph; return its violations (empty when it conforms)."""
    conforms, report, _text = _shacl_validate(
        graph,
        shacl_graph=load_shapes(),
        ont_graph=load_ontology(),
        inference=inference,
        abort_on_first=False,
        allow_warnings=False,
    )
    if conforms:
        return []
    short = _Shortener(_base_of(graph_iri))
    return _results(report, f"<{graph_iri}>", short)


def validate_graphs(
    graphs: Iterable[tuple[str, rdflib.Graph]], *, inference: str = "none"
) -> ValidationReport:
    """Validate each ``(graph_iri, graph)`` separately and gather one report.

    ``inference`` is passed to pySHACL (``"none"`` or ``"rdfs"``); the shapes work either way.
    """
    report = ValidationReport()
    for graph_iri, graph in graphs:
        report.graphs += 1
        found = validate_graph(str(graph_iri), graph, inference=inference)
        if found:
            report.conforms = False
            report.violations.extend(found)
    return report


def validate_dataset(dataset: rdflib.Dataset, *, inference: str = "none") -> ValidationReport:
    """Validate every non-empty named graph of an rdflib Dataset (the default graph is skipped)."""
    pairs = [
        (str(g.identifier), g)
        for g in dataset.graphs()
        if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID and len(g) > 0
    ]
    return validate_graphs(pairs, inference=inference)
