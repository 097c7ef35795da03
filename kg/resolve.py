"""The resolution layer: which person mentions are one person, and why, in graphs of their own.

Mentions stay in their article's graph: the mapper writes one ``kg:PersonMention`` per written name
per article, with what placed it (``kg:identityBasis``, ``kg:jurisdiction``) and the person it
resolved to (``kg:mentionOf``; ``kg.rdf.identity`` has the rules). This module reads those mentions
back and writes, per written name, one *name block* graph ``{base}/resolution/person/{name id}``:

- the block: ``kg:NameBlock`` with ``kg:writtenName`` and every person of that name
  (``kg:namesake``) — what a disambiguation page of 王伟 lists;
- one ``kg:IdentityJoin`` per mention: the person (``kg:joinedEntity``), the mention
  (``kg:joinedMention``), the article (``prov:wasDerivedFrom``), the reason (``kg:joinReason``) and
  the jurisdiction — what a "why joined" section shows.

A block is a pure function of the set of mentions of its name (sorted, no blank nodes), so it does
not depend on the order articles arrived in. ``refresh`` keeps the blocks of the names an ingest
touched current (called by ingest after each write); ``rebuild`` (``kg resolve``) recomputes every
block from the article graphs and drops blocks whose name is gone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef

from kg.rdf import iris
from kg.rdf.namespaces import KG, PROV, RDF
from kg.store.base import GraphUpdate, Store

RESOLUTION_PATH = "/resolution/"
CHUNK = 400

_PREFIXES = f"PREFIX kg: <{KG}>\nPREFIX prov: <{PROV}>\n"
_MENTIONS = _PREFIXES + """SELECT ?a ?m ?name ?person ?basis ?jur WHERE {
  %s
  GRAPH ?a { ?m a kg:PersonMention ; kg:writtenName ?name ; kg:mentionOf ?person ; kg:identityBasis ?basis .
             OPTIONAL { ?m kg:jurisdiction ?jur } }
}"""
_TOUCHED = _PREFIXES + """SELECT DISTINCT ?name ?b WHERE {
  VALUES ?a { %s }
  { GRAPH ?a { ?m a kg:PersonMention ; kg:writtenName ?name } }
  UNION
  { GRAPH ?b { ?j a kg:IdentityJoin ; prov:wasDerivedFrom ?a . ?b kg:writtenName ?name } }
}"""
_BLOCKS = _PREFIXES + "SELECT ?b WHERE { GRAPH ?b { ?b a kg:NameBlock } }"


@dataclass(frozen=True, order=True)
class Mention:
    """One row of ``_MENTIONS``: a person mention as its article graph states it."""

    person: str
    mention: str
    article: str
    name: str
    basis: str
    jurisdiction: str | None


def is_resolution_graph(iri: str) -> bool:
    """Whether a graph IRI is one of the resolution layer's (not an article): for counts of articles."""
    return RESOLUTION_PATH in iri and "/article/" not in iri


def block_iri(base: str, name: str) -> str:
    return f"{base}{RESOLUTION_PATH}person/{iris.ident(name, 30)}"


def base_of(person_iri: str) -> str:
    return person_iri.rsplit("/person/", 1)[0]


def _literal(text: str) -> str:
    return Literal(text, lang="zh").n3()


def _rows(store: Store, values: str) -> list[Mention]:
    out = []
    for r in store.query(_MENTIONS % values).rows():
        jur = r.get("jur")
        out.append(Mention(str(r["person"]), str(r["m"]), str(r["a"]), str(r["name"]),
                           str(r["basis"]).removeprefix(str(KG)), str(jur) if jur is not None else None))
    return out


def mentions_named(store: Store, names: Iterable[str]) -> list[Mention]:
    names = sorted(set(names))
    out: list[Mention] = []
    for i in range(0, len(names), CHUNK):
        values = "VALUES ?name { " + " ".join(_literal(n) for n in names[i : i + CHUNK]) + " }"
        out += _rows(store, values)
    return out


def all_mentions(store: Store) -> list[Mention]:
    return _rows(store, "")


