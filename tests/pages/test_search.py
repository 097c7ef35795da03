"""Search (issue 17, item 3): every kind of entity and article text, totals and paging, descriptions,
suggestions, the index kept current by ingest and rebuilt from the store, the JSON twin.

Invented names and texts only (``tests.support.pages_graph`` plus the graphs below).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

import kg.search as S
from kg.rdf import iris
from kg.rdf.namespaces import KG, SCHEMA
from kg.search import segment
from kg.search.index import FILE_NAME, SearchIndex
from kg.search.query import search
from kg.store.base import GraphUpdate
from tests.support import pages_graph as F
from tests.support.pages import make_store, page_client

DONG = [f"董{a}{b}" for a in "一二三四五六七" for b in "甲乙丙丁戊己庚"][:45]  # 45 people read "dong …"
PLACE, FESTIVAL, PARADE = "青岚湖公园", "青岚湖灯会", "灯会开幕巡游"


def extra_graphs() -> list[GraphUpdate]:
    """An article about an event at a place, with a sub-event, and 45 people whose pinyin holds "dong"."""
    art = URIRef(f"{F.BASE}/article/lantern")
    place = URIRef(f"{F.BASE}/place/qing-lan-hu")
    fest, parade = URIRef(f"{F.BASE}/event/fest"), URIRef(f"{F.BASE}/event/parade")
    t: list[tuple] = [
        (art, RDF.type, SCHEMA.NewsArticle), (art, SCHEMA.headline, F.zh("灯火璀璨迎新春")),
        (art, SCHEMA.datePublished, Literal("2023-02-05", datatype=XSD.date)),
        (art, SCHEMA.articleBody, F.zh("本报讯 2月4日晚,青岚湖灯会在青岚湖公园开幕,彩色花灯沿湖排开,游客络绎不绝。")),
        (place, RDF.type, SCHEMA.Place), (place, SCHEMA.name, F.zh(PLACE)),
        (fest, RDF.type, SCHEMA.Event), (fest, SCHEMA.name, F.zh(FESTIVAL)),
        (fest, SCHEMA.startDate, Literal("2023-02-04", datatype=XSD.date)), (fest, SCHEMA.location, place),
        (parade, RDF.type, SCHEMA.Event), (parade, SCHEMA.name, F.zh(PARADE)), (parade, SCHEMA.superEvent, fest),
        (art, SCHEMA.mentions, fest), (art, SCHEMA.mentions, parade), (art, SCHEMA.mentions, place),
    ]
    for i, name in enumerate(DONG):
        p = URIRef(f"{F.BASE}/person/dong-{i}")
        t += [(p, RDF.type, SCHEMA.Person), (p, SCHEMA.name, F.zh(name)), (p, KG.pinyin, Literal(iris.pinyin(name))),
              (art, SCHEMA.mentions, p)]
    return [GraphUpdate(str(art), t)]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    s = make_store(tmp_path_factory.mktemp("search") / "store", F.build() + extra_graphs())
    yield s
    s.close()


@pytest.fixture(scope="module")
def idx(store) -> SearchIndex:
    return S.index_for(store)


@pytest.fixture(scope="module")
def client(store) -> TestClient:
    return page_client(store, F.BASE)


def names(idx: SearchIndex, q: str, **kw) -> list[tuple[str, str]]:
    return [(h.kind, h.name) for h in search(idx, q, **kw).hits]


# ---------------------------------------------------------------- every kind


def test_a_post_finds_the_post_and_the_articles_stating_it(idx) -> None:
    got = names(idx, "市委书记")
    assert got[0] == ("post", "市委书记")
    assert ("article", "加快人才高地建设") in got and ("article", "示例市委常委会召开") in got


def test_a_place_finds_the_place_and_its_event(idx) -> None:
    got = names(idx, "青岚湖")
    assert ("place", PLACE) in got and ("event", FESTIVAL) in got
    assert names(idx, PLACE, kind="place") == [("place", PLACE)]


def test_a_headline_finds_its_article(idx) -> None:
    assert names(idx, "人才高地") == [("article", "加快人才高地建设")]
    hit = search(idx, "迎新春").hits[0]
    assert hit.kind == "article" and hit.snippet is None  # found by its headline: no text excerpt


def test_body_text_finds_the_article_with_the_words_marked(idx) -> None:
    for q in ("交流发言", "花灯", "游客络绎不绝"):
        hits = search(idx, q).hits
        assert [h.kind for h in hits] == ["article"], q
        before, mark, after = hits[0].snippet
        assert mark in q and hits[0].matched == "text"
    assert names(idx, "花灯")[0][1] == "灯火璀璨迎新春"


def test_segmentation_finds_parts_of_compounds_not_substrings_across_words(idx) -> None:
    # 市委书记 is indexed as 市委, 书记 and 市委书记: each part finds the articles
    assert {h.name for h in search(idx, "书记", kind="article").hits} == {"加快人才高地建设", "示例市委常委会召开"}
    assert search(idx, "委书", kind="article").total == 0  # not a word


# ---------------------------------------------------------------- totals, paging, descriptions


def test_totals_and_paging_reach_every_hit(idx) -> None:
    first = search(idx, "dong", per_page=20)
    assert first.counts["person"] == 45 and first.total == 45 and first.pages == 3
    seen = []
    for page in range(1, first.pages + 1):
        res = search(idx, "dong", page=page, per_page=20)
        assert (res.first, res.last) == ((page - 1) * 20 + 1, min(45, page * 20))
        seen += [h.name for h in res.hits]
    assert sorted(seen) == sorted(DONG) and len(set(seen)) == 45
    assert search(idx, "dong", page=99).page == 3  # past the end: the last page


def test_paging_runs_from_entities_into_articles(idx) -> None:
    res = search(idx, "示例", per_page=3)
    every = []
    for page in range(1, res.pages + 1):
        every += [(h.kind, h.iri) for h in search(idx, "示例", page=page, per_page=3).hits]
    assert len(every) == res.total == len(set(every))
    assert res.counts["article"] >= 1 and every[-1][0] == "article"
    assert sum(res.counts.values()) == res.total


def test_descriptions(idx) -> None:
    wang = next(h for h in search(idx, "王晓红").hits if h.kind == "person")
    assert "市长（示例市人民政府）" in wang.description and "市委书记（中共示例市委）" in wang.description
    assert "示例市" in wang.description and "2021–2022年" in wang.description and "2 篇文章" in wang.description
    parade = search(idx, PARADE).hits[0]
    assert parade.description.startswith(f"属于 {FESTIVAL}")
    fest = next(h for h in search(idx, FESTIVAL).hits if h.kind == "event")
    assert fest.description.startswith(f"2023-02-04 · {PLACE}")
    art = search(idx, "交流发言").hits[0]
    assert art.description == "示例日报 · 2022-01-13 · 示例市"
    post = search(idx, "市长", kind="post").hits[0]
    assert post.description.startswith("示例市人民政府 · 2022年")


def test_suggestions_when_nothing_is_found(idx) -> None:
    res = search(idx, "王小红")  # read the same as 王晓红
    assert res.total == 0 and [(s.query, s.reason) for s in res.suggestions][0] == ("王晓红", "pinyin")
    res = search(idx, "锅炉集团qxz")  # a part of the query finds something
    assert res.total == 0 and ("锅炉集团", "partial") in [(s.query, s.reason) for s in res.suggestions]
    assert search(idx, "王晓红").suggestions == []  # found: no suggestion


def test_traditional_query_and_quotes(idx) -> None:
    assert names(idx, "王曉紅")[0] == ("person", "王晓红")
    assert search(idx, '"} OR *').total == 0  # FTS5 syntax from the user is quoted away
    assert search(idx, "   ").total == 0


# ---------------------------------------------------------------- the page and its JSON twin


def test_page_and_json_twin(client) -> None:
    r = client.get("/search", params={"q": "dong"})
    assert r.status_code == 200 and "共 45 条" in r.text and 'href="/search.json?q=dong"' in r.text
    assert "kind=person" in r.text and 'rel="next"' in r.text
    data = client.get("/search.json", params={"q": "dong"}).json()
    assert data["total"] == 45 and data["pages"] == 3 and len(data["hits"]) == 20
    names_seen = []
    url = "/search.json?q=dong"
    while url:
        data = client.get(url).json()
        names_seen += [h["name"] for h in data["hits"]]
        url = data["next"]
    assert sorted(names_seen) == sorted(DONG)
    hit = client.get("/search.json", params={"q": "王晓红"}).json()["hits"][0]
    assert hit["path"] == "/person/wang-xiao-hong" and "2 篇文章" in hit["description"]
    empty = client.get("/search.json", params={"q": "王小红"}).json()
    assert empty["total"] == 0 and empty["suggestions"][0]["q"] == "王晓红"
    page = client.get("/search", params={"q": "王小红"}).text
    assert "您是不是要找" in page and "/search?q=%E7%8E%8B%E6%99%93%E7%BA%A2" in page
    text = client.get("/search", params={"q": "花灯"}).text
    assert "<mark>花灯</mark>" in text


# ---------------------------------------------------------------- kept current


def _one_article(iri: str, headline: str, body: str) -> GraphUpdate:
    a = URIRef(iri)
    return GraphUpdate(iri, [(a, RDF.type, SCHEMA.NewsArticle), (a, SCHEMA.headline, F.zh(headline)),
                             (a, SCHEMA.articleBody, F.zh(body))])


def test_ingest_hook_replace_and_remove(tmp_path: Path) -> None:
    from kg.ingest import refresh_resolution

    store = make_store(tmp_path / "store", F.build())
    try:
        idx = S.index_for(store)
        iri = F.BASE + "/article/kept"
        store.replace_graphs([_one_article(iri, "桥梁通车", "跨江大桥今日通车,市民步行体验。")])
        refresh_resolution(store, [iri])  # what ingest calls after writing article graphs
        assert names(idx, "跨江大桥") == [("article", "桥梁通车")]
        store.replace_graphs([_one_article(iri, "隧道贯通", "海底隧道全线贯通。")])  # re-ingest
        refresh_resolution(store, [iri])
        assert search(idx, "跨江大桥").total == 0 and search(idx, "桥梁").total == 0  # no stale hit
        assert names(idx, "海底隧道") == [("article", "隧道贯通")]
        store.remove_graphs([iri])
        S.refresh(store, [iri])  # the Graph Store DELETE path
        assert search(idx, "海底隧道").total == 0
        assert idx.size()["articles"] == 2
        store.remove_graphs([str(F.article_iris()[1])])
        S.refresh(store, [str(F.article_iris()[1])])
        # 王晓红 is still named by the first article; the standing committee's meeting has gone
        assert names(idx, "示例市委常委会") == [] and names(idx, "王晓红")[0] == ("person", "王晓红")
        assert "1 篇文章" in search(idx, "王晓红").hits[0].description
    finally:
        store.close()


def test_real_ingest_then_reingest(tmp_path: Path) -> None:
    """Through kg ingest (extraction, mapping, the hook), on an invented page, twice."""
    from kg.cli import main

    page = tmp_path / "page.txt"
    meta = '{"publication": "示例晚报", "date": "2023-05-06", "locality": "示例市"}'
    (tmp_path / "page.meta.json").write_text(meta, encoding="utf-8")
    page.write_text("## 湿地公园开园\n\n本报讯 5月5日,示例市湿地公园正式开园,白鹭在芦苇丛中栖息。\n", encoding="utf-8")
    st = tmp_path / "store"
    assert main(["ingest", "--store", str(st), "--base", F.BASE, str(page)]) == 0
    assert (st / FILE_NAME).exists()
    from kg.store.oxigraph import OxigraphStore

    store = OxigraphStore(st)
    try:
        got = search(S.index_for(store), "白鹭")
        assert [h.kind for h in got.hits] == ["article"] and got.hits[0].name == "湿地公园开园"
    finally:
        store.close()
    page.write_text("## 湿地公园开园\n\n本报讯 5月5日,示例市湿地公园正式开园,黑天鹅在湖面游弋。\n", encoding="utf-8")
    assert main(["ingest", "--store", str(st), "--base", F.BASE, str(page)]) == 0
    store = OxigraphStore(st)
    try:
        idx = S.index_for(store)
        assert search(idx, "白鹭").total == 0 and search(idx, "黑天鹅").total == 1
        assert idx.size()["articles"] == 1
    finally:
        store.close()


def test_unhooked_write_rebuilds_in_the_background(tmp_path: Path) -> None:
    store = make_store(tmp_path / "store", F.build())
    try:
        idx = S.index_for(store)
        assert search(idx, "王晓红").total >= 1
        # a SPARQL update (no hook) renames her: the store's write counter moved past the index
        store.update('DELETE { GRAPH ?g { ?p <https://schema.org/name> "王晓红"@zh } } '
                     'INSERT { GRAPH ?g { ?p <https://schema.org/name> "王晓虹"@zh } } '
                     'WHERE { GRAPH ?g { ?p <https://schema.org/name> "王晓红"@zh } }')
        S.index_for(store)
        deadline = time.monotonic() + 60
        while S.updating(store) and time.monotonic() < deadline:
            time.sleep(0.1)
        idx = S.index_for(store)
        assert names(idx, "王晓虹")[0] == ("person", "王晓虹") and search(idx, "王晓红", kind="person").total == 0
    finally:
        store.close()


def test_index_file_is_reused_and_rebuilt_when_unusable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.store.oxigraph import OxigraphStore

    block = F.BASE + "/article/typed-only"  # a graph with nothing to search is remembered all the same
    store = make_store(tmp_path / "store", F.build() + [GraphUpdate(block, [(URIRef(block), RDF.type, KG.NameBlock)])])
    assert block in S.index_for(store).graphs()
    store.close()
    store = OxigraphStore(tmp_path / "store")
    try:
        monkeypatch.setattr(SearchIndex, "rebuild", lambda self, st: pytest.fail("a usable index was rebuilt"))
        assert S._changed(S._open(store)[0], store) == set()  # nothing to read again on opening
        assert names(S.index_for(store), "王晓红")[0] == ("person", "王晓红")
    finally:
        store.close()
        monkeypatch.undo()
    idx = SearchIndex(tmp_path / "store" / FILE_NAME)
    idx.conn.execute("UPDATE meta SET value = 'other' WHERE key = 'jieba'")  # another jieba: re-segment all
    idx.close()
    store = OxigraphStore(tmp_path / "store")
    try:
        idx = S.index_for(store)
        assert idx.meta("jieba") == segment.version() and names(idx, "王晓红")[0] == ("person", "王晓红")
    finally:
        store.close()


def test_jieba_caches_in_a_private_folder() -> None:
    tok = segment.tokenizer()
    assert Path(tok.tmp_dir).name.startswith("newskg-jieba-") and (Path(tok.tmp_dir).stat().st_mode & 0o077) == 0
    assert segment.words("示例市委书记出席") == [w.lower() for w in tok.cut_for_search("示例市委书记出席")
                                             if w.strip()]


def test_service_writes_keep_search_current(tmp_path: Path) -> None:
    """Graph Store PUT and DELETE (hooked) and a SPARQL update (seen by the write counter) through the app."""
    from kg.web.app import create_app
    from kg.web.context import ServeConfig

    store = make_store(tmp_path / "store", F.build())
    try:
        client = TestClient(create_app(store, ServeConfig(F.BASE, token="secret")))
        auth = {"Authorization": "Bearer secret"}
        g = F.BASE + "/article/put"
        body = (f'<{g}> a <https://schema.org/NewsArticle> ; <https://schema.org/headline> "渡口新船下水"@zh ; '
                '<https://schema.org/articleBody> "老渡口迎来新渡船,两岸居民往来更方便。"@zh .')
        r = client.put("/rdf-graphs", params={"graph": g}, content=body.encode(),
                       headers={**auth, "Content-Type": "text/turtle"})
        assert r.status_code == 201, r.text
        hits = client.get("/search.json", params={"q": "新渡船"}).json()["hits"]
        assert [h["name"] for h in hits] == ["渡口新船下水"]
        assert client.delete("/rdf-graphs", params={"graph": g}, headers=auth).status_code == 204
        assert client.get("/search.json", params={"q": "新渡船"}).json()["total"] == 0
        r = client.post("/sparql", headers={**auth, "Content-Type": "application/sparql-update"},
                        content=f'INSERT DATA {{ GRAPH <{g}> {{ <{g}> a <https://schema.org/NewsArticle> ; '
                                '<https://schema.org/headline> "灯塔重新点亮"@zh } }'.encode())
        assert r.status_code in (200, 204), r.text
        client.get("/search.json", params={"q": "灯塔"})  # sees the moved write counter: rebuilds
        deadline = time.monotonic() + 60
        while S.updating(store) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert client.get("/search.json", params={"q": "灯塔"}).json()["total"] == 1
    finally:
        store.close()


def test_search_benchmark_runs_tiny() -> None:
    """benchmarks/search.py at a tiny size, so it cannot rot (no figure asserted)."""
    from benchmarks import search as bench

    lines = bench.measure(3000, 2)
    assert "index built" in lines[0] and len(lines) == 1 + 2 * len(bench.QUERIES)
    assert all("p50" in line for line in lines[1:])


def _instances(path: Path) -> set[tuple[str, str, str, int]]:
    """Every (article, column, token, position) the FTS index holds: what a search can match."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, docs, 'instance')")
        rows = conn.execute("SELECT a.article, v.col, v.term, v.offset FROM temp.v v "
                            "JOIN articles a ON a.id = v.doc").fetchall()
        return {(a, c, t, o) for a, c, t, o in rows}
    finally:
        conn.close()


