"""Upgrading an article graph made by an older version: its entities re-minted by today's identity rules.

Older stores named people, bodies, posts, places and events by pinyin (``/person/wei-tao``) and had
no person mentions. The graph itself holds what the rules read — names, posts with their bodies,
body kinds, the article's locality, paper and page hash, event names, dates and enclosing events —
so the model objects are rebuilt from it and passed through the mapper's own identity methods
(``kg.rdf.mapping._Mapper``): an upgraded graph gets the IRIs, mentions and post labels a fresh
ingest of the same text would give. Pure: triples in, triples out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import get_args

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.model import Article, Event, EventType, Extraction, Organization, Person, Place, Post, Publication
from kg.rdf.curation import EMPTY, Curation
from kg.rdf.identity import PersonKey, rules_version
from kg.rdf.mapping import _Mapper
from kg.rdf.namespaces import KG, ORG, RDF, RDFS, SCHEMA

Triple = tuple[Node, Node, Node]
EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)  # the model's kinds, in its order
_NEW_PIECE = re.compile(r"-(?:(?:[0-9a-f]{4}|x[0-9a-f]{6})+|h[0-9a-f]{16})$")


def is_current_id(ident: str) -> bool:
    """Whether an entity id was minted by the current scheme (its first piece ends in a character code)."""
    return bool(_NEW_PIECE.search(ident.split("_", 1)[0]))


def needs_upgrade(triples: Sequence[Triple], base: str) -> bool:
    """An article graph with a person, body, post or place id of the old pinyin-only scheme."""
    pat = re.compile(re.escape(base) + r"/(?:person|organization|post|place)/([A-Za-z0-9_-]+)$")
    for s, _, o in triples:
        for t in (s, o):
            m = pat.match(str(t)) if isinstance(t, URIRef) else None
            if m and not is_current_id(m.group(1)):
                return True
    return False


class _Index:
    """The look-ups ``_model`` makes (value, subjects, objects, membership) over one graph's triples.

    Why not an rdflib ``Graph``: adding each triple to one was half the time of re-keying an article
    (1.6 of 4.3 s for 128 articles), the largest cost of ``kg resolve`` after a rules edit. ``value``
    returns the least of several objects (a graph's order is not the store's to keep)."""

    def __init__(self, triples: Sequence[Triple]) -> None:
        self.triples = set(triples)
        self.by_sp: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
        self.by_po: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
        for s, p, o in self.triples:
            self.by_sp[s, p].append(o)
            self.by_po[p, o].append(s)

    def value(self, s: Node, p: Node) -> Node | None:
        vs = self.by_sp.get((s, p))
        return min(vs, key=lambda n: (type(n).__name__, str(n))) if vs else None

    def subjects(self, p: Node, o: Node) -> list[Node]:
        return self.by_po.get((p, o), [])

    def objects(self, s: Node, p: Node) -> list[Node]:
        return self.by_sp.get((s, p), [])

    def __contains__(self, t: Triple) -> bool:
        return t in self.triples


def _text(g: _Index, s: Node, p: Node) -> str | None:
    v = g.value(s, p)
    return str(v) if v is not None else None


@dataclass
class _Model:
    """The model objects an article graph holds, as the identity rules read them."""

    graph: _Index
    article: Article
    extraction: Extraction
    orgs: list[Node]
    post_of: dict[Node, Post]


def _model(triples: Sequence[Triple], article_iri: str) -> _Model:
    """Rebuild, from one article graph, what the mapper's identity methods read (see module doc)."""
    g = _Index(triples)
    art = URIRef(article_iri)
    paper_node = g.value(art, SCHEMA.publisher)
    date = g.value(art, SCHEMA.datePublished)
    pub = Publication(
        name=_text(g, paper_node, SCHEMA.name) if paper_node is not None else None,
        date=dt.date.fromisoformat(str(date)) if date is not None else None,
        locality=_text(g, art, KG.locality),
    )
    article = Article(headline=_text(g, art, SCHEMA.headline) or "", body=_text(g, art, SCHEMA.articleBody) or "",
                      segments=[], publication=pub,
                      source_sha256=_text(g, art, KG.contentHash) or "")
    x = Extraction()
    orgs = sorted(set(g.subjects(RDF.type, SCHEMA.Organization)), key=str)
    for o in orgs:
        x.organizations.append(Organization(str(o), _text(g, o, SCHEMA.name) or "", kind=_text(g, o, KG.orgKind)))
    for pl in sorted(set(g.subjects(RDF.type, SCHEMA.Place)), key=str):
        x.places.append(Place(str(pl), _text(g, pl, SCHEMA.name) or ""))
    post_of: dict[Node, Post] = {}
    for post in sorted(set(g.subjects(RDF.type, ORG.Post)), key=str):
        org = g.value(post, ORG.postIn)
        post_of[post] = Post(_text(g, post, RDFS.label) or "", str(org) if org is not None else None)
    people = sorted(set(g.subjects(RDF.type, SCHEMA.Person)), key=str)
    for p in people:
        posts = [post_of[h] for h in sorted(g.objects(p, ORG.holds), key=str) if h in post_of]
        # the names the article printed (its mentions: a person joined through an alias was printed
        # under the other name), else the node's name (an older graph has no mentions)
        written = sorted({str(g.value(m, KG.writtenName)) for m in g.subjects(KG.mentionOf, p)})
        for name in written or [_text(g, p, SCHEMA.name) or ""]:
            x.people.append(Person(str(p), name, posts=posts))
    events = sorted({e for t in EVENT_TYPES for e in g.subjects(RDF.type, KG[t])}, key=str)
    for e in events:
        etype = next(t for t in EVENT_TYPES if (e, RDF.type, KG[t]) in g)
        start = g.value(e, SCHEMA.startDate)
        day = month_day = None
        if start is not None and re.fullmatch(r"\d{4}-\d\d-\d\d", str(start)):
            day = dt.date.fromisoformat(str(start))
        elif start is not None and re.fullmatch(r"--\d\d-\d\d", str(start)):
            month_day = (int(str(start)[2:4]), int(str(start)[5:7]))
        sup = g.value(e, SCHEMA.superEvent)
        x.events.append(Event(str(e), etype, _text(g, e, SCHEMA.name) or "", date=day, month_day=month_day,
                              super_event=str(sup) if sup is not None else None))

    return _Model(g, article, x, orgs, post_of)


