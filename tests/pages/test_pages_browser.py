"""Real-browser tests: the service's app (``kg.web.app.create_app``, pages wired in) on a real uvicorn
server over a temp store, Debian's chromium, screenshots in test-artefacts/.

The store holds the hand-made graph (invented people with posts, events, roles, evidence and money)
and the seed page as ingested today, under one base.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingest import ingest_paths
from kg.store.base import GraphUpdate
from kg.web.app import create_app
from tests.support import pages_graph as F
from tests.support.browser import chromium, require_browser, screenshot, serve
from tests.support.pages import make_store
from tests.support.seed import SEED_BASE


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, seed_path: Path):
    require_browser()
    store = make_store(tmp_path_factory.mktemp("browser") / "store", F.build() + [venue()])
    assert all(r.error is None for r in ingest_paths(store, [seed_path], base=F.BASE))
    with serve(create_app(store, F.BASE)) as url, chromium() as driver:
        yield url, driver
    store.close()


def venue() -> GraphUpdate:
    """A place where the fixture's meeting took place, so the place page kind is there to be checked."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF

    from kg.rdf.namespaces import SCHEMA

    place = URIRef(F.BASE + "/place/shi-li-hui-zhan-zhong-xin")
    meeting = F.event_iris()[0]
    return GraphUpdate(str(place), [(place, RDF.type, SCHEMA.Place),
                                    (place, SCHEMA.name, Literal("示例会展中心", lang="zh")),
                                    (meeting, SCHEMA.location, place)])


def by_css(driver, css: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, css)


def all_css(driver, css: str):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, css)


