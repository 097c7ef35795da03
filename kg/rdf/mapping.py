"""kg.model objects → the triples of one article's named graph (graph IRI = article IRI).

Pure: no store, no I/O. The vocabulary is the public contract's (shared/CONTRACT.md) plus the
project's extensions declared in ontology/newskg.ttl.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.extract.orgs import canonical_org, expand_local, looks_like_org, org_kind
from kg.extract.posts import title_of
from kg.model import Article, Event, Evidence, Extraction, Organization, Post
from kg.rdf import identity, iris
from kg.rdf.curation import EMPTY, Curation
from kg.rdf.namespaces import KG, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

Triple = tuple[Node, Node, Node]

CREDIT_PROPS = {
    "reporter": (SCHEMA.author, KG.reporter),
    "correspondent": (SCHEMA.author, KG.correspondent),
    "author": (SCHEMA.author,),
    "photographer": (KG.photographer,),
}
SUBTYPES = {  # finer event classes the extractor may name; each is declared in the ontology
    "Symposium",
    "Lecture",
    "StandingCommitteeMeeting",
    "PlenaryMeeting",
    "Reception",
    "Conference",
}


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


@dataclass
class ArticleGraph:
    """The article's IRI and the triples of its graph."""

    iri: URIRef
    triples: list[Triple] = field(default_factory=list)


def with_stated_full_names(orgs: list[Organization], text: str, locality: str | None) -> list[Organization]:
    """The article's organisations, a body printed by a short form the text states (青禾市生态环境保护委员会
    办公室（以下简称“市环委办”）) named by its full name, the short forms kept as alternate names: so the
    short form is that body wherever the article uses it (its IRI, its posts' names), as a stated alias
    makes two names one person. Copies; the extraction is left as it is."""
    full_of: dict[str, tuple[str, str]] = {}  # a form of the short name -> (full name, short as printed)
    for full, short in identity.stated_short_forms(text):
        if not looks_like_org(full):
            continue
        name = canonical_org(expand_local(full, locality))
        for form in (short, expand_local(short, locality), canonical_org(expand_local(short, locality))):
            full_of.setdefault(form, (name, short))
    if not full_of:
        return list(orgs)
    out = []
    for o in orgs:
        found = next((full_of[f] for f in (o.name, *o.alternate_names) if f in full_of), None)
        if found is None or found[0] == o.name:
            out.append(o)
            continue
        name = found[0]
        alternates = [a for a in dict.fromkeys([o.name, found[1], *o.alternate_names]) if a != name]
        out.append(replace(o, name=name, alternate_names=alternates, kind=o.kind or org_kind(name)))
    return out


