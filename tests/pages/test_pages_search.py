"""Search of names (kg.search): by Chinese name, part of a name or pinyin; ranked exact > prefix > contained,
then by mentions."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kg.rdf import iris
from kg.rdf.namespaces import KG, SCHEMA
from kg.search import index_for
from kg.search.query import search
from kg.store.base import GraphUpdate
from kg.web.pages import common as V
from kg.web.pages.search import search_page
from tests.support import pages_graph as F
from tests.support.pages import make_store


def person(name: str, article: URIRef) -> list[tuple]:
    p = URIRef(iris.iri(F.BASE, "person", iris.person_id(name)))
    return [(p, RDF.type, SCHEMA.Person), (p, SCHEMA.name, Literal(name, lang="zh")),
            (p, KG.pinyin, Literal(iris.pinyin(name))), (article, SCHEMA.mentions, p)]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    updates = F.build()
    # 王明 once, 王明远 in three articles, 王明华 in one, 李王明 once; an organisation and an event named 王明…
    plan = {"王明": 1, "王明远": 3, "王明华": 1, "李王明": 1}
    extra: dict[str, list[tuple]] = {}
    for name, k in plan.items():
        for i in range(k):
            a = URIRef(f"{F.BASE}/article/s{i}")
            extra.setdefault(str(a), []).extend(person(name, a) + [(a, RDF.type, SCHEMA.NewsArticle)])
    org = URIRef(F.BASE + "/organization/wang-ming-gong-si")
    extra[F.BASE + "/article/s0"] += [(org, RDF.type, SCHEMA.Organization),
                                      (org, SCHEMA.name, Literal("王明公司", lang="zh"))]
    ev = URIRef(F.BASE + "/event/x")
    extra[F.BASE + "/article/s0"] += [(ev, RDF.type, KG.Meeting), (ev, SCHEMA.name, Literal("王明座谈会", lang="zh"))]
    updates += [GraphUpdate(k, v) for k, v in extra.items()]
    s = make_store(tmp_path_factory.mktemp("search") / "store", updates)
    yield s
    s.close()


def names(store, q: str) -> list[str]:
    """The names of the entities found (articles found by their text are left out here)."""
    return [h.name for h in search(index_for(store), q).hits if h.kind != "article"]


def test_exact_then_prefix_by_mentions_then_contained(store) -> None:
    got = names(store, "王明")
    assert got[0] == "王明"
    assert got.index("王明远") < got.index("王明华")  # both prefixes: 王明远 is mentioned more
    assert got.index("王明华") < got.index("李王明")  # prefix before contained
    assert {"王明公司", "王明座谈会"} <= set(got)  # organisations and events too


def test_pinyin_with_or_without_spaces_and_case(store) -> None:
    for q in ("wang ming yuan", "wangmingyuan", "WangMingYuan"):
        assert names(store, q)[0] == "王明远", q
    got = names(store, "wang ming")
    assert got[0] == "王明" and "王明远" in got


def test_part_of_name(store) -> None:
    assert names(store, "晓红") == ["王晓红"]
    assert names(store, "锅炉") == ["示例锅炉集团"]
    assert "示例市人才工作会议" in names(store, "人才工作")


def test_nothing_and_empty(store) -> None:
    assert names(store, "不存在的名字") == []
    assert names(store, "   ") == []
    assert names(store, '"}') == []  # quotes cannot break out of the literal


def test_result_links_to_pages(store) -> None:
    hit = search_page(store, V.Linker(F.BASE), "王晓红").hits[0]
    assert hit.link.href == "/person/wang-xiao-hong" and hit.kind == "person"


def test_search_page(store, tmp_path: Path) -> None:

    from tests.support.pages import page_client

    html = page_client(store, F.BASE).get("/search", params={"q": "wang ming"}).text
    assert html.index(">王明<") < html.index(">王明远<")
