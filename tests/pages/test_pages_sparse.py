"""Sparse and odd data never breaks a page: every kind renders (200) or is unknown (404), never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.rdf.namespaces import KG, ORG, SCHEMA
from kg.store.base import GraphUpdate
from tests.support.pages import make_store, page_client

B = "http://kg.test"


def u(path: str) -> URIRef:
    return URIRef(B + path)


GRAPHS = [
    # only types: no names, dates, bodies
    GraphUpdate(B + "/article/bare", [
        (u("/article/bare"), RDF.type, SCHEMA.NewsArticle),
        (u("/person/bare"), RDF.type, SCHEMA.Person),
        (u("/organization/bare"), RDF.type, SCHEMA.Organization),
        (u("/event/bare"), RDF.type, KG.Election),
        (u("/post/bare"), RDF.type, ORG.Post),
        (u("/place/bare"), RDF.type, SCHEMA.Place),
        (u("/article/bare"), SCHEMA.mentions, u("/person/bare")),
    ]),
    # odd values: two names, a gMonthDay date, a participation without role or agent name, an amount that
    # is not a number, evidence offsets that do not fit the sentence, a blank node, an IRI outside the base
    GraphUpdate(B + "/article/odd", [
        (u("/article/odd"), RDF.type, SCHEMA.NewsArticle),
        (u("/article/odd"), SCHEMA.headline, Literal("头条", lang="zh")),
        (u("/article/odd"), SCHEMA.headline, Literal("另一个头条", lang="zh")),
        (u("/article/odd"), SCHEMA.articleBody, Literal("")),
        (u("/article/odd"), SCHEMA.mentions, URIRef("http://elsewhere.example/x")),
        (u("/event/odd"), RDF.type, KG.Meeting),
        (u("/event/odd"), SCHEMA.startDate, Literal("--01-12", datatype=XSD.gMonthDay)),
        (u("/event/odd"), KG.participation, u("/article/odd#p1")),
        (u("/article/odd#p1"), KG.agent, u("/person/odd")),
        (u("/article/odd#p1"), KG.evidence, Literal("某某出席。", lang="zh")),
        (u("/article/odd#p1"), KG.evidenceStart, Literal(500)),
        (u("/article/odd#p1"), KG.mentionStart, Literal(3)),
        (u("/article/odd#p1"), KG.mentionEnd, Literal(1)),
        (u("/person/odd"), RDF.type, SCHEMA.Person),
        (u("/person/odd"), SCHEMA.name, Literal("甲", lang="zh")),
        (u("/person/odd"), SCHEMA.name, Literal("乙", lang="zh")),
        (u("/person/odd"), ORG.holds, u("/post/odd")),
        (u("/post/odd"), RDF.type, ORG.Post),
        (u("/post/odd"), RDFS.label, Literal("主任", lang="zh")),
        (u("/article/odd#g"), RDF.type, SCHEMA.MonetaryGrant),
        (u("/article/odd#g"), SCHEMA.amount, u("/article/odd#a")),
        (u("/article/odd#g"), KG.recipient, u("/person/odd")),
        (u("/article/odd#a"), RDF.type, SCHEMA.MonetaryAmount),
        (u("/article/odd#a"), SCHEMA.value, Literal("not a number")),
        (BNode("b1"), SCHEMA.name, Literal("匿名", lang="zh")),
    ]),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    store = make_store(tmp_path_factory.mktemp("sparse") / "store", GRAPHS)
    return page_client(store, B, raise_server_exceptions=False)


@pytest.mark.parametrize("path", [
    "/", "/person/bare", "/organization/bare", "/event/bare", "/post/bare", "/place/bare", "/article/bare",
    "/person/odd", "/event/odd", "/post/odd", "/article/odd", "/person/odd?page=99", "/search?q=甲",
    "/search?q=%20", "/query?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
])
def test_renders(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, (path, r.text[:300])


@pytest.mark.parametrize("path", ["/person/unknown", "/event/bare%2F..", "/thing/bare", "/person/" + "x" * 400])
def test_unknown_is_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_odd_values_show_sensibly(client: TestClient) -> None:
    ev = client.get("/event/odd").text
    assert "1月12日（年份不详）" in ev and "某某出席。" in ev and "角色不详" in ev
    person = client.get("/person/odd").text
    assert "主任" in person and "not a number" in person  # a non-number amount is shown as it is
