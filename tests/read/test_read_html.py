"""HTML pages (issue 18): the same invented article as a text page and as HTML pages of five layouts (three
e-paper systems' article pages, two news sites with navigation, share and copyright boilerplate) gives the
same article text, headlines, credits and extracted facts; encodings (GBK, GB2312, undeclared) are detected;
the source URL is kept."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from kg.extract.pipeline import extract
from kg.model import Article, Extraction
from kg.read.html import decode_html
from kg.read.inputs import read_input

DATA = Path(__file__).parents[1] / "data" / "html"
LAYOUTS = ["epaper-enp.html", "epaper-tags.html", "epaper-classes.html", "site-plain.html", "site-generic.html"]
ROOT = Path(__file__).resolve().parents[2]


def facts(x: Extraction) -> dict[str, set]:
    """The extraction as sets of printed values, comparable between two readings of one article."""
    names = {p.key: p.name for p in x.people} | {o.key: o.name for o in x.organizations}
    return {
        "people": {(p.name, tuple(sorted(q.label for q in p.posts))) for p in x.people},
        "organizations": {o.name for o in x.organizations},
        "events": {(e.type, e.name, e.date) for e in x.events},
        "roles": {(e.name, names.get(r.agent), tuple(sorted(r.roles))) for e in x.events for r in e.participations},
        "amounts": {(a.value, a.text) for a in x.amounts},
    }


def one(path: Path, **kw) -> Article:
    _, articles = read_input(path, publication="青岚日报", locality="青岚市", **kw)
    assert len(articles) == 1
    return articles[0]


@pytest.fixture(scope="module")
def text_article() -> tuple[Article, dict]:
    a = one(DATA / "qinglan.txt", date="2025-03-12")
    return a, facts(extract(a))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_html_layout_gives_the_facts_of_the_text_page(layout, text_article):
    ref, ref_facts = text_article
    a = one(DATA / layout)
    assert a.body[a.text_start:] == ref.body[ref.text_start:]  # boilerplate and the byline are out of the text
    assert a.headline == ref.headline
    if layout != "site-generic.html":  # a page with no marked kicker/subtitle has none
        assert [(h.kind, h.text) for h in a.headlines] == [(h.kind, h.text) for h in ref.headlines]
    assert {c.name for c in a.credits} == {c.name for c in ref.credits} == {"柯明远"}
    assert a.publication.date == dt.date(2025, 3, 12)  # stated by the page
    got = facts(extract(a))
    assert got == ref_facts
    assert ref_facts["people"] and ref_facts["roles"] and ref_facts["amounts"]


def test_provenance_url_and_page():
    a = one(DATA / "epaper-enp.html")
    assert a.source_url == "http://epaper.qinglan.example/html/2025-03/12/content_1001.htm"
    assert a.pagination == "03"
    assert a.id_key == f"url|{a.source_url}"  # re-ingesting the URL replaces its article
    assert one(DATA / "site-generic.html").source_url.endswith("/a/20250312/88.shtml")
    assert one(DATA / "epaper-classes.html").pagination == "A03"


def test_schema_url_in_the_graph():
    from rdflib import URIRef

    from kg.rdf.mapping import map_article
    from kg.rdf.namespaces import SCHEMA

    a = one(DATA / "site-plain.html")
    g = map_article(a, extract(a), "http://127.0.0.1:8000")
    assert (g.iri, SCHEMA.url, URIRef(a.source_url)) in set(g.triples) or any(
        p == SCHEMA.url and str(o) == a.source_url for _, p, o, *_ in g.triples)


@pytest.mark.parametrize("declared", ["gb2312", "GBK", None])
def test_gbk_pages_are_decoded(tmp_path, declared, text_article):
    html = (DATA / "epaper-tags.html").read_text(encoding="utf-8").replace("©", "(C)")  # not in GBK
    html = html.replace('<meta charset="utf-8">', f'<meta http-equiv="Content-Type" content="text/html; '
                        f'charset={declared}">' if declared else "")
    path = tmp_path / "gbk.htm"
    path.write_bytes(html.encode("gbk"))
    a = one(path)
    ref, _ = text_article
    assert a.body[a.text_start:] == ref.body[ref.text_start:]


def test_broken_bytes_and_wrong_declarations_do_not_stop_the_page():
    data = ("<html><head><meta charset='gb2312'></head><body><h1>测试标题</h1><div class='content'><p>"
            "市长在会上讲话。</p></div></body></html>").encode("gbk")
    text = decode_html(data[:60] + b"\xff\xfe\xff" + data[60:], "x.html")
    assert "测试标题" in text
    assert "标题" in decode_html("<html><meta charset='no-such'><h1>标题</h1></html>".encode(), "y.html")


@pytest.mark.parametrize("content,why", [
    (b"", "empty file"),
    (b"<html><body><div class='nav'></div></body></html>", "no article text"),
])
def test_pages_without_an_article_are_one_line_errors(tmp_path, content, why):
    from kg.errors import InputError

    p = tmp_path / "bad.html"
    p.write_bytes(content)
    with pytest.raises(InputError, match=why):
        read_input(p)


def test_kg_ingest_reads_a_folder_of_html_pages(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in LAYOUTS[:3]:
        (folder / name).write_bytes((DATA / name).read_bytes())
    (folder / "broken.html").write_bytes(b"<html><body></body></html>")
    out = subprocess.run([sys.executable, "-m", "kg", "ingest", "--store", str(tmp_path / "s"), "--jobs", "1",
                          str(folder)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1, out.stderr
    assert "broken.html: no article text found" in out.stderr
    assert "Traceback" not in out.stderr
    assert "ingest: 4 files (0 skipped, 1 failed), 3 articles" in out.stderr


def test_article_page_links_its_source(tmp_path):
    """The article page shows the source URL as a link and the 版次 (a journalist cites the URL, not a hash)."""

    from kg.ingest import ingest_file
    from kg.store import open_store
    from kg.web.pages.article import web_url
    from tests.support.pages import page_client

    base = "http://127.0.0.1:8000"
    store = open_store(tmp_path / "s")
    try:
        res = ingest_file(store, DATA / "epaper-enp.html", base=base, publication="青岚日报")
        html = page_client(store, base).get(res.articles[0].replace(base, "")).text
    finally:
        store.close()
    assert ('<a class="source-url" href="http://epaper.qinglan.example/html/2025-03/12/content_1001.htm" '
            'rel="nofollow noopener noreferrer">') in html
    assert "第03版" in html
    assert web_url("javascript:alert(1)") == "" and web_url("https://x.example/a") == "https://x.example/a"


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 20,  # random binary
    b"<html>\x00\x00<h1>t</h1><p>x</p>",
    b"<div>" * 20000 + "<h1>标题</h1><p>会议召开。</p>".encode(),  # nesting beyond the parser's depth
])
def test_malformed_html_is_a_one_line_error_never_a_crash(tmp_path, data):
    from kg.errors import InputError

    p = tmp_path / "bad.html"
    p.write_bytes(data)
    with pytest.raises(InputError) as exc:
        read_input(p)
    assert "\n" not in str(exc.value)


def test_unclosed_tags_are_read():
    from kg.read.html import read_html

    art = read_html('<html><body><div class="content"><p>市长在会上讲话。<p>第二段<div><h1>标题', "u.html")
    assert art.headline == "标题" and art.paragraphs == ["市长在会上讲话。", "第二段"]


def test_html_read_benchmark_runs_tiny(capsys):
    """benchmarks/html_read.py: generated articles as three HTML layouts read back to the same text."""
    from benchmarks.html_read import main

    assert main(["--articles", "6", "--no-extract"]) == 0
    out = capsys.readouterr().out
    n = int(out.split()[0])
    for layout in ("enp", "site", "generic"):
        assert f"{layout}" in out and f"same text {n}/{n}" in out.split(layout, 1)[1].splitlines()[0]
