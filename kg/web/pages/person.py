"""The person page: name, post summary and statements, timeline, co-participants, identity, grants,
articles; each list paged on its own parameter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.term import Node

from kg.store.base import Store
from kg.web.pages import labels as L
from kg.web.pages.common import (
    KG_POST,
    KG_ROLE,
    ORG_POST_IN,
    RDF_TYPE,
    Link,
    Linker,
    Lookup,
    all_values,
    day_of,
    first,
    first_value,
    fmt_date,
    local_nodes,
    n,
    name_in,
    node_evidence,
    roles_of,
    s,
    types_of,
)
from kg.web.pages.lists import ArticleRef, Grant, article_list, grant_list
from kg.web.pages.paging import BUSY_ROWS, Dated, Paging, keep_together, make_paging, year_jumps
from kg.web.pages.queries import Row, bind, load, run, run_each, run_union, values_of
from kg.web.pages.text import Highlight, radial_layout
from kg.web.pages.text import Node as SvgNode


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
    career: bool = False  # one career across lines of work (kg:CareerJoin, kg.careers), said under the table


@dataclass
class Namesake:
    link: Link | None
    jurisdiction: str
    articles: int


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
    if L.SCHEMA + "Person" not in types_of(head):
        return None
    name = s(first_value(head, "name")) or L.local_name(iri)
    alts = all_values(head, "alt")
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
    posts_paging = make_paging(post_total, lists.get("posts_page", 1), STATEMENT_ROWS, "posts_page")
    posts = _post_statements(dated, lk, this, posts_paging, look, names)
    counts = run(store, "person_timeline_count", this=this)[0]
    paging = make_paging(n(counts["n"]) or 0, page)
    year_jumps(store, "person_timeline", paging, this=this)
    timeline = _timeline(dated, lk, this, paging, look, names)
    arts, apaging = article_list(store, lk, this, lists.get("articles_page", 1), dated, art_total, recent, look,
                                 "articles_page")
    grants, gpaging = grant_list(store, lk, this, lists.get("grants_page", 1))
    keep_together(summary_paging, posts_paging, paging, apaging, gpaging)
    co, window = _co_section(store, lk, this, recent, apaging.total, look)
    network = radial_layout([(c.link.text, c.link.href, c.count) for c in co])
    # "why joined" by scans for a person in a large share of the store's articles (person_identity_busy.rq;
    # dated.total is read already, by newest_first, when the person is BUSY), by rows for a person of few
    form = "busy" if recent is not None and art_total * IDENTITY_SCAN_SHARE >= dated.total("articles") \
        else "rows" if art_total <= IDENTITY_FEW else "grouped"
    identity, namesakes = _identity(store, lk, this, look, form)
    return PersonPage(iri, name, s(first_value(head, "pinyin")), alts, posts, post_total, posts_paging, summary,
                      summary_paging, timeline, paging,
                      n(counts["events"]) or 0, co, network, arts, apaging, grants, window,
                      identity=identity, namesakes=namesakes, grants_paging=gpaging)


def _post_statements(dated: Dated, lk: Linker, this: URIRef, paging: Paging, look: Lookup,
                     names: tuple[str, ...]) -> list[PostStatement]:
    """One page of the person's post statements, each with its post, organisation, article and sentence."""
    stated = _statement_rows(dated, this, paging)
    held = local_nodes(dated.store, [h for _, hs in stated for h in hs])
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
    return posts


def _timeline(dated: Dated, lk: Linker, this: URIRef, paging: Paging, look: Lookup,
              names: tuple[str, ...]) -> list[TimelineEntry]:
    """One page of participations (newest first), then their details and the names they link to."""
    store = dated.store
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
    return timeline


def _co_section(store: Store, lk: Linker, this: URIRef, recent: list[Row] | None, articles: int,
                look: Lookup) -> tuple[list[CoParticipant], CoWindow | None]:
    """The most frequent agents at the same events, people only (for a busy person, over their ``recent``
    articles, with the full count as a query for the editor)."""
    window = None
    if recent is not None:
        window = CoWindow(RECENT, articles, bind(load("person_coparticipants"), {"this": this, "min": 1})
                          + f"LIMIT {CO_ROWS}\n")
        co_rows = _co_participants(store, this, values_of(recent[:RECENT], "article"))
    else:
        co_rows = _co_participants(store, this)
    info = look(values_of(co_rows, "other"))
    co = [CoParticipant(lk.link(r["other"], name_in(info, r["other"])), n(r["n"]) or 0)  # type: ignore[arg-type]
          for r in co_rows if L.SCHEMA + "Person" in [s(x) for x in info.get(s(r["other"]), {}).get(RDF_TYPE, [])]][:12]
    return co, window


