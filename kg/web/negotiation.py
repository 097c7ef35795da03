"""Content negotiation: the formats the service speaks, Accept parsing, and choosing among offers.

Kept apart from the routes so that the pages issue can add an HTML representation (``text/html``)
by registering one more :class:`Format` with a renderer (see ``kg.web.representations``) without
touching how RDF is chosen. Choice follows RFC 9110: the most specific matching media range gives an
offer its quality; the highest quality wins; ties go to the server's order (Turtle first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One representation: ``key`` is what serialisers understand, ``media_type`` what goes on the wire."""

    key: str
    media_type: str
    aliases: tuple[str, ...] = ()  # other media types clients use for the same thing
    names: tuple[str, ...] = ()  # values of the ``format=`` override and URL suffixes
    charset: bool = True

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type

    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


# SPARQL results (SELECT, ASK)
JSON = Format("json", "application/sparql-results+json", ("application/json",), ("json", "srj"))
XML = Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"), ("xml", "srx"))
CSV = Format("csv", "text/csv", (), ("csv",))
TSV = Format("tsv", "text/tab-separated-values", (), ("tsv",))
RESULT_FORMATS: tuple[Format, ...] = (JSON, XML, CSV, TSV)

# RDF graphs (CONSTRUCT, DESCRIBE, entity descriptions, service metadata)
# Turtle is a subset of N3, so a client asking for N3 (SPARQLWrapper's ``format=n3``, ``text/n3``) can read it
TURTLE = Format("turtle", "text/turtle", ("application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3",
                                          "application/n3"), ("ttl", "turtle", "n3"))
# text/plain: N-Triples' media type before it had its own (RDF 1.0 test suites, Oxigraph accepts it)
NTRIPLES = Format("ntriples", "application/n-triples", ("text/plain",), ("nt", "ntriples", "n-triples"))
JSONLD = Format("jsonld", "application/ld+json", ("application/json", "application/x-json+ld"),
                ("jsonld", "json-ld", "json"))
RDFXML = Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"), ("rdf", "rdfxml", "xml", "owl"))
TRIG = Format("trig", "application/trig", (), ("trig",))
NQUADS = Format("nquads", "application/n-quads", (), ("nq", "nquads", "n-quads"))
GRAPH_FORMATS: tuple[Format, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG, NQUADS)
# What an IRI dereferences to: Turtle by default (HTML, for browsers, is registered by kg.web.pages). RDF/XML
# only under its own media type here: browsers send application/xml;q=0.9 and should not get RDF/XML.
RDFXML_ONLY = Format("rdfxml", "application/rdf+xml", (), RDFXML.names)
DESCRIPTION_FORMATS: tuple[Format, ...] = (TURTLE, JSONLD, RDFXML_ONLY, NTRIPLES)


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """How specifically this range matches ``media_type``: 2 exact, 1 ``type/*``, 0 ``*/*``, -1 no."""
        t, _, s = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != t:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == s else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed parts are skipped, a missing header is ``*/*``."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges: list[MediaRange] = []
    for part in header.split(","):
        bits = [b.strip() for b in part.split(";")]
        mt = bits[0].lower()
        if mt == "*":  # old Java clients send a bare "*"
            mt = "*/*"
        if mt.count("/") != 1:
            continue
        t, s = mt.split("/")
        if not t or not s or (t == "*" and s != "*"):
            continue
        q = 1.0
        for b in bits[1:]:
            k, _, v = b.partition("=")
            if k.strip().lower() == "q":
                try:
                    q = min(max(float(v.strip()), 0.0), 1.0)
                except ValueError:  # not a quality: ignored (the range counts as if it had none), not "never"
                    q = 1.0
        ranges.append(MediaRange(t, s, q))
    return ranges


def quality(ranges: Sequence[MediaRange], fmt: Format) -> float:
    """The quality the client gives ``fmt``: from the most specific range matching any of its types."""
    best_spec, best_q = -1, 0.0
    for mt in fmt.media_types():
        for r in ranges:
            spec = r.matches(mt)
            if spec > best_spec or (spec == best_spec and spec >= 0 and r.q > best_q):
                best_spec, best_q = spec, r.q
    return best_q if best_spec >= 0 else 0.0


def negotiate(accept: str | None, offers: Sequence[Format]) -> Format | None:
    """The offer the client prefers (server order breaks ties), or None when nothing is acceptable (406)."""
    ranges = parse_accept(accept)
    best: Format | None = None
    best_q = 0.0
    for fmt in offers:
        q = quality(ranges, fmt)
        if q > best_q:
            best, best_q = fmt, q
    return best


def by_name(name: str, offers: Sequence[Format]) -> Format | None:
    """The offer named by a ``format=`` value or URL suffix (``ttl``, ``json``…) or by a media type."""
    n = name.strip().lower()
    for fmt in offers:
        if n in fmt.names or n == fmt.key or n in fmt.media_types():
            return fmt
    return None


ALL_FORMATS: tuple[Format, ...] = (*RESULT_FORMATS, *GRAPH_FORMATS)


def format_names(format_param: str | Sequence[str] | None) -> list[str]:
    """The names in ``format=`` values: each repeated parameter, each comma-separated item (SPARQLWrapper
    sends ``format=json-ld&format=application/ld+json,application/x-json+ld``)."""
    values = [format_param] if isinstance(format_param, str) else list(format_param or ())
    return [n.strip() for v in values for n in v.split(",") if n.strip()]


def choose(accept: str | None, format_param: str | Sequence[str] | None, offers: Sequence[Format]) -> Format | None:
    """``format=`` overrides Accept (for links and clients that cannot set headers): its first name that
    fits wins. A known format that does not fit the result's kind (``format=csv`` for a CONSTRUCT) is not
    acceptable (None: 406); names nobody here knows are ignored and Accept decides, because generic
    clients send the same ``format=`` to every server and a satisfiable Accept beside it."""
    names = format_names(format_param)
    for name in names:
        fmt = by_name(name, offers)
        if fmt is not None:
            return fmt
    if any(by_name(name, ALL_FORMATS) is not None for name in names):
        return None
    return negotiate(accept, offers)


def acceptable_list(offers: Sequence[Format]) -> str:
    return ", ".join(f.media_type for f in offers)
