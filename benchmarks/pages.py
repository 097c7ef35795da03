"""Page latency on a synthetic corpus: p50 and p99 per page type at 10k, 100k and 1M quads, in one run.

    PYTHONPATH=. .venv/bin/python benchmarks/pages.py [--sizes 10000 100000] [--requests 60] [--queries]
    PYTHONPATH=. .venv/bin/python benchmarks/pages.py --size large     # 10k, 100k and 1M

The corpus is generated in-process (invented names, the mapper's shapes: articles with bodies, a
paper and mentions, events with participations carrying roles, posts and evidence offsets, post holdings,
grants; a ``kg:PersonMention`` per person an article names, person IRIs minted by ``iris.person_id``
from the name and its place, a tenth of the names borne by several people of other places) and
bulk-loaded into an Oxigraph store as N-Quads, then the resolution layer is built from the mentions
(``kg.resolve.rebuild``, as ``kg resolve`` after a plain load); the sizes count the layer's quads too.
From CACHE_FROM quads up the store is built once, under ~/.cache/newskg-bench. People are drawn with
Zipf weights from a pool that grows with the corpus, so most appear in one to three articles and a few
in very many; one "hub" person, whose name others bear too, takes part in 60% of the events. The person
page is measured for three groups, with their participation counts: "typical" (the 30 people nearest
the median person), "frequent" (the 30 busiest) and "hub" (the busiest), and for the hub's namesakes
(whose "other people named …" counts the hub's articles); the disambiguation pages (``/name?q=``) of the
names most people bear, the hub's first. Every person page request is made twice, with the identity
sections ("why joined", "other people named …") and without them, in alternating order: the rows
", no identity" and the ratios printed at the end are their cost, measured side by side in one run
(the machine is shared: figures of separate runs move more than that). Requests go through the
service's app (``kg.web.app.create_app``, a browser's Accept header, so entity IRIs negotiate to HTML)
in-process: routing, negotiation, SPARQL, rendering; no sockets. ``--queries`` also times every page
query (``kg.web.pages.queries.run``) per page type, repeat and first views apart.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from kg.layer_graphs import LAYER_VERSION, block_iri, is_resolution_graph
from kg.rdf import iris
from kg.rdf.namespaces import KG, ORG, SCHEMA

BASE = "http://bench.test"
HUB_SHARE = 0.6  # the share of events the hub person takes part in
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志远晓春宇洁继钊雪鸢琛波"
ORGS = ["市委", "市政府", "市人大常委会", "市政协", "市教育局", "市科技局", "太原学院", "锅炉集团", "民进市委",
        "市财政局", "市商务局", "理工大学"]
POSTS = ["书记", "副书记", "市长", "副市长", "主任", "副主任", "主席", "局长", "校长", "董事长", "主委"]
PAPERS = ["示例日报", "示例晚报", "示例商报"]
PLACES = [a + b + "市" for a, b in zip("青云禾岭川江河山湖海松柏", "阳宁安平城源州丰泉远兴和", strict=True)]
ROLES = ["Chair", "Speaker", "Attendee", "Participant", "Presenter", "Recipient", "Observer"]
EVENT_KINDS = [("会议", KG.Meeting), ("座谈会", KG.Meeting), ("代表大会", KG.Congress), ("颁奖大会", KG.AwardCeremony)]


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def synthetic(quads: int, seed: int = 7) -> tuple[str, dict[str, list[str]]]:
    """N-Quads text of about ``quads`` quads, and sample entity paths per page type."""
    data = generate(quads, seed)
    return data.text, data.samples


@dataclass
class Synthetic:
    """The generated N-Quads, sample paths per page type, and each person's participation count."""

    text: str
    samples: dict[str, list[str]]
    participations: dict[str, int]  # person path -> participations