def follow(driver, element, timeout: float = 10) -> None:
    """Click a link or button and wait until the next page has replaced this one."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element(By.TAG_NAME, "html")
    element.click()

    def replaced(_: object) -> bool:
        try:  # chromedriver reports a detached node as stale or as an inspector error
            page.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(driver, timeout).until(replaced)


def wait_for(driver, css: str, timeout: float = 10):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def test_home_and_search(site) -> None:
    url, d = site
    d.get(url + "/")
    assert "newskg" in d.title
    counts = by_css(d, "#counts").text
    assert "人物" in counts and "新闻文章" in counts
    assert "示例市人才工作会议" in by_css(d, "#recent-events").text
    screenshot(d, "home")
    box = by_css(d, "form.search.big input[name=q]")
    box.send_keys("wang xiao hong")
    follow(d, by_css(d, "form.search.big button"))
    wait_for(d, "ol.hits")
    first = all_css(d, "ol.hits li a")[0]
    assert first.text == "王晓红"
    screenshot(d, "search")


def test_follow_person_event_article_person(site) -> None:
    url, d = site
    d.get(url + "/person/li-ming-yuan")
    assert by_css(d, "h1").text.startswith("李明远")
    assert "市委书记" in by_css(d, "#posts").text
    assert by_css(d, "#posts mark").text == "李明远"
    assert len(all_css(d, "svg.network circle")) >= 2
    screenshot(d, "person")
    # person → event (the timeline's first event)
    follow(d, by_css(d, "#timeline a.k-event"))
    wait_for(d, "#participants")
    assert "/event/" in d.current_url and by_css(d, "h1").text == "示例市人才工作会议"
    roles = [h.text for h in all_css(d, "h3.role-head")]
    assert roles[0].startswith("主持人")
    screenshot(d, "event")
    # event → article (a reporting article)
    follow(d, by_css(d, "#articles a.k-article"))
    wait_for(d, "#text")
    assert "/article/" in d.current_url and by_css(d, "h1").text == "加快人才高地建设"
    linked = all_css(d, "#text a.ent.k-person")
    assert linked, "the article text links the people it names"
    screenshot(d, "article")
    # article → person (a name in the text)
    target = next(a for a in linked if a.text == "王晓红")
    follow(d, target)
    wait_for(d, "#timeline")
    assert d.current_url.endswith("/person/wang-xiao-hong") and by_css(d, "h1").text.startswith("王晓红")


def test_seed_article_page(site) -> None:
    url, d = site
    d.get(url + "/search?q=%E8%B5%B5%E7%BB%A7%E9%92%8A")  # 赵继钊, a reporter of the seed
    follow(d, by_css(d, "ol.hits a"))
    wait_for(d, "#articles")
    link = next(a for a in all_css(d, "#articles a") if "人才高地建设" in a.text)
    follow(d, link)
    wait_for(d, "#text")
    assert "加快创新高地人才高地建设" in by_css(d, "h1").text
    facts = by_css(d, "dl.facts").text
    assert "太原日报" in facts and "2022-01-13" in facts and "赵继钊" in facts and "梁琛" in facts
    screenshot(d, "seed-article-via-search")


def test_other_page_types(site) -> None:
    url, d = site
    for path, name, heading in (("/organization/zhong-gong-shi-li-shi-wei", "organization", "中共示例市委"),
                                ("/post/zhong-gong-shi-li-shi-wei-shi-wei-shu-ji", "post", "市委书记")):
        d.get(url + path)
        assert by_css(d, "h1").text == heading
        screenshot(d, name)
    assert "王晓红" in by_css(d, "#holders").text


def test_query_editor_runs_an_example(site) -> None:
    url, d = site
    d.get(url + "/query")
    wait_for(d, ".code-editor.js-on")  # the highlighter attached
    assert all_css(d, "#query-hl .tok-kw"), "keywords are highlighted"
    follow(d, next(a for a in all_css(d, "a.example") if "主持" in a.text or "chaired" in a.text))
    wait_for(d, "#query-hl .tok-var")
    assert "kg:Chair" in by_css(d, "#query").get_attribute("value")
    follow(d, by_css(d, "#run"))
    wait_for(d, "table.results")
    cells = by_css(d, "table.results").text
    assert "王晓红" in cells
    person_links = all_css(d, "table.results a.k-person")
    assert person_links and person_links[0].get_attribute("href").startswith(url + "/person/")
    formats = [a.get_attribute("data-format") for a in all_css(d, "a.download")]
    assert formats == ["json", "csv", "tsv", "xml"]
    screenshot(d, "query")
    follow(d, person_links[0])
    wait_for(d, "#timeline")
    assert "/person/" in d.current_url


def test_every_editor_example_returns_rows_in_the_browser(site) -> None:
    """Issue 17 item 5: each example of the editor's list, clicked and run, returns rows (or a graph) on the
    test store, with names rather than paths in its links."""
    url, d = site
    d.get(url + "/query")
    examples = [(a.text, a.get_attribute("href")) for a in all_css(d, "a.example")]
    assert len(examples) >= 9 and all(" · " in text for text, _ in examples)  # titled in Chinese and English
    for text, href in examples:
        d.get(href)
        wait_for(d, "#results")
        rows = all_css(d, "table.results tbody tr")
        assert rows, f"no rows for the example {text}"
        for a in all_css(d, "table.results a.k-person")[:3]:
            assert not a.text.startswith("/"), f"{text}: a person shown as a path ({a.text})"


@pytest.fixture(scope="module")
def seed_site(seed_store):
    require_browser()
    with serve(create_app(seed_store, SEED_BASE)) as url, chromium() as driver:
        yield seed_store, url, driver


def busiest(store, kind_query: str) -> str | None:
    rows = list(store.query(kind_query).rows())
    return str(rows[0]["x"]).replace(SEED_BASE, "") if rows else None


def test_seed_pages_screenshots(seed_site) -> None:
    """The seed alone, as ingested today: home, the busiest person and event, the lead article, the
    editor. (With the extractor merged the person is 韦韬 and the event 市委人才工作会议.)"""
    store, url, d = seed_site
    d.get(url + "/")
    assert "太原日报" in d.page_source or "新闻文章" in by_css(d, "#counts").text
    screenshot(d, "seed-home")
    person = busiest(store, """PREFIX kg: <https://w3id.org/newskg/ontology#> PREFIX schema: <https://schema.org/>
        SELECT ?x (COUNT(?p) AS ?n) WHERE { ?x a schema:Person . OPTIONAL { ?p kg:agent ?x } }
        GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1""")
    assert person
    d.get(url + person)
    assert by_css(d, "h1").text and all_css(d, "#articles li")
    screenshot(d, "seed-person")
    event = busiest(store, """PREFIX kg: <https://w3id.org/newskg/ontology#>
        SELECT ?x (COUNT(?p) AS ?n) WHERE { ?x kg:participation ?p } GROUP BY ?x ORDER BY DESC(?n) LIMIT 1""")
    if event:  # the seed has events once the extractor is merged
        d.get(url + event)
        assert all_css(d, "h3.role-head")
        screenshot(d, "seed-event")
    article = busiest(store, """PREFIX schema: <https://schema.org/>
        SELECT ?x WHERE { ?x schema:headline ?h FILTER(CONTAINS(?h, "人才高地")) }""")
    d.get(url + article)
    assert "加快创新高地人才高地建设" in by_css(d, "h1").text
    screenshot(d, "seed-article")
    rows = all_css(d, "#review table.review tbody tr")
    targets = [a.get_attribute("href").split("#")[1] for a in all_css(d, "#review a.to-text")]
    assert rows and len(targets) == len(rows)  # every fact of the ingested article links to its sentence
    assert d.execute_script("return arguments[0].every(id => document.getElementById(id))", targets)
    from tests.support.browser import full_page, viewport

    with viewport(d, 360, 800, mobile=True):
        d.get(d.current_url)
        assert d.execute_script("return window.innerWidth") == 360  # a long file name no longer widens it
        full_page(d, "seed-article-phone", 360, mobile=True)
    d.get(url + "/query?example=chairs")
    wait_for(d, "#results")
    screenshot(d, "seed-query")


# ---------------------------------------------------------------- a busy person (issue 17)


@pytest.fixture(scope="module")
def busy_site(tmp_path_factory: pytest.TempPathFactory):
    require_browser()
    store = make_store(tmp_path_factory.mktemp("busysite") / "store", F.busy())
    with serve(create_app(store, F.BASE)) as url, chromium() as driver:
        yield url, driver
    store.close()


def _layout(d) -> dict:
    """How the page sits in the viewport: its scroll width, the viewport's width, and the bottom edge
    of the post summary's last row (the summary in the first screen)."""
    return d.execute_script("""
        const rows = document.querySelectorAll('#post-summary tbody tr');
        const last = rows[rows.length - 1].getBoundingClientRect();
        return {scroll: document.documentElement.scrollWidth, view: window.innerWidth,
                summaryBottom: last.bottom,
                summaryRight: Math.max(...[...rows].map(r => r.getBoundingClientRect().right)),
                innerHeight: window.innerHeight};""")


