"""Pages at scale (issue 9): the faster query shapes give the same rows as the plain full sorts.

The store is ``benchmarks/pages.py``'s synthetic corpus at 40k quads (about 310 articles, so dates
repeat: ties), with one person in 60% of the events. The thresholds of the "busy" paths are lowered
so that the small store takes them.
"""

from __future__ import annotations

import statistics
import time
from types import SimpleNamespace

import pytest
from rdflib import URIRef

from benchmarks import pages as bench
from kg.web.pages import common, home, lists
from kg.web.pages import paging as pg
from kg.web.pages import person as V
from kg.web.pages.queries import bind
from tests.support.pages import page_client

PREFIXES = """PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
"""
# the queries as they were before (every tie broken by IRI inside SPARQL): the reference
TIMELINE = PREFIXES + """SELECT DISTINCT ?part ?event ?article ?date
WHERE { GRAPH ?article { ?part kg:agent $this . ?event kg:participation ?part .
                         OPTIONAL { ?event schema:startDate ?date } } }
ORDER BY DESC(?date) ?part"""
ARTICLES = PREFIXES + """SELECT ?article (SAMPLE(?d) AS ?date) (GROUP_CONCAT(DISTINCT ?how; separator=" ") AS ?hows)
WHERE { GRAPH ?article {
  { ?article schema:mentions $this . BIND("mentions" AS ?how) }
  UNION { ?article schema:author $this . BIND("author" AS ?how) }
  UNION { ?article kg:photographer $this . BIND("photographer" AS ?how) }
  UNION { ?article schema:about $this . BIND("about" AS ?how) }
  UNION { ?article schema:publisher $this . BIND("publisher" AS ?how) }
  OPTIONAL { ?article schema:datePublished ?d } } }
GROUP BY ?article ORDER BY DESC(?date) ?article"""
POSTS = PREFIXES + """SELECT DISTINCT ?post ?article ?date ?holding
WHERE { GRAPH ?article { $this org:holds ?post . OPTIONAL { ?article schema:datePublished ?date }
                         OPTIONAL { $this kg:postHolding ?holding } } }
ORDER BY DESC(?date) ?post ?article"""
CO = PREFIXES + """SELECT ?other (COUNT(DISTINCT ?event) AS ?n)
WHERE { GRAPH ?g { ?p1 kg:agent $this . ?event kg:participation ?p1 , ?p2 . ?p2 kg:agent ?other .
                   FILTER(?other != $this) } }
GROUP BY ?other ORDER BY DESC(?n) ?other LIMIT 40"""
HOME = PREFIXES + """SELECT ?article ?date
WHERE { GRAPH ?article { ?article a schema:NewsArticle . OPTIONAL { ?article schema:datePublished ?date } } }
ORDER BY DESC(?date) ?article LIMIT 12"""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory):
    data = bench.generate(40_000)
    store = bench.load(tmp_path_factory.mktemp("scale") / "store", data.text)
    yield store, data
    store.close()


def ref(store, text: str, this: URIRef, limit: int | None = None, offset: int = 0) -> list[dict]:
    q = bind(text, {"this": this}) + (f"\nLIMIT {limit} OFFSET {offset}" if limit else "")
    return list(store.query(q).rows())


def cols(rows: list[dict], *names: str) -> list[tuple[str, ...]]:
    return [tuple(str(r.get(k)) for k in names) for r in rows]


def busy_people(data: bench.Synthetic) -> list[str]:
    return sorted(data.participations, key=lambda p: -data.participations[p])[:4]


def test_person_samples_are_grouped_by_participations(synthetic) -> None:
    _, data = synthetic
    counts = data.participations
    median = statistics.median_low(counts.values())
    typical = [counts[p] for p in data.samples["person (typical)"]]
    frequent = [counts[p] for p in data.samples["person (frequent)"]]
    hub = data.samples["person (hub)"][0]
    assert counts[hub] == max(counts.values()) > 100
    assert max(abs(c - median) for c in typical) <= 1  # the people around the median person
    assert sorted(frequent, reverse=True) == sorted(counts.values(), reverse=True)[:30]
    assert median <= 3  # a long tail: the median person is in very few events


