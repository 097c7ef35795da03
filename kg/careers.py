"""Career joins in a store: the lines of work of one name and jurisdiction that are one person
(``kg.rdf.careers`` decides; this module reads the blocks and moves the mentions in the article graphs).

Why after the article graphs are written, not in the mapper: the decision reads every article of the
name block (a 教育局局长 of 2020 is the 副市长 of 2022 only if nothing says otherwise), so it depends on
the store, not on one article. Ingest mints the rules' keys (``kg.rdf.identity``), then ``refresh`` —
called for the articles each batch wrote — recomputes the blocks of the names those articles print
(in every jurisdiction), and moves the mentions that must move, by SPARQL updates bound to their
article graph: a joined line's mentions get the kept line's person IRI (the person node renamed in
the article graph, as a curation join would) and the basis ``kg:CareerJoin`` (keeping their own
``kg:jurisdiction`` and ``kg:sector``); a join the new evidence undoes gives them their rules' key
back. ``apply_all`` (``kg resolve``) does it for every block.

Order-free: a block's plan is a function of its mentions (their rules' keys, dates and posts, each
from one article), and a block is recomputed whenever an article of it is written, so after the
last batch every block is what the whole set of articles calls for — whatever the order and ``--jobs``.
The editors' curation wins: curated, alias-made and stated-alias mentions are left out of the blocks
and keep their keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from kg.career_memory import CareerMemory
from kg.layer_graphs import mention_block
from kg.mentions import CHUNK, Mention, Subjects, csv_rows, mentions_in
from kg.rdf import careers as rules
from kg.rdf import iris
from kg.rdf.identity import jurisdiction_qualifier
from kg.rdf.namespaces import KG
from kg.resolve import _read_graph, base_of, joined_before
from kg.store.base import Store
from kg.store.sparql_text import values

RULE_BASES = {"PostJurisdiction", "PaperLocality", "CareerJoin"}  # mentions keyed by the rules (or by a career)
_PREFIXES = """PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_BY_NAME = _PREFIXES + """SELECT ?a ?m ?name ?person ?basis ?jur ?sector WHERE { %s
  GRAPH ?a { ?m kg:writtenName ?name ; kg:mentionOf ?person ; kg:identityBasis ?basis ; prov:wasDerivedFrom ?a .
             OPTIONAL { ?m kg:jurisdiction ?jur } OPTIONAL { ?m kg:sector ?sector } } }"""
# Dates and posts of the mentions of articles bound by VALUES, as UNION branches merged in Python
# (``_sightings``): with OPTIONALs Oxigraph evaluated the pattern over the whole store before joining the
# VALUES (0.25 s a query whatever the number of articles, at 2,000 articles: the refresh grew with the store)
_POSTS = _PREFIXES + """SELECT ?m ?date ?post ?label ?o ?body ?kind WHERE { %s
  GRAPH ?a { { ?m kg:mentionOf ?p } UNION { ?m kg:mentionOf ?p . ?a schema:datePublished ?date }
    UNION { ?m kg:mentionOf ?p . ?p org:holds ?post . ?post rdfs:label ?label }
    UNION { ?m kg:mentionOf ?p . ?p org:holds ?post . ?post org:postIn ?o }
    UNION { ?m kg:mentionOf ?p . ?p org:holds ?post . ?post org:postIn ?o . ?o schema:name ?body }
    UNION { ?m kg:mentionOf ?p . ?p org:holds ?post . ?post org:postIn ?o . ?o kg:orgKind ?kind } } }"""
# the lines of work and bases of each (name, jurisdiction), DISTINCT in the store: a few rows per name where
# reading its mentions would give one per article (a city's leader: thousands); no OPTIONAL (Oxigraph would
# evaluate it over the whole store before joining the VALUES, see kg.mentions._BOUND_MENTIONS)
_LINES = _PREFIXES + """SELECT DISTINCT ?name ?jur ?sector ?basis WHERE { %s
  GRAPH ?a { { ?m kg:writtenName ?name ; kg:identityBasis ?basis ; kg:jurisdiction ?jur ; kg:sector ?sector }
    UNION { ?m kg:writtenName ?name ; kg:identityBasis ?basis ; kg:jurisdiction ?jur
            FILTER NOT EXISTS { ?m kg:sector ?any } } } }"""
_OLD_NAMES = _PREFIXES + """SELECT DISTINCT ?b ?name WHERE { %s
  GRAPH ?b { ?m prov:wasDerivedFrom ?a . ?j kg:joinedMention ?m . ?b kg:writtenName ?name } }"""