@pytest.mark.parametrize("width,height,mobile,name", [(1280, 900, False, "busy-person"),
                                                      (390, 844, True, "busy-person-phone")])
def test_busy_person_summary_first_screen_and_paging(busy_site, width: int, height: int, mobile: bool,
                                                     name: str) -> None:
    """The busy person's post summary is in the first screen, at desktop and phone width, with no
    sideways page scroll; the statements page to the last one by their own links; screenshots of the
    first screen and the whole page at both widths (test-artefacts/busy-person*.png)."""
    from kg.rdf import iris
    from tests.support.browser import full_page, screen, viewport

    url, d = busy_site
    with viewport(d, width, height, mobile):
        d.get(url + "/person/" + iris.slug(F.BUSY_NAME))
        screen(d, f"{name}-first-screen")
        rows = all_css(d, "#post-summary tbody tr")
        assert [r.find_element("css selector", "td").text for r in rows] == [r[0] for r in F.BUSY_SUMMARY]
        assert "现任" in rows[0].text and "曾任" in rows[-1].text
        box = _layout(d)
        assert box["summaryBottom"] <= box["innerHeight"], box  # the whole summary in the first screen
        assert box["scroll"] <= box["view"] and box["summaryRight"] <= box["view"], box  # no sideways scroll
        # the statements: page by page through "next" to the last one, the timeline's pager unmoved
        for _ in range(3):
            follow(d, by_css(d, '#posts .pager a[rel="next"]'))
        assert "第 4 / 4 页" in by_css(d, "#posts .pager").text
        assert "2018-03-01" in by_css(d, "#posts tbody tr:last-child").text
        assert "第 1 / 2 页" in by_css(d, "#timeline .pager").text
        d.execute_script("document.getElementById('posts').scrollIntoView()")
        screen(d, f"{name}-statements")
        assert d.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        follow(d, by_css(d, '#timeline .pager a[rel="next"]'))
        assert "第 2 / 2 页" in by_css(d, "#timeline .pager").text and "第 4 / 4 页" in by_css(d, "#posts .pager").text
    full_page(d, f"{name}-statements-p4", width, mobile)