class _Mapper:
    def __init__(self, article: Article, extraction: Extraction, base: str, curation: Curation = EMPTY) -> None:
        self.a = article
        self.curation = curation
        self.x = extraction
        self.base = iris.normalise_base(base)
        pub = article.publication
        self.locality = pub.locality
        self.article = URIRef(
            iris.iri(self.base, "article", iris.article_id(article.id_key or article.headline,
                                                           pub.date.isoformat() if pub.date else None))
        )
        self.t: list[Triple] = []
        self.people = {p.key: p for p in extraction.people}
        self.orgs = {o.key: o for o in with_stated_full_names(extraction.organizations, article.body, pub.locality)}
        self.places = {p.key: p for p in extraction.places}
        self.events = {e.key: e for e in extraction.events}
        self.done: set[URIRef] = set()
        self.counter = 0
        self.ctx = identity.Context(pub.locality, pub.name, article.source_sha256 or None, str(self.article))
        self.person_keys: dict[str, identity.PersonKey] = {}  # written name -> key, one per article
        self.mentioned: set[str] = set()  # written names whose mention is written
        self._aliases: dict[str, str] | None = None
        self._resolving: set[str] = set()
        self.events_done: dict[str, URIRef] = {}
        self.post_labels: set[tuple[URIRef, str]] = set()

    def add(self, s: Node, p: Node, o: Node | None) -> None:
        if o is not None:
            self.t.append((s, p, o))

    def local(self, kind: str) -> URIRef:
        self.counter += 1
        return URIRef(f"{self.article}#{kind}-{self.counter}")

    # ------------------------------------------------------------ entities

    def person_key(self, name: str) -> identity.PersonKey:
        """The identity key of a person named in this article; one per written name (the same page
        or report supports the join), placed by the bodies of the posts this article gives them."""
        if name in self.person_keys:
            return self.person_keys[name]
        main = self.alias_of().get(name)
        if main is not None and main not in self._resolving:  # the text states this is another of main's
            self._resolving.add(name)  # a circle of statements (A 原名 B, B 原名 A) ends here
            m = self.person_key(main)
            pk = identity.PersonKey(m.name, "StatedAlias", m.jurisdiction, m.qualifier, m.sector)
            self.person_keys[name] = pk
            return pk
        places: list[str] = []
        sectors: list[str] = []
        national = False
        for p in self.x.people:
            if p.name != name:
                continue
            for post in p.posts:
                national = national or identity.is_national_title(post.label)
                o = self.orgs.get(post.org) if post.org else None
                sectors.append(identity.post_sector(post.label, o.name if o else None, o.kind if o else None))
                if o is None:
                    continue
                national = national or identity.is_national(o.name)
                place = identity.org_place(o.name)
                if place is None and identity.is_generic_org(o.name, o.kind):
                    place = self.locality  # 组织部 of this paper's town
                if place:
                    places.append(place)
        national = national or identity.titled_national(self.a.body, name)
        pk = identity.person_key(name, places, national, self.ctx, sectors)
        pk = self.curation.apply(pk, str(self.article))  # an editor's join or split (kg.rdf.curation)
        self.person_keys[name] = pk
        return pk

    def alias_of(self) -> dict[str, str]:
        """Other written name → the name it is stated to be another of, in this article's text."""
        if self._aliases is None:
            names = [p.name for p in self.x.people]
            pairs = identity.stated_aliases(self.a.body, names)
            self._aliases = {}
            for main, alias in pairs:  # the first statement per alias; never a name onto itself
                if alias not in self._aliases and main not in self._aliases:
                    self._aliases[alias] = main
        return self._aliases

    def person(self, name: str, key: str | None = None) -> URIRef:
        pk = self.person_key(name)
        node = URIRef(iris.iri(self.base, "person", pk.ident))
        if node not in self.done:
            self.done.add(node)
            self.add(node, RDF.type, SCHEMA.Person)
            self.add(node, SCHEMA.name, zh(pk.name))
            self.add(node, KG.pinyin, Literal(iris.pinyin(pk.name)))
            self.add(self.article, SCHEMA.mentions, node)
        if name not in self.mentioned:
            self.mentioned.add(name)
            if pk.name != name:
                self.add(node, SCHEMA.alternateName, zh(name))
            # the mention: what this article says that placed the name (kg.resolve reads it back)
            m = URIRef(f"{self.article}#mention-{iris.ident(name, 30)}")
            self.add(m, RDF.type, KG.PersonMention)
            self.add(m, KG.writtenName, zh(name))
            self.add(m, KG.mentionOf, node)
            self.add(m, KG.identityBasis, KG[pk.basis])
            if pk.jurisdiction:
                self.add(m, KG.jurisdiction, zh(pk.jurisdiction))
            if pk.sector:
                self.add(m, KG.sector, Literal(pk.sector))
            self.add(m, PROV.wasDerivedFrom, self.article)
        if key and key in self.people:
            for alt in self.people[key].alternate_names:
                self.add(node, SCHEMA.alternateName, zh(alt))
        return node

    def org(self, key: str) -> URIRef | None:
        o = self.orgs.get(key)
        if o is None:
            return None
        node = self.org_node(key)
        if node not in self.done:
            self.done.add(node)
            self.add(node, RDF.type, SCHEMA.Organization)
            self.add(node, SCHEMA.name, zh(o.name))
            qual, jurisdiction = identity.org_qualifier(o.name, o.kind, self.ctx)
            if jurisdiction:
                self.add(node, KG.jurisdiction, zh(jurisdiction))
            for alt in o.alternate_names:
                if alt != o.name:
                    self.add(node, SCHEMA.alternateName, zh(alt))
            if o.kind:
                self.add(node, KG.orgKind, Literal(o.kind))
            self.add(self.article, SCHEMA.mentions, node)
        return node

    def org_node(self, key: str) -> URIRef:
        """One body per (name, place): a generic 组织部 is this paper's town's (kg.rdf.identity)."""
        o = self.orgs[key]
        qual, _ = identity.org_qualifier(o.name, o.kind, self.ctx)
        return URIRef(iris.iri(self.base, "organization", iris.qualified(iris.ident(o.name), qual)))

    def place(self, key: str | None) -> URIRef | None:
        p = self.places.get(key) if key else None
        if p is None:
            return None
        node = URIRef(iris.iri(self.base, "place", iris.ident(p.name)))
        if node not in self.done:
            self.done.add(node)
            self.add(node, RDF.type, SCHEMA.Place)
            self.add(node, SCHEMA.name, zh(p.name))
            self.add(self.article, SCHEMA.mentions, node)
        return node

    def post(self, post: Post) -> URIRef:
        """One post per (organisation, title): 市委书记 and 太原市委书记 in a 太原 paper are one post.

        Its ``rdfs:label`` is one name made from the key (body + title, 中共太原市委书记), the same in
        every article graph, so a post printed two ways does not show two names; every printed form is
        a ``skos:altLabel``, and the holding and participation keep the sentence. Without a known
        body the post is (this context, label as printed) and the printed label is its name.
        """
        org_node = self.org(post.org) if post.org else None
        if org_node is not None:
            org_name = self.orgs[post.org].name  # type: ignore[index]
            title = title_of(post.label) or post.label
            ident = f"{org_node.rsplit('/', 1)[1]}_{iris.ident(title, 20)}"
            label = org_name + title
        else:
            ident = f"{self.ctx.scope()[1]}_{iris.ident(post.label, 40)}"
            label = post.label
        node = URIRef(iris.iri(self.base, "post", ident))
        if node not in self.done:
            self.done.add(node)
            self.add(node, RDF.type, ORG.Post)
            self.add(node, RDFS.label, zh(label))
            self.add(node, ORG.postIn, org_node)
        if (node, post.label) not in self.post_labels:
            self.post_labels.add((node, post.label))
            self.add(node, SKOS.altLabel, zh(post.label))
        return node

    def agent(self, key: str, kind: str) -> URIRef | None:
        if kind == "Person":
            p = self.people.get(key)
            return self.person(p.name, key) if p else None
        return self.org(key)

    def evidence(self, node: URIRef, ev: Evidence | None) -> None:
        if ev is None:
            return
        self.add(node, KG.evidence, zh(ev.sentence))
        try:
            s = self.a.source_span(ev.sentence_span)
            m = self.a.source_span(ev.mention_span)
        except ValueError:
            return
        self.add(node, KG.evidenceStart, Literal(s.start))
        self.add(node, KG.evidenceEnd, Literal(s.end))
        self.add(node, KG.mentionStart, Literal(m.start))
        self.add(node, KG.mentionEnd, Literal(m.end))

    def event_node(self, e: Event, seen: frozenset[str] = frozenset()) -> URIRef:
        """An event is (scope, name, date). A generic name (选举, 座谈会) is scoped by its enclosing
        event, else by the article, so it never merges across congresses; others by the paper's
        locality (else paper, else page), so two reports of one meeting meet."""
        if e.key in self.events_done:
            return self.events_done[e.key]
        date = e.date.isoformat() if e.date else None
        if date is None and e.month_day:
            date = f"--{e.month_day[0]:02d}-{e.month_day[1]:02d}"
        sup = self.events.get(e.super_event) if e.super_event else None
        if sup is not None and sup.key not in seen and sup.key != e.key:
            scope = "in:" + str(self.event_node(sup, seen | {e.key}))
        elif identity.is_generic_event(e.name):
            scope = "article:" + str(self.article)
        else:
            scope = self.ctx.scope()[1]
        node = URIRef(iris.iri(self.base, "event", iris.event_id(e.name, date, scope)))
        self.events_done[e.key] = node
        return node

    # ------------------------------------------------------------ the graph

    def article_triples(self) -> None:
        a, art = self.a, self.article
        pub = a.publication
        self.add(art, RDF.type, SCHEMA.NewsArticle)
        self.add(art, SCHEMA.headline, zh(a.headline))
        for h in a.headlines:
            if h.kind == "kicker":
                self.add(art, KG.kicker, zh(h.text))
            elif h.kind == "subtitle":
                self.add(art, KG.subtitle, zh(h.text))
        if pub.date:
            self.add(art, SCHEMA.datePublished, Literal(pub.date.isoformat(), datatype=XSD.date))
        if pub.name:
            paper = URIRef(iris.iri(self.base, "organization", iris.ident(pub.name)))
            self.add(paper, RDF.type, SCHEMA.Organization)
            self.add(paper, RDF.type, SCHEMA.NewsMediaOrganization)
            self.add(paper, SCHEMA.name, zh(pub.name))
            self.add(art, SCHEMA.publisher, paper)
        if pub.locality:
            self.add(art, KG.locality, zh(pub.locality))
        self.add(art, KG.identityRules, Literal(identity.rules_version()))  # kg resolve re-keys on a change
        self.add(art, SCHEMA.articleBody, zh(a.body[a.text_start:]))
        if a.source_name:
            self.add(art, KG.sourceFile, Literal(a.source_name))
        if a.source_sha256:
            self.add(art, KG.contentHash, Literal(a.source_sha256))
        if a.source_url:
            self.add(art, SCHEMA.url, URIRef(a.source_url))
        if a.pagination:
            self.add(art, SCHEMA.pagination, Literal(a.pagination))
        self.add(art, KG.pagePosition, Literal(a.index))
        if a.span:
            self.add(art, KG.sourceStart, Literal(a.span.start))
            self.add(art, KG.sourceEnd, Literal(a.span.end))
        for c in a.continuations:
            prop = KG.continuedOnPage if c.direction == "to" else KG.continuedFromPage
            if c.page is not None:
                self.add(art, prop, Literal(c.page))
            self.add(art, KG.continuationText, zh(c.text))
        for credit in a.credits:
            who = self.person(credit.name)  # a name also in the text is that person (one key per name)
            for prop in CREDIT_PROPS[credit.role]:
                self.add(art, prop, who)

    def extraction_triples(self) -> None:
        x = self.x
        for alias in sorted(self.alias_of()):  # a stated other name: a mention of the person it names
            self.person(alias)
        for p in x.people:
            node = self.person(p.name, p.key)
            for post in p.posts:
                post_node = self.post(post)
                self.add(node, ORG.holds, post_node)
                holding = self.local("holding")
                self.add(holding, RDF.type, KG.PostHolding)
                self.add(holding, KG.holder, node)
                self.add(holding, KG.heldPost, post_node)
                self.add(holding, PROV.wasDerivedFrom, self.article)
                self.add(node, KG.postHolding, holding)
                self.evidence(holding, p.post_evidence.get(post.label))
        for o in x.organizations:
            self.org(o.key)
        for pl in x.places:
            self.place(pl.key)
        nodes = {e.key: self.event_node(e) for e in x.events}
        for e in x.events:
            node = nodes[e.key]
            self.add(node, RDF.type, KG[e.type])
            if e.subtype in SUBTYPES:
                self.add(node, RDF.type, KG[e.subtype])
            self.add(node, SCHEMA.name, zh(e.name))
            if e.date:
                self.add(node, SCHEMA.startDate, Literal(e.date.isoformat(), datatype=XSD.date))
            elif e.month_day:
                md = f"--{e.month_day[0]:02d}-{e.month_day[1]:02d}"
                self.add(node, SCHEMA.startDate, Literal(md, datatype=XSD.gMonthDay))
            self.add(node, SCHEMA.location, self.place(e.place))
            for org_key in e.organizers:
                self.add(node, SCHEMA.organizer, self.org(org_key))
            if e.super_event and e.super_event in nodes:
                self.add(node, SCHEMA.superEvent, nodes[e.super_event])
                self.add(nodes[e.super_event], SCHEMA.subEvent, node)
            self.add(self.article, SCHEMA.about, node)
            self.add(self.article, SCHEMA.mentions, node)
            self.evidence(node, e.evidence)
            for part in e.participations:
                agent = self.agent(part.agent, part.agent_kind)
                if agent is None or not part.roles:
                    continue
                pn = self.local("participation")
                self.add(node, KG.participation, pn)
                self.add(pn, RDF.type, KG.Participation)
                self.add(pn, KG.agent, agent)
                for role in dict.fromkeys(part.roles):
                    self.add(pn, KG.role, KG[role])
                if part.post is not None:
                    self.add(pn, KG.post, self.post(part.post))
                self.add(pn, PROV.wasDerivedFrom, self.article)
                self.evidence(pn, part.evidence)
        for amt in x.amounts:
            an = self.local("amount")
            self.add(an, RDF.type, SCHEMA.MonetaryAmount)
            self.add(an, SCHEMA.value, Literal(amt.value, datatype=XSD.decimal))
            self.add(an, SCHEMA.currency, Literal(amt.currency))
            self.add(an, KG.amountText, zh(amt.text))
            self.add(an, PROV.wasDerivedFrom, self.article)
            self.evidence(an, amt.evidence)
            if amt.recipient or amt.funder or amt.event or amt.purpose:
                gn = self.local("grant")
                self.add(gn, RDF.type, SCHEMA.MonetaryGrant)
                self.add(gn, SCHEMA.amount, an)
                if amt.recipient:
                    kind = "Person" if amt.recipient in self.people else "Organization"
                    self.add(gn, KG.recipient, self.agent(amt.recipient, kind))
                if amt.funder:
                    self.add(gn, SCHEMA.funder, self.org(amt.funder))
                if amt.event and amt.event in nodes:
                    self.add(gn, KG.grantedAt, nodes[amt.event])
                if amt.purpose:
                    self.add(gn, KG.purpose, zh(amt.purpose))
                self.add(gn, PROV.wasDerivedFrom, self.article)


def map_article(article: Article, extraction: Extraction, base: str = iris.DEFAULT_BASE,
                curation: Curation = EMPTY) -> ArticleGraph:
    """The named graph of one article: its metadata, credits and every extracted fact, its people
    keyed by the identity rules and the editor's overrides (``curation``)."""
    m = _Mapper(article, extraction, base, curation)
    m.article_triples()
    m.extraction_triples()
    return ArticleGraph(m.article, list(dict.fromkeys(m.t)))