def _identity(store: Store, lk: Linker, this: URIRef, look: Lookup,
              form: str = "grouped") -> tuple[list[IdentityReason], list[Namesake]]:
    """Why the mentions of ``this`` are one person, and the other people of the same written name
    (the resolution layer, kg.resolve; empty on a store without it). ``form``: how "why joined" is read,
    the same rows each way: grouped by the store (person_identity.rq), ``busy`` for a person named in a
    large share of the store's articles (person_identity_busy.rq, by scans), ``rows`` for a person of few
    (person_identity_rows.rq, grouped here, asked with person_namesakes.rq in one request). The answers
    are kept until the store is written however fast they came (``quick``): small, and asked on every
    view of the page."""
    if form == "rows":  # both sections in one request (a request costs about what these small answers do)
        mine, theirs = run_union(store, [("person_identity_rows", "reason", {"this": this}),
                                         ("person_namesakes", "other", {"this": this})], quick=True)
        rows = _grouped(mine)
    else:
        if form == "busy":
            blocks = values_of(run(store, "person_blocks", quick=True, this=this), "block")
            rows = run(store, "person_identity_busy", quick=True, this=this, blocks=blocks) if blocks else []
        else:
            rows = run(store, "person_identity", quick=True, this=this)
        theirs = run(store, "person_namesakes", quick=True, this=this)
    near = _namesakes(theirs)
    # the papers busy rows leave unnamed, and namesakes named nowhere their samples' articles say
    unnamed = [r["pub"] for r in rows if r.get("pub") is not None and r.get("paper") is None] \
        + [URIRef(o) for o, (_, _, name) in near.items() if not name]
    names = {o: name for o, (_, _, name) in near.items() if name}  # paper or namesake IRI -> its least name
    for r in rows:
        if r.get("pub") is not None and r.get("paper") is not None:
            names[s(r["pub"])] = min(names.get(s(r["pub"])) or s(r["paper"]), s(r["paper"]))
    for r in run_each(store, "person_identity_name", "iri", list(dict.fromkeys(unnamed)), quick=True):
        names[s(r["iri"])] = min(names.get(s(r["iri"])) or s(r["name"]), s(r["name"]))
    info = look([URIRef(o) for o in near if o not in names])  # none stated there: the usual look-up
    others = [Namesake(lk.link(URIRef(o), names.get(o) or name_in(info, URIRef(o))), where, articles)
              for o, (where, articles, _) in near.items()]
    return _reasons(rows, names), others


NAMESAKE_ROWS = 50  # namesakes shown, most articles first
Grouped = Mapping[str, Node | str | int | None]  # a row of person_identity.rq, or _grouped's (plain figures)
IDENTITY_FEW = 20  # "why joined" from a row per mention for a person in at most this many articles


def _grouped(rows: list[Row]) -> list[Grouped]:
    """person_identity_rows.rq's rows (a mention each) as person_identity.rq's (per reason, jurisdiction
    and paper: distinct articles, least and greatest date, least paper name), the figures as plain
    values (_reasons reads lexical forms: rdflib literals cost 3-5 µs each, most of this step)."""
    groups: dict[tuple[Node | None, ...], tuple[set[str], list[str], list[str]]] = {}
    for r in rows:
        arts, dates, named = groups.setdefault((r["reason"], r.get("jur"), r.get("pub")), (set(), [], []))
        arts.add(s(r["article"]))
        dates += [s(r["date"])] if r.get("date") is not None else []
        named += [s(r["named"])] if r.get("named") is not None else []
    return [{"reason": reason, "jur": jur, "pub": pub, "articles": len(arts),
             "first": min(dates) if dates else None, "last": max(dates) if dates else None,
             "paper": min(named) if named else None}
            for (reason, jur, pub), (arts, dates, named) in groups.items()]


