"""Rendering tests of every page type over the hand-made graph and over the ingested seed page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg.web.pages import Pages
from tests.support import pages_graph as F
from tests.support.pages import make_store, page_client


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    s = make_store(tmp_path_factory.mktemp("pages") / "store", F.build())
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store) -> TestClient:
    return page_client(store, F.BASE)


def path(iri: object) -> str:
    return str(iri).replace(F.BASE, "")


def text_of(html: str) -> str:
    """The page's text without tags (to check what a reader sees)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(html: str, ident: str) -> str:
    m = re.search(rf'<section id="{ident}"[^>]*>(.*?)</section>', html, re.S)
    assert m, f"no section #{ident}"
    return m.group(1)


def test_person_page(client: TestClient) -> None:
    r = client.get("/person/li-ming-yuan")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "李明远" in html and "li ming yuan" in html
    posts = section(html, "posts")
    assert "市委书记" in posts and "中共示例市委" in posts and "2022-01-13" in posts
    assert "省委常委、市委书记<mark>李明远</mark>出席并讲话。" in posts  # mention highlighted by its offsets
    timeline = section(html, "timeline")
    assert timeline.index("示例市人才工作会议") < timeline.index("示例市委常委会")  # newest first
    assert "讲话人" in timeline and "出席者" in timeline and "speaker" in timeline
    assert "<mark>李明远</mark>出席。" in timeline
    network = section(html, "network")
    assert "<svg" in network and 'href="/person/wang-xiao-hong"' in network and "王晓红 (2)" in network
    articles = section(html, "articles")
    assert "加快人才高地建设" in articles and "示例市委常委会召开" in articles
    assert 'href="/person/li-ming-yuan.ttl"' in html and 'href="/person/li-ming-yuan.jsonld"' in html


def test_person_page_posts_over_time(client: TestClient) -> None:
    html = client.get("/person/wang-xiao-hong").text
    posts = section(html, "posts")
    for label in ("市委书记", "市委副书记", "市长"):
        assert label in posts
    assert "2021-06-02" in posts and "2022-01-13" in posts
    assert "主持人" in section(html, "timeline")


def test_event_page(client: TestClient) -> None:
    meeting, award, _ = F.event_iris()
    html = client.get(path(meeting)).text
    assert "示例市人才工作会议" in html and "会议" in html and "meeting" in html
    assert "2022-01-12" in html and "中共示例市委" in html
    assert f'href="{path(award)}"' in html  # sub-event
    parts = section(html, "participants")
    # grouped by role, chairs first, with the post as stated
    assert parts.index("主持人") < parts.index("讲话人") < parts.index("出席者") < parts.index("汇报发言者")
    chair = parts[parts.index("主持人"):parts.index("讲话人")]
    assert "王晓红" in chair and "市长" in chair and "<mark>王晓红</mark>" in chair
    assert "示例锅炉集团" in parts
    assert "加快人才高地建设" in section(html, "articles")
    assert "114,000,000 元" in section(html, "grants")  # granted at its sub-event
    award_html = client.get(path(award)).text
    assert "颁奖仪式" in award_html and f'href="{path(meeting)}"' in award_html  # super-event
    grants = section(award_html, "grants")
    assert "114,000,000 元" in grants and "1.14亿元" in grants and "人才补贴" in grants
    assert "陈立" in section(award_html, "participants") and "获得者" in award_html


def test_article_page(client: TestClient) -> None:
    a1, _ = F.article_iris()
    html = client.get(path(a1)).text
    assert "<h1 id=\"headline-0\" lang=\"zh\">加快人才高地建设</h1>" in html
    assert "李明远在示例市人才工作会议上强调" in html  # kicker
    assert "示例日报" in html and "2022-01-13" in html and "示例市" in html
    assert "记者" in html and 'href="/person/zhao-yi-ming"' in html  # credit
    body = section(html, "text")
    assert re.search(r'<a href="/person/li-ming-yuan" class="ent k-person"[^>]*>李明远</a>', body)
    assert re.search(r'<a href="/organization/shi-li-guo-lu-ji-tuan" class="ent k-organization"[^>]*>示例锅炉集团</a>',
                     body)
    assert re.search(r'class="ent k-event"[^>]*>示例市人才工作会议</a>', body)
    review = section(html, "review")
    assert "出席者" in review and "市委副书记" in review and "114,000,000 元" in review
    assert "待定" in review


def test_article_review_lists_open_questions(client: TestClient) -> None:
    _, a2 = F.article_iris()
    html = client.get(path(a2)).text
    # the standing committee meeting has participants, every fact has evidence: nothing about those
    assert "no evidence sentence" not in html
    a1, _ = F.article_iris()
    html = client.get(path(a1)).text
    assert "人物「赵一鸣」" not in html  # a credited reporter is not 'named without role'


