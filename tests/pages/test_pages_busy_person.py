"""Issue 17, item 1: a busy person's page answers "which posts, since when" at the top (one row per
post with its organisation, first and last date, statements, current or earlier), and every list of
the page (post summary, statements, timeline, articles) pages to its end on its own parameter.

The store is ``pages_graph.busy()``: an invented person stated in 80 articles to hold four posts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg.rdf import iris
from kg.web.pages import person as V
from kg.web.pages.common import Linker
from kg.web.pages.paging import make_paging
from tests.support import pages_graph as F
from tests.support.pages import make_store, page_client

PATH = "/person/" + iris.slug(F.BUSY_NAME)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    s = make_store(tmp_path_factory.mktemp("busy") / "store", F.busy())
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store) -> TestClient:
    return page_client(store, F.BASE)


def model(store, page: int = 1, **lists: int) -> V.PersonPage:
    m = V.person(store, Linker(F.BASE), F.BASE + PATH, page, lists)
    assert m is not None
    return m


def section(html: str, ident: str) -> str:
    m = re.search(rf'<section id="{ident}"[^>]*>(.*?)</section>', html, re.S)
    assert m, f"no section #{ident}"
    return m.group(1)


def summary_rows(m: V.PersonPage) -> list[tuple]:
    return [(p.post.text if p.post else None, p.org.text if p.org else None, p.first, p.last, p.statements,
             p.current) for p in m.post_summary]


def test_summary_rows_dates_counts_and_current_first(store) -> None:
    m = model(store)
    assert summary_rows(m) == F.BUSY_SUMMARY
    assert m.summary_paging.total == 4 and m.post_total == 80
    assert all(p.post and p.post.href and p.org and p.org.href for p in m.post_summary)


def test_summary_pages_keep_current_relative_to_the_latest_statement(store, monkeypatch) -> None:
    """On a later summary page "current" is still judged against the person's latest statement."""
    monkeypatch.setattr(V, "SUMMARY_ROWS", 3)
    first, second = model(store), model(store, summary_page=2)
    assert summary_rows(first) == F.BUSY_SUMMARY[:3] and summary_rows(second) == F.BUSY_SUMMARY[3:]
    assert second.summary_paging.page == 2 and second.summary_paging.pages == 2


def test_statements_page_to_the_last_one(store) -> None:
    """Every statement is reachable: the pages together are all 80, newest first, the last page ends
    with the oldest statement."""
    first = model(store)
    pages = first.posts_paging.pages
    assert pages == 4 and len(first.posts) == V.STATEMENT_ROWS
    seen = []
    for p in range(1, pages + 1):
        m = model(store, posts_page=p)
        assert m.posts_paging.page == p
        seen += [(s.date, s.post.text if s.post else "") for s in m.posts]
        assert all(s.evidence is not None for s in m.posts)  # the sentence of each statement
    assert len(seen) == 80 == len(set(seen))
    assert [d for d, _ in seen] == sorted((d for d, _ in seen), reverse=True)
    assert seen[-1] == ("2018-03-01", "局长")
    assert model(store, posts_page=99).posts_paging.page == pages  # past the end: the last page


def test_page_html_summary_first_and_pagers_that_keep_the_other_lists(client) -> None:
    html = client.get(PATH + "?page=2&posts_page=3").text
    assert html.index('id="post-summary"') < html.index('id="posts"') < html.index('id="timeline"')
    summary = section(html, "post-summary")
    assert summary.count("<tr class=") == 4 and "现任 current" in summary and "曾任 earlier" in summary
    assert summary.index("书记") < summary.index("主任") < summary.index("市长") < summary.index("局长")
    assert "2020-01-10" in summary and "2021-06-21" in summary
    posts = section(html, "posts")
    assert "第 3 / 4 页" in posts and 'aria-current="page">3<' in posts
    assert 'href="?page=2&amp;posts_page=4#posts"' in posts  # the next statements keep timeline page 2
    assert 'href="?page=2#posts"' in posts  # … and page 1 of the statements is the bare parameter-less one
    timeline = section(html, "timeline")
    assert "第 2 / 2 页" in timeline and 'href="?posts_page=3#timeline"' in timeline
    articles = section(html, "articles")
    assert 'href="?articles_page=2&amp;page=2&amp;posts_page=3#articles"' in articles
    assert "<script" not in html and "style=" not in html