def test_corpus_has_person_mentions_and_the_resolution_layer(synthetic) -> None:
    """The benchmark's person pages read a layer like the mapper's and kg resolve's: namesakes of one
    written name in other places are other people, each with the reasons that joined its mentions."""
    from kg.mentions import iter_mentions
    from kg.rdf import iris

    store, data = synthetic
    mentions = list(iter_mentions(store))
    assert mentions and all(m.person.endswith(iris.person_id(m.name, iris.ident(m.jurisdiction or "", 30)))
                            for m in mentions)
    hub = data.samples["person (hub)"][0]
    page = V.person(store, common.Linker(bench.BASE), bench.BASE + hub)
    assert page is not None and page.namesakes  # the hub's name has namesakes
    # one place, two reasons (the paper's town, the posts), every article the hub is in counted once
    assert len(page.identity) == 2 and len({r.jurisdiction for r in page.identity}) == 1
    assert sum(r.articles for r in page.identity) == data.participations[hub]
    for p in data.samples["person (hub's namesakes)"]:
        assert any(n.link and n.link.iri == bench.BASE + hub for n in
                   V.person(store, common.Linker(bench.BASE), bench.BASE + p).namesakes)


def test_identity_sections_are_the_plain_aggregates(synthetic) -> None:
    """The identity sections' faster queries give the plain aggregates' figures for every person of the
    corpus (a hub with two reasons over three papers, namesakes of it) and every name page sampled."""
    from urllib.parse import parse_qs, urlsplit

    from tests.support.identity_reference import assert_name_page_matches, assert_person_page_matches

    store, data = synthetic
    for p in data.participations:
        assert_person_page_matches(store, bench.BASE, bench.BASE + p)
    # "why joined" read as for a much-mentioned person and as for one of few: the hub, its namesakes, others
    hub = data.samples["person (hub)"][0]
    for p in [hub, *data.samples["person (hub's namesakes)"], *list(data.participations)[:20]]:
        assert_person_page_matches(store, bench.BASE, bench.BASE + p, "busy")
        assert_person_page_matches(store, bench.BASE, bench.BASE + p, "rows")
    for u in data.samples["name"]:
        assert_name_page_matches(store, bench.BASE, parse_qs(urlsplit(u).query)["q"][0])


def test_union_gives_each_querys_own_rows(synthetic) -> None:
    """run_union (the identity sections of a person of few articles in one request) gives each query's
    rows as the query alone gives them: the hub, its namesakes (whose namesakes' rows count the hub) and
    twenty more people."""
    from collections import Counter

    from kg.web.pages.queries import run, run_union

    store, data = synthetic
    hub = data.samples["person (hub)"][0]
    seen = Counter()
    for p in [hub, *data.samples["person (hub's namesakes)"], *list(data.participations)[:20]]:
        this = URIRef(bench.BASE + p)
        parts = [("person_identity_rows", "reason", {"this": this}), ("person_namesakes", "other", {"this": this})]
        together = run_union(store, parts, keep=False)
        for (name, _, values), got in zip(parts, together, strict=True):
            alone = run(store, name, keep=False, **values)
            assert Counter(tuple(sorted(r.items())) for r in got) == \
                Counter(tuple(sorted(r.items())) for r in alone), (p, name)
            seen[name] += len(alone)
    assert seen["person_identity_rows"] > 0 and seen["person_namesakes"] > 0


