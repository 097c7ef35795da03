"""Names, headlines and query results are data: markup in them renders inert on every page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from kg.rdf import iris
from tests.support import pages_graph as F
from tests.support.pages import active_content, make_store, page_client

HEADLINE = '<script>alert("h")</script>"onerror=alert(1) x="'
NAME = '<img src=x onerror=alert(2)>"onerror=alert(3)'


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    store = make_store(tmp_path_factory.mktemp("xss") / "store", F.build(headline=HEADLINE, names={"李明远": NAME}))
    return page_client(store, F.BASE)


def pages(client: TestClient) -> list[str]:
    a1, a2 = F.article_iris()
    meeting, award, standing = F.event_iris()
    person = iris.slug(NAME)  # as pages_graph.person mints it
    return [
        "/", f"/person/{person}", "/person/wang-xiao-hong", str(a1).replace(F.BASE, ""),
        str(a2).replace(F.BASE, ""), str(meeting).replace(F.BASE, ""), str(standing).replace(F.BASE, ""),
        "/organization/zhong-gong-shi-li-shi-wei", "/post/zhong-gong-shi-li-shi-wei-shi-wei-shu-ji",
        "/search?q=onerror", "/search?q=<script>",
        "/query?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D",
    ]


def test_markup_in_headline_and_names_is_inert(client: TestClient) -> None:
    seen_headline = seen_name = 0
    for p in pages(client):
        r = client.get(p)
        assert r.status_code == 200, p
        found = active_content(r.text)
        assert found.found == [], (p, found.found)
        assert all(s.get("src", "").startswith("/static/pages/") for s in found.scripts), p  # type: ignore[union-attr]
        assert "<script>alert" not in r.text and "<img src=x" not in r.text, p
        seen_headline += str(escape(HEADLINE)) in r.text
        seen_name += str(escape(NAME)) in r.text
    assert seen_headline >= 3 and seen_name >= 3  # the text is shown, as text


def test_search_box_echo_is_escaped(client: TestClient) -> None:
    r = client.get("/search", params={"q": '"><script>alert(9)</script>'})
    assert "<script>alert(9)" not in r.text and active_content(r.text).found == []


def test_query_text_is_escaped(client: TestClient) -> None:
    q = 'SELECT ("</textarea><script>alert(5)</script>" AS ?x) WHERE {}'
    r = client.get("/query", params={"query": q})
    assert r.status_code == 200
    assert "<script>alert(5)" not in r.text and active_content(r.text).found == []