# the joins of name blocks bound by VALUES: reason and jurisdiction, or line (kg.layer_statements.join_parts)
_JOINS = _PREFIXES + """SELECT ?b ?j ?basis ?jur ?sector WHERE { %s
  GRAPH ?b { { ?j kg:joinReason ?basis ; kg:jurisdiction ?jur } UNION { ?j kg:sector ?sector } } }"""


def _zh(s: str) -> Literal:
    return Literal(s, lang="zh")


def rule_qualifier(m: Mention) -> str | None:
    """The rules' qualifier of a mention keyed by a jurisdiction (its own, kept on a career join), or
    None for mentions no career join touches (curated, aliases, papers, pages, national leaders)."""
    if m.basis not in RULE_BASES or not m.jurisdiction:
        return None
    return jurisdiction_qualifier(m.jurisdiction, m.sector)


def _person_iri(m: Mention, qualifier: str) -> str:
    return iris.iri(base_of(m.person), "person", iris.person_id(m.name, qualifier))


def mentions_named(store: Store, names: Iterable[str]) -> list[Mention]:
    """Every person mention of these written names in the store (one query per ``CHUNK`` names)."""
    kg = str(KG)
    ns = sorted(set(names))
    out: list[Mention] = []
    for i in range(0, len(ns), CHUNK):
        q = _BY_NAME % values("name", map(_zh, ns[i : i + CHUNK]))
        for a, m, name, person, basis, jur, sector in csv_rows(store, q):
            out.append(Mention(person, m, a, name, basis.removeprefix(kg), jur or None, sector or None))
    return out


def names_to_plan(store: Store, names: Iterable[str]) -> set[str]:
    """The names among ``names`` with a block ``plan_blocks`` would plan: two lines of work or more in one
    jurisdiction, or a career join to check. Why ask first: most names have one line everywhere (a city's
    leaders, printed in thousands of articles), and reading all their mentions after every batch made
    the refresh grow with the store (a 500-article batch read 13,167 mentions at 2,000 articles)."""
    ns = sorted(set(names))
    rows: list[list[str]] = []
    for i in range(0, len(ns), CHUNK):
        rows += csv_rows(store, _LINES % values("name", map(_zh, ns[i : i + CHUNK])))
    return _planned(rows)


def _planned(lines: Iterable[Sequence[str]]) -> set[str]:
    """The names to plan, from (name, jurisdiction, line or "", basis) rows: those with two lines in one
    jurisdiction, or a career join, among the mentions a career block holds (``rule_qualifier``)."""
    kg = str(KG)
    by: dict[tuple[str, str], set[str]] = defaultdict(set)
    joined: set[tuple[str, str]] = set()
    for name, jur, sector, basis in lines:
        basis = basis.removeprefix(kg)
        if basis not in RULE_BASES or not jur:  # as rule_qualifier: outside every career block
            continue
        by[(name, jur)].add(sector)
        if basis == "CareerJoin":
            joined.add((name, jur))
    return {name for (name, jur), ls in by.items() if len(ls) > 1 or (name, jur) in joined}