PHONE_PAGES = ["/", "/search?q=wang", "/person/li-ming-yuan", "/organization/zhong-gong-shi-li-shi-wei",
               "/post/zhong-gong-shi-li-shi-wei-shi-wei-shu-ji", "/query?example=chairs",
               "/name?q=%E6%9D%8E%E6%98%8E%E8%BF%9C", "/browse/person", "/browse/event", "/browse/article",
               "/browse/post?org=%2Forganization%2Fzhong-gong-shi-li-shi-wei"]


def _overflow(d, width: int | None = None) -> list[str]:
    """The elements reaching past the viewport's right edge (or ``width``; outermost first), for the failure
    message."""
    return d.execute_script("""
        const w = arguments[0] || window.innerWidth, out = [];
        for (const e of document.querySelectorAll('body *')) {
          const r = e.getBoundingClientRect();
          if (r.right > w + 1 && !e.closest('.table-wrap'))
            out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right));
        }
        return out.slice(0, 8);""", width)


@pytest.mark.parametrize("width", [360, 390])
def test_no_sideways_scroll_on_a_phone(site, width: int) -> None:
    """Issue 17, item 4: at phone width no page scrolls sideways (wide tables scroll inside their own
    box, .table-wrap); the event and article pages are reached from the person page's links."""
    from tests.support.browser import full_page, viewport

    url, d = site
    with viewport(d, width, 800, mobile=True):
        paths = list(PHONE_PAGES)
        d.get(url + "/person/li-ming-yuan")
        paths.append(by_css(d, "#timeline a.k-event").get_attribute("href").replace(url, ""))
        article = next(a for a in all_css(d, "#articles a") if "人才" in a.text)
        paths.append(article.get_attribute("href").replace(url, ""))
        for path in paths:
            d.get(url + path)
            wide = d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 0, (path, wide, _overflow(d))
            # a phone widens its layout viewport to fit a too-wide page (then nothing scrolls, all shrinks)
            layout = d.execute_script("return window.innerWidth")
            assert layout == width, (path, layout, _overflow(d, width))
    if width == 360:
        for path, name in (("/person/li-ming-yuan", "phone-person"), (paths[-2], "phone-event"),
                           (paths[-1], "phone-article"), ("/browse/event", "phone-browse")):
            d.get(url + path)
            full_page(d, name, width, mobile=True)


LONG_TOKEN_PAGE = (
    "# 青岚新区召开大会https://news.example/" + "a" * 120 + "\n\n"
    "本报讯（记者 甲乙）3月11日，青岚新区召开大会。市委书记柯望舒出席会议并讲话，会上宣读了文件"
    + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 4 + "。会议由柯望舒主持，新区管委会主任柏若川" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 3
    + "出席。\n"
)


def test_long_unbroken_tokens_wrap_on_a_phone(tmp_path: Path) -> None:
    """The third outside probe: a headline or sentence holding a long URL or code, or a long query typed into
    search, widened the page on a phone (layout 1,127-1,440 px for a 360 px screen) on the article, event,
    person, organisation, home and search pages; such tokens now wrap."""
    from kg.store import open_store
    from tests.support.browser import full_page, viewport

    require_browser()
    page = tmp_path / "long.txt"
    page.write_text(LONG_TOKEN_PAGE, encoding="utf-8")
    store = open_store(tmp_path / "store")
    try:
        res = ingest_paths(store, [page], base=F.BASE, publication="青岚日报", date="2025-03-12", locality="青岚市")
        assert res[0].error is None and res[0].articles
        article = res[0].articles[0].replace(F.BASE, "")
        with serve(create_app(store, F.BASE)) as url, chromium() as d, viewport(d, 360, 800, mobile=True):
            d.get(url + article)
            linked = all_css(d, "a.k-person, a.k-event, a.k-organization")
            paths = [article, "/", "/search?q=" + "x" * 190] + sorted({a.get_attribute("href").replace(url, "")
                                                                       for a in linked})
            assert len(paths) > 4, paths
            for path in paths:
                d.get(url + path)
                wide = d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
                layout = d.execute_script("return window.innerWidth")
                assert wide <= 0 and layout == 360, (path, wide, layout, _overflow(d, 360))
            d.get(url + article)
            full_page(d, "phone-long-tokens", 360, mobile=True)
    finally:
        store.close()