def _content(path: Path) -> dict[str, list[tuple]]:
    """Every row of the index file but its row ids: names with their graphs, mentions, facts, articles,
    the per-entity figures and the FTS instances (what ``kg index`` would make from the store)."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        tables = {
            "graphs": "SELECT graph FROM graphs",
            "names": "SELECT n.entity, n.kind, n.rank, n.text, n.norm, g.graph FROM names n "
                     "JOIN name_graphs g ON g.name_id = n.id",
            "mentions": "SELECT entity, graph FROM mentions",
            "facts": "SELECT graph, entity, field, value FROM facts",
            "articles": "SELECT graph, article, headline, body, date, paper, locality FROM articles",
            "stats": "SELECT entity, articles, first, last, posts, places FROM stats",
        }
        out = {k: sorted(conn.execute(q).fetchall()) for k, q in tables.items()}
    finally:
        conn.close()
    out["docs"] = sorted(_instances(path))
    return out


@pytest.mark.parametrize("batches", [1, 2])
def test_the_writer_takes_the_workers_index_rows_but_not_of_graphs_career_joins_rewrote(tmp_path: Path,
                                                                                        batches: int) -> None:
    """Workers make each graph's index rows (kg.search.documents.rows_of_written); the writer stores them
    without reading the graphs back, except graphs the career joins then rewrote (kg.derived): here the
    two reports of a 教育局局长 later printed as 副市长, whose mentions move to the general track's person,
    in the same batch or (2) the promotion in a second ingest, which rewrites the graphs of the first
    (the index keeps their unchanged texts, kg.search.index._remove). The index equals what ``kg index``
    makes from the store, row for row."""
    from kg.cli import main
    from tests.identity.test_identity import page, people_named

    reports = [("2020-03-02", "教育局局长柯望舒出席。"), ("2020-09-02", "教育局局长柯望舒讲话。"),
               ("2022-04-02", "市民赵小满参观。"), ("2022-03-02", "副市长柯望舒出席。")]
    for i, (date, sentence) in enumerate(reports):
        folder = tmp_path / ("later" if batches == 2 and i == 3 else "pages")
        page(folder, f"k{i}", "青禾市", date, f"青禾市会议{i}", f"本报讯 青禾市召开会议。{sentence}")
    st = tmp_path / "store"
    folders = ["pages", "later"][:batches]
    for folder in folders:
        assert main(["ingest", "--store", str(st), "--base", F.BASE, "--jobs", "2", str(tmp_path / folder)]) == 0
    by_workers = _content(st / FILE_NAME)
    assert main(["index", "--store", str(st)]) == 0
    assert by_workers == _content(st / FILE_NAME)
    from kg.store import open_store

    store = open_store(st)
    try:
        (ke,) = people_named(store, "柯望舒")  # the join happened: one person, whose IRI the index holds
    finally:
        store.close()
    assert {e for e, _, _, text, _, _ in by_workers["names"] if text == "柯望舒"} == {ke}


def test_workers_segment_the_text_and_the_index_is_the_same(tmp_path: Path) -> None:
    """A batch ingest with two workers: the workers segment the texts (kg.search.segment.given), the
    writer only looks them up; the index holds exactly the tokens ``kg index`` makes from the store."""
    import shutil

    from kg.cli import main

    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(4):
        (pages / f"p{i}.meta.json").write_text(
            f'{{"publication": "示例晚报", "date": "2023-05-0{i + 1}", "locality": "示例市"}}', encoding="utf-8")
        (pages / f"p{i}.txt").write_text(
            f"## 湿地公园开园{i}\n\n本报讯 5月{i + 1}日,示例市湿地公园正式开园,白鹭在芦苇丛中栖息。市长柯望舒出席。\n\n"
            f"## 图书馆夜读{i}\n\n本报讯 示例市图书馆推出夜间阅读服务,市民可在晚间借阅图书。\n", encoding="utf-8")
    st = tmp_path / "store"
    assert main(["ingest", "--store", str(st), "--base", F.BASE, "--jobs", "2", str(pages)]) == 0
    by_workers = _instances(st / FILE_NAME)
    shutil.copy(st / FILE_NAME, tmp_path / "by-workers.sqlite")
    assert main(["index", "--store", str(st)]) == 0
    assert by_workers and by_workers == _instances(st / FILE_NAME)
    assert {t for _, _, t, _ in by_workers} >= {"白鹭", "芦苇", "图书馆", "图书"}


def test_the_writer_uses_the_workers_segmentation(tmp_path: Path) -> None:
    """What a worker segmented is what the index stores (the writer does not segment it again)."""
    from kg.ingest import BatchReport, BatchWriter
    from kg.ingest_pool import FileWork
    from kg.progress import Progress
    from kg.store.base import statements

    body = "本报讯 示例市湿地公园正式开园。"
    art = URIRef(f"{F.BASE}/article/given")
    triples = [(art, RDF.type, SCHEMA.NewsArticle), (art, SCHEMA.headline, F.zh("开园")),
               (art, SCHEMA.articleBody, F.zh(body))]
    work = FileWork("given.txt", graphs=[(str(art), statements(triples), len(triples))],
                    segmented={body: "zzmarker", "开园": "开园"})
    store = make_store(tmp_path / "store", [])
    try:
        writer = BatchWriter(store, BatchReport(), Progress(1, 0, enabled=False), None, 100)
        writer.take([work])
        writer.flush()
        idx = S.index_for(store, watch=False)
        assert search(idx, "zzmarker").total == 1 and search(idx, "湿地").total == 0
    finally:
        store.close()