def _layer_lines(store: Store, blocks: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(name, jurisdiction, line or "", basis) of every join of the name blocks ``blocks`` (block graph IRI
    → written name) in the resolution layer: a row per (person, reason, jurisdiction, line), where the
    mentions are a row each. The jurisdiction and the line are read as ``UNION`` branches merged here
    (an ``OPTIONAL`` is evaluated over the whole store before the ``VALUES``, see kg.mentions)."""
    head: dict[tuple[str, str], tuple[str, str]] = {}
    line: dict[tuple[str, str], str] = {}
    bs = sorted(blocks)
    for i in range(0, len(bs), CHUNK):
        for b, j, basis, jur, sector in csv_rows(store, _JOINS % values("b", map(URIRef, bs[i : i + CHUNK]))):
            if basis:
                head[b, j] = (basis, jur)
            elif sector:
                line[b, j] = sector
    return [(blocks[b], jur, line.get((b, j), ""), basis) for (b, j), (basis, jur) in head.items()]


class _Seen:
    """What the career rules read of mentions (``_POSTS``'s rows, however they were got): each mention's
    dates, and its posts' labels, bodies, and the bodies' names and kinds, any of which may be missing."""

    def __init__(self) -> None:
        self.dates: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.bodies: dict[tuple[str, str], set[str]] = defaultdict(set)  # (mention, post) → bodies
        self.names: dict[tuple[str, str, str], set[str]] = defaultdict(set)  # (mention, post, body) → names
        self.kinds: dict[tuple[str, str, str], set[str]] = defaultdict(set)

    def sightings(self, article_of: dict[str, str]) -> dict[str, rules.Sighting]:
        """Mention IRI → its sighting, for the mentions of ``article_of`` (mention → article)."""
        posts: dict[str, set[rules.Post]] = defaultdict(set)
        for (m, post), ls in self.labels.items():
            for label in ls:
                for o in self.bodies.get((m, post)) or [""]:
                    for body in self.names.get((m, post, o)) or [""]:
                        for kind in self.kinds.get((m, post, o)) or [""]:
                            posts[m].add(rules.post_of(label, body or None, kind or None))
        dates = self.dates
        return {m: rules.Sighting(a, min(dates[m]) if dates.get(m) else None, tuple(sorted(posts[m])))
                for m, a in sorted(article_of.items())}


def _sightings(store: Store, mentions: list[Mention]) -> dict[str, rules.Sighting]:
    """Mention IRI → its sighting (article date and posts, read from its article graph).

    Each post is its label with, for each body it is in, that body's name and kind (any of them may be
    missing), as the nested OPTIONALs this replaces gave them."""
    seen = _Seen()
    wanted = {m.mention for m in mentions}
    arts = sorted({m.article for m in mentions})
    for i in range(0, len(arts), CHUNK):  # by article graph (a VALUES of mentions was not index-bound)
        query = _POSTS % values("a", map(URIRef, arts[i : i + CHUNK]))
        for m, date, post, label, o, body, kind in csv_rows(store, query):
            if m not in wanted:
                continue
            if date:
                seen.dates[m].add(date[:10])
            elif label:
                seen.labels[m, post].add(label)
            elif body:
                seen.names[m, post, o].add(body)
            elif kind:
                seen.kinds[m, post, o].add(kind)
            elif o:
                seen.bodies[m, post].add(o)
    return seen.sightings({m.mention: m.article for m in mentions})


def sightings_of_written(article: str, by: Subjects) -> dict[str, rules.Sighting]:
    """The sightings ``_sightings`` would read of every person mention of the graph ``article`` holding
    exactly the triples ``by`` groups (``kg.mentions.written_subjects``, an ingest worker's graph): the
    writer then reads only those of mentions written before (kg.derived)."""
    from kg.rdf.namespaces import ORG, RDFS, SCHEMA

    mention_of, holds, label, post_in = str(KG.mentionOf), str(ORG.holds), str(RDFS.label), str(ORG.postIn)
    seen = _Seen()
    article_of: dict[str, str] = {}
    dates = {d[:10] for d in by.get(article, {}).get(str(SCHEMA.datePublished), []) if d}
    for m, props in by.items():
        for person in props.get(mention_of, []):
            article_of[m] = article
            seen.dates[m].update(dates)
            for post in by.get(person, {}).get(holds, []):
                seen.labels[m, post].update(x for x in by.get(post, {}).get(label, []) if x)
                for o in by.get(post, {}).get(post_in, []):
                    seen.bodies[m, post].add(o)
                    seen.names[m, post, o].update(x for x in by.get(o, {}).get(str(SCHEMA.name), []) if x)
                    seen.kinds[m, post, o].update(x for x in by.get(o, {}).get(str(KG.orgKind), []) if x)
    return seen.sightings(article_of)


def plan_blocks(store: Store, mentions: Iterable[Mention], known: Mapping[str, rules.Sighting] | None = None,
                memory: CareerMemory | None = None) -> dict[str, str]:
    """What the career joins call for: mention IRI → the person IRI it should point at, for every
    mention of a planned block.

    Blocks are (written name, jurisdiction); only those with two lines or more, or with a career
    join to check, are read further (dates and posts) and planned. ``known``: the sightings of mentions
    the caller has at hand (``sightings_of_written``), not read; ``memory``: a writer's sightings of
    earlier writes (``kg.career_memory``), not read either, and given those of this plan."""
    blocks: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        if rule_qualifier(m) is not None:
            blocks[(m.name, m.jurisdiction or "")].append(m)
    todo = {k: ms for k, ms in blocks.items()
            if len({m.sector or "" for m in ms}) > 1 or any(m.basis == "CareerJoin" for m in ms)}
    wanted: dict[str, str] = {}
    if not todo:
        return wanted
    known = known or {}
    kept = memory.sightings if memory is not None else {}
    planned = [m for ms in todo.values() for m in ms]
    seen = {m.mention: s for m in planned if (s := known.get(m.mention) or kept.get(m.mention)) is not None}
    seen.update(_sightings(store, [m for m in planned if m.mention not in seen]))
    if memory is not None:
        memory.keep({m.mention: seen[m.mention] for m in planned}, {m.mention: m.basis for m in planned})
    for (_, jur), ms in sorted(todo.items()):
        lines: dict[str, list[rules.Sighting]] = defaultdict(list)
        for m in ms:
            lines[m.sector or ""].append(seen[m.mention])
        plan = rules.plan(lines)
        qual = {line: jurisdiction_qualifier(jur, line) for line in plan.kept}
        for m in ms:
            wanted[m.mention] = _person_iri(m, qual[plan.kept[m.sector or ""]])
    return wanted


def _rule_basis(store: Store, article: str, name: str) -> str:
    """The identity rules' basis of ``name`` in one article (PostJurisdiction or PaperLocality): what a
    mention gets back when the join that moved it no longer holds (rare: the graph is parsed for it)."""
    from kg.rdf.remint import rule_keys

    pk = rule_keys(_read_graph(store, article), article, article.rsplit("/article/", 1)[0]).get(name)
    return pk.basis if pk is not None else "PostJurisdiction"


def _move(article: str, old: str, new: str, mention: str, basis: str) -> list[str]:
    """SPARQL Update operations that move one mention of an article graph onto another person: the
    person node renamed wherever it occurs in that graph (holdings, participations, a stated alias's
    mention follow it) and the mention's basis set. Every pattern is bound to the article and the node
    (index lookups; rewriting whole graphs, their text included, cost ten times more). Nothing else
    changes: an editor's override or an alias in the same article is left as it is (curation wins,
    and needs no file here)."""
    a, o, n, m = (f"<{x}>" for x in (article, old, new, mention))
    return [f"DELETE {{ GRAPH {a} {{ {o} ?p ?v }} }} INSERT {{ GRAPH {a} {{ {n} ?p ?v }} }} "
            f"WHERE {{ GRAPH {a} {{ {o} ?p ?v }} }}",
            f"DELETE {{ GRAPH {a} {{ ?s ?p {o} }} }} INSERT {{ GRAPH {a} {{ ?s ?p {n} }} }} "
            f"WHERE {{ GRAPH {a} {{ ?s ?p {o} }} }}",
            f"DELETE {{ GRAPH {a} {{ {m} <{KG.identityBasis}> ?b }} }} "
            f"INSERT {{ GRAPH {a} {{ {m} <{KG.identityBasis}> <{KG[basis]}> }} }} "
            f"WHERE {{ GRAPH {a} {{ {m} <{KG.identityBasis}> ?b }} }}"]


@dataclass
class Moves:
    """What the career joins of one refresh changed in article graphs: in each article rewritten, the
    person nodes renamed (old IRI → new) and the mentions whose basis was set (mention IRI → basis).

    Why say it, not only which articles: the ingest writer holds the mentions and search rows of the
    articles it just wrote, and patches them (``mention``) rather than reading the rewritten graphs
    back from the store (kg.derived)."""

    renamed: dict[str, dict[str, str]] = field(default_factory=dict)
    bases: dict[str, str] = field(default_factory=dict)

    @property
    def articles(self) -> list[str]:
        """The article graphs rewritten."""
        return sorted(self.renamed)

    def add(self, article: str, old: str, new: str, mention: str, basis: str) -> None:
        """One ``_move``, as its updates run in turn: every node of the article named ``old`` by now
        (first written so, or renamed so by an earlier move) is named ``new``; the mention's basis set."""
        names = self.renamed.setdefault(article, {})  # node as first written → its name now
        for first, now in names.items():
            if now == old:
                names[first] = new
        names.setdefault(old, new)
        self.bases[mention] = basis

    def merged(self, mentions: Iterable[Mention]) -> set[str]:
        """The articles in which these moves made two person nodes of ``mentions`` one (the mentions of the
        names moved: every node a move can rename, or rename onto, has one)."""
        before: dict[str, set[str]] = defaultdict(set)
        after: dict[str, set[str]] = defaultdict(set)
        for m in mentions:
            if m.article in self.renamed:
                before[m.article].add(m.person)
                after[m.article].add(self.mention(m).person)
        return {a for a, nodes in before.items() if len(after[a]) < len(nodes)}

    def mention(self, m: Mention) -> Mention:
        """``m`` as its article graph states it after these moves."""
        new = self.renamed.get(m.article, {}).get(m.person, m.person)
        return m._replace(person=new, basis=self.bases.get(m.mention, m.basis))


def _apply(store: Store, mentions: list[Mention], known: Mapping[str, rules.Sighting] | None = None,
           memory: CareerMemory | None = None) -> Moves:
    """Plan the blocks of ``mentions`` and move the mentions that point at the wrong person; returns
    what was moved. ``known``, ``memory``: see ``plan_blocks``."""
    wanted = plan_blocks(store, mentions, known, memory)
    kept = memory.bases if memory is not None else {}
    ops: list[str] = []
    moves = Moves()
    for m in sorted(set(mentions)):
        if m.mention in wanted and wanted[m.mention] != m.person:
            q = rule_qualifier(m)
            own = q is not None and wanted[m.mention] == _person_iri(m, q)
            basis = (kept.get(m.mention) or _rule_basis(store, m.article, m.name)) if own else "CareerJoin"
            ops += _move(m.article, m.person, wanted[m.mention], m.mention, basis)
            moves.add(m.article, m.person, wanted[m.mention], m.mention, basis)
    for i in range(0, len(ops), 600):
        store.update(" ;\n".join(ops[i : i + 600]))  # type: ignore[attr-defined]
    if memory is not None:
        memory.forget(moves.merged(mentions))
    return moves


def refresh(store: Store, article_iris: Iterable[str], mentions: list[Mention] | None = None,
            sightings: Mapping[str, rules.Sighting] | None = None, memory: CareerMemory | None = None) -> Moves:
    """After articles were written or removed: recompute the career blocks of every name they print
    (or printed: the resolution layer still holds their old joins) and re-key the articles that must
    move. Returns what moved (the articles rewritten need their joins and search entries refreshed too).
    ``mentions``: those articles' mentions if the caller read them already (``mentions_in``);
    ``sightings``: the sightings of mentions the caller has at hand (``sightings_of_written``);
    ``memory``: what a batch writer kept of earlier writes (``kg.career_memory``; the articles written
    now are forgotten first).

    Which names have a block to plan is read from the resolution layer's joins of their blocks (one row
    per person, reason, jurisdiction and line), with the lines of the articles' own mentions added: the
    layer is current for every other article (every write refreshes it, ``kg.derived``), and the old
    joins of rewritten articles can only add lines (a name planned for nothing is read, not changed).
    Why: ``names_to_plan`` reads every mention of the batch's names, which grows with the store
    (24,519 mentions for a 500-article batch at ~104,500 articles: 1.7–2.8 s CPU; the joins, 1,967
    rows: 0.06–0.09 s). A store without a layer (a plain load before ``kg resolve``) is read as before."""
    arts = sorted(set(article_iris))
    if not arts:
        return Moves()
    if memory is not None:
        memory.forget(arts)
    if mentions is None:
        mentions = mentions_in(store, arts)
    blocks = {mention_block(m): m.name for m in mentions}  # the blocks the layer writes them in
    old, _, layer = joined_before(store, arts)
    for i in range(0, len(old), CHUNK):
        blocks.update(csv_rows(store, _OLD_NAMES % values("a", map(URIRef, old[i : i + CHUNK]))))
    if not blocks:
        return Moves()
    if layer:
        own = [(m.name, m.jurisdiction or "", m.sector or "", m.basis) for m in mentions]
        names = _planned(own + _layer_lines(store, blocks))
    else:
        names = names_to_plan(store, set(blocks.values()))
    if not names:
        return Moves()
    return _apply(store, mentions_named(store, names), sightings, memory)


# the names with a mention of a line of work, or moved by a career join: only their blocks can hold two
# lines or a join to check (a block's lines are its mentions' sectors, the general track has none). The
# name is read inside each branch: joined after the UNION, Oxigraph read every written name of the store
# first (25 s CPU at 100k articles without a single line of work; now a scan of the few that match)
_LINED_NAMES = _PREFIXES + """SELECT DISTINCT ?name WHERE {
  GRAPH ?a { { ?m kg:sector ?s ; kg:writtenName ?name }
             UNION { ?m kg:identityBasis kg:CareerJoin ; kg:writtenName ?name } } }"""


def apply_all(store: Store) -> list[str]:
    """Every block of the store planned, the mentions that must move moved (``kg resolve``).

    Only the names with a mention of a line of work or a career join can have a block to plan
    (``names_to_plan`` says which do); their mentions are read, not the store's: most names are on one
    line everywhere, and reading every mention was most of this step at 10,000 articles."""
    names = {r[0] for r in csv_rows(store, _LINED_NAMES)}
    names = names_to_plan(store, names) if names else names
    return _apply(store, mentions_named(store, names)).articles if names else []
