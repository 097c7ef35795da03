"""Person mentions read back from article graphs: what the resolution layer (kg.resolve) and the career
joins (kg.careers) are derived from.

The mapper writes one ``kg:PersonMention`` per written name per article (``kg.rdf.mapping``); these
functions read them as plain ``Mention`` rows, through the store's CSV serialisation (parsed by the store
and the csv module: several times faster than building rdflib terms row by row), bound by article IRIs
for a refresh and streamed for a whole store.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from rdflib import Literal, URIRef

from kg.rdf.namespaces import KG, PROV, RDF
from kg.store.base import Store
from kg.store.sparql_text import values

CHUNK = 400  # articles bound per query
_PREFIXES = f"PREFIX kg: <{KG}>\nPREFIX prov: <{PROV}>\n"
# Every mention of the store: each property read by a scan of its own (a subquery over the whole store)
# and the scans joined on (article, mention). Why not one graph pattern (``?m a kg:PersonMention ;
# kg:writtenName ?name ; …``): Oxigraph evaluates that as an index look-up per mention and property,
# ~60 µs a mention in a 100k-article store (46 s of CPU for 658k mentions), where subqueries are joined
# by hashing their results: 16 s for the same rows, at the price of holding them (~1 KB a mention, in
# the store's process). ``iter_mentions`` therefore uses this form up to ``HASHED_MENTIONS`` mentions
# and the look-up form (``_LOOKED_UP``) beyond: memory stays bounded on a store of any size.
_HASHED = _PREFIXES + """SELECT ?a ?m ?name ?person ?basis ?jur ?sector WHERE {
  { SELECT ?a ?m WHERE { GRAPH ?a { ?m a kg:PersonMention } } }
  { SELECT ?a ?m ?name WHERE { GRAPH ?a { ?m kg:writtenName ?name } } }
  { SELECT ?a ?m ?person WHERE { GRAPH ?a { ?m kg:mentionOf ?person } } }
  { SELECT ?a ?m ?basis WHERE { GRAPH ?a { ?m kg:identityBasis ?basis } } }
  OPTIONAL { SELECT ?a ?m ?jur WHERE { GRAPH ?a { ?m kg:jurisdiction ?jur } } }
  OPTIONAL { SELECT ?a ?m ?sector WHERE { GRAPH ?a { ?m kg:sector ?sector } } }
}"""
_LOOKED_UP = _PREFIXES + """SELECT ?a ?m ?name ?person ?basis ?jur ?sector WHERE {
  GRAPH ?a { ?m a kg:PersonMention ; kg:writtenName ?name ; kg:mentionOf ?person ; kg:identityBasis ?basis .
             OPTIONAL { ?m kg:jurisdiction ?jur } OPTIONAL { ?m kg:sector ?sector } }
}"""
HASHED_MENTIONS = 3_000_000  # ~3 GB of hash tables in the store's process at most
_COUNT = _PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?m a kg:PersonMention } }"


class Mention(NamedTuple):
    """One row of ``_HASHED``: a person mention as its article graph states it. A named tuple, not a
    dataclass: ``kg resolve`` makes one per mention of the store (700k at 100k articles), and a tuple is
    built, hashed and ordered in C (the order is the fields', as a dataclass's ``order=True`` gave)."""

    person: str
    mention: str
    article: str
    name: str
    basis: str
    jurisdiction: str | None
    sector: str | None = None  # the line of work that kept namesakes of one jurisdiction apart


def result_lines(store: Store, query: str, fmt: str) -> Iterator[str]:
    """The lines of a SELECT's results serialised as ``fmt`` (csv, tsv), header first, streamed from a
    temporary file: the store serialises in one call, and memory holds one line at a time."""
    with tempfile.TemporaryFile() as f:
        store.query(query).serialize(fmt, f)  # type: ignore[arg-type]
        f.seek(0)
        yield from io.TextIOWrapper(f, encoding="utf-8", newline="")


def csv_rows(store: Store, query: str) -> Iterator[list[str]]:
    """The rows of a SELECT as plain strings (IRIs and literals' text, "" for unbound), read from the
    store's CSV serialisation: parsed by the store and the csv module, several times faster than
    building rdflib terms row by row (the cost that dominated ``kg resolve``, see docs/identity.md)."""
    reader = csv.reader(result_lines(store, query, "csv"))
    next(reader, None)  # the header
    yield from reader


def _iter_rows(store: Store, query: str) -> Iterator[Mention]:
    kg = str(KG)
    for a, m, name, person, basis, jur, sector in csv_rows(store, query):
        yield Mention(person, m, a, name, basis.removeprefix(kg), jur or None, sector or None)


def article_values(iris_: list[str]) -> str:
    """``VALUES ?a`` over article graph IRIs."""
    return values("a", map(URIRef, iris_))


# The mentions of articles bound by VALUES: the optional jurisdiction and sector as UNION branches, merged
# in Python (``_merged``). Why not ``_LOOKED_UP`` with VALUES: Oxigraph evaluates an OPTIONAL over the
# whole store before joining it with the VALUES, so its cost grew with the store (1.2 s for 400 articles of
# a 5,000-article store against 0.1 s for this form, measured in benchmarks/identity_scale.py).
_BOUND_MENTIONS = _PREFIXES + """SELECT ?a ?m ?name ?person ?basis ?jur ?sector WHERE { %s
  GRAPH ?a { { ?m a kg:PersonMention ; kg:writtenName ?name ; kg:mentionOf ?person ; kg:identityBasis ?basis }
    UNION { ?m a kg:PersonMention ; kg:jurisdiction ?jur } UNION { ?m a kg:PersonMention ; kg:sector ?sector } }
}"""


def _merged(rows: Iterable[list[str]]) -> Iterator[Mention]:
    """Mentions from the rows of ``_BOUND_MENTIONS``: one per (required row, jurisdiction, sector), as
    ``_LOOKED_UP``'s OPTIONALs would give (an unbound one when a mention has none)."""
    kg = str(KG)
    base: list[list[str]] = []
    jurs: dict[tuple[str, str], list[str]] = defaultdict(list)
    sectors: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a, m, name, person, basis, jur, sector in rows:
        if person:  # the first branch (a person IRI is never empty)
            base.append([a, m, name, person, basis])
        elif jur:
            jurs[a, m].append(jur)
        elif sector:
            sectors[a, m].append(sector)
    for a, m, name, person, basis in base:
        for jur in jurs.get((a, m)) or [""]:
            for sector in sectors.get((a, m)) or [""]:
                yield Mention(person, m, a, name, basis.removeprefix(kg), jur or None, sector or None)


Subjects = dict[str, dict[str, list[str]]]  # a graph's triples as subject → predicate → objects, plain strings


def written_subjects(triples: Iterable[tuple[object, object, object]]) -> Subjects | None:
    """The rdflib triples an ingest worker wrote, grouped by subject as plain strings (what the store's
    terms give as their values), or None if the graph has blank nodes: the store renames those, so only
    a read gives what it holds. What the worker hands the writer of a graph is derived from this
    (``mentions_of_written``, ``kg.careers.sightings_of_written``), grouped once per graph."""
    from rdflib import BNode

    by: Subjects = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        if isinstance(s, BNode) or isinstance(o, BNode):
            return None
        by[str(s)][str(p)].append(str(o))
    return by


def mentions_of_written(article: str, by: Subjects) -> list[Mention]:
    """The mentions ``mentions_in`` would read from the graph ``article`` holding exactly the triples
    ``by`` groups (``written_subjects``).

    Why: the ingest writer refreshes the career joins and the resolution layer from the mentions of the
    articles it just wrote; the workers, which made the triples, hand these over instead of the writer
    reading them back (kg.derived). Same rows: a mention's names × persons × bases × jurisdictions (or
    none) × sectors (or none), literals by their text, the basis without the ontology's namespace."""
    kg, rdf_type = str(KG), str(RDF.type)
    out: list[Mention] = []
    wanted = (f"{kg}writtenName", f"{kg}mentionOf", f"{kg}identityBasis", f"{kg}jurisdiction", f"{kg}sector")
    for m, props in by.items():
        if f"{kg}PersonMention" not in props.get(rdf_type, ()):
            continue
        names, persons, bases, jurs, sectors = (props.get(p, []) for p in wanted)
        for name in names:
            for person in persons:
                for basis in bases:
                    for jur in [j for j in jurs if j] or [""]:
                        for sector in [x for x in sectors if x] or [""]:
                            out.append(Mention(person, m, article, name, basis.removeprefix(kg), jur or None,
                                               sector or None))
    return out


def mentions_in(store: Store, article_iris: Iterable[str]) -> list[Mention]:
    """The person mentions of the given article graphs: one query per ``CHUNK`` articles, each graph
    bound by ``VALUES`` (index lookups; one query per article cost a round trip each)."""
    arts = sorted(set(article_iris))
    out: list[Mention] = []
    for i in range(0, len(arts), CHUNK):
        out += _merged(csv_rows(store, _BOUND_MENTIONS % article_values(arts[i : i + CHUNK])))
    return out


# the mentions of written names bound by VALUES, in the same UNION form (the name bound in every branch)
_NAMED_MENTIONS = _PREFIXES + """SELECT DISTINCT ?a ?m ?name ?person ?basis ?jur ?sector WHERE { %s
  GRAPH ?a { ?m kg:writtenName ?name . { ?m a kg:PersonMention ; kg:mentionOf ?person ; kg:identityBasis ?basis }
    UNION { ?m a kg:PersonMention ; kg:jurisdiction ?jur } UNION { ?m a kg:PersonMention ; kg:sector ?sector } } }"""


def mentions_of_names(store: Store, names: Iterable[str]) -> set[Mention]:
    """The person mentions of the given written names, as ``iter_mentions`` gives them (one query per
    ``CHUNK`` names): what a name block is made of."""
    ns = sorted(set(names))
    out: set[Mention] = set()
    for i in range(0, len(ns), CHUNK):
        bound = values("name", (Literal(n, lang="zh") for n in ns[i : i + CHUNK]))
        out.update(_merged(csv_rows(store, _NAMED_MENTIONS % bound)))
    return out


def mention_count(store: Store) -> int:
    """The number of person mentions in the store's article graphs (one scan)."""
    return next((int(r[0]) for r in csv_rows(store, _COUNT)), 0)


def iter_mentions(store: Store, hashed: bool | None = None) -> Iterator[Mention]:
    """Every person mention of the store, streamed, a mention's rows together (``kg resolve`` on a large
    store). ``hashed``: read by the hash-joined scans (fast, memory grows with the mentions; the default
    up to ``HASHED_MENTIONS``) or by look-ups (slower, bounded memory); the same rows either way."""
    if hashed is None:
        hashed = mention_count(store) <= HASHED_MENTIONS
    return _iter_rows(store, _HASHED if hashed else _LOOKED_UP)