def test_organization_page(client: TestClient) -> None:
    html = client.get("/organization/zhong-gong-shi-li-shi-wei").text
    assert "中共示例市委" in html and "party" in html
    posts = section(html, "posts")
    secretary = posts[posts.index("市委书记"):]
    assert "王晓红" in secretary and "李明远" in secretary
    events = section(html, "events")
    assert "示例市人才工作会议" in events and "主办" in events
    gov = client.get("/organization/shi-li-shi-ren-min-zheng-fu").text
    assert "114,000,000 元" in section(gov, "grants")
    boiler = client.get("/organization/shi-li-guo-lu-ji-tuan").text
    assert "received" in section(boiler, "grants") or "114,000,000" in boiler
    assert "汇报发言者" in section(boiler, "events")


def test_post_page_holders_over_time(client: TestClient) -> None:
    html = client.get("/post/zhong-gong-shi-li-shi-wei-shi-wei-shu-ji").text
    holders = section(html, "holders")
    assert holders.index("王晓红") < holders.index("李明远")  # ordered by first statement
    assert "2021-06-02" in holders and "2022-01-13" in holders
    assert "中共示例市委" in html


def test_home_page(client: TestClient, store) -> None:
    html = client.get("/").text
    counts = section(html, "counts")
    assert "人物" in counts and "person" in counts and "会议" in counts
    assert re.search(r"人物.*?<td class=\"num\">4</td>", counts, re.S)  # 4 people in the graph
    assert str(store.quad_count()) in counts
    recent = section(html, "recent-events")
    assert recent.index("示例市人才工作会议") < recent.index("示例市委常委会")
    assert 'action="/search"' in html
    import html as h

    href = re.search(r'<a href="(/browse/person)" class="class-list"><span class="label" lang="zh">人物', html)
    listing = client.get(h.unescape(href.group(1))).text  # type: ignore[union-attr]
    assert "李明远" in listing and "赵一鸣" in listing  # every person, named
    # a class without an index of its own (a subclass) still opens the editor listing it
    href = re.search(r'<a href="(/query\?query=[^"]+)" class="class-list"><span class="label" lang="zh">会议', html)
    listing = client.get(h.unescape(href.group(1))).text  # type: ignore[union-attr]
    assert "示例市委常委会" in listing


def test_query_page_runs_an_example(client: TestClient) -> None:
    html = client.get("/query", params={"example": "chairs"}).text
    assert "kg:Chair" in html and 'id="query"' in html
    assert "sparql-editor.js" in html
    query = re.search(r'<textarea[^>]*>(.*?)</textarea>', html, re.S).group(1)  # type: ignore[union-attr]
    import html as h

    r = client.get("/query", params={"query": h.unescape(query)})
    assert r.status_code == 200
    results = section(r.text, "results")
    assert 'href="/person/wang-xiao-hong"' in results  # IRIs link to their pages
    assert re.search(r'<a href="/person/wang-xiao-hong"[^>]*>王晓红</a>', results)  # named, not shown as a path
    assert "示例市委常委会" in results and "@zh" in results
    for fmt in ("json", "csv", "tsv", "xml"):
        assert f'data-format="{fmt}"' in results
    assert "/sparql?query=" in results


def test_every_example_query_returns_rows_on_the_test_store(client: TestClient) -> None:
    """Issue 17: the editor's examples work on any store (no name written into them): each returns rows
    (or a graph) here, with titles in Chinese and English."""
    from kg.web.pages.queries import examples

    for stem, title, _ in examples():
        r = client.get("/query", params={"example": stem})
        assert r.status_code == 200, (stem, r.text[-500:])
        results = section(r.text, "results")
        count = re.search(r'<span class="count">(\d+)', results)
        graph = 'data-format="turtle"' in results and "<td" in results
        assert graph or (count and int(count.group(1)) > 0), (stem, title)


