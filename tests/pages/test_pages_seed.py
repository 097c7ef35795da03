"""The pages on the ingested seed page (whatever the extractor of the day finds in it)."""

from __future__ import annotations

import re

import pytest

from kg.store.oxigraph import OxigraphStore
from tests.support.pages import page_client
from tests.support.seed import SEED_BASE as BASE


@pytest.fixture(scope="module")
def seeded(seed_store):
    return seed_store, page_client(seed_store, BASE)


def article_path(store: OxigraphStore, headline_part: str) -> str:
    rows = store.query(
        "SELECT ?a ?h WHERE { ?a <https://schema.org/headline> ?h }").rows()
    for r in rows:
        if headline_part in str(r["h"]):
            return str(r["a"]).replace(BASE, "")
    raise AssertionError(f"no article with {headline_part}")


def entity_path(store: OxigraphStore, name: str) -> str:
    """The page path of the entity named ``name`` (ids are minted by kg.rdf.identity; see test_identity)."""
    rows = list(store.query(f'SELECT DISTINCT ?s WHERE {{ ?s <https://schema.org/name> "{name}"@zh }}').rows())
    assert len(rows) == 1, (name, rows)
    return str(rows[0]["s"]).replace(BASE, "")


def test_seed_article_page(seeded) -> None:
    store, client = seeded
    html = client.get(article_path(store, "人才高地建设")).text
    assert "加快创新高地人才高地建设" in re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)  # type: ignore[union-attr]
    assert "韦韬在市委人才工作会议上强调" in html  # kicker
    assert "太原日报" in html and "2022-01-13" in html and "太原市" in html
    zhao, yin, liang = (entity_path(store, n) for n in ("赵继钊", "殷雪鸢", "梁琛"))
    assert zhao.startswith("/person/zhao-ji-zhao-") and liang.startswith("/person/liang-chen-")
    assert f'href="{zhao}"' in html and f'href="{yin}"' in html  # reporters
    assert f'href="{liang}"' in html and "摄影" in html  # photographer
    assert "市委人才工作会议举行" in re.sub(r"<[^>]+>", "", html)  # the text (names in it may be links)
    assert "000_bd3172a97833ae3d.txt" in html
    linked = re.findall(r'class="ent k-(\w+)"', html)
    if store.query('ASK { ?p <https://schema.org/name> "韦韬"@zh }').boolean():
        assert "person" in linked  # once the extractor finds people, the text links them


def test_seed_credit_person_page(seeded) -> None:
    store, client = seeded
    html = client.get(entity_path(store, "赵继钊")).text
    assert "赵继钊" in html and "zhao ji zhao" in html
    assert "加快创新高地人才高地建设" in html and "记者 reporter" in html
    assert "作者 author" not in html  # the byline as printed (issue 17, item 7)


def test_seed_home_and_search(seeded) -> None:
    store, client = seeded
    html = client.get("/").text
    assert re.search(r"新闻文章.*?<td class=\"num\">6</td>", html, re.S)
    assert "太原为20家单位颁奖并发放补助1.53亿元" in html
    zhao, liang = entity_path(store, "赵继钊"), entity_path(store, "梁琛")
    assert f'href="{zhao}"' in client.get("/search", params={"q": "zhao ji"}).text
    assert f'href="{liang}"' in client.get("/search", params={"q": "梁琛"}).text


def test_seed_publisher_page(seeded) -> None:
    store, client = seeded
    html = client.get(entity_path(store, "太原日报")).text
    assert "太原日报" in html and "报社" in html and "news media organisation" in html
    assert "加快创新高地人才高地建设" in html and "刊登 published" in html  # the articles it published
