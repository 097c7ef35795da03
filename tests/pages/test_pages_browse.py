"""Index pages (/browse/{kind}), the pages' JSON twins and list downloads (issue 17, items 2 and 9), and a
crawl: from the home page every entity of the test store is reachable through paged lists."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal
from rdflib.namespace import RDF, XSD

from kg.rdf.namespaces import SCHEMA
from kg.store.base import GraphUpdate
from kg.web.app import create_app
from kg.web.pages import browse as B
from kg.web.pages import twin
from kg.web.pages.common import Linker
from kg.web.pages.person import person
from tests.support import pages_graph as F
from tests.support.pages import make_store, page_client

PAGE_KINDS = ("person", "organization", "event", "post", "place", "article")
TYPE_OF_KIND = {"person": ["https://schema.org/Person"],
                "organization": ["https://schema.org/Organization", "https://schema.org/NewsMediaOrganization"],
                "event": ["https://schema.org/Event", "https://w3id.org/newskg/ontology#Meeting",
                          "https://w3id.org/newskg/ontology#Congress", "https://w3id.org/newskg/ontology#AwardCeremony",
                          "https://w3id.org/newskg/ontology#Election"],
                "post": ["http://www.w3.org/ns/org#Post"], "place": ["https://schema.org/Place"],
                "article": ["https://schema.org/NewsArticle"]}


def places(count: int = 5) -> list[GraphUpdate]:
    """Articles reporting an event at an invented place each (the hand-made graph has no places)."""
    out = []
    for i in range(count):
        a = F.node(F.BASE, "article", f"place-{i}")
        g = F._Graph(a, "本报讯 示例")
        g.article(F.BASE, f"地点报道{i}", f"2019-0{i + 1}-01")
        pl, ev = F.node(F.BASE, "place", f"di-dian-{i}"), F.node(F.BASE, "event", f"place-e{i}")
        g.add(pl, RDF.type, SCHEMA.Place)
        g.add(pl, SCHEMA.name, F.zh(f"示例地点{i}"))
        g.add(ev, RDF.type, SCHEMA.Event)
        g.add(ev, SCHEMA.name, F.zh(f"示例活动{i}"))
        g.add(ev, SCHEMA.location, pl)
        g.add(ev, SCHEMA.startDate, Literal(f"2019-0{i + 1}-01", datatype=XSD.date))
        g.add(a, SCHEMA.mentions, pl)
        out.append(GraphUpdate(str(a), g.t))
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    s = make_store(tmp_path_factory.mktemp("browse") / "store", F.build() + F.busy() + places())
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store) -> TestClient:
    return page_client(store, F.BASE)


def entities(store, kind: str) -> set[str]:
    """Every entity of ``kind`` in the store, as page paths, asked of the store directly."""
    classes = " ".join(f"<{c}>" for c in TYPE_OF_KIND[kind])
    rows = store.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a ?c }} VALUES ?c {{ {classes} }} }}").rows()
    return {str(r["s"]).replace(F.BASE, "") for r in rows}


def index_paths(client: TestClient, kind: str, **params: str) -> list[str]:
    return [r["link"]["href"] for r in client.get(f"/browse/{kind}", params={**params, "_format": "json",
                                                                              "_list": "rows"}).json()]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_index_lists_every_entity_of_its_kind(client, store, kind) -> None:
    got = index_paths(client, kind)
    assert len(got) == len(set(got)) and set(got) == entities(store, kind)
    page = client.get(f"/browse/{kind}", params={"_format": "json"}).json()
    assert page["paging"]["total"] == len(got) and page["what"] == kind


def test_index_pages_to_its_end_with_numbers(client, store, monkeypatch) -> None:
    """A small page size: every page is reachable by number, rows do not repeat, the total is shown."""
    monkeypatch.setattr(B, "PAGE_SIZE", 7)
    first = client.get("/browse/article").text
    total = len(entities(store, "article"))
    pages = -(-total // 7)
    assert f"第 1 / {pages} 页（共 {total} 条" in first
    assert f'href="?page={pages}#list"' in first  # the last page by number, not only "next"
    seen: list[str] = []
    for p in range(1, pages + 1):
        rows = client.get("/browse/article", params={"page": p, "_format": "json"}).json()["rows"]
        seen += [r["link"]["href"] for r in rows]
    assert len(seen) == total and set(seen) == entities(store, "article")


def test_index_sorts_and_filters(client, store) -> None:
    by_articles = client.get("/browse/person", params={"_format": "json"}).json()["rows"]
    counts = [r["articles"] for r in by_articles]
    assert counts == sorted(counts, reverse=True) and by_articles[0]["link"]["text"] == "高远航"  # the busy person
    by_name = client.get("/browse/person", params={"sort": "name", "_format": "json"}).json()["rows"]
    names = [r["link"]["text"] for r in by_name]
    assert names == sorted(names)
    named = client.get("/browse/person", params={"q": "明", "_format": "json"}).json()["rows"]
    assert {r["link"]["text"] for r in named} == {"李明远"}
    chairs = index_paths(client, "person", role="https://w3id.org/newskg/ontology#Chair")
    assert chairs and set(chairs) < entities(store, "person")
    events_2021 = client.get("/browse/event", params={"year": "2021", "_format": "json"}).json()["rows"]
    assert events_2021 and all(r["date"].startswith("2021") for r in events_2021)
    for bad in ("/organization/a>b", "/organization/x%20y", "/organization/", "http://elsewhere/organization/x"):
        assert len(index_paths(client, "person", org=bad)) == len(entities(store, "person")), bad
    # a value that does not fit is dropped, not an error: the whole list
    assert len(index_paths(client, "person", role="javascript:alert(1)", year="x", sort="nope")) == \
        len(entities(store, "person"))


def test_index_filters_by_organisation(client, store) -> None:
    org = "/organization/shi-li-hui-wu-zhong-xin"
    events = index_paths(client, "event", org=org)
    assert events and set(events) < entities(store, "event")
    html = client.get("/browse/event", params={"org": org}).text
    assert f'href="{org}"' in html and f'value="{org}"' in html  # the filter is shown and kept by the form


def test_dated_index_jumps_by_year(client, monkeypatch) -> None:
    monkeypatch.setattr(B, "PAGE_SIZE", 10)
    page = client.get("/browse/article", params={"_format": "json"}).json()
    years = page["years"]
    assert years and [y["year"] for y in years] == sorted((y["year"] for y in years), reverse=True)
    rows = client.get("/browse/article", params={"_format": "json", "_list": "rows"}).json()
    for y in years:  # the page a year's link opens holds that year's first article
        first = next(i for i, r in enumerate(rows) if r["date"].startswith(y["year"]))
        assert y["page"] == first // 10 + 1


def test_home_links_every_index(client) -> None:
    html = client.get("/").text
    for kind in PAGE_KINDS:
        assert f'href="/browse/{kind}"' in html
    assert re.search(r'<a href="/browse/person" class="class-list">', html)  # the people count opens the index


def test_page_json_twin_is_the_view_model(client, store) -> None:
    """The JSON twin holds what the HTML shows, from the same view model."""
    path = "/person/gao-yuan-hang"
    data = client.get(path, params={"_format": "json", "posts_page": "2"}).json()
    model = person(store, Linker(F.BASE), F.BASE + path, 1, {"posts_page": 2})
    assert model is not None
    assert data["name"] == model.name and data["posts_paging"]["page"] == 2
    assert [p["date"] for p in data["posts"]] == [p.date for p in model.posts]
    assert data["posts_paging"]["total"] == model.posts_paging.total == 80
    html = client.get(path, params={"posts_page": "2"}).text
    assert all(p["date"] in html for p in data["posts"])
    assert 'href="?_format=json"' in html


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_kind_has_a_json_twin(client, kind) -> None:
    path = index_paths(client, kind)[0]
    r = client.get(path, params={"_format": "json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert r.json()["kind"] == kind and r.json()["iri"] == F.BASE + path
    assert client.get("/", params={"_format": "json"}).json()["kind"] == "home"
    assert client.get("/name", params={"q": "李明远", "_format": "json"}).json()["name"] == "李明远"


def test_list_downloads_hold_every_row(client) -> None:
    """A list's CSV and JSON hold all its rows, not one page (80 statements, 20 a page)."""
    path = "/person/gao-yuan-hang"
    html = client.get(path).text
    assert 'href="?_format=csv&amp;_list=posts"' in html
    rows = list(csv.DictReader(io.StringIO(client.get(path, params={"_format": "csv", "_list": "posts"}).text)))
    assert len(rows) == 80 and {"post", "post_iri", "article", "date", "evidence"} <= set(rows[0])
    timeline = client.get(path, params={"_format": "json", "_list": "timeline"}).json()
    assert len(timeline) == client.get(path, params={"_format": "json"}).json()["timeline_paging"]["total"]
    for kind, lists in twin.LISTS.items():
        page = index_paths(client, kind)[0]
        for name in lists:
            assert client.get(page, params={"_format": "csv", "_list": name}).status_code == 200, (kind, name)
    assert client.get(path, params={"_format": "csv"}).status_code == 400  # which list? the answer names them
    assert client.get(path, params={"_format": "csv", "_list": "nope"}).status_code == 400


