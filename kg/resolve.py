"""The resolution layer: which person mentions are one person, and why, in graphs of their own.

Mentions stay in their article's graph: the mapper writes one ``kg:PersonMention`` per written name
per article, with what placed it (``kg:identityBasis``, ``kg:jurisdiction``) and the person it
resolved to (``kg:mentionOf``; ``kg.rdf.identity`` has the rules). This module reads those mentions
back and writes, per written name, one *name block* graph ``{base}/resolution/person/{name id}``:

- the block: ``kg:NameBlock`` with ``kg:writtenName`` and every person of that name
  (``kg:namesake``) — what a disambiguation page of 王伟 lists;
- one ``kg:IdentityJoin`` per person, reason, jurisdiction and line of work: the person
  (``kg:joinedEntity``), the reason (``kg:joinReason``), the jurisdiction and the line, and every
  mention it joins (``kg:joinedMention``), each mention with its article (``prov:wasDerivedFrom``, as
  its article graph states it) — what a "why joined" section shows. Per mention two statements, per
  join four or so: a join per mention, repeating the reason and place of every mention of a city's
  mayor, was three times the statements to write and read (``kg resolve`` at 100k articles). The
  join's class is not written: the ontology's domains of ``kg:joinedEntity``, ``kg:joinedMention`` and
  ``kg:joinReason`` state it. Each join states how many mentions it joins (``kg:mentionCount``) and
  the least of them (``kg:sampleMention``): a page naming a much-mentioned namesake reads one number and
  one article instead of thousands of links.

A block is the union of its mentions' triples, each depending on one mention alone (a join's IRI
is a hash of what it is keyed by; no sequence numbers, no blank nodes), but for the joins' counts and
samples, which depend on the set of the join's mentions (not on their order); so a block does not depend on
the order articles arrived in, and
``refresh`` (called by ingest after each write) can remove and add the joins of the written articles
only, by bound-IRI lookups, instead of rewriting whole blocks, then count and sample again, inside the
store, the joins a mention left or joined; ``rebuild`` (``kg resolve``) writes
the whole layer again from the article graphs. ``curate`` (``kg resolve`` too) first applies the
editors' curation file (kg.rdf.curation) to the article graphs, so the joins it makes are in the
mentions, and so in the layer, with the reason ``kg:Curated``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from kg.layer_graphs import (
    MASK,
    article_digests,
    base_of,  # noqa: F401 - re-exported (kg.resolve.base_of)
    block_iri,  # noqa: F401 - re-exported
    is_block_graph,
    is_resolution_graph,
    mention_block,
    row_hash,
    stamp_graph,
    stamp_text,
)
from kg.layer_statements import block_statements, join_parts, own_statements, recount_update
from kg.layer_write import first_build, write_joins
from kg.mentions import CHUNK, Mention, article_values, csv_rows, iter_mentions, mentions_in, mentions_of_names
from kg.rdf.curation import EMPTY, Curation
from kg.rdf.namespaces import KG, PROV
from kg.store.base import GraphUpdate, Store

_PREFIXES = f"PREFIX kg: <{KG}>\nPREFIX prov: <{PROV}>\n"
# an article's mentions in the layer: those a join links to (an article graph's mentions have
# prov:wasDerivedFrom too, and no join)
_OLD_JOINS = _PREFIXES + """SELECT ?b ?j ?m ?a WHERE { %s
  GRAPH ?b { ?m prov:wasDerivedFrom ?a . ?j kg:joinedMention ?m } }"""
_STAMPS_Q = _PREFIXES + "SELECT ?a ?d WHERE { GRAPH ?g { ?a kg:layerStamp ?d } }"
_STAMPED = _PREFIXES + "SELECT DISTINCT ?a WHERE { %s GRAPH ?g { ?a kg:layerStamp ?d } }"  # articles bound by VALUES
_BLOCKS = _PREFIXES + "SELECT ?b WHERE { GRAPH ?b { ?b a kg:NameBlock } }"
_ANY_STAMP = _PREFIXES + "SELECT ?a WHERE { GRAPH %s { ?a kg:layerStamp ?d } } LIMIT 1"
_CLEAN = """DELETE { GRAPH %(b)s { ?j ?p ?o } }
WHERE { GRAPH %(b)s { ?j kg:joinedEntity ?e ; ?p ?o FILTER NOT EXISTS { ?j kg:joinedMention ?any } } } ;
DELETE { GRAPH %(b)s { %(b)s kg:namesake ?p } }
WHERE { GRAPH %(b)s { %(b)s kg:namesake ?p FILTER NOT EXISTS { ?j kg:joinedEntity ?p } } } ;
DELETE { GRAPH %(b)s { %(b)s ?p ?o } }
WHERE { GRAPH %(b)s { %(b)s ?p ?o FILTER NOT EXISTS { ?j kg:joinedEntity ?any } } }"""


def has_layer(store: Store, articles: Iterable[str]) -> bool:
    """Whether the store has a resolution layer for the articles' base(s): a stamps graph with a stamp."""
    for g in sorted({stamp_graph(a) for a in articles}):
        if not list(csv_rows(store, _ANY_STAMP % f"<{g}>")):
            return False
    return True