def test_pager_links_reach_the_last_page_without_javascript(client) -> None:
    """Follow "next" links from page 1 to the end: no dead end, the last page holds the oldest statement."""
    url, hops = PATH, 0
    while True:
        html = client.get(url).text
        posts = section(html, "posts")
        nxt = re.search(r'<a rel="next" href="([^"]+)#posts"', posts)
        if not nxt:
            break
        url, hops = PATH + nxt.group(1).replace("&amp;", "&"), hops + 1
    assert hops == 3 and "2018-03-01" in posts and "第 4 / 4 页" in posts


def test_jump_form_for_long_lists(store, client, monkeypatch) -> None:
    monkeypatch.setattr(V, "STATEMENT_ROWS", 5)  # 16 pages
    posts = section(client.get(PATH + "?page=2").text, "posts")
    assert '<form class="jump" method="get" action="#posts">' in posts
    assert '<input type="hidden" name="page" value="2">' in posts and 'name="posts_page"' in posts
    assert "…" in posts and 'href="?page=2&amp;posts_page=16#posts"' in posts  # the last page is one click away
    assert len(model(store, posts_page=16).posts) == 5


def test_bad_list_parameters_fall_back_to_page_one(client) -> None:
    r = client.get(PATH + "?posts_page=x&articles_page=-3&summary_page=")
    assert r.status_code == 200 and "第 1 / 4 页" in section(r.text, "posts")


def test_paging_window() -> None:
    p = make_paging(1000, 10, 20, "posts_page")
    assert p.window() == [1, None, 8, 9, 10, 11, 12, None, 50]
    assert make_paging(60, 1, 20).window() == [1, 2, 3]
    assert (p.first_row, p.last_row) == (181, 200)


def test_service_negotiation_passes_the_list_pages(tmp_path: Path) -> None:
    """Inside the service (create_app), the HTML representation reads the lists' own parameters too."""
    from kg.web.app import create_app

    s = make_store(tmp_path / "s", F.busy())
    try:
        c = TestClient(create_app(s, F.BASE))
        html = c.get(PATH + "?posts_page=4", headers={"Accept": "text/html"}).text
        assert "第 4 / 4 页" in section(html, "posts") and "2018-03-01" in section(html, "posts")
    finally:
        s.close()


def test_organisation_events_page_to_the_end(client) -> None:
    """An organisation's events are paged on their own parameter (they used to stop at 200 rows
    silently); the articles pager keeps the events page."""
    path = "/organization/" + iris.slug(F.BUSY_ORGANISER)
    first = section(client.get(path).text, "events")
    assert '<span class="count">80</span>' in first and "第 1 / 2 页" in first and first.count("<li>") == 50
    assert "第44次会议" in first.split("<li>")[1] and 'href="?events_page=2#events"' in first
    html = client.get(path + "?events_page=2&page=2").text
    last = section(html, "events")
    assert "第 2 / 2 页" in last and last.count("<li>") == 30 and "第78次会议" in last.split("<li>")[-1]  # the oldest
    assert 'href="?events_page=2#articles"' in section(html, "articles")  # back to articles page 1


def test_grants_page_largest_first_to_the_end(store, client) -> None:
    """Grants are paged (``?grants_page=``) largest amount first, on the person, funder and event pages."""
    m = model(store)
    assert m.grants_paging is not None and m.grants_paging.total == 80 and len(m.grants) == 50
    assert [g.value for g in m.grants][:3] == [80000, 79000, 78000]
    last = model(store, grants_page=2)
    assert len(last.grants) == 30 and last.grants[-1].value == 1000
    html = client.get("/organization/" + iris.slug(F.BUSY_ORGANISER) + "?grants_page=2").text
    grants = section(html, "grants")
    assert "第 2 / 2 页" in grants and "1,000 元" in grants and "80,000" not in grants
    assert 'href="?grants_page=2&amp;page=2#articles"' in section(html, "articles")
    event = client.get("/event/busy-e000").text
    assert "1,000 元" in section(event, "grants") and '<span class="count">1</span>' in section(event, "grants")