def block_triples(base: str, name: str, mentions: Sequence[Mention]) -> list[tuple]:
    """The name block of ``name``: namesakes and one join per mention, in a canonical order."""
    b = URIRef(block_iri(base, name))
    t: list[tuple] = [(b, RDF.type, KG.NameBlock), (b, KG.writtenName, Literal(name, lang="zh"))]
    people: dict[str, list[Mention]] = defaultdict(list)
    for m in sorted(set(mentions)):
        people[m.person].append(m)
    t.append((b, KG.namesakeCount, Literal(len(people))))
    n = 0
    for person, ms in sorted(people.items()):
        p = URIRef(person)
        t.append((b, KG.namesake, p))
        t.append((p, KG.mentionCount, Literal(len({m.article for m in ms}))))
        for m in ms:
            n += 1
            j = URIRef(f"{b}#join-{n}")
            t += [(j, RDF.type, KG.IdentityJoin), (j, KG.joinedEntity, p), (j, KG.joinedMention, URIRef(m.mention)),
                  (j, PROV.wasDerivedFrom, URIRef(m.article)), (j, KG.joinReason, KG[m.basis])]
            if m.jurisdiction:
                t.append((j, KG.jurisdiction, Literal(m.jurisdiction, lang="zh")))
    return t


def _write(store: Store, mentions: list[Mention], stale_blocks: set[str]) -> int:
    """Write a block per name in ``mentions``; drop the ``stale_blocks`` no name keeps. Returns blocks written."""
    by_name: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_name[m.name].append(m)
    updates = []
    for name, ms in sorted(by_name.items()):
        base = base_of(ms[0].person)
        iri = block_iri(base, name)
        updates.append(GraphUpdate(iri, block_triples(base, name, ms)))
        stale_blocks.discard(iri)
    for i in range(0, len(updates), 2000):
        store.replace_graphs(updates[i : i + 2000])
    if stale_blocks:
        store.remove_graphs(sorted(stale_blocks))
    return len(updates)


def refresh(store: Store, article_iris: Iterable[str]) -> int:
    """Bring the blocks of every name the given articles mention (or used to) up to date.

    Called after the articles were written: the names are read from the new article graphs and from
    the blocks that still cite these articles (names an article no longer mentions).
    """
    arts = sorted(set(article_iris))
    names: set[str] = set()
    old_blocks: set[str] = set()
    for i in range(0, len(arts), CHUNK):
        values = " ".join(f"<{a}>" for a in arts[i : i + CHUNK])
        for r in store.query(_TOUCHED % values).rows():
            names.add(str(r["name"]))
            if r.get("b") is not None:
                old_blocks.add(str(r["b"]))
    if not names:
        return 0
    return _write(store, mentions_named(store, names), old_blocks)


_NO_MENTIONS = _PREFIXES + """PREFIX schema: <https://schema.org/>
SELECT ?a WHERE { GRAPH ?a { ?a a schema:NewsArticle . FILTER NOT EXISTS { ?m a kg:PersonMention } } }"""


def upgrade(store: Store) -> int:
    """Re-mint, in place, the article graphs an older version made (pinyin ids, no mentions).

    Only articles without person mentions are candidates (a cheap query); each is read, checked
    (``kg.rdf.remint.needs_upgrade``) and rewritten whole, in batches. Returns the graphs rewritten.
    """
    import io

    from rdflib import Graph

    from kg.rdf.remint import needs_upgrade, remint

    updates: list[GraphUpdate] = []
    done = 0
    for r in list(store.query(_NO_MENTIONS).rows()):
        a = str(r["a"])
        buf = io.BytesIO()
        store.export_graph(a, "ntriples", buf)
        g = Graph().parse(data=buf.getvalue().decode("utf-8"), format="nt")
        triples = list(g)
        base = a.rsplit("/article/", 1)[0]
        if not needs_upgrade(triples, base):
            continue
        updates.append(GraphUpdate(a, remint(triples, a, base)))
        if len(updates) >= 200:
            store.replace_graphs(updates)
            done += len(updates)
            updates = []
    if updates:
        store.replace_graphs(updates)
        done += len(updates)
    return done


def rebuild(store: Store) -> tuple[int, int]:
    """Recompute every name block from the article graphs (``kg resolve``). Returns (mentions, blocks)."""
    mentions = all_mentions(store)
    existing = {str(r["b"]) for r in store.query(_BLOCKS).rows()}
    return len(mentions), _write(store, mentions, existing)