def _namesakes(rows: list[Row]) -> dict[str, tuple[str, int, str]]:
    """person_namesakes.rq's rows (a join each, or a join per name) as namesake IRI -> (where it was
    placed, articles: its joins' counts summed, its least name or ""): the NAMESAKE_ROWS with most
    articles, ties by IRI, in that order. The place is one of its joins' (the first found)."""
    joins: dict[tuple[str, str], int] = {}
    where: dict[str, str] = {}
    name: dict[str, str] = {}
    for r in rows:
        o = s(r["other"])
        joins[o, s(r["j"])] = n(r["n"]) or 0
        if r.get("jur") is not None:
            where.setdefault(o, s(r["jur"]))
        if r.get("name") is not None:
            name[o] = min(name.get(o) or s(r["name"]), s(r["name"]))
    articles: dict[str, int] = {}
    for (o, _), c in joins.items():
        articles[o] = articles.get(o, 0) + c
    ranked = sorted(articles, key=lambda o: (-articles[o], o))[:NAMESAKE_ROWS]
    return {o: (where.get(o, ""), articles[o], name.get(o, "")) for o in ranked}


IDENTITY_ROWS = 50  # reasons shown (a reason per jurisdiction: a national figure may have many)
IDENTITY_SCAN_SHARE = 10  # "why joined" by scans for a person in at least a tenth of the dated articles


def _reasons(rows: Sequence[Grouped], names: dict[str, str]) -> list[IdentityReason]:
    """The "why joined" rows: person_identity.rq's rows per reason, jurisdiction and paper summed per
    reason and jurisdiction, the papers by ``names`` in the order of their articles. Most articles
    first, then by reason and jurisdiction."""
    groups: dict[tuple[str, str], list] = {}  # (reason, jurisdiction) -> [articles, dates, {paper: articles}]
    for r in rows:
        g = groups.setdefault((s(r["reason"]), s(r.get("jur"))), [0, [], {}])
        g[0] += n(r["articles"]) or 0
        g[1] += [s(r[k]) for k in ("first", "last") if r.get(k) is not None]  # min: a first, max: a last
        paper = names.get(s(r.get("pub"))) if r.get("pub") is not None else None
        if paper:
            g[2][paper] = g[2].get(paper, 0) + (n(r["articles"]) or 0)
    out = [IdentityReason(L.label(reason), jur, articles, "、".join(sorted(papers, key=lambda p: (-papers[p], p))),
                          min(dates, default="")[:10], max(dates, default="")[:10], reason.endswith("#Curated"),
                          reason.endswith("#CareerJoin"))
           for (reason, jur), (articles, dates, papers) in groups.items()]
    out.sort(key=lambda r: (-r.articles, str(r.reason), r.jurisdiction))
    return out[:IDENTITY_ROWS]


def _post_summary(store: Store, lk: Linker, this: URIRef, posts: int, page: int,
                  look: Lookup) -> tuple[list[PostSummary], Paging]:
    """One page of ``this``'s posts summed up (person_post_summary.rq: one aggregate over the post
    statements, grouped by post, newest last date first). The rows up to the page are read, not only the
    page: the first row's last date (the person's latest statement) decides which posts are current, and
    the groups are few next to the statements they sum (the aggregation is the cost, not the rows)."""
    paging = make_paging(posts, page, SUMMARY_ROWS, "summary_page")
    rows = run(store, "person_post_summary", limit=paging.offset + paging.size, this=this) if posts else []
    latest = day_of(rows[0].get("last")) if rows else None
    rows = rows[paging.offset:]
    info = look(values_of(rows, "post"))
    orgs = {s(p): first(info, p, ORG_POST_IN) for p in values_of(rows, "post")}
    info = look([o for o in orgs.values() if o is not None])
    out = []
    for r in rows:
        last, org = day_of(r.get("last")), orgs.get(s(r["post"]))
        current = latest is not None and last is not None and (latest - last).days <= CURRENT_DAYS
        out.append(PostSummary(lk.link(r["post"], name_in(info, r["post"])), lk.link(org, name_in(info, org)),
                               fmt_date(r.get("first")), fmt_date(r.get("last")), n(r["n"]) or 0, current))
    return out, paging



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