def joined_before(store: Store, articles: Sequence[str]) -> tuple[list[str], list[str], bool]:
    """(the articles the layer may hold joins of, those it holds a stamp of, whether the store has a
    layer for their bases: ``has_layer``). Where the store has a layer, only stamped articles: the layer
    writes an article's joins and its stamp together (a load, or one update), so an unstamped one — a new
    article, the common case of ingest — has no joins to look for; the look-up by article
    (``?m prov:wasDerivedFrom ?a``) also meets every derived statement of the article graph itself, and
    was a tenth of the writer's refresh. Without a layer (a plain load, or a layer of a version before
    stamps) every article may have joins."""
    stamped = [a for i in range(0, len(articles), CHUNK)
               for a, in csv_rows(store, _STAMPED % article_values(articles[i : i + CHUNK]))]
    layer = has_layer(store, articles)
    return (stamped if layer else list(articles)), stamped, layer


def refresh(store: Store, article_iris: Iterable[str], mentions: list[Mention] | None = None) -> int:
    """Bring the resolution layer up to date for articles just written (or rewritten).

    The articles' mentions joined before are removed, their current mentions joined, and joins,
    namesakes and blocks left without a mention dropped — a load for articles the layer knew
    nothing of, one SPARQL update for the others. Every step
    reads by a bound article or block IRI, so the cost grows with the articles written, not with
    the store. Returns the joins written. ``mentions``: the articles' current mentions if the caller
    has them (``kg.derived``, which read them for the career joins), else read here.
    """
    arts = sorted(set(article_iris))
    ops: list[str] = []
    touched: set[str] = set()
    seen: set[str] = set()  # articles the layer holds joins or stamps of: their old ones go first
    gone: list[str] = []
    links: set[tuple[str, str, str]] = set()  # (block, join, mention) before; after, those that changed
    old, stamped, _ = joined_before(store, arts)
    for i in range(0, len(old), CHUNK):
        for b, j, m, a in csv_rows(store, _OLD_JOINS % article_values(old[i : i + CHUNK])):
            touched.add(b)
            seen.add(a)
            gone.append(own_statements(b, j, m, a))
            links.add((b, j, m))
    if gone:  # the articles' old mentions; their joins, namesakes and blocks go with the last (_CLEAN)
        ops.append("DELETE DATA {\n" + "\n".join(gone) + "\n}")
    if mentions is None:
        mentions = mentions_in(store, arts)
    seen.update(stamped)  # stamped before: their stamps go (none for new articles)
    for i in range(0, len(stamped), CHUNK):  # the articles' stamps: replaced by those of their mentions now
        ops.append("DELETE { GRAPH ?g { ?a kg:layerStamp ?d } } WHERE { "
                   + article_values(stamped[i : i + CHUNK]) + " GRAPH ?g { ?a kg:layerStamp ?d } }")
    # Articles the layer has nothing of (new ones: the common case) are added by a load, a third of an
    # update's CPU, before the update of the others: their joins carry the block statements they need, so
    # the update's clean-up, which drops what no join keeps, runs after them. Two writes: a crash between
    # them leaves stale stamps, which ``kg resolve`` finds and refreshes.
    fresh = [m for m in mentions if m.article not in seen]
    again = [m for m in mentions if m.article in seen]
    blocks = block_statements(fresh, counts=False)  # the joins' counts and samples: in the store, last
    links ^= {(p.block, p.join[1:-1], m.mention) for m in mentions for p in (join_parts(m),)}
    blocks.update(stamp_text(article_digests(fresh)))
    if blocks:
        store.add_to_graphs([GraphUpdate.from_text(b, text) for b, text in blocks.items()])
    blocks = block_statements(again, counts=False)
    blocks.update(stamp_text(article_digests(again)))
    if blocks:
        body = "\n".join(f"GRAPH <{b}> {{\n{text} .\n}}" for b, text in blocks.items())
        ops.append(f"INSERT DATA {{\n{body}\n}}")
    ops += [_CLEAN % {"b": f"<{b}>"} for b in sorted(touched)]  # after the inserts: only what no join keeps
    if links:  # the joins a mention left or joined: counted and sampled again
        ops.append(recount_update({(b, j) for b, j, _ in links}))
    if ops:
        store.update(_PREFIXES + " ;\n".join(ops))  # type: ignore[attr-defined]
    return len(mentions)