def _people(rnd: random.Random, n_people: int) -> list[tuple[URIRef, str, str]]:
    """(IRI, written name, place) of ``n_people`` people, in Zipf rank order (the first is the hub).

    IRIs are minted as the mapper mints them (``kg.rdf.iris.person_id``: the name, then its place's id).
    About a quarter of the people are namesakes of a common name (a tenth of the names): the same written
    name in other places, so other people, as 王伟 of two cities is. The ranks are shuffled, so namesakes
    come at every frequency; the hub is given a name with namesakes (a city's mayor named like others:
    the namesakes' pages count the hub's articles)."""
    n_names = max(10, n_people * 3 // 4)
    names = list(dict.fromkeys(rnd.choice(SURNAMES) + "".join(rnd.choices(GIVEN, k=rnd.choice((1, 2))))
                               for _ in range(n_names * 2)))[:n_names]
    common = max(1, len(names) // 10)
    places_of: dict[str, list[str]] = {}
    people: list[tuple[URIRef, str, str]] = []
    for i in range(n_people):
        name = names[i] if i < len(names) else names[rnd.randrange(common)]
        taken = places_of.setdefault(name, [])
        if len(taken) == len(PLACES):
            continue
        place = rnd.choice([p for p in PLACES if p not in taken])
        taken.append(place)
        ident = iris.person_id(name, iris.ident(place, 30))
        people.append((URIRef(f"{BASE}/person/{ident}"), name, place))
    rnd.shuffle(people)
    hub = next(i for i, (_, name, _) in enumerate(people) if len(places_of[name]) > 1)
    people.insert(0, people.pop(hub))
    return people


def generate(quads: int, seed: int = 7) -> Synthetic:
    """See :func:`synthetic`; also counts each person's participations to pick the person samples.

    ``quads`` counts the resolution layer (kg.resolve, built by :func:`load`) with the article graphs:
    its statements are estimated here as ``kg.layer_statements.join_parts`` writes them (two a mention, a join's
    four with its count, a block's header and namesakes, a stamp an article)."""
    from kg.rdf.identity import rules_version

    rnd = random.Random(seed)
    rules = Literal(rules_version())
    n_people = max(40, quads // 120)
    people = _people(rnd, n_people)
    hub = people[0]
    orgs = [(URIRef(f"{BASE}/organization/o{i}"), f"示例{o}") for i, o in enumerate(ORGS)]
    papers = [(URIRef(f"{BASE}/organization/paper{i}"), p) for i, p in enumerate(PAPERS)]
    posts = [(URIRef(f"{BASE}/post/s{i}-{j}"), p, org) for i, org in enumerate(orgs) for j, p in enumerate(POSTS)]
    out: list[str] = []
    count = 0
    samples: dict[str, list[str]] = {"person": [], "event": [], "article": [], "organization": [], "post": []}
    a = 0
    parts: dict[str, int] = {}
    used_posts: dict[str, None] = {}
    layer: set[tuple] = set()  # (block,), (block, person), (person, basis): for the layer's estimate
    # cumulative Zipf weights, computed once (``choices(weights=…)`` recomputes them on every call; the
    # draws are the same)
    cum_weights = list(itertools.accumulate(1.0 / (i + 1) ** 0.8 for i in range(len(people))))
    while count < quads:
        art = URIRef(f"{BASE}/article/a{a}")
        g = f"<{art}>"
        day = f"20{18 + a % 6}-{1 + a % 12:02d}-{1 + a % 28:02d}"
        t: list[tuple] = []
        ev = URIRef(f"{BASE}/event/e{a}")
        kind, cls = EVENT_KINDS[a % len(EVENT_KINDS)]
        org, org_name = orgs[a % len(orgs)]
        paper, paper_name = papers[a % len(papers)]
        ev_name = f"{org_name}第{a}次{kind}"
        chosen = {hub} if rnd.random() < HUB_SHARE else set()
        while len(chosen) < rnd.randint(3, 8):
            pick = rnd.choices(people, cum_weights=cum_weights)[0]
            if all(pick[1] != c[1] for c in chosen):  # one person per written name in an article (the mapper's)
                chosen.add(pick)
        sentences = []
        body_parts = [f"本报讯 {day[5:7]}月{day[8:10]}日,{ev_name}举行。"]
        offset = len(body_parts[0])
        t += [(art, RDF.type, SCHEMA.NewsArticle), (art, SCHEMA.headline, zh(f"{ev_name}召开")),
              (art, SCHEMA.datePublished, Literal(day, datatype=XSD.date)), (art, SCHEMA.about, ev),
              (art, SCHEMA.mentions, ev), (art, SCHEMA.mentions, org),
              (ev, RDF.type, cls), (ev, SCHEMA.name, zh(ev_name)),
              (ev, SCHEMA.startDate, Literal(day, datatype=XSD.date)),
              (ev, SCHEMA.organizer, org), (org, RDF.type, SCHEMA.Organization), (org, SCHEMA.name, zh(org_name)),
              (art, SCHEMA.publisher, paper), (paper, RDF.type, SCHEMA.Organization),
              (paper, RDF.type, SCHEMA.NewsMediaOrganization), (paper, SCHEMA.name, zh(paper_name)),
              (art, KG.identityRules, rules)]
        for k, (person, name, place) in enumerate(sorted(chosen, key=str)):
            post, post_label, (post_org, _) = posts[rnd.randrange(len(posts))]
            used_posts.setdefault(str(post).replace(BASE, ""), None)
            role = ROLES[(a + k) % len(ROLES)]
            sentence = f"{post_label}{name}出席并讲话。"
            sentences.append(sentence)
            es, ms = offset, offset + len(post_label)
            offset += len(sentence)
            parts[str(person).replace(BASE, "")] = parts.get(str(person).replace(BASE, ""), 0) + 1
            part = URIRef(f"{art}#participation-{k}")
            hold = URIRef(f"{art}#holding-{k}")
            t += [(person, RDF.type, SCHEMA.Person), (person, SCHEMA.name, zh(name)),
                  (person, KG.pinyin, Literal(iris.pinyin(name))), (art, SCHEMA.mentions, person),
                  (ev, KG.participation, part), (part, RDF.type, KG.Participation), (part, KG.agent, person),
                  (part, KG.role, KG[role]), (part, KG.post, post), (part, PROV.wasDerivedFrom, art),
                  (part, KG.evidence, zh(sentence)), (part, KG.evidenceStart, Literal(es)),
                  (part, KG.evidenceEnd, Literal(es + len(sentence))), (part, KG.mentionStart, Literal(ms)),
                  (part, KG.mentionEnd, Literal(ms + len(name))),
                  (post, RDF.type, ORG.Post), (post, RDFS.label, zh(post_label)), (post, ORG.postIn, post_org),
                  (person, ORG.holds, post), (person, KG.postHolding, hold), (hold, RDF.type, KG.PostHolding),
                  (hold, KG.heldPost, post), (hold, PROV.wasDerivedFrom, art), (hold, KG.evidence, zh(sentence))]
            # the mention, as kg.rdf.mapping writes it (kg.resolve reads it back); a paper's own town
            # places some (kg:PaperLocality), posts the rest: two joins for many people
            basis = KG.PaperLocality if rnd.random() < 0.25 else KG.PostJurisdiction
            m = URIRef(f"{art}#mention-{iris.ident(name, 30)}")
            t += [(m, RDF.type, KG.PersonMention), (m, KG.writtenName, zh(name)), (m, KG.mentionOf, person),
                  (m, KG.identityBasis, basis), (m, KG.jurisdiction, zh(place)), (m, PROV.wasDerivedFrom, art)]
            block = block_iri(BASE, name)
            count += 2 + 2 * ((block,) not in layer) + ((block, person) not in layer) \
                + 4 * ((person, basis) not in layer)
            layer.update(((block,), (block, person), (person, basis)))
        if kind == "颁奖大会":
            amt, grant = URIRef(f"{art}#amount-1"), URIRef(f"{art}#grant-1")
            value = Literal(str(10000 * (a + 1)), datatype=XSD.decimal)
            t += [(amt, RDF.type, SCHEMA.MonetaryAmount), (amt, SCHEMA.value, value),
                  (amt, SCHEMA.currency, Literal("CNY")), (grant, RDF.type, SCHEMA.MonetaryGrant),
                  (grant, SCHEMA.amount, amt), (grant, SCHEMA.funder, org), (grant, KG.grantedAt, ev)]
        t.append((art, SCHEMA.articleBody, zh("".join(body_parts + sentences))))
        for s, p, o in t:
            out.append(f"{s.n3()} {p.n3()} {o.n3()} {g} .\n")
        count += len(t) + 1  # and the article's stamp in the layer
        if a % 7 == 0:
            samples["article"].append(f"/article/a{a}")
            samples["event"].append(f"/event/e{a}")
        a += 1
    samples.pop("person")
    samples.update(person_groups(parts))
    samples["organization"] = [f"/organization/o{i}" for i in range(len(orgs))]
    samples["post"] = list(used_posts)[:30]
    samples["search"] = [f"/search?q={q}" for q in [n for _, n, _ in people[:10]] + ["wang", "li ming", "zhang"]]
    # the disambiguation pages (kg.web.pages.names) of the names with most namesakes, the hub's first
    name_of = {str(iri).replace(BASE, ""): name for iri, name, _ in people}
    by_name: dict[str, int] = {}
    for p in parts:
        by_name[name_of[p]] = by_name.get(name_of[p], 0) + 1
    shared = sorted((n for n, c in by_name.items() if c > 1), key=lambda n: (n != hub[1], -by_name[n], n))
    if shared:
        samples["name"] = [f"/name?q={n}" for n in shared[:10]]
    # the pages of the hub's namesakes: their "other people named …" counts the hub's articles
    hub_namesakes = sorted(p for p in parts if name_of[p] == hub[1] and p != str(hub[0]).replace(BASE, ""))
    if hub_namesakes:
        samples["person (hub's namesakes)"] = hub_namesakes
    samples["home"] = ["/"]
    # the editor running examples of kg/queries/pages/examples (the README's chairs.rq is timed in docs/pages.md)
    samples["query"] = ["/query?example=03_co_participants", "/query?example=04_money",
                        "/query?example=07_facts_with_evidence"]
    return Synthetic("".join(out), samples, parts)


def person_groups(parts: dict[str, int], k: int = 30) -> dict[str, list[str]]:
    """The person samples: "typical" = the ``k`` people whose participation count is nearest the median
    person's (a typical person of a newspaper archive is in one to a few articles); "frequent" = the
    ``k`` people with the most participations; "hub" = the one with the most, pages 1, 2 and 5 of its
    timeline."""
    by_count = sorted(parts, key=lambda p: (-parts[p], p))
    median = statistics.median_low(parts.values())
    typical = sorted(parts, key=lambda p: (abs(parts[p] - median), p))[:k]
    hub = by_count[0]
    return {"person (typical)": typical, "person (frequent)": by_count[:k],
            "person (hub)": [hub, f"{hub}?page=2", f"{hub}?page=5"]}


def load(path: Path, nquads: str, layer: bool = True):
    """A store under ``path`` holding the N-Quads (bulk-loaded), and, unless ``layer`` is false, the
    resolution layer built from their person mentions (``kg.resolve.rebuild``, as ``kg resolve`` does
    after a plain load)."""
    import pyoxigraph as ox

    from kg.resolve import rebuild
    from kg.store.oxigraph import OxigraphStore

    store = OxigraphStore(path)
    store.db.bulk_load(io.BytesIO(nquads.encode("utf-8")), ox.RdfFormat.N_QUADS)
    if layer:
        rebuild(store)
    return store


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return xs[k]


GENERATOR_VERSION = 2  # bump when generate() changes what it writes: names the cached stores (2: mentions, layer)
CACHE = Path.home() / ".cache" / "newskg-bench"
CACHE_FROM = 500_000  # quads: stores at least this big are kept in CACHE between runs


@contextlib.contextmanager
def bench_store(size: int, cache: Path | None = None):
    """(store, Synthetic without text) of ``size`` quads: built in a temp dir, or, from CACHE_FROM quads
    (or with ``cache``), built once under the cache folder and reopened on later runs."""
    import json

    from kg.store.oxigraph import OxigraphStore

    if cache is None and size >= CACHE_FROM:
        cache = CACHE
    with tempfile.TemporaryDirectory() as tmp:
        # the layer's version too: a store cached with an older layer would show the pages of another layout
        folder = (cache / f"pages-v{GENERATOR_VERSION}-layer{LAYER_VERSION}-{size}") if cache else Path(tmp) / "store"
        meta_file = folder / "samples.json"
        t0 = time.perf_counter()
        if meta_file.exists():
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            data = Synthetic("", meta["samples"], meta["participations"])
            store = OxigraphStore(folder)
            how = f"reopened from {folder}"
        else:
            if folder.exists():
                shutil.rmtree(folder)  # a build that did not finish
            data = generate(size)
            store = load(folder, data.text)
            data.text = ""
            meta_file.write_text(json.dumps({"samples": data.samples, "participations": data.participations}),
                                 encoding="utf-8")
            how = "built"
        graphs = store.graph_iris()
        layer = [g for g in graphs if is_resolution_graph(g)]
        print(f"# {size:>7} quads requested: {store.quad_count()} stored, {len(graphs) - len(layer)} articles, "
              f"{len(layer)} resolution layer graphs, {how} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        try:
            yield store, data
        finally:
            store.close()


@dataclass
class Result:
    """One page type at one size: latency, and for person groups their participation counts."""

    p50: float
    p99: float
    n: int
    counts: tuple[int, float, int] | None = None  # min, median, max participations of the people sampled
    identity_ms: float | None = None  # p50 of the time spent in the identity sections (person pages)

    def __iter__(self):  # (p50, p99, n), as before
        return iter((self.p50, self.p99, self.n))


class QueryClock:
    """Times every page query (``kg.web.pages.queries.run``) while pages render, by page type."""

    def __init__(self) -> None:
        self.kind = ""
        self.times: dict[tuple[str, str], list[float]] = {}

    @contextlib.contextmanager
    def installed(self):
        import importlib
        import pkgutil

        import kg.web.pages
        from kg.web.pages import queries

        def timing(original):
            def timed(store, name, *args, **kwargs):
                t = time.perf_counter()
                try:
                    return original(store, name, *args, **kwargs)
                finally:
                    # run_union's parts: (file, key, values) each, timed under "file + file"
                    key = name if isinstance(name, str) else " + ".join(part[0] for part in name)
                    self.times.setdefault((self.kind, key), []).append((time.perf_counter() - t) * 1000)
            return timed

        # every page module imported ``run`` (``run_each``, ``run_union``) by name: replace them in each
        mods = [importlib.import_module(f"kg.web.pages.{m.name}") for m in pkgutil.iter_modules(kg.web.pages.__path__)]
        patched = [(m, f, getattr(queries, f)) for m in mods for f in ("run", "run_each", "run_union")
                   if getattr(m, f, None) is getattr(queries, f)]
        for m, f, original in patched:
            setattr(m, f, timing(original))
        try:
            yield self
        finally:
            for m, f, original in patched:
                setattr(m, f, original)


# the index pages (kg.web.pages.browse): first pages, a deep page, another sort, a filter
INDEX_SAMPLES = {"index": ["/browse/person", "/browse/person?sort=name&page=3", "/browse/event",
                           "/browse/article?page=2", "/browse/organization", "/browse/post",
                           "/browse/event?sort=name"]}


class IdentitySwitch:
    """Turns the person page's identity sections (``kg.web.pages.person._identity``: "why joined" and
    "other people named …", the resolution layer's queries) off and on between requests, so a page is
    timed with and without them side by side, on one store in one run: the shared machine's load moves
    between runs, the ratio of two interleaved series much less."""

    def __init__(self) -> None:
        self.off = False
        self.kind = ""
        self.spent: dict[str, list[float]] = {}  # kind -> ms in the identity sections, per request with them

    @contextlib.contextmanager
    def installed(self):
        from kg.web.pages import person

        original = person._identity

        def switched(*args, **kwargs):
            if self.off:
                return ([], [])
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent.setdefault(self.kind, []).append((time.perf_counter() - t) * 1000)

        person._identity = switched
        try:
            yield self
        finally:
            person._identity = original


NO_IDENTITY = ", no identity"  # the suffix of the rows timed with the identity sections off


def measure(size: int, requests: int, clock: QueryClock | None = None,
            cache: Path | None = None) -> dict[str, Result]:
    """p50/p99 per page type at ``size`` quads (``requests`` requests per type, after 3 warm-up ones).

    Person pages are timed twice per request, with the identity sections and without them (the order
    alternating), as rows ``kind`` and ``kind + NO_IDENTITY``; their ratio is the sections' cost."""
    from fastapi.testclient import TestClient

    from kg.web.app import create_app
    from kg.web.pages.cache import cache_for

    switch = IdentitySwitch()
    with bench_store(size, cache) as (store, data), switch.installed():
        client = TestClient(create_app(store, BASE), headers=BROWSER)
        kept = cache_for(store)  # kg.web.pages.cache: slow answers kept until the store is written

        def timed(p: str, off: bool, cold: bool) -> float:
            switch.off = off
            if cold and kept is not None:
                kept.clear()
            t = time.perf_counter()
            r = client.get(p)
            took = (time.perf_counter() - t) * 1000
            assert r.status_code == 200, (p, r.status_code)
            return took

        def series(paths: list[str], paired: bool, cold: bool) -> tuple[list[float], list[float]]:
            switch.kind = kind + (", first view" if cold else "")
            on: list[float] = []
            off: list[float] = []
            for i in range(requests):
                p = paths[i % len(paths)]
                if not paired:
                    on.append(timed(p, False, cold))
                elif i % 2:  # alternate which goes first: the first may warm what the second reads
                    off.append(timed(p, True, cold))
                    on.append(timed(p, False, cold))
                else:
                    on.append(timed(p, False, cold))
                    off.append(timed(p, True, cold))
            return on, off

        results: dict[str, Result] = {}
        for kind, paths in {**data.samples, **INDEX_SAMPLES}.items():
            for p in paths[:3]:  # warm up
                r = client.get(p)
                assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), p
            if clock is not None:
                clock.kind = kind
            paired = kind.startswith("person")
            with clock.installed() if clock is not None else contextlib.nullcontext():
                on, off = series(paths, paired, False)
            counts = None
            if paired:
                c = [data.participations[p.split("?")[0]] for p in paths]
                counts = (min(c), statistics.median(c), max(c))
            results[kind] = Result(statistics.median(on), percentile(on, 99), len(on), counts)
            if paired:
                results[kind + NO_IDENTITY] = Result(statistics.median(off), percentile(off, 99), len(off), counts)
            if (paired or kind in INDEX_SAMPLES or kind == "name") and kept is not None:
                # the same requests with the kept answers of slow queries dropped before each one: what
                # the first visitor after a write waits (the rows above are repeat views)
                if clock is not None:
                    clock.kind = f"{kind}, first view"
                with clock.installed() if clock is not None else contextlib.nullcontext():
                    on, off = series(paths, paired, True)
                results[f"{kind}, first view"] = Result(statistics.median(on), percentile(on, 99), len(on), counts)
                if paired:
                    results[f"{kind}, first view{NO_IDENTITY}"] = Result(statistics.median(off), percentile(off, 99),
                                                                          len(off), counts)
    for kind, spent in switch.spent.items():
        if kind in results:
            results[kind].identity_ms = statistics.median(spent)
    return results


def fmt_counts(counts: tuple[int, float, int] | None) -> str:
    if counts is None:
        return ""
    lo, med, hi = counts
    return f"{lo}/{med:g}/{hi}"


HEADER = f"{'quads':>8} {'page':<44} {'p50 ms':>8} {'p99 ms':>8} {'n':>4}  participations min/median/max"


def line(size: int, kind: str, r: Result) -> str:
    return f"{size:>8} {kind:<44} {r.p50:>8.1f} {r.p99:>8.1f} {r.n:>4}  {fmt_counts(r.counts)}".rstrip()


def identity_ratios(by_size: dict[int, dict[str, Result]]) -> list[str]:
    """Issue 14's goal: the identity sections add at most 10 % to the person page's p50 (rows timed with
    and without them, interleaved, in this run)."""
    out = []
    for n, res in sorted(by_size.items()):
        for kind, r in res.items():
            base = res.get(kind + NO_IDENTITY)
            if base is not None:
                inside = "" if r.identity_ms is None else \
                    f"; in the sections: p50 {r.identity_ms:.2f} ms, {r.identity_ms / base.p50:.1%} of the page without"
                out.append(f"{n} quads, {kind}: p50 with identity / without (goal <= 1.10): "
                           f"{r.p50 / base.p50:.2f}x ({r.p50:.1f} vs {base.p50:.1f} ms{inside})")
    return out


def ratios(by_size: dict[int, dict[str, Result]]) -> list[str]:
    """The issue's person-page goals, from the figures of this run."""
    out = identity_ratios(by_size)
    typical = {n: res["person (typical)"] for n, res in by_size.items() if "person (typical)" in res}
    if len(typical) > 1:
        lo, hi = min(typical), max(typical)
        out.append(f"typical person p50 at {hi} quads / at {lo} (goal <= 1.5x at 1M vs 10k): "
                   f"{typical[hi].p50 / typical[lo].p50:.2f}x ({typical[hi].p50:.1f} vs {typical[lo].p50:.1f} ms)")
    for n, res in sorted(by_size.items()):
        if n >= 1_000_000 and "person (typical)" in res:
            out.append(f"typical person p50 at {n} quads (goal < 30 ms): {res['person (typical)'].p50:.1f} ms")
        for kind, when in (("person (hub)", "repeat views"), ("person (hub), first view", "first views")):
            if n >= 1_000_000 and kind in res:
                hub = res[kind]
                out.append(f"hub person p99 at {n} quads, {fmt_counts(hub.counts).split('/')[0]} participations, "
                           f"{when} (goal < 100 ms): {hub.p99:.1f} ms")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--size", choices=["small", "large"],
                    help="small: 10k and 100k quads; large: 10k, 100k and 1M (overrides --sizes)")
    ap.add_argument("--requests", type=int, default=60, help="requests per page type (default 60)")
    ap.add_argument("--queries", action="store_true", help="also print each page query's p50 per page type")
    ap.add_argument("--cache", type=Path, help=f"keep the built stores here (default: {CACHE} from "
                                               f"{CACHE_FROM} quads up, else a temp dir)")
    args = ap.parse_args(argv)
    sizes = {"small": [10_000, 100_000], "large": [10_000, 100_000, 1_000_000]}.get(args.size or "", args.sizes)
    print(f"# load average {os.getloadavg()[0]:.1f} at start", file=sys.stderr)
    print(HEADER)
    by_size: dict[int, dict[str, Result]] = {}
    for size in sizes:
        clock = QueryClock() if args.queries else None
        res = by_size[size] = measure(size, args.requests, clock, args.cache)
        for kind, r in res.items():
            print(line(size, kind, r))
        if clock is not None:
            print(f"# {size} quads: page queries, p50 / max ms (calls)")
            for (kind, name), ts in clock.times.items():
                print(f"#   {kind:<36} {name:<28} {statistics.median(ts):>8.1f} {max(ts):>8.1f} ({len(ts)})")
        sys.stdout.flush()
    for r in ratios(by_size):
        print(f"# {r}")
    print(f"# load average {os.getloadavg()[0]:.1f} at end", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