def test_service_serves_twins_without_accept(store) -> None:
    """In the service, ?_format= reaches the page's data whatever the Accept header; RDF stays the default."""
    c = TestClient(create_app(store, F.BASE))
    r = c.get("/person/li-ming-yuan", params={"_format": "json"})
    assert r.status_code == 200 and r.json()["name"] == "李明远"
    assert c.get("/person/li-ming-yuan").headers["content-type"].startswith("text/turtle")
    assert "ld+json" in c.get("/person/li-ming-yuan", headers={"Accept": "application/json"}).headers["content-type"]
    assert c.get("/browse/person", params={"_format": "csv", "_list": "rows"}).text.count("\n") == \
        len(entities(store, "person")) + 1


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def test_crawl_reaches_every_entity_through_paged_lists(client, store, monkeypatch) -> None:
    """From the home page, following only index pages and their pagers (3 rows a page, so every list
    has several pages), every entity of the store is linked: no list stops early."""
    monkeypatch.setattr(B, "PAGE_SIZE", 3)
    todo, seen, found = ["/"], {"/"}, set()
    while todo:
        url = todo.pop()
        parser = Links()
        parser.feed(client.get(url).text)
        for href in parser.hrefs:
            full = urljoin(url, href)
            parts = urlsplit(full)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith("/browse/"):
                if "_format" not in parts.query and target not in seen:
                    seen.add(target)
                    todo.append(target)
            elif parts.path.split("/")[1:2] and parts.path.split("/")[1] in PAGE_KINDS:
                found.add(parts.path)
    everything = set().union(*(entities(store, k) for k in PAGE_KINDS))
    assert len(everything) > 3 * 10 and everything <= found