def refresh_after_write(store: Store, graphs: Iterable[str], everything: bool = False) -> None:
    """Refresh the joins of graphs just written by a SPARQL Update (``kg.update_scope`` says which): a
    mention added, changed, moved or dropped there is in the layer at once, as after an ingest.

    When the graphs written could not be known (``everything``), or the update wrote the layer's own
    graphs, the whole layer is brought in line with the article graphs (``rebuild``: exact, at the cost
    of a ``kg resolve``), career joins first (``kg.careers.apply_all``); else the career joins of the
    names the graphs print are refreshed with them (``kg.careers.refresh``)."""
    from kg.careers import apply_all
    from kg.careers import refresh as refresh_careers

    graphs = sorted(set(graphs))
    if everything or any(is_resolution_graph(g) for g in graphs):
        apply_all(store)
        rebuild(store)
    elif graphs:
        refresh(store, sorted(set(graphs) | set(refresh_careers(store, graphs).articles)))


_NO_MENTIONS = _PREFIXES + """PREFIX schema: <https://schema.org/>
SELECT ?a WHERE { GRAPH ?a { ?a a schema:NewsArticle . FILTER NOT EXISTS { ?m a kg:PersonMention } } }"""


def _read_graph(store: Store, article: str) -> list:
    """The triples of one article graph, read whole by a CONSTRUCT (the store's own terms turned into
    rdflib's: 3.8 ms an article where exporting N-Triples and parsing them with rdflib took 9.7)."""
    return list(store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{article}> {{ ?s ?p ?o }} }}").triples())


def _write(store: Store, updates: list[GraphUpdate], flush: bool = False) -> int:
    """Write the pending rewrites when there are enough (or at the end); returns how many were written."""
    if updates and (flush or len(updates) >= 200):
        store.replace_graphs(updates)
        n = len(updates)
        updates.clear()
        return n
    return 0


def _restamp(store: Store, articles: list[str], flush: bool = False) -> int:
    """Stamp articles whose keys today's rules leave as they were with today's rules version, by one
    update per 500 (when there are enough, or at the end); returns how many were stamped. Why not
    rewrite them: after a rules edit most articles keep every key, and writing each graph whole (its text
    included) was most of an upgrade's ``kg resolve``."""
    if not articles or not (flush or len(articles) >= 500):
        return 0
    from rdflib import Literal

    from kg.rdf.identity import rules_version

    stamp = Literal(rules_version()).n3()
    store.update(  # type: ignore[attr-defined]
        _PREFIXES + f"DELETE {{ GRAPH ?a {{ ?a kg:identityRules ?old }} }} "
        f"INSERT {{ GRAPH ?a {{ ?a kg:identityRules {stamp} }} }} "
        f"WHERE {{ {article_values(articles)} GRAPH ?a {{ ?a kg:identityRules ?old }} }}")
    n = len(articles)
    articles.clear()
    return n


def upgrade(store: Store, curation: Curation = EMPTY) -> int:
    """Re-mint, in place, the article graphs an older version made (pinyin ids, no mentions).

    Only articles without person mentions are candidates (a cheap query); each is read, checked
    (``kg.rdf.remint.needs_upgrade``) and rewritten whole, in batches. Returns the graphs rewritten.
    """
    from kg.rdf.remint import needs_upgrade, remint

    updates: list[GraphUpdate] = []
    done = 0
    for r in list(store.query(_NO_MENTIONS).rows()):
        a = str(r["a"])
        triples = _read_graph(store, a)
        base = a.rsplit("/article/", 1)[0]
        if not needs_upgrade(triples, base):
            continue
        updates.append(GraphUpdate(a, remint(triples, a, base, curation)))
        done += _write(store, updates)
    return done + _write(store, updates, flush=True)


_ANY_CURATED = _PREFIXES + """SELECT ?m WHERE { GRAPH ?a {
  { ?m kg:identityBasis kg:Curated } UNION { ?m kg:identityBasis kg:KnownAlias } } } LIMIT 1"""