def test_busy_timeline_articles_and_posts_are_the_full_sort(synthetic, monkeypatch) -> None:
    """Lists read newest-first from the store's latest dates are the rows of the full sort, ties by IRI."""
    store, data = synthetic
    monkeypatch.setattr(pg, "MIN_GAIN", 0)  # the small store: read the latest dates even when not cheaper
    seen = 0
    for p in busy_people(data):
        this = URIRef(bench.BASE + p)
        dated = pg.Dated(store)
        full = ref(store, TIMELINE, this)
        for offset in (0, 50, 100):
            need = min(len(full), offset + 50)
            got = dated.newest_first("events", "person_timeline_at", need, len(full), ("part",), this=this)
            if got is not None:
                seen += 1
                assert cols(got[offset:offset + 50], "part", "event", "article", "date") == \
                    cols(full[offset:offset + 50], "part", "event", "article", "date")
        full = ref(store, ARTICLES, this)
        for offset in (0, 50):
            need = min(len(full), offset + 50)
            got = dated.newest_first("articles", "mentioned_in_at", need, len(full), ("article",), this=this)
            if got is not None:
                seen += 1
                assert cols(got[offset:offset + 50], "article", "date", "hows") == \
                    cols(full[offset:offset + 50], "article", "date", "hows")
        full = ref(store, POSTS, this)
        statements = list(dict.fromkeys(cols(full, "post", "article", "date")))
        holdings = {x[:2]: set() for x in cols(full, "post", "article", "holding")}
        for x in cols(full, "post", "article", "holding"):
            holdings[x[:2]].add(x[2])
        for page in (1, 2, 3):
            paging = pg.make_paging(len(statements), page, V.STATEMENT_ROWS, "posts_page")
            need = min(paging.total, paging.offset + paging.size)
            if dated.newest_first("articles", "person_posts_at", need, paging.total, ("post", "article"),
                                  this=this) is not None:
                seen += 1
            got = V._statement_rows(dated, this, paging)
            assert cols([r for r, _ in got], "post", "article", "date") == \
                statements[paging.offset:paging.offset + paging.size]
            for r, hs in got:  # every holding of the person in the article, as the full query's OPTIONAL
                assert {str(h) for h in hs} == holdings[(str(r["post"]), str(r["article"]))]
    assert seen >= 8  # the busy paths were taken, not just their fallbacks


def test_busy_reading_falls_back_when_it_would_read_too_far(synthetic, monkeypatch) -> None:
    store, data = synthetic
    monkeypatch.setattr(pg, "MAX_SCAN", 50)
    this = URIRef(bench.BASE + busy_people(data)[0])
    assert pg.Dated(store).newest_first("events", "person_timeline_at", 100, 100, ("part",), this=this) is None


def test_busy_person_page_shows_the_same_lists(synthetic, monkeypatch) -> None:
    """The whole page with the busy paths taken shows what it shows without them."""
    store, data = synthetic
    hub = data.samples["person (hub)"][0]
    lk = common.Linker(bench.BASE)

    def model(page: int) -> tuple:
        m = V.person(store, lk, bench.BASE + hub, page, {"posts_page": page, "articles_page": page})
        assert m is not None
        return ([(t.event, t.date, t.article, [str(r) for r in t.roles], t.post) for t in m.timeline],
                [(a.link, a.date, a.hows) for a in m.articles],
                [(p.post, p.article, p.date, p.evidence) for p in m.posts],
                [(p.post, p.first, p.last, p.statements, p.current) for p in m.post_summary],
                m.timeline_paging.total, m.articles_paging.total, m.post_total, m.event_count)

    plain = [model(1), model(2)]
    for module in (V, lists):  # the person's own lists and the articles
        monkeypatch.setattr(module, "BUSY_ROWS", 20)
    monkeypatch.setattr(pg, "MIN_GAIN", 0)
    assert [model(1), model(2)] == plain