def test_dated_lists_of_a_page_jump_by_year(client) -> None:
    """The busy person's timeline (80 dated entries, 50 a page): each year links to the page it starts on."""
    path = "/person/gao-yuan-hang"
    data = client.get(path, params={"_format": "json"}).json()
    years = data["timeline_paging"]["years"]
    assert len(years) >= 2 and sum(y["count"] for y in years) == data["timeline_paging"]["total"]
    whole = client.get(path, params={"_format": "json", "_list": "timeline"}).json()
    for y in years:
        first = next(i for i, e in enumerate(whole) if e["date"].startswith(y["year"]))
        assert y["page"] == first // 50 + 1
        shown = client.get(path, params={"page": y["page"], "_format": "json"}).json()["timeline"]
        assert any(e["date"].startswith(y["year"]) for e in shown)
    html = client.get(path).text
    assert f'href="?page={years[-1]["page"]}#timeline"' in html or years[-1]["page"] == 1
    assert data["articles_paging"]["years"]  # the articles too


def test_organisation_page_links_its_filtered_indexes(client, store) -> None:
    org = "/organization/shi-li-hui-wu-zhong-xin"
    html = client.get(org).text
    href = re.search(r'href="(/browse/event\?org=[^"]+)"', html)
    assert href is not None
    events = client.get(href.group(1).replace("&amp;", "&") + "&_format=json").json()
    assert events["org"]["href"] == org and events["paging"]["total"] == 80  # the 80 meetings it organised