# articles stamped by the rules of now, articles with a person mention (two scans of one pattern each,
# ten times cheaper than asking for the articles with a mention and no stamp, which is joined per mention),
# then the candidates (usually none) checked by the exact pattern, bound by VALUES
_RULED = _PREFIXES + "SELECT ?a WHERE { GRAPH ?a { ?a kg:identityRules %s } }"
_WITH_MENTIONS = _PREFIXES + "SELECT DISTINCT ?a WHERE { GRAPH ?a { ?m a kg:PersonMention } }"
_STALE = _PREFIXES + """SELECT DISTINCT ?a WHERE { %s GRAPH ?a { ?m a kg:PersonMention ; prov:wasDerivedFrom ?a } }"""


_ALIASES = _PREFIXES + """SELECT DISTINCT ?name ?person ?jur ?sector WHERE {
  GRAPH ?a { ?m kg:identityBasis kg:StatedAlias ; kg:writtenName ?name ; kg:mentionOf ?person
             OPTIONAL { ?m kg:jurisdiction ?jur } OPTIONAL { ?m kg:sector ?sector } } }"""


def known_aliases(store: Store) -> dict[tuple[str, str], tuple[str, str]]:
    """The aliases the store's texts state (柯某（曾用名柯某某）), as keys for ``Curation.aliases``:
    (other name, the person's qualifier) → (the person's name, qualifier). So the other name printed
    alone in another article of the same jurisdiction and line of work is that person too; in another
    place or line it stays apart (a namesake of the old name). Several persons for one key: the first
    by IRI, so the map does not depend on the order the articles came in.

    The other name is keyed by the person's qualifier and by the rules' qualifier of the stating mention
    (its own jurisdiction and line, which it keeps): a career join (kg.careers) may have moved the person
    to another line of the same place (组织部部长柯望舒 joined with a bare 柯望舒 of the paper), and the other
    name printed with the stating mention's post (组织部部长柯望书) is still that person."""
    from kg.rdf.identity import jurisdiction_qualifier
    from kg.rdf.iris import ident, name_of_id

    out: dict[tuple[str, str], tuple[str, str]] = {}
    for alias, person, jur, sector in sorted(csv_rows(store, _ALIASES), key=lambda r: r[1:]):
        piece = person.rsplit("/person/", 1)[-1]
        name = name_of_id(piece)
        if name and "_" in piece:
            target = (name, piece.split("_", 1)[1])
            out.setdefault((alias, target[1]), target)
            if jur and target[1].split("_", 1)[0] == ident(jur, 30):  # another line of the same place only
                out.setdefault((alias, jurisdiction_qualifier(jur, sector)), target)
    return out


def stale_articles(store: Store) -> set[str]:
    """Articles whose people were keyed by other identity rules (another ``kg:identityRules``, or
    none: made before the stamp): ``kg resolve`` re-keys them, so a rules edit reaches the store."""
    from rdflib import Literal

    from kg.rdf.identity import rules_version

    ruled = {r[0] for r in csv_rows(store, _RULED % Literal(rules_version()).n3())}
    candidates = sorted({r[0] for r in csv_rows(store, _WITH_MENTIONS)} - ruled)
    out: set[str] = set()
    for i in range(0, len(candidates), CHUNK):
        out.update(r[0] for r in csv_rows(store, _STALE % article_values(candidates[i : i + CHUNK])))
    return out