def test_busy_person_co_participants_over_latest_articles(synthetic, monkeypatch) -> None:
    store, data = synthetic
    hub = data.samples["person (hub)"][0]
    full = {str(r["other"]): int(r["n"]) for r in ref(store, CO.replace("LIMIT 40", ""), URIRef(bench.BASE + hub))}
    assert len(full) > 40
    monkeypatch.setattr(V, "BUSY", 20)
    monkeypatch.setattr(V, "RECENT", 15)
    monkeypatch.setattr(pg, "MIN_GAIN", 0)
    m = V.person(store, common.Linker(bench.BASE), bench.BASE + hub)
    assert m.co_window is not None and m.co_window.articles == 15 and m.co_window.total == m.articles_paging.total
    assert m.co_participants and all(c.count <= full.get(c.link.iri, 0) for c in m.co_participants)
    assert sum(c.count for c in m.co_participants) < sum(full.values())
    html = page_client(store, bench.BASE).get(hub).text
    assert "co-window" in html and f"latest 15 of {m.articles_paging.total} articles" in html
    assert "/query?query=" in html and "person_coparticipants" not in html  # the query text itself, bound


def test_co_participants_are_the_full_sort_with_ties(synthetic) -> None:
    store, data = synthetic
    people = sorted(data.participations, key=lambda p: -data.participations[p])[:40]
    tied = 0
    for p in people:
        this = URIRef(bench.BASE + p)
        full = ref(store, CO, this)
        assert cols(V._co_participants(store, this), "other", "n") == cols(full, "other", "n")
        tied += len(full) == V.CO_ROWS and full[-1]["n"] == full[-2]["n"]
    assert tied  # the cut-off fell inside a tie at least once


def test_home_recent_articles_are_the_full_sort(synthetic) -> None:
    store, _ = synthetic
    assert cols(home.recent_articles(store), "article", "date") == cols(ref(store, HOME, URIRef("x:y")),
                                                                      "article", "date")


def test_lookup_once_per_page_gives_the_same_facts(synthetic) -> None:
    store, data = synthetic
    iris = [URIRef(bench.BASE + p) for p in list(data.participations)[:30]]
    look = common.Lookup(store)
    look(iris[:10])
    assert {k: v for k, v in look(iris).items()} == common.lookup(store, iris)


def test_quad_count_is_reused_only_when_slow(monkeypatch) -> None:
    """How long a count took is read from a fake clock the stores advance: a loaded machine can make a
    count of no work take longer than SLOW_COUNT (20 ms) of real time, which made this test flaky."""
    clock = {"now": 1000.0}
    monkeypatch.setattr(home, "time", SimpleNamespace(monotonic=lambda: clock["now"]))

    class Counting:
        def __init__(self, delay: float) -> None:
            self.delay, self.calls = delay, 0

        def quad_count(self) -> int:
            self.calls += 1
            clock["now"] += self.delay
            return 7

    fast, slow = Counting(0), Counting(home.SLOW_COUNT + 0.01)
    cfast, cslow = home.StoreCounts(fast), home.StoreCounts(slow)  # type: ignore[arg-type]
    for _ in range(3):
        assert cfast.quad_count() == 7 and cslow.quad_count() == 7
    assert fast.calls == 3 and slow.calls == 1
    clock["now"] += home.QUAD_COUNT_TTL  # stale: shown once more, recounted in the background
    assert cslow.quad_count() == 7
    deadline = time.monotonic() + 30
    while slow.calls < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert slow.calls == 2


def test_benchmark_measures_groups_at_a_tiny_size() -> None:
    res = bench.measure(3_000, 2)
    assert {"person (typical)", "person (frequent)", "person (hub)", "home", "search"} <= set(res)
    assert {"person (typical), no identity", "person (hub), first view, no identity"} <= set(res)
    lo, med, hi = res["person (hub)"].counts
    assert lo == hi and res["person (frequent)"].counts[2] == hi
    assert res["person (typical)"].counts[2] <= res["person (frequent)"].counts[2]
    assert all(r.p50 > 0 and r.n == 2 for r in res.values())
    assert "typical person p50" in " ".join(bench.ratios({3_000: res, 2_000: res}))
    assert "p50 with identity / without" in " ".join(bench.ratios({3_000: res}))
