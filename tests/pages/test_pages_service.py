"""The pages inside the service's app: content negotiation, RDF links, downloads, the home page."""

from __future__ import annotations

import json
import re

import pytest
import rdflib
from fastapi.testclient import TestClient

from kg.web.app import create_app
from tests.support import pages_graph as F
from tests.support.pages import make_store

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    store = make_store(tmp_path_factory.mktemp("svc") / "store", F.build())
    return TestClient(create_app(store, F.BASE))


def entity_paths() -> list[str]:
    a1, _ = F.article_iris()
    meeting, _, _ = F.event_iris()
    return ["/person/li-ming-yuan", str(meeting).replace(F.BASE, ""), str(a1).replace(F.BASE, ""),
            "/organization/zhong-gong-shi-li-shi-wei", "/post/zhong-gong-shi-li-shi-wei-shi-wei-shu-ji"]


@pytest.mark.parametrize("path", entity_paths())
def test_browsers_get_pages_rdf_clients_get_rdf(client: TestClient, path: str) -> None:
    page = client.get(path, headers=BROWSER)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Accept" in page.headers["vary"]
    assert client.get(path).headers["content-type"].startswith("text/turtle")  # */* and no Accept: Turtle
    # the page's RDF links resolve to RDF about this IRI
    for suffix, fmt in ((".ttl", "turtle"), (".jsonld", "json-ld")):
        assert f'href="{path}{suffix}"' in page.text
        r = client.get(path + suffix)
        assert r.status_code == 200
        g = rdflib.Graph().parse(data=r.text, format=fmt)
        assert (rdflib.URIRef(F.BASE + path), None, None) in g
    assert client.get(path + ".html").headers["content-type"].startswith("text/html")


def test_unknown_entity_is_a_404_page(client: TestClient) -> None:
    r = client.get("/person/nobody-here", headers=BROWSER)
    assert r.status_code == 404


def test_ontology_terms_stay_rdf_for_browsers(client: TestClient) -> None:
    assert client.get("/ontology/Chair", headers=BROWSER).headers["content-type"].startswith("text/turtle")


def test_home_search_query_in_the_service(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    assert "示例市人才工作会议" in home.text
    assert "王晓红" in client.get("/search", params={"q": "wang xiao"}).text
    q = client.get("/query", params={"example": "chairs"})
    query = re.search(r"<textarea[^>]*>(.*?)</textarea>", q.text, re.S).group(1)  # type: ignore[union-attr]
    import html

    res = client.get("/query", params={"query": html.unescape(query)})
    links = re.findall(r'href="(/sparql\?[^"]+)" class="download" data-format="(\w+)"', res.text)
    assert [f for _, f in links] == ["json", "csv", "tsv", "xml"]
    for href, fmt in links:
        r = client.get(html.unescape(href))
        assert r.status_code == 200, (fmt, r.text[:200])
        if fmt == "json":
            names = {b["name"]["value"] for b in json.loads(r.text)["results"]["bindings"]}
            assert names == {"王晓红"}
        if fmt == "csv":
            assert r.text.startswith("name,eventName,date,person")


def test_construct_downloads(client: TestClient) -> None:
    import html

    res = client.get("/query", params={"example": "08_describe_article"})
    query = re.search(r"<textarea[^>]*>(.*?)</textarea>", res.text, re.S).group(1)  # type: ignore[union-attr]
    res = client.get("/query", params={"query": html.unescape(query)})
    links = re.findall(r'href="(/sparql\?[^"]+)" class="download" data-format="(\w+)"', res.text)
    assert [f for _, f in links] == ["turtle", "jsonld", "ntriples", "rdfxml"]
    r = client.get(html.unescape(dict((f, h) for h, f in links)["turtle"]))
    assert r.status_code == 200 and len(rdflib.Graph().parse(data=r.text, format="turtle")) > 20


def test_person_page_paging_through_negotiation(client: TestClient) -> None:
    r = client.get("/person/li-ming-yuan", params={"page": "2"}, headers=BROWSER)
    assert r.status_code == 200  # a page past the end shows the last page
    r = client.get("/person/li-ming-yuan", params={"page": "x"}, headers=BROWSER)
    assert r.status_code == 200