def curate(store: Store, curation: Curation) -> tuple[int, list[str]]:
    """Apply the editors' overrides (kg.rdf.curation) to the article graphs, in place.

    The candidates are the articles with a mention the file names (by written name and rule
    qualifier, or by article for a split), those with a mention curated before (basis
    ``kg:Curated``: an override since removed from the file must be undone) and those keyed by
    other identity rules (``stale_articles``). Each is re-keyed
    (``kg.rdf.remint.rekey``) and written only if it changed. Returns (graphs rewritten, one line
    per override, or part of one, that names nothing in the store) — reported, not ignored.
    """
    from kg.rdf.remint import rekey

    stale = stale_articles(store)
    curation = replace(curation, aliases=known_aliases(store))
    if not stale and not curation and not curation.aliases and not list(store.query(_ANY_CURATED).rows()):
        return 0, []  # nothing to apply nor to undo: kg resolve costs what it did before curation
    named = curation.person_keys()
    split_articles = {a for _, a in curation.splits}
    candidates: set[str] = set(stale)
    was_curated: set[str] = set()
    rule_keys: set[tuple[str, str, str]] = set()  # (name, rule qualifier, article) of every mention
    for m in iter_mentions(store):
        qual = m.person.rsplit("/person/", 1)[1].split("_", 1)[1] if "_" in m.person.rsplit("/", 1)[1] else ""
        if (m.basis in ("Curated", "KnownAlias") or m.article in split_articles or (m.name, qual) in named
                or (m.basis != "StatedAlias" and (m.name, qual) in curation.aliases)):  # (the stating
            # mention is its person's by the mapper: re-keying its article by the rules would undo a career
            # join there, which the career step makes again, at every kg resolve)
            candidates.add(m.article)
            if m.basis == "Curated":
                was_curated.add(m.article)
        elif curation.overrides:  # only for reporting overrides that name nothing
            rule_keys.add((m.name, qual, m.article))
    updates: list[GraphUpdate] = []
    restamp: list[str] = []
    done = uncurated = 0
    for a in sorted(candidates):
        old = _read_graph(store, a)
        new, keys = rekey(old, a, a.rsplit("/article/", 1)[0], curation)
        rule_keys.update((k.name, k.qualifier, a) for k in keys)
        changed = set(new) ^ set(old)
        if changed and all(p == KG.identityRules for _, p, _ in changed):
            restamp.append(a)  # the same keys under new rules: only the stamp changes (no rewrite)
            done += _restamp(store, restamp)
        elif changed:
            updates.append(GraphUpdate(a, new))
            uncurated += a in was_curated
            done += _write(store, updates)
    done += _write(store, updates, flush=True) + _restamp(store, restamp, flush=True)
    notes = _unmatched(curation, rule_keys)
    if uncurated and not curation:  # e.g. a remote store and no --curation: say so, it may be a mistake
        notes.append(f"{uncurated} article graphs had curated people and no curation file was given "
                     "(STORE/curation.toml or --curation FILE): the rules' keys are back")
    return done, notes


def _unmatched(curation: Curation, rule_keys: set[tuple[str, str, str]]) -> list[str]:
    """Report lines for overrides (or the persons of one) that no mention of the store matches."""
    from kg.rdf.identity import PersonKey

    present = {(n, q) for n, q, _ in rule_keys}
    out = []
    for o in curation.overrides:
        if o.kind == "join":
            missing = [shown for q, shown in zip(o.qualifiers, o.shown, strict=True) if (o.name, q) not in present]
            if missing:
                kept = f" ({o.shown[0]} is the one kept: the others were given its IRI all the same)"
                out.append(f"{curation.source}:{o.line}: join names nothing in the store: no mention of "
                           f"{'、'.join(missing)}" + (kept if o.shown[0] in missing else ""))
            continue
        for a in o.articles:
            keys = [PersonKey(n, "", None, q) for n, q, art in rule_keys if art == a and n == o.name]
            if not any(curation.apply(k, a).qualifier == o.piece for k in keys):
                out.append(f"{curation.source}:{o.line}: split names nothing in the store: "
                           f"no mention of {o.where} in {a}")
    return out


_COUNTS = _PREFIXES + "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a kg:NameBlock . ?s ?p ?o } } GROUP BY ?g"


