"""View functions: the store and an entity IRI in, a plain view model out (None when unknown).

Every function runs the page's SPARQL texts (``kg/queries/pages``) through the ``Store`` protocol and
folds the rows into dataclasses the templates render. Lists that can grow with the corpus are bounded
(LIMIT in the query texts) or paged.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.store.base import Store
from kg.web.pages import labels as L
from kg.web.pages.cache import cache_for
from kg.web.pages.queries import Row, bind, load, run, values_of
from kg.web.pages.text import Highlight, Segment, highlight, link_names, marks, radial_layout
from kg.web.pages.text import Node as SvgNode

PAGE_SIZE = 50
XSD_GMONTHDAY = "http://www.w3.org/2001/XMLSchema#gMonthDay"


# ---------------------------------------------------------------- shared pieces


@dataclass(frozen=True)
class Link:
    """A link to an entity page: ``href`` is a local path, or None for IRIs outside the base."""

    iri: str
    text: str
    href: str | None
    kind: str | None = None


class Linker:
    """Turns IRIs under the store's base into local page paths."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def path(self, iri: str) -> str | None:
        if iri.startswith(self.base + "/"):
            return iri[len(self.base):]
        return None

    def kind(self, iri: str) -> str | None:
        p = self.path(iri)
        if p is None:
            return None
        seg = p.split("/")[1] if p.count("/") >= 1 else ""
        return seg if seg in ("person", "organization", "event", "article", "place", "post") else None

    def link(self, iri: Node | None, text: Node | str | None = None) -> Link | None:
        if iri is None:
            return None
        s = str(iri)
        shown = str(text) if text is not None and str(text) else L.local_name(s)
        return Link(s, shown, self.path(s), self.kind(s))


def s(v: Node | None) -> str:
    """A term's lexical form, '' for None."""
    return "" if v is None else str(v)


def n(v: Node | None) -> int | None:
    try:
        return int(str(v)) if v is not None else None
    except ValueError:
        return None


def fmt_date(v: Node | None) -> str:
    """A date as shown: ``2022-01-12``; a gMonthDay as ``1月12日（年份不详）``."""
    if v is None:
        return ""
    text = str(v)
    if isinstance(v, Literal) and str(v.datatype) == XSD_GMONTHDAY and text.startswith("--"):
        try:
            m, d = int(text[2:4]), int(text[5:7])
            return f"{m}月{d}日（年份不详）"
        except ValueError:
            return text
    return text


def fmt_yuan(v: Node | None) -> str:
    """An amount in yuan with thousands separators and, from 10,000 up, in 万/亿 too."""
    if v is None:
        return ""
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        return str(v)
    plain = f"{d:,.2f}".rstrip("0").rstrip(".")
    if d >= 100_000_000:
        return f"{plain} 元（{(d / 100_000_000).normalize():f}亿元）"
    if d >= 10_000:
        return f"{plain} 元（{(d / 10_000).normalize():f}万元）"
    return f"{plain} 元"


def roles_of(text: Node | None) -> list[L.Label]:
    """The labels of a space-separated list of role IRIs, in the page's role order."""
    iris = sorted(set(s(text).split()), key=L.role_rank)
    return [L.label(i) for i in iris]


def evidence(row: Row, names: tuple[str, ...] = ()) -> Highlight | None:
    if row.get("evidence") is None:
        return None
    return highlight(s(row["evidence"]), n(row.get("es")), n(row.get("ms")), n(row.get("me")), names)


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
KG_ROLE, KG_POST, KG_AGENT = L.KG + "role", L.KG + "post", L.KG + "agent"
ORG_POST_IN = L.ORG + "postIn"
NAME_PROPS = (L.SCHEMA + "name", "http://www.w3.org/2000/01/rdf-schema#label", L.SCHEMA + "headline")
Facts = dict[str, dict[str, list[Node]]]
CHUNK = 400


def _fold(store: Store, query: str, iris: list[Node], keep: bool = True) -> Facts:
    out: Facts = {}
    uniq = list(dict.fromkeys(i for i in iris if isinstance(i, URIRef)))
    for k in range(0, len(uniq), CHUNK):
        for r in run(store, query, keep=keep, iris=uniq[k:k + CHUNK]):
            out.setdefault(s(r["s"]), {}).setdefault(s(r["p"]), []).append(r["o"])  # type: ignore[arg-type]
    return out


def lookup(store: Store, iris: list[Node]) -> Facts:
    """Types, names, labels, headlines and organisations of shared entities (labels.rq). Each IRI's
    facts are kept until the store is written (``kg.web.pages.cache``): a much-mentioned person or
    post, linked from many pages, has its name read from thousands of article graphs only once."""
    kept = cache_for(store)
    if kept is None:
        return _fold(store, "labels", iris)
    generation = store.generation  # type: ignore[attr-defined]  # read before the query, as cached_rows does
    out: Facts = {}
    missing: list[Node] = []
    for i in dict.fromkeys(i for i in iris if isinstance(i, URIRef)):
        got = kept.get(generation, f"labels {i}")
        if got is None:
            missing.append(i)
        elif got:
            out[str(i)] = {}
            for r in got:
                out[str(i)].setdefault(s(r["p"]), []).append(r["o"])  # type: ignore[arg-type]
    if missing:
        found = _fold(store, "labels", missing, keep=False)  # kept per IRI below, not per chunk
        out.update(found)
        for i in missing:
            rows = [{"p": URIRef(p), "o": o} for p, os in found.get(str(i), {}).items() for o in os]
            kept.put(generation, f"labels {i}", rows)
    return out