def test_article_page_shows_its_source_link_in_a_browser(tmp_path: Path) -> None:
    """Issue 18: an article read from an e-paper HTML page shows where it came from (the page's URL as a link,
    the 版次), visible at desktop and phone width, in the service a reader uses."""
    from kg.store import open_store
    from tests.support.browser import screen, viewport

    require_browser()
    page = Path(__file__).parents[1] / "data" / "html" / "epaper-enp.html"
    store = open_store(tmp_path / "store")
    try:
        res = ingest_paths(store, [page], base=F.BASE, publication="青岚日报")
        assert res[0].error is None and res[0].articles
        with serve(create_app(store, F.BASE)) as url, chromium() as d:
            d.get(url + res[0].articles[0].replace(F.BASE, ""))
            link = by_css(d, "a.source-url")
            assert link.get_attribute("href") == "http://epaper.qinglan.example/html/2025-03/12/content_1001.htm"
            assert link.is_displayed() and "第03版" in d.find_element("tag name", "body").text
            screen(d, "article-source-link")
            with viewport(d, 360, 800, mobile=True):
                d.get(d.current_url)
                link = by_css(d, "a.source-url")
                assert link.is_displayed()
                assert d.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
                screen(d, "article-source-link-phone")
    finally:
        store.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_axe_finds_no_serious_violation_on_any_page_kind(site, width: int) -> None:
    """Issue 17 must-show: axe-core, run inside each kind of page from a local file, reports no serious or
    critical violation (home, the entity pages, an index, search, the name list, the query editor), at
    desktop and phone width."""
    from tests.support.browser import axe_violations, viewport

    url, d = site
    paths = ["/", "/person/li-ming-yuan", "/organization/zhong-gong-shi-li-shi-wei",
             "/post/zhong-gong-shi-li-shi-wei-shi-wei-shu-ji", "/browse/person", "/search?q=wang",
             "/name?q=%E6%9D%8E%E6%98%8E%E8%BF%9C", "/query", "/query?example=chairs"]
    d.get(url + "/person/li-ming-yuan")
    paths.append(by_css(d, "#timeline a.k-event").get_attribute("href").replace(url, ""))
    paths.append(next(a for a in all_css(d, "#articles a") if "人才" in a.text).get_attribute("href").replace(url, ""))
    d.get(url + "/browse/place")
    places = [a.get_attribute("href").replace(url, "") for a in all_css(d, "main a.k-place")]
    assert places, "the test store has no place page to check"
    paths.append(places[0])
    found = {}
    with viewport(d, width, 800, mobile=width < 800):
        for path in paths:
            d.get(url + path)
            if bad := axe_violations(d):
                found[path] = bad
    assert not found, "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in found.items())


def test_article_fact_links_to_its_sentence(site) -> None:
    """Issue 17 item 6: a review row's 原句 ↓ link scrolls the text to the row's sentence, which is shaded
    (:target), at phone width; the row shows its own words marked."""
    from tests.support.browser import screen, viewport

    url, d = site
    d.get(url + "/person/li-ming-yuan")
    article = next(a for a in all_css(d, "#articles a") if "人才" in a.text).get_attribute("href")
    with viewport(d, 360, 800, mobile=True):
        d.get(article)
        row = next(r for r in all_css(d, "#review table.review tbody tr") if "陈立" in r.text)
        assert [m.text for m in row.find_elements("css selector", "mark")][:1] == ["陈立"]
        link = row.find_element("css selector", "a.to-text")
        target = link.get_attribute("href").split("#")[1]
        d.execute_script("arguments[0].scrollIntoView()", link)
        link.click()
        assert d.current_url.endswith(f"#{target}"), (d.current_url, link.rect)
        assert d.execute_script("return document.querySelector(':target').id") == target
        sentence = by_css(d, f"#{target}")
        assert "陈立" in sentence.text
        assert sentence.find_element("xpath", "ancestor::section").get_attribute("id") == "text"
        top = d.execute_script("return arguments[0].getBoundingClientRect().top", sentence)
        assert 0 <= top < 800, top  # on screen after the jump
        screen(d, "phone-article-fact-to-sentence")