def _mapper(md: _Model, article_iri: str, base: str, curation: Curation) -> _Mapper:
    m = _Mapper(md.article, md.extraction, base, curation)
    m.article = URIRef(article_iri)
    pub = md.article.publication
    m.ctx = type(m.ctx)(pub.locality, pub.name, md.article.source_sha256 or None, article_iri)
    return m


def remint(triples: Sequence[Triple], article_iri: str, base: str, curation: Curation = EMPTY) -> list[Triple]:
    """The triples of one old article graph with every entity re-minted (see module doc)."""
    md = _model(triples, article_iri)
    x, orgs, post_of = md.extraction, md.orgs, md.post_of
    m = _mapper(md, article_iri, base, curation)
    new: dict[Node, Node] = {}
    for o in orgs:
        new[o] = m.org(str(o)) or o
    for pl in x.places:
        new[URIRef(pl.key)] = m.place(pl.key) or URIRef(pl.key)
    for post, model in post_of.items():
        new[post] = m.post(model)
    for alias in sorted(m.alias_of()):  # a name the text states is another of a person's (曾用名)
        m.person(alias)
    for person in x.people:
        new[URIRef(person.key)] = m.person(person.name)
    for e in x.events:
        new[URIRef(e.key)] = m.event_node(e)
    out: list[Triple] = []
    for s, p, o in triples:
        if s in post_of and p == RDFS.label:
            continue  # the post's name is made from its key now; the printed form is an altLabel (m.t)
        out.append((new.get(s, s), p, new.get(o, o) if isinstance(o, URIRef) else o))
    out += [t for t in m.t if t[1] != SCHEMA.mentions]  # what the article mentions is unchanged
    out.append((URIRef(article_iri), KG.identityRules, Literal(rules_version())))
    return list(dict.fromkeys(out))


def rekey(triples: Sequence[Triple], article_iri: str, base: str,
          curation: Curation) -> tuple[list[Triple], list[PersonKey]]:
    """One current article graph with its people re-keyed by the rules and ``curation``.

    Why not ``remint``: a current graph already has its mentions and current ids for bodies, posts
    and places, which no override touches; only person IRIs and the mentions' basis change. Returns
    the new triples (the same set if nothing changed) and the rule keys of its people (without the
    overrides), so ``kg resolve`` can tell which overrides named something in the store.
    """
    md = _model(triples, article_iri)
    rules, curated = _mapper(md, article_iri, base, EMPTY), _mapper(md, article_iri, base, curation)
    new: dict[Node, Node] = {}
    keys = []
    for alias in sorted(curated.alias_of()):  # its mention is written again, like the others
        curated.person(alias)
    for person in md.extraction.people:
        keys.append(rules.person_key(person.name))
        new[URIRef(person.key)] = curated.person(person.name)
    mentions = set(md.graph.subjects(RDF.type, KG.PersonMention))
    people = {URIRef(p.key) for p in md.extraction.people}
    written = {str(p.name) for p in md.extraction.people}

    def named_by_rules(s: Node, p: Node, o: Node) -> bool:
        """A person's name, pinyin or alias-made other name: the mapper writes them again below
        (a person joined through an alias is named by the other name's person)."""
        return s in people and (p in (SCHEMA.name, KG.pinyin) or (p == SCHEMA.alternateName and str(o) in written))

    out = [(new.get(s, s), p, new.get(o, o) if isinstance(o, URIRef) else o)
           for s, p, o in triples if s not in mentions and p != KG.identityRules and not named_by_rules(s, p, o)]
    nodes = set(new.values())
    out += [t for t in curated.t if t[0] in nodes and t[1] in (SCHEMA.name, KG.pinyin, SCHEMA.alternateName)]
    out.append((URIRef(article_iri), KG.identityRules, Literal(rules_version())))  # keyed by today's rules
    out += [t for t in curated.t if t[0] != URIRef(article_iri) and "#mention-" in str(t[0])]  # new mentions
    return list(dict.fromkeys(out)), keys


def rule_keys(triples: Sequence[Triple], article_iri: str, base: str) -> dict[str, PersonKey]:
    """Written name → the key the identity rules alone give it in this article graph (no overrides):
    what a mention goes back to when a career join (kg.careers) no longer holds."""
    md = _model(triples, article_iri)
    rules = _mapper(md, article_iri, base, EMPTY)
    return {p.name: rules.person_key(p.name) for p in md.extraction.people}