def test_query_page_construct_and_errors(client: TestClient) -> None:
    r = client.get("/query", params={"example": "08_describe_article"})
    assert "CONSTRUCT" in r.text
    r = client.get("/query", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"})
    assert r.status_code == 200 and 'data-format="turtle"' in r.text
    r = client.get("/query", params={"query": "SELEC * WHERE {"})
    assert r.status_code == 400 and 'class="error"' in r.text
    r = client.get("/query", params={"query": "ASK { ?s ?p ?o }"})
    assert "true" in section(r.text, "results")


def test_unknown_and_malformed_ids(client: TestClient, store) -> None:
    assert client.get("/person/no-such-person").status_code == 404
    assert client.get("/person/li-ming-yuan%3E%20%3Cx").status_code == 404
    assert client.get("/organization/li-ming-yuan").status_code == 404  # a person is not an organisation
    pages = Pages(store, F.BASE)
    assert pages.html_for("person", "no-such-person") is None
    assert pages.html_for("nonsense", "x") is None
    resp = pages.html_for("person", "li-ming-yuan")
    assert resp is not None and resp.status_code == 200 and "李明远".encode() in resp.body


def test_static_files(client: TestClient) -> None:
    r = client.get("/static/pages/pages.css")
    assert r.status_code == 200 and "text/css" in r.headers["content-type"]
    assert client.get("/static/pages/sparql-editor.js").status_code == 200
    assert client.get("/static/pages/..%2Fpages.css").status_code == 404
    assert client.get("/static/pages/nope.css").status_code == 404


def test_pages_work_without_javascript(client: TestClient) -> None:
    """Everything but the query page is script-free; the query page's form works without it."""
    for p in ("/", "/person/li-ming-yuan", "/organization/zhong-gong-shi-li-shi-wei", "/search?q=wang"):
        assert "<script" not in client.get(p).text
    html = client.get("/query").text
    assert '<form class="editor" action="/query" method="get">' in html and '<textarea id="query" name="query"' in html


def test_person_timeline_pages(tmp_path: Path) -> None:
    """A person with more participations than a page holds gets a pager, and page 2 the rest."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, XSD

    from kg.rdf.namespaces import KG, SCHEMA
    from kg.store.base import GraphUpdate

    who = URIRef(F.BASE + "/person/many")
    triples = [(who, RDF.type, SCHEMA.Person), (who, SCHEMA.name, Literal("多会", lang="zh"))]
    for i in range(120):
        ev = URIRef(f"{F.BASE}/event/e{i:03d}")
        part = URIRef(f"{F.BASE}/article/a#p{i}")
        day = f"2020-{1 + i // 28:02d}-{1 + i % 28:02d}"
        triples += [(ev, RDF.type, KG.Meeting), (ev, SCHEMA.name, Literal(f"会议{i:03d}", lang="zh")),
                    (ev, SCHEMA.startDate, Literal(day, datatype=XSD.date)), (ev, KG.participation, part),
                    (part, KG.agent, who), (part, KG.role, KG.Attendee)]
    store = make_store(tmp_path / "s", [GraphUpdate(F.BASE + "/article/a", triples)])
    c = page_client(store, F.BASE)
    html = c.get("/person/many").text
    timeline = section(html, "timeline")
    assert timeline.count("<li>") == 50 and "会议119" in timeline and "第 1 / 3 页" in timeline
    page3 = section(c.get("/person/many?page=3").text, "timeline")
    assert page3.count("<li>") == 20 and "会议000" in page3
    store.close()


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_article_rows_mark_their_words_and_link_to_their_sentence(client: TestClient) -> None:
    """Issue 17 item 6: every review row marks its own words and links to its sentence, anchored in the text."""
    a1, _ = F.article_iris()
    html = client.get(path(a1)).text
    sentences = dict(re.findall(r'<span class="sent" id="(s-\d+)">(.*?)</span>(?=<span class="sent"|</p>)',
                                section(html, "text"), re.S))
    assert len(sentences) >= 4 and _plain("".join(sentences.values())) == F.ART1_BODY.replace("\n", "")
    review = section(html, "review")
    rows = re.findall(r"<tr><td.*?</tr>", review, re.S)
    assert len(rows) == 4 + 3 + 1  # participations, post statements, amounts
    for row in rows:
        target = re.search(r'<a class="to-text" href="#(s-\d+)"', row)
        assert target, row
        assert target.group(1) in sentences  # the link lands on an anchor of the text …
        quoted = re.search(r'<q class="evidence">(.*?)</q>', row, re.S).group(1)
        assert _plain(quoted).strip("…") in _plain(sentences[target.group(1)])  # … the row's own sentence
        assert "<mark>" in quoted
    # the two statements read from one sentence are told apart by their marked words
    assert "<mark>市委副书记</mark>、市长<mark>王晓红</mark>主持。" in review
    assert "市委副书记、<mark>市长王晓红</mark>主持。" in review
    # the long sentence is cut around the row's words, and the amount row marks the amount as printed
    assert re.search(r'<q class="evidence">…[^<]{18}<mark>陈立</mark>[^<]{18}…</q>', review)
    assert "<mark>1.14亿元</mark>" in review
    twin = client.get(path(a1), params={"_format": "json"}).json()
    anchors = [r["anchor"] for key in ("facts", "holdings", "amounts") for r in twin[key]]
    assert len(anchors) == 8 and set(anchors) <= set(sentences)
    chair = next(f for f in twin["facts"] if f["agent"]["text"] == "王晓红")
    assert [t for t, marked in chair["excerpt"] if marked] == ["市长王晓红"]
    csv_text = client.get(path(a1), params={"_format": "csv", "_list": "holdings"}).text
    assert "【市委副书记】、市长【王晓红】主持。" in csv_text