class Lookup:
    """lookup() for one page: each IRI is looked up once however many lists show it (a post or an
    organisation named in thousands of article graphs costs milliseconds each)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.facts: Facts = {}
        self.seen: set[str] = set()

    def __call__(self, iris: list[Node]) -> Facts:
        new = [i for i in dict.fromkeys(iris) if isinstance(i, URIRef) and str(i) not in self.seen]
        if new:
            self.facts.update(lookup(self.store, new))
            self.seen.update(str(i) for i in new)
        return self.facts


def local_nodes(store: Store, iris: list[Node]) -> Facts:
    """Every triple of article-local nodes: participations, holdings (local_nodes.rq)."""
    return _fold(store, "local_nodes", iris)


def first(facts: Facts, iri: Node | None, prop: str) -> Node | None:
    vals = facts.get(s(iri), {}).get(prop, []) if iri is not None else []
    return min(vals, key=str) if vals else None


def name_in(facts: Facts, iri: Node | None) -> str:
    """The name (schema:name, rdfs:label or headline) of ``iri``; its local name when it has none."""
    if iri is None:
        return ""
    for prop in NAME_PROPS:
        v = first(facts, iri, prop)
        if v is not None:
            return str(v)
    return L.local_name(str(iri))


def node_evidence(node: dict[str, list[Node]], names: tuple[str, ...]) -> Highlight | None:
    """The highlighted evidence of a participation or holding from its own triples."""
    def one(prop: str) -> Node | None:
        vals = node.get(L.KG + prop, [])
        return vals[0] if vals else None

    sentence = one("evidence")
    if sentence is None:
        return None
    return highlight(str(sentence), n(one("evidenceStart")), n(one("mentionStart")), n(one("mentionEnd")), names)


@dataclass
class Paging:
    """Where a paged list stands, and how to reach its other pages.

    ``param`` is the list's own query parameter, so that two lists on one page page separately (the
    person page's statements, timeline and articles); ``keep`` holds the other lists' current pages,
    which every link of this pager carries along, so that paging one list does not reset another."""

    page: int
    total: int
    size: int = PAGE_SIZE
    param: str = "page"
    keep: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def first_row(self) -> int:
        """1-based number of the first row shown (0 for an empty list)."""
        return min(self.total, self.offset + 1)

    @property
    def last_row(self) -> int:
        return min(self.total, self.offset + self.size)

    def href(self, page: int) -> str:
        """The query string of ``page`` of this list (page 1 and the others' page 1 left out)."""
        args = {k: v for k, v in self.keep.items() if v > 1 and k != self.param}
        if page > 1:
            args[self.param] = page
        return "?" + urlencode(sorted(args.items())) if args else "?"

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and ``around`` either side of the current page;
        None where pages are left out (shown as …). Every page stays reachable in a few steps, and
        the jump form reaches any page at once."""
        want = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        shown = sorted(p for p in want if 1 <= p <= self.pages)
        out: list[int | None] = []
        prev = 0
        for p in shown:
            if prev and p - prev > 1:
                out.append(None)
            out.append(p)
            prev = p
        return out


def _paging(total: int, page: int, size: int = PAGE_SIZE, param: str = "page") -> Paging:
    p = Paging(1, total, size, param)
    p.page = min(max(1, page), p.pages)
    return p


def _keep_together(*pagings: Paging) -> None:
    """Let each pager's links keep the other lists' current pages."""
    for p in pagings:
        p.keep = {q.param: q.page for q in pagings if q is not p}


@dataclass
class ArticleRef:
    link: Link
    date: str
    hows: list[str] = field(default_factory=list)


def _articles(store: Store, lk: Linker, this: URIRef, page: int = 1, dated: Dated | None = None,
              total: int | None = None, newest: list[Row] | None = None,
              look: Lookup | None = None) -> tuple[list[ArticleRef], Paging]:
    """One page of the articles about ``this``; for a busy entity (``dated``) read newest first, from
    ``newest`` (mentioned_in_at.rq rows already read newest first) when the page is among them."""
    if total is None:
        total = n(run(store, "mentioned_in_count", this=this)[0]["n"]) or 0
    paging = _paging(total, page)
    rows = None
    if newest is not None and paging.offset + paging.size <= len(newest):
        rows = newest
    elif dated is not None and total > BUSY_ROWS:
        rows = dated.newest_first("articles", "mentioned_in_at", min(total, paging.offset + paging.size), total,
                                  ("article",), this=this)
    if rows is not None:
        rows = rows[paging.offset:paging.offset + paging.size]
    else:
        rows = run(store, "mentioned_in", limit=paging.size, offset=paging.offset, this=this)
    info = (look or Lookup(store))(values_of(rows, "article"))
    out = [ArticleRef(lk.link(r["article"], name_in(info, r["article"])), fmt_date(r["date"]),  # type: ignore[arg-type]
                      sorted(s(r["hows"]).split()))
           for r in rows]
    return out, paging  # type: ignore[arg-type]


@dataclass
class Grant:
    how: str
    value: Decimal
    amount: str
    text: str
    purpose: str
    recipient: Link | None
    funder: Link | None
    event: Link | None
    article: Link | None
    evidence: str


def _grants(store: Store, lk: Linker, this: URIRef, page: int = 1) -> tuple[list[Grant], Paging]:
    """One page of the grants ``this`` received, funded or hosted (largest amount first, ``?grants_page=``)."""
    paging = _paging(n(run(store, "grants_count", this=this)[0]["n"]) or 0, page, PAGE_SIZE, "grants_page")
    rows = run(store, "grants", limit=paging.size, offset=paging.offset, this=this) if paging.total else []
    grants = local_nodes(store, values_of(rows, "grant"))
    amounts = local_nodes(store, [a for g in grants.values() for a in g.get(L.SCHEMA + "amount", [])])
    parties = [x for g in grants.values() for p in (L.KG + "recipient", L.SCHEMA + "funder", L.KG + "grantedAt")
               for x in g.get(p, [])]
    info = lookup(store, parties + values_of(rows, "article"))
    out = []
    for r in rows:
        g = grants.get(s(r["grant"]), {})
        amount = first(grants, r["grant"], L.SCHEMA + "amount")
        a = amounts.get(s(amount), {})

        def one(node: dict[str, list[Node]], prop: str) -> Node | None:
            vals = node.get(prop, [])
            return vals[0] if vals else None

        recipient, funder, event = (one(g, L.KG + "recipient"), one(g, L.SCHEMA + "funder"), one(g, L.KG + "grantedAt"))
        value = one(a, L.SCHEMA + "value")
        out.append(Grant(s(r["how"]), _decimal(value), fmt_yuan(value), s(one(a, L.KG + "amountText")),
                         s(one(g, L.KG + "purpose")), lk.link(recipient, name_in(info, recipient)),
                         lk.link(funder, name_in(info, funder)), lk.link(event, name_in(info, event)),
                         lk.link(r["article"], name_in(info, r["article"])), s(one(a, L.KG + "evidence"))))
    return out, paging


def _decimal(v: Node | None) -> Decimal:
    try:
        return Decimal(str(v)) if v is not None else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


BUSY_ROWS = 500  # a list longer than this may be read newest-first from the store's latest dates
MAX_SCAN = 1000  # … reading at most this many of them (beyond, sorting the entity's own rows is cheaper)
MIN_GAIN = 2  # … and at first at most 1/MIN_GAIN as many dates as the entity has rows


class Dated:
    """Lists of a busy entity (hundreds of participations, statements or articles) read newest first
    from the store's latest dates rather than sorted from all of the entity's rows (see newest_first)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._totals: dict[str, int] | None = None
        self._latest: dict[str, list[Row]] = {}  # what -> the longest list of latest dates read
        self._read: dict[str, int] = {}  # what -> the LIMIT it was read with

    def total(self, what: str) -> int:
        """How many dated events or articles the store holds (dated_counts.rq, once per page)."""
        if self._totals is None:
            r = run(self.store, "dated_counts")[0]
            self._totals = {"events": n(r["events"]) or 0, "articles": n(r["articles"]) or 0}
        return self._totals[what]

    def latest(self, what: str, k: int) -> list[Row]:
        """The ``k`` latest dated events or articles (a prefix of a longer list read before serves: any
        prefix of a list sorted by date is the same query with a smaller LIMIT)."""
        have = self._latest.get(what)
        if have is None or (len(have) < k and len(have) == self._read.get(what)):
            have = self._latest[what] = run(self.store, f"dated_{what}", limit=k)
            self._read[what] = k
        return have[:k]

    def newest_first(self, what: str, query: str, need: int, rows_total: int, tie: tuple[str, ...],
                     **values: Any) -> list[Row] | None:
        """The first ``need`` rows of ``query`` (bound to ``values``), ordered by date, newest first,
        ties by ``tie`` -- the order of the entity's own query, exactly -- read from the store's
        latest dated ``what`` (events or articles; ``dated_*.rq``, one pattern sorted by date alone)
        and kept when ``query`` finds the entity among them (``$items``). Rows dated after the last
        date read are complete; when fewer than ``need`` are, four times as many dates are read.

        None when that would mean reading more than MAX_SCAN dates or, at first, more than 1/MIN_GAIN
        as many as the entity has rows (sorting its own rows is then as cheap), or when undated rows are needed: the
        caller then runs its ordinary query. ``rows_total`` (the entity's rows in all) tells how far
        to read at first."""
        if need <= 0:
            return []
        share = rows_total / max(1, self.total(what))
        k = max(100, int(need / max(share, 1e-9) * 1.5) + 1)
        if k * MIN_GAIN > rows_total:
            return None
        key = "event" if what == "events" else "article"
        while k <= MAX_SCAN:
            base = self.latest(what, k)
            rank: dict[Node, int] = {}
            for r in base:
                rank.setdefault(r["date"], len(rank))  # type: ignore[index]
            complete = len(base) < k
            cut = len(rank) if complete or not base else rank[base[-1]["date"]]  # type: ignore[index]
            rows = [r for r in run(self.store, query, items=values_of(base, key), **values)
                    if r.get("date") in rank and rank[r["date"]] < cut]  # type: ignore[index]
            if len(rows) >= need:
                rows.sort(key=lambda r: (rank[r["date"]], *(s(r.get(k)) for k in tie)))  # type: ignore[index]
                return rows
            if complete or k >= MAX_SCAN:
                return None
            k = min(4 * k, MAX_SCAN)
        return None


def _types(rows: list[Row]) -> list[str]:
    return list(dict.fromkeys(s(r["type"]) for r in rows if r.get("type") is not None))


def _first(rows: list[Row], key: str) -> Node | None:
    return next((r[key] for r in rows if r.get(key) is not None), None)


def _all(rows: list[Row], key: str) -> list[str]:
    return list(dict.fromkeys(s(r[key]) for r in rows if r.get(key) is not None))


# ---------------------------------------------------------------- person


@dataclass
class PostSummary:
    """One post of a person, summed up from all statements: which post, where, since when, how often.

    ``current``: the post was still stated within CURRENT_DAYS of the person's latest post statement
    (the newspapers' view, not an appointment record: a post the papers stopped naming reads as earlier)."""

    post: Link | None
    org: Link | None
    first: str
    last: str
    statements: int
    current: bool


@dataclass
class PostStatement:
    post: Link | None
    org: Link | None
    article: Link | None
    date: str
    evidence: Highlight | None


@dataclass
class TimelineEntry:
    event: Link | None
    date: str
    roles: list[L.Label]
    post: Link | None
    article: Link | None
    evidence: Highlight | None


@dataclass
class CoParticipant:
    link: Link
    count: int


CO_ROWS = 40  # co-participant rows fetched (people among them are shown, up to 12)
BUSY = 1000  # a person in more articles than this gets co-participants over their RECENT latest articles
RECENT = 300
STATEMENT_ROWS = 20  # post statements per page (each row carries a sentence: short pages keep the timeline near)
SUMMARY_ROWS = 50  # posts per page of the post summary
CURRENT_DAYS = 365  # a post still stated this close to the person's latest statement is "current"


@dataclass
class CoWindow:
    """Co-participants were counted over the latest ``articles`` of ``total`` articles; ``query`` is
    the full count, for the editor."""

    articles: int
    total: int
    query: str


@dataclass
class IdentityReason:
    """One line of "why joined": mentions placed for one reason in one jurisdiction (kg.resolve)."""

    reason: L.Label
    jurisdiction: str
    articles: int
    papers: str
    first: str
    last: str
    curated: bool = False  # from the editors' curation file (kg:Curated), said under the table


@dataclass
class Namesake:
    link: Link | None
    jurisdiction: str
    articles: int


@dataclass
class NamesakeEntry:
    link: Link | None
    jurisdiction: str
    posts: list[str]
    articles: int
    first: str
    last: str


@dataclass
class NamePage:
    """A written name and every person of that name (the disambiguation page)."""

    name: str
    people: list[NamesakeEntry]


def namesakes(store: Store, lk: Linker, name: str) -> NamePage:
    """Everyone named exactly ``name``, each with their place, posts, years and articles (kg.resolve)."""
    from kg.resolve import block_iri

    rows = run(store, "name_block", block=URIRef(block_iri(lk.base, name)))
    people = values_of(rows, "p")
    posts: dict[str, list[str]] = defaultdict(list)
    if people:
        for r in run(store, "people_posts", people=people):
            posts[s(r["p"])].append(s(r["label"]))
    info = Lookup(store)(people)
    out = [NamesakeEntry(lk.link(r["p"], name_in(info, r["p"])), s(r.get("where")), sorted(posts[s(r["p"])])[:8],
                         n(r["articles"]) or 0, s(r.get("first"))[:4], s(r.get("last"))[:4]) for r in rows]
    return NamePage(name, out)


@dataclass
class PersonPage:
    iri: str
    name: str
    pinyin: str
    alternate_names: list[str]
    posts: list[PostStatement]
    post_total: int
    posts_paging: Paging
    post_summary: list[PostSummary]
    summary_paging: Paging
    timeline: list[TimelineEntry]
    timeline_paging: Paging
    event_count: int
    co_participants: list[CoParticipant]
    network: list[SvgNode]
    articles: list[ArticleRef]
    articles_paging: Paging
    grants: list[Grant]
    co_window: CoWindow | None = None
    kind: str = "person"
    identity: list[IdentityReason] = field(default_factory=list)
    namesakes: list[Namesake] = field(default_factory=list)
    grants_paging: Paging | None = None


def person(store: Store, lk: Linker, iri: str, page: int = 1,
           lists: dict[str, int] | None = None) -> PersonPage | None:
    """The person page. ``page`` pages the timeline (``?page=``); ``lists`` the other lists by their own
    parameters (``posts_page``: statements, ``summary_page``: the post summary, ``articles_page``)."""
    lists = lists or {}
    this = URIRef(iri)
    head = run(store, "person", this=this)
    if L.SCHEMA + "Person" not in _types(head):
        return None
    name = s(_first(head, "name")) or L.local_name(iri)
    alts = _all(head, "alt")
    names = (name, *alts)
    dated, look = Dated(store), Lookup(store)
    art_total = n(run(store, "mentioned_in_count", this=this)[0]["n"]) or 0
    # a busy person: their latest RECENT articles first (the co-participants' window, the first pages of
    # their articles), which also reads far enough into the store's latest dates for the other lists
    recent = dated.newest_first("articles", "mentioned_in_at", RECENT, art_total, ("article",), this=this) \
        if art_total > BUSY else None
    # posts: the summary (every post, first and last date, statements), then one page of statements
    counted = run(store, "person_posts_count", this=this)[0]
    post_total = n(counted["n"]) or 0
    summary, summary_paging = _post_summary(store, lk, this, n(counted["posts"]) or 0,
                                            lists.get("summary_page", 1), look)
    posts_paging = _paging(post_total, lists.get("posts_page", 1), STATEMENT_ROWS, "posts_page")
    stated = _statement_rows(dated, this, posts_paging)
    held = local_nodes(store, [h for _, hs in stated for h in hs])
    rows = [r for r, _ in stated]
    info = look(values_of(rows, "post") + values_of(rows, "article"))
    orgs = {s(p): first(info, p, ORG_POST_IN) for p in values_of(rows, "post")}
    info = look([o for o in orgs.values() if o is not None])
    posts = []
    for r, hs in stated:
        h = next((held[s(x)] for x in hs
                  if s(first(held, x, L.KG + "heldPost")) == s(r["post"])), None)
        org = orgs.get(s(r["post"]))
        posts.append(PostStatement(lk.link(r["post"], name_in(info, r["post"])), lk.link(org, name_in(info, org)),
                                   lk.link(r["article"], name_in(info, r["article"])), fmt_date(r.get("date")),
                                   node_evidence(h, names) if h else None))
    # the timeline: one page of participations, then their details and the names they link to
    counts = run(store, "person_timeline_count", this=this)[0]
    paging = _paging(n(counts["n"]) or 0, page)
    rows = None
    if paging.total > BUSY_ROWS:
        rows = dated.newest_first("events", "person_timeline_at", min(paging.total, paging.offset + paging.size),
                                  paging.total, ("part",), this=this)
    if rows is not None:
        rows = rows[paging.offset:paging.offset + paging.size]
    else:
        rows = run(store, "person_timeline", limit=paging.size, offset=paging.offset, this=this)
    nodes = local_nodes(store, values_of(rows, "part"))
    post_of = {s(r["part"]): first(nodes, r["part"], KG_POST) for r in rows}
    info = look(values_of(rows, "event") + values_of(rows, "article") + [p for p in post_of.values() if p is not None])
    timeline = []
    for r in rows:
        node = nodes.get(s(r["part"]), {})
        post = post_of[s(r["part"])]
        timeline.append(TimelineEntry(
            lk.link(r["event"], name_in(info, r["event"])), fmt_date(r["date"]),
            roles_of(" ".join(s(x) for x in node.get(KG_ROLE, []))), lk.link(post, name_in(info, post)),
            lk.link(r["article"], name_in(info, r["article"])), node_evidence(node, names)))
    # co-participants: the most frequent agents at the same events, people only
    arts, apaging = _articles(store, lk, this, lists.get("articles_page", 1), dated, art_total, recent, look)
    apaging.param = "articles_page"
    grants, gpaging = _grants(store, lk, this, lists.get("grants_page", 1))
    _keep_together(summary_paging, posts_paging, paging, apaging, gpaging)
    window = None
    if recent is not None:
        window = CoWindow(RECENT, apaging.total, bind(load("person_coparticipants"), {"this": this, "min": 1})
                          + f"LIMIT {CO_ROWS}\n")
        co_rows = _co_participants(store, this, values_of(recent[:RECENT], "article"))
    else:
        co_rows = _co_participants(store, this)
    info = look(values_of(co_rows, "other"))
    co = [CoParticipant(lk.link(r["other"], name_in(info, r["other"])), n(r["n"]) or 0)  # type: ignore[arg-type]
          for r in co_rows if L.SCHEMA + "Person" in [s(x) for x in info.get(s(r["other"]), {}).get(RDF_TYPE, [])]][:12]
    network = radial_layout([(c.link.text, c.link.href, c.count) for c in co])
    identity, namesakes = _identity(store, lk, this, look)
    return PersonPage(iri, name, s(_first(head, "pinyin")), alts, posts, post_total, posts_paging, summary,
                      summary_paging, timeline, paging,
                      n(counts["events"]) or 0, co, network, arts, apaging, grants, window,
                      identity=identity, namesakes=namesakes, grants_paging=gpaging)


def _identity(store: Store, lk: Linker, this: URIRef, look: Lookup) -> tuple[list[IdentityReason], list[Namesake]]:
    """Why the mentions of ``this`` are one person, and the other people of the same written name
    (the resolution layer, kg.resolve; empty on a store without it)."""
    reasons = [IdentityReason(L.label(s(r["reason"])), s(r.get("jur")), n(r["articles"]) or 0, s(r.get("papers")),
                              s(r.get("first"))[:10], s(r.get("last"))[:10], s(r["reason"]).endswith("#Curated"))
               for r in run(store, "person_identity", this=this)]
    rows = run(store, "person_namesakes", this=this)
    info = look(values_of(rows, "other"))
    others = [Namesake(lk.link(r["other"], name_in(info, r["other"])), s(r.get("where")), n(r.get("articles")) or 0)
              for r in rows]
    return reasons, others


def _post_summary(store: Store, lk: Linker, this: URIRef, posts: int, page: int,
                  look: Lookup) -> tuple[list[PostSummary], Paging]:
    """One page of ``this``'s posts summed up (person_post_summary.rq: one aggregate over the post
    statements, grouped by post, newest last date first). The rows up to the page are read, not only the
    page: the first row's last date (the person's latest statement) decides which posts are current, and
    the groups are few next to the statements they sum (the aggregation is the cost, not the rows)."""
    paging = _paging(posts, page, SUMMARY_ROWS, "summary_page")
    rows = run(store, "person_post_summary", limit=paging.offset + paging.size, this=this) if posts else []
    latest = _day(rows[0].get("last")) if rows else None
    rows = rows[paging.offset:]
    info = look(values_of(rows, "post"))
    orgs = {s(p): first(info, p, ORG_POST_IN) for p in values_of(rows, "post")}
    info = look([o for o in orgs.values() if o is not None])
    out = []
    for r in rows:
        last, org = _day(r.get("last")), orgs.get(s(r["post"]))
        current = latest is not None and last is not None and (latest - last).days <= CURRENT_DAYS
        out.append(PostSummary(lk.link(r["post"], name_in(info, r["post"])), lk.link(org, name_in(info, org)),
                               fmt_date(r.get("first")), fmt_date(r.get("last")), n(r["n"]) or 0, current))
    return out, paging


def _day(v: Node | None) -> date | None:
    """The calendar day of an xsd:date (or dateTime) value; None for other values (gMonthDay, text)."""
    try:
        return date.fromisoformat(s(v)[:10]) if v is not None else None
    except ValueError:
        return None


def _statement_rows(dated: Dated, this: URIRef, paging: Paging) -> list[tuple[Row, list[Node]]]:
    """One page of ``this``'s post statements (person_posts.rq's order: newest first, ties by post and
    article), each with the post-holding nodes of ``this`` in that article (the view keeps
    the one about the row's post). Past BUSY_ROWS statements the first pages are read from the
    store's latest articles (Dated.newest_first, person_posts_at.rq); deeper pages, or when that reads
    too far, sort the person's own statements."""
    rows = None
    if paging.total > BUSY_ROWS:
        rows = dated.newest_first("articles", "person_posts_at", min(paging.total, paging.offset + paging.size),
                                  paging.total, ("post", "article"), this=this)
    if rows is not None:
        rows = rows[paging.offset:paging.offset + paging.size]
    else:
        rows = run(dated.store, "person_posts", limit=paging.size, offset=paging.offset, this=this)
    holdings: dict[str, list[Node]] = {}
    if rows:
        for r in run(dated.store, "person_holdings_at", this=this, items=values_of(rows, "article")):
            holdings.setdefault(s(r["article"]), []).append(r["holding"])  # type: ignore[arg-type]
    return [(r, holdings.get(s(r["article"]), [])) for r in rows]


def _co_participants(store: Store, this: URIRef, articles: list[Node] | None = None) -> list[Row]:
    """The CO_ROWS agents sharing most events with ``this`` (over all its articles, or over
    ``articles`` only), ties by IRI. The query orders by count alone (see person_coparticipants.rq);
    when the cut-off count is tied, every agent with at least that count is fetched and sorted here."""
    name, extra = ("person_coparticipants", {}) if articles is None else ("person_coparticipants_recent",
                                                                          {"articles": articles})
    rows = run(store, name, limit=CO_ROWS, this=this, min=1, **extra)
    if len(rows) == CO_ROWS:
        rows = run(store, name, this=this, min=n(rows[-1]["n"]) or 1, **extra)
    rows.sort(key=lambda r: (-(n(r["n"]) or 0), s(r["other"])))
    return rows[:CO_ROWS]


# ---------------------------------------------------------------- organisation


@dataclass
class Holder:
    person: Link | None
    first: str
    last: str
    articles: int


@dataclass
class PostHolders:
    post: Link
    holders: list[Holder]


@dataclass
class EventRef:
    link: Link
    date: str
    hows: list[str]


@dataclass
class OrganizationPage:
    iri: str
    name: str
    alternate_names: list[str]
    org_kind: str
    types: list[L.Label]
    posts: list[PostHolders]
    events: list[EventRef]
    grants: list[Grant]
    articles: list[ArticleRef]
    articles_paging: Paging
    events_paging: Paging | None = None
    grants_paging: Paging | None = None
    kind: str = "organization"


def _how_label(h: str) -> str:
    return str(L.label(h)) if h.startswith("http") else h


def organization(store: Store, lk: Linker, iri: str, page: int = 1,
                 lists: dict[str, int] | None = None) -> OrganizationPage | None:
    """The organisation page. ``page`` pages the articles (``?page=``), ``lists["events_page"]`` the
    events, each to its end."""
    lists = lists or {}
    this = URIRef(iri)
    head = run(store, "organization", this=this)
    types = _types(head)
    if L.SCHEMA + "Organization" not in types:
        return None
    posts: dict[str, PostHolders] = {}
    for r in run(store, "organization_posts", this=this):
        ph = posts.setdefault(s(r["post"]), PostHolders(lk.link(r["post"], r["label"]), []))  # type: ignore[arg-type]
        if r["person"] is not None:
            ph.holders.append(Holder(lk.link(r["person"], r["name"]), fmt_date(r["first"]), fmt_date(r["last"]),
                                     n(r["articles"]) or 0))
    epaging = _paging(n(run(store, "organization_events_count", this=this)[0]["n"]) or 0,
                      lists.get("events_page", 1), PAGE_SIZE, "events_page")
    rows = run(store, "organization_events", limit=epaging.size, offset=epaging.offset, this=this) \
        if epaging.total else []
    events = [EventRef(lk.link(r["event"], r["name"]), fmt_date(r["date"]),  # type: ignore[arg-type]
                       [_how_label(h) for h in s(r["hows"]).split()])
              for r in rows]
    arts, apaging = _articles(store, lk, this, page, Dated(store))
    grants, gpaging = _grants(store, lk, this, lists.get("grants_page", 1))
    _keep_together(epaging, apaging, gpaging)
    return OrganizationPage(iri, s(_first(head, "name")) or L.local_name(iri), _all(head, "alt"),
                            s(_first(head, "kind")), [L.label(t) for t in types], list(posts.values()), events,
                            grants, arts, apaging, epaging, gpaging)


# ---------------------------------------------------------------- event


@dataclass
class Participant:
    agent: Link | None
    agent_kind: str
    post: Link | None
    article: Link | None
    evidence: Highlight | None


@dataclass
class SentenceGroup:
    """Participants of one role stated by one sentence: the sentence is shown once, every mention marked."""

    participants: list[Participant]
    sentence: list[tuple[str, bool]]
    article: Link | None


@dataclass
class RoleGroup:
    role: L.Label
    participants: list[Participant]

    @property
    def by_sentence(self) -> list[SentenceGroup]:
        groups: dict[tuple[str, str], SentenceGroup] = {}
        spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        out: list[SentenceGroup] = []
        for p in self.participants:
            if p.evidence is None:
                out.append(SentenceGroup([p], [], p.article))
                continue
            text = p.evidence.before + p.evidence.mark + p.evidence.after
            key = (text, p.article.iri if p.article else "")
            a = len(p.evidence.before)
            spans.setdefault(key, []).append((a, a + len(p.evidence.mark)))
            if key not in groups:
                groups[key] = SentenceGroup([], [], p.article)
                out.append(groups[key])
            groups[key].participants.append(p)
        for key, g in groups.items():
            g.sentence = marks(key[0], spans[key])
        return out


@dataclass
class EventPage:
    iri: str
    name: str
    types: list[L.Label]
    date: str
    places: list[Link]
    organizers: list[Link]
    super_events: list[Link]
    sub_events: list[Link]
    evidence: list[str]
    roles: list[RoleGroup]
    participant_count: int
    grants: list[Grant]
    articles: list[ArticleRef]
    articles_paging: Paging
    grants_paging: Paging | None = None
    kind: str = "event"


def _links(lk: Linker, rows: list[Row], key: str, label: str) -> list[Link]:
    seen: dict[str, Link] = {}
    for r in rows:
        if r.get(key) is not None and s(r[key]) not in seen:
            seen[s(r[key])] = lk.link(r[key], r.get(label))  # type: ignore[assignment]
    return list(seen.values())


def event(store: Store, lk: Linker, iri: str, page: int = 1,
          lists: dict[str, int] | None = None) -> EventPage | None:
    """The event page. ``page`` pages the articles (``?page=``), ``lists["grants_page"]`` the grants."""
    lists = lists or {}
    this = URIRef(iri)
    head = run(store, "event", this=this)
    types = _types(head)
    if not any(L.KIND_OF_CLASS.get(t) == "event" for t in types):
        return None
    groups: dict[str, list[Participant]] = defaultdict(list)
    parts = run(store, "event_participants", this=this)
    nodes = local_nodes(store, values_of(parts, "part"))
    agents = {s(r["part"]): first(nodes, r["part"], KG_AGENT) for r in parts}
    posts = {s(r["part"]): first(nodes, r["part"], KG_POST) for r in parts}
    info = lookup(store, [x for x in (*agents.values(), *posts.values()) if x is not None]
                  + values_of(parts, "article"))
    for r in sorted(parts, key=lambda r: name_in(info, agents[s(r["part"])])):
        node = nodes.get(s(r["part"]), {})
        agent, post = agents[s(r["part"])], posts[s(r["part"])]
        if agent is None:
            continue
        agent_name = name_in(info, agent)
        agent_types = [s(x) for x in info.get(s(agent), {}).get(RDF_TYPE, [])]
        p = Participant(lk.link(agent, agent_name), L.kind_of_classes(agent_types) or "person",
                        lk.link(post, name_in(info, post)), lk.link(r["article"], name_in(info, r["article"])),
                        node_evidence(node, (agent_name,)))
        for role in sorted({s(x) for x in node.get(KG_ROLE, [])}) or ["?"]:
            groups[role].append(p)
    roles = [RoleGroup(L.label(k) if k != "?" else L.Label("角色不详", "role unknown"), v)
             for k, v in sorted(groups.items(), key=lambda kv: L.role_rank(kv[0]))]
    shown = [t for t in types if t not in (L.SCHEMA + "Event",)] or types
    arts, apaging = _articles(store, lk, this, page, Dated(store))
    grants, gpaging = _grants(store, lk, this, lists.get("grants_page", 1))
    _keep_together(apaging, gpaging)
    return EventPage(iri, s(_first(head, "name")) or L.local_name(iri), [L.label(t) for t in shown],
                     fmt_date(_first(head, "date")), _links(lk, head, "place", "placeName"),
                     _links(lk, head, "organizer", "organizerName"), _links(lk, head, "super", "superName"),
                     _links(lk, head, "sub", "subName"), _all(head, "evidence"), roles, len(parts),
                     grants, arts, apaging, gpaging)


# ---------------------------------------------------------------- article


@dataclass
class Credit:
    role: L.Label
    person: Link | None


@dataclass
class Mention:
    link: Link
    kind: str
    names: list[str]


@dataclass
class Fact:
    event: Link | None
    event_date: str
    agent: Link | None
    roles: list[L.Label]
    post: Link | None
    evidence: str


@dataclass
class Holding:
    person: Link | None
    post: Link | None
    org: Link | None
    evidence: str


@dataclass
class Amount:
    amount: str
    text: str
    recipient: Link | None
    funder: Link | None
    event: Link | None
    purpose: str
    evidence: str


@dataclass
class ArticlePage:
    iri: str
    headline: str
    kickers: list[str]
    subtitles: list[str]
    date: str
    publisher: Link | None
    locality: str
    source: str
    credits: list[Credit]
    paragraphs: list[list[Segment]]
    entities: dict[str, Mention]
    mentions_by_kind: dict[str, list[Mention]]
    facts: list[Fact]
    holdings: list[Holding]
    amounts: list[Amount]
    open_questions: list[str]
    kind: str = "article"
    url: str = ""  # where the article was published (schema:url), shown as a link: a journalist cites it
    pagination: str = ""  # 版次


CREDIT_ORDER = [L.KG + "reporter", L.KG + "correspondent", L.SCHEMA + "author", L.KG + "photographer"]


def article(store: Store, lk: Linker, iri: str, page: int = 1) -> ArticlePage | None:
    this = URIRef(iri)
    head = run(store, "article", this=this)
    if not head:
        return None
    credits_rows = run(store, "article_credits", this=this)
    specific = {s(r["person"]) for r in credits_rows if s(r["prop"]) in (L.KG + "reporter", L.KG + "correspondent")}
    credits = [Credit(L.label(s(r["prop"])), lk.link(r["person"], r["name"]))
               for r in sorted(credits_rows, key=lambda r: (CREDIT_ORDER.index(s(r["prop"])), s(r["name"])))
               if not (s(r["prop"]) == L.SCHEMA + "author" and s(r["person"]) in specific)]
    entities: dict[str, Mention] = {}
    names: dict[str, str] = {}
    for r in run(store, "article_mentions", this=this):
        key = s(r["entity"])
        kind = L.KIND_OF_CLASS.get(s(r["type"])) if r["type"] is not None else None
        m = entities.get(key)
        if m is None:
            m = entities[key] = Mention(lk.link(r["entity"], r["name"]), kind or lk.kind(key) or "other", [])  # type: ignore[arg-type]
        elif kind and m.kind == "other":
            m.kind = kind
        if s(r["name"]) not in m.names:
            m.names.append(s(r["name"]))
        names.setdefault(s(r["name"]), key)
    body = s(_first(head, "body"))
    paragraphs = [link_names(p, names) for p in body.split("\n") if p.strip()]
    by_kind: dict[str, list[Mention]] = defaultdict(list)
    for m in sorted(entities.values(), key=lambda m: m.link.text):
        by_kind[m.kind].append(m)
    facts = [Fact(lk.link(r["event"], r["eventName"]), fmt_date(r["eventDate"]), lk.link(r["agent"], r["agentName"]),
                  roles_of(r["roles"]), lk.link(r["post"], r["postLabel"]), s(r["evidence"]))
             for r in run(store, "article_facts", this=this)]
    holdings = [Holding(lk.link(r["person"], r["name"]), lk.link(r["post"], r["label"]),
                        lk.link(r["org"], r["orgName"]), s(r["evidence"]))
                for r in run(store, "article_holdings", this=this)]
    amount_rows = run(store, "article_amounts", this=this)
    amounts = [Amount(fmt_yuan(r["value"]), s(r["text"]), lk.link(r["recipient"], r["recipientName"]),
                      lk.link(r["funder"], r["funderName"]), lk.link(r["event"], r["eventName"]), s(r["purpose"]),
                      s(r["evidence"]))
               for r in amount_rows]
    return ArticlePage(iri, s(_first(head, "headline")), _all(head, "kicker"), _all(head, "subtitle"),
                       fmt_date(_first(head, "date")),
                       lk.link(_first(head, "publisher"), _first(head, "publisherName")),
                       s(_first(head, "locality")), s(_first(head, "sourceFile")), credits, paragraphs, entities,
                       dict(by_kind), facts, holdings, amounts,
                       open_questions(entities, facts, holdings, amounts, credits),
                       url=web_url(s(_first(head, "url"))), pagination=s(_first(head, "pagination")))


def web_url(url: str) -> str:
    """Only http(s) URLs become links (a stored ``javascript:`` IRI, written by SPARQL Update, must not)."""
    return url if url.lower().startswith(("http://", "https://")) else ""


def open_questions(entities: dict[str, Mention], facts: list[Fact], holdings: list[Holding],
                   amounts: list[Amount], credits: list[Credit]) -> list[str]:
    """What the extraction left undecided, for a reviewer: undated events, roleless or postless facts …"""
    out: list[str] = []
    seen_events = {f.event.iri for f in facts if f.event}
    for m in entities.values():
        if m.kind == "event" and m.link.iri not in seen_events:
            out.append(f"事件「{m.link.text}」没有参与者 / event without participants")
    for f in facts:
        who = f.agent.text if f.agent else "?"
        what = f.event.text if f.event else "?"
        if not f.roles:
            out.append(f"{who} 在「{what}」中的角色不详 / role unknown")
        if "年份不详" in f.event_date:
            out.append(f"「{what}」的年份不详 / year unknown")
        if not f.evidence:
            out.append(f"{who} 在「{what}」中的参与没有证据原句 / no evidence sentence")
    for h in holdings:
        if h.org is None and h.post is not None:
            who = h.person.text if h.person else "?"
            out.append(f"{who} 的职务「{h.post.text}」未确定所属机构 / post without organisation")
    for a in amounts:
        if a.recipient is None and a.event is None and a.funder is None:
            out.append(f"金额 {a.text or a.amount} 未关联到资助或事件 / amount not linked to a grant")
    active = {f.agent.iri for f in facts if f.agent} | {h.person.iri for h in holdings if h.person}
    active |= {c.person.iri for c in credits if c.person}
    for m in entities.values():
        if m.kind == "person" and m.link.iri not in active:
            out.append(f"人物「{m.link.text}」只被提及，无职务或参与 / person named without post or role")
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------- post, place


@dataclass
class PostPage:
    iri: str
    label: str
    org: Link | None
    holders: list[Holder]
    kind: str = "post"


def post(store: Store, lk: Linker, iri: str, page: int = 1) -> PostPage | None:
    this = URIRef(iri)
    head = run(store, "post", this=this)
    if not head:
        return None
    holders = [Holder(lk.link(r["person"], r["name"]), fmt_date(r["first"]), fmt_date(r["last"]), n(r["articles"]) or 0)
               for r in run(store, "post_holders", this=this)]
    return PostPage(iri, s(_first(head, "label")) or L.local_name(iri), lk.link(_first(head, "org"),
                    _first(head, "orgName")), holders)


@dataclass
class PlacePage:
    iri: str
    name: str
    events: list[EventRef]
    articles: list[ArticleRef]
    articles_paging: Paging
    kind: str = "place"


def place(store: Store, lk: Linker, iri: str, page: int = 1) -> PlacePage | None:
    this = URIRef(iri)
    rows = run(store, "place", this=this)
    if not rows:
        return None
    events = [EventRef(lk.link(r["event"], r["eventName"]), fmt_date(r["date"]), [])  # type: ignore[arg-type]
              for r in rows if r["event"] is not None]
    arts, apaging = _articles(store, lk, this, page, Dated(store))
    return PlacePage(iri, s(_first(rows, "name")) or L.local_name(iri), events, arts, apaging)


# ---------------------------------------------------------------- home, search


@dataclass
class ClassCount:
    cls: str
    label: L.Label
    count: int

    @property
    def query(self) -> str:
        """A query listing instances of this class with their names (linked from the home page)."""
        return (f"# Every {self.label.en} ({self.label.zh}), with its name\n"
                "PREFIX schema: <https://schema.org/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\n"
                f"SELECT ?s (SAMPLE(?n) AS ?name)\nWHERE {{\n  GRAPH ?g {{ ?s a <{self.cls}> .\n"
                "    OPTIONAL { ?s schema:name|rdfs:label|schema:headline ?n } }\n}\n"
                "GROUP BY ?s\nORDER BY ?name\nLIMIT 500\n")


@dataclass
class HomePage:
    quads: int
    counts: list[ClassCount]
    events: list[EventRef]
    articles: list[ArticleRef]
    counting: bool = False  # class counts still being computed (large stores)
    kind: str = "home"


SYNC_COUNT_LIMIT = 200_000  # quads; above this, class counts are computed in the background
_count_cache: dict[tuple[int, int], list[Row]] = {}
_count_running: set[tuple[int, int]] = set()
_count_lock = threading.Lock()


def class_counts(store: Store, quads: int | None = None) -> list[Row] | None:
    """Entities per class. The count scans every type triple of the union graph, which takes minutes
    on a store of 100k articles: small stores count at once, large ones in a background thread
    (one per store size), and the home page says so until the figures are ready."""
    key = (id(store), quad_count(store) if quads is None else quads)
    with _count_lock:
        if key in _count_cache:
            return _count_cache[key]
        if key[1] <= SYNC_COUNT_LIMIT:
            _count_cache[key] = run(store, "home_counts")
            return _count_cache[key]
        if key in _count_running:
            return None
        _count_running.add(key)

    def work() -> None:
        try:
            rows = run(store, "home_counts")
            with _count_lock:
                _count_cache[key] = rows
        finally:
            with _count_lock:
                _count_running.discard(key)

    threading.Thread(target=work, name="home-class-counts", daemon=True).start()
    return None


HOME_ROWS = 12


def recent_articles(store: Store) -> list[Row]:
    """The HOME_ROWS newest articles, ties by IRI (the same rows as home_articles_all.rq): the dates of
    the newest, then every article of those dates."""
    dated = run(store, "home_articles")
    dates = values_of(dated, "date")
    if len(dated) < HOME_ROWS:
        return run(store, "home_articles_all")
    order = {s(d): i for i, d in enumerate(dates)}
    rows = sorted(run(store, "home_articles_on", dates=dates), key=lambda r: (order[s(r["date"])], s(r["article"])))
    if len(rows) < HOME_ROWS:  # something other than an article had a date
        return run(store, "home_articles_all")
    return rows[:HOME_ROWS]


QUAD_COUNT_TTL = 30.0  # seconds a slow quad count is reused
SLOW_COUNT = 0.02  # seconds: a count slower than this is cached
_quads: dict[int, tuple[Any, int, float, float]] = {}  # id(store) -> (store ref, count, when, took)
_quads_running: set[int] = set()


def quad_count(store: Store) -> int:
    """The store's quad count for the home page. Oxigraph counts by scanning every quad (150 ms at 1M
    quads), so a count that took more than SLOW_COUNT seconds is reused for QUAD_COUNT_TTL seconds and
    then recounted in a background thread while the last figure is shown; small stores count on
    every request."""
    key, now = id(store), time.monotonic()
    with _count_lock:
        hit = _quads.get(key)
        if hit is not None and hit[0]() is store and hit[3] >= SLOW_COUNT:
            if now - hit[2] >= QUAD_COUNT_TTL and key not in _quads_running:
                _quads_running.add(key)
                threading.Thread(target=_recount, args=(store,), name="home-quad-count", daemon=True).start()
            return hit[1]
    return _recount(store)


def _recount(store: Store) -> int:
    t = time.monotonic()
    try:
        c = store.quad_count()
        with _count_lock:
            _quads[id(store)] = (_ref(store), c, time.monotonic(), time.monotonic() - t)
        return c
    finally:
        with _count_lock:
            _quads_running.discard(id(store))


def _ref(store: Store) -> Any:
    try:
        return weakref.ref(store)
    except TypeError:  # not weak-referenceable: never reused
        return lambda: None


def home(store: Store, lk: Linker) -> HomePage:
    quads = quad_count(store)
    rows = class_counts(store, quads)
    counts = [ClassCount(s(r["class"]), L.label(s(r["class"])), n(r["n"]) or 0) for r in rows or []]
    ev_rows, art_rows = run(store, "home_events"), recent_articles(store)
    info = lookup(store, values_of(ev_rows, "event") + values_of(art_rows, "article"))
    events = [EventRef(lk.link(r["event"], name_in(info, r["event"])), fmt_date(r["date"]), [])  # type: ignore[arg-type]
              for r in ev_rows]
    arts = [ArticleRef(lk.link(r["article"], name_in(info, r["article"])), fmt_date(r["date"]))  # type: ignore[arg-type]
            for r in art_rows]
    return HomePage(quads, counts, events, arts, counting=rows is None)


# Search lives in kg.web.pages.search (the page) over kg.search (the index), issue 17 item 3.


VIEWS = {"person": person, "organization": organization, "event": event, "article": article, "post": post,
         "place": place}
