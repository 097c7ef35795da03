"""Page latency on a synthetic corpus: p50 and p99 per page type at 10k and 100k quads, in one run.

    PYTHONPATH=. .venv/bin/python benchmarks/pages.py [--sizes 10000 100000] [--requests 60]

The corpus is generated in-process (invented names, the mapper's shapes: articles with bodies and
mentions, events with participations carrying roles, posts and evidence offsets, post holdings, grants)
and bulk-loaded into a temp Oxigraph store as N-Quads. One "hub" person takes part in a large share of
the events, so the person page is measured where it is heaviest. Requests go through the service's app
(``kg.web.app.create_app``, a browser's Accept header, so entity IRIs negotiate to HTML) in-process:
routing, negotiation, SPARQL, rendering; no sockets.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

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
ROLES = ["Chair", "Speaker", "Attendee", "Participant", "Presenter", "Recipient", "Observer"]
EVENT_KINDS = [("会议", KG.Meeting), ("座谈会", KG.Meeting), ("代表大会", KG.Congress), ("颁奖大会", KG.AwardCeremony)]


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def synthetic(quads: int, seed: int = 7) -> tuple[str, dict[str, list[str]]]:
    """N-Quads text of about ``quads`` quads, and sample entity paths per page type."""
    rnd = random.Random(seed)
    n_people = max(40, quads // 120)
    names = list(dict.fromkeys(rnd.choice(SURNAMES) + "".join(rnd.choices(GIVEN, k=rnd.choice((1, 2))))
                               for _ in range(n_people * 2)))[:n_people]
    people = [(URIRef(f"{BASE}/person/p{i}"), name) for i, name in enumerate(names)]
    hub = people[0]
    orgs = [(URIRef(f"{BASE}/organization/o{i}"), f"示例{o}") for i, o in enumerate(ORGS)]
    posts = [(URIRef(f"{BASE}/post/s{i}-{j}"), p, org) for i, org in enumerate(orgs) for j, p in enumerate(POSTS)]
    out: list[str] = []
    count = 0
    samples: dict[str, list[str]] = {"person": [], "event": [], "article": [], "organization": [], "post": []}
    a = 0
    used_posts: dict[str, None] = {}
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(people))]
    while count < quads:
        art = URIRef(f"{BASE}/article/a{a}")
        g = f"<{art}>"
        day = f"20{18 + a % 6}-{1 + a % 12:02d}-{1 + a % 28:02d}"
        t: list[tuple] = []
        ev = URIRef(f"{BASE}/event/e{a}")
        kind, cls = EVENT_KINDS[a % len(EVENT_KINDS)]
        org, org_name = orgs[a % len(orgs)]
        ev_name = f"{org_name}第{a}次{kind}"
        chosen = {hub} if rnd.random() < HUB_SHARE else set()
        while len(chosen) < rnd.randint(3, 8):
            chosen.add(rnd.choices(people, weights)[0])
        sentences = []
        body_parts = [f"本报讯 {day[5:7]}月{day[8:10]}日,{ev_name}举行。"]
        offset = len(body_parts[0])
        t += [(art, RDF.type, SCHEMA.NewsArticle), (art, SCHEMA.headline, zh(f"{ev_name}召开")),
              (art, SCHEMA.datePublished, Literal(day, datatype=XSD.date)), (art, SCHEMA.about, ev),
              (art, SCHEMA.mentions, ev), (art, SCHEMA.mentions, org),
              (ev, RDF.type, cls), (ev, SCHEMA.name, zh(ev_name)),
              (ev, SCHEMA.startDate, Literal(day, datatype=XSD.date)),
              (ev, SCHEMA.organizer, org), (org, RDF.type, SCHEMA.Organization), (org, SCHEMA.name, zh(org_name))]
        for k, (person, name) in enumerate(sorted(chosen, key=str)):
            post, post_label, (post_org, _) = posts[rnd.randrange(len(posts))]
            used_posts.setdefault(str(post).replace(BASE, ""), None)
            role = ROLES[(a + k) % len(ROLES)]
            sentence = f"{post_label}{name}出席并讲话。"
            sentences.append(sentence)
            es, ms = offset, offset + len(post_label)
            offset += len(sentence)
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
        if kind == "颁奖大会":
            amt, grant = URIRef(f"{art}#amount-1"), URIRef(f"{art}#grant-1")
            value = Literal(str(10000 * (a + 1)), datatype=XSD.decimal)
            t += [(amt, RDF.type, SCHEMA.MonetaryAmount), (amt, SCHEMA.value, value),
                  (amt, SCHEMA.currency, Literal("CNY")), (grant, RDF.type, SCHEMA.MonetaryGrant),
                  (grant, SCHEMA.amount, amt), (grant, SCHEMA.funder, org), (grant, KG.grantedAt, ev)]
        t.append((art, SCHEMA.articleBody, zh("".join(body_parts + sentences))))
        for s, p, o in t:
            out.append(f"{s.n3()} {p.n3()} {o.n3()} {g} .\n")
        count += len(t)
        if a % 7 == 0:
            samples["article"].append(f"/article/a{a}")
            samples["event"].append(f"/event/e{a}")
        a += 1
    samples["person"] = [f"/person/p{i}" for i in range(min(len(people), 30))]
    samples["person (hub)"] = ["/person/p0", "/person/p0?page=2", "/person/p0?page=5"]
    samples["organization"] = [f"/organization/o{i}" for i in range(len(orgs))]
    samples["post"] = list(used_posts)[:30]
    samples["search"] = [f"/search?q={q}" for q in [n for _, n in people[:10]] + ["wang", "li ming", "zhang"]]
    samples["home"] = ["/"]
    # the editor running examples of kg/queries/pages/examples (the README's chairs.rq is timed in docs/pages.md)
    samples["query"] = ["/query?example=03_co_participants", "/query?example=04_money",
                        "/query?example=07_facts_with_evidence"]
    return "".join(out), samples


def load(path: Path, nquads: str):
    """A store under ``path`` holding the N-Quads (bulk-loaded)."""
    import pyoxigraph as ox

    from kg.store.oxigraph import OxigraphStore

    store = OxigraphStore(path)
    store.db.bulk_load(io.BytesIO(nquads.encode("utf-8")), ox.RdfFormat.N_QUADS)
    return store


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def measure(size: int, requests: int) -> dict[str, tuple[float, float, int]]:
    from fastapi.testclient import TestClient

    from kg.web.app import create_app

    t0 = time.perf_counter()
    text, samples = synthetic(size)
    with tempfile.TemporaryDirectory() as d:
        store = load(Path(d) / "store", text)
        built = time.perf_counter() - t0
        print(f"# {size:>7} quads requested: {store.quad_count()} stored, {len(store.graph_iris())} articles, "
              f"built in {built:.1f} s", file=sys.stderr)
        client = TestClient(create_app(store, BASE), headers=BROWSER)
        results: dict[str, tuple[float, float, int]] = {}
        for kind, paths in samples.items():
            for p in paths[:3]:  # warm up
                r = client.get(p)
                assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), p
            times = []
            for i in range(requests):
                p = paths[i % len(paths)]
                t = time.perf_counter()
                r = client.get(p)
                times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, (p, r.status_code)
            results[kind] = (statistics.median(times), percentile(times, 99), len(times))
        hub = run_count(store)
        print(f"# hub person p0: {hub} participations", file=sys.stderr)
        store.close()
    return results


def run_count(store: object) -> int:
    from rdflib import URIRef

    from kg.web.pages.queries import run

    return int(str(run(store, "person_timeline_count", this=URIRef(BASE + "/person/p0"))[0]["n"]))  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--requests", type=int, default=60, help="requests per page type (default 60)")
    args = ap.parse_args(argv)
    print(f"{'quads':>8} {'page':<13} {'p50 ms':>8} {'p99 ms':>8} {'n':>4}")
    for size in args.sizes:
        res = measure(size, args.requests)
        for kind, (p50, p99, n) in res.items():
            if kind.startswith("_"):
                continue
            print(f"{size:>8} {kind:<13} {p50:>8.1f} {p99:>8.1f} {n:>4}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