def rebuild(store: Store, chunk_statements: int = 200_000) -> tuple[int, int]:
    """Bring the whole resolution layer in line with the article graphs (``kg resolve``).

    With no layer yet (a first build) the mentions are read once and their joins written as they come
    (``kg.layer_write.first_build``); so too when most articles or blocks differ (a layer of a version without stamps,
    a plain load of article graphs, blocks dropped behind kg's back). Else the layer is checked, not read:
    every article's mentions are read (streamed) and hashed, and compared with the article's stamp,
    the digest of the mentions its joins were written from (``kg:layerStamp``); articles that differ
    are refreshed as ingest does. Then each block's number of statements, counted inside the store, is
    compared with the number its mentions call for; blocks that differ (a layer edited behind kg's
    back) are rewritten from their mentions, blocks no mention calls for dropped. Why: reading the
    layer's statements (~5 a mention) to compare them was most of ``kg resolve`` at 100k articles, and
    after ingest (which keeps the layer and its stamps current) nothing differs. Writes go in chunks of
    about ``chunk_statements``, by the store's bulk loader. Returns (mentions, blocks)."""
    layer = [g for g in store.graph_iris() if is_resolution_graph(g)]
    if not layer:
        return first_build(store, chunk_statements)
    survey = _Survey()
    n = survey.read(iter_mentions(store))
    stamps = dict(csv_rows(store, _STAMPS_Q))
    stale = {a for a, d in survey.digests.items() if stamps.get(a) != f"{d:016x}"} | (set(stamps) - set(survey.digests))
    if _most(stale, survey.digests):
        # most articles unstamped or changed (a layer of an older version, or a plain load): writing the
        # layer again by the bulk loader is cheaper than refreshing articles one update at a time
        return _write_again(store, layer, chunk_statements)
    for i in range(0, len(stale), 2000):
        refresh(store, sorted(stale)[i : i + 2000])
    have = {g: int(c) for g, c in csv_rows(store, _COUNTS)}
    blocks = {g for g in store.graph_iris() if is_block_graph(g)}  # with a header or not
    bad = {b for b, c in survey.expected.items() if have.get(b) != c}
    if _most(bad, survey.expected):  # most blocks lost behind kg's back: the same
        return _write_again(store, [g for g in store.graph_iris() if is_resolution_graph(g)], chunk_statements)
    drop = sorted((blocks - set(survey.expected)) | (bad & blocks))
    for i in range(0, len(drop), 5000):
        store.remove_graphs(drop[i : i + 5000])
    if bad:
        ms = {m for m in mentions_of_names(store, {survey.names[b] for b in bad})
              if mention_block(m) in bad}
        write_joins(store, sorted(ms), chunk_statements)
    return n, len(survey.expected)


MOST_MIN = 2000  # what differs is "most" of the layer above a tenth and above this


def _most(found: set[str], of: dict[str, int]) -> bool:
    """Whether ``found`` is most of ``of`` (more than a tenth, and more than ``MOST_MIN``)."""
    return len(found) > max(MOST_MIN, len(of) // 10)


def _write_again(store: Store, layer: list[str], chunk_statements: int) -> tuple[int, int]:
    """Drop the layer's graphs and write the layer whole (a first build)."""
    for i in range(0, len(layer), 5000):
        store.remove_graphs(layer[i : i + 5000])
    return first_build(store, chunk_statements)


class _Survey:
    """What the layer should be, from one streamed read of the mentions: each article's digest, each
    block's number of statements and its written name. Held: a few numbers per article and block, the
    (block, person) pairs and the joins' keys, never the mentions. Counted from the mentions' fields,
    as ``join_parts`` would write them, without making the statements (a current layer's check reads
    every mention of the store)."""

    def __init__(self) -> None:
        self.digests: dict[str, int] = defaultdict(int)
        self.expected: dict[str, int] = defaultdict(int)
        self.names: dict[str, str] = {}
        self.pairs: set[tuple[str, str]] = set()
        self.joins: set[tuple[str, str, str, str | None, str | None]] = set()

    def read(self, mentions: Iterable[Mention]) -> int:
        """Take in every mention row; returns the number of mentions. A mention's rows come together
        (rows of one mention apart would count its statements twice: the block is then rewritten, not
        left wrong)."""
        n = 0
        rows: list[tuple[str, tuple]] = []  # the current mention's (block, join key) of each row
        last = ""
        for m in mentions:
            if rows and m.mention != last:
                self._own(rows)
                rows = []
            if not rows:
                n += 1
                last = m.mention
            self.digests[m.article] = (self.digests[m.article] + row_hash(m)) & MASK
            b = mention_block(m)
            if b not in self.names:
                self.names[b] = m.name
                self.expected[b] += 2  # the block's type and written name
            if (b, m.person) not in self.pairs:
                self.pairs.add((b, m.person))
                self.expected[b] += 1  # the namesake
            key = (b, m.person, m.basis, m.jurisdiction, m.sector)  # what the join's IRI is a hash of
            if key not in self.joins:
                self.joins.add(key)
                self.expected[b] += 4 + (m.jurisdiction is not None) + (m.sector is not None)  # count, sample
            rows.append((b, key))
        if rows:
            self._own(rows)
        return n

    def _own(self, rows: list[tuple[str, tuple]]) -> None:
        """Count the mention's own statements: each of its joins' link to it, and its article, per block
        (one row, the common case: one join; several rows, a second jurisdiction …: maybe more)."""
        if len(rows) == 1:
            self.expected[rows[0][0]] += 2
            return
        per_block: dict[str, set[tuple]] = defaultdict(set)
        for b, key in rows:
            per_block[b].add(key)
        for b, keys in per_block.items():
            self.expected[b] += len(keys) + 1
