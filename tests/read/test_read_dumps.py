"""Crawler dumps (issue 18): JSON Lines and CSV files with one article a record. Generated records (from the
benchmark corpus) read as the same article texts as the text pages they came from; bad records are reported
as ``kg: FILE#N: why`` and the others stored, each with its URL as schema:url."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from kg.read.inputs import read_input

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[dict]:
    """About 200 records, one per article of a generated corpus, with the article's text proper."""
    out = tmp_path_factory.mktemp("corpus")
    generate(out, 200, seed=5)
    recs = []
    for page in sorted(out.rglob("*.txt")):
        _, articles = read_input(page)
        for a in articles:
            reporter = next((c.name for c in a.credits if c.role == "reporter"), "")
            recs.append({"url": f"https://paper.example/c/{len(recs)}.html", "title": a.headline,
                         "date": a.publication.date.isoformat() if a.publication.date else "",
                         "text": a.body[a.text_start:], "publication": a.publication.name or "",
                         "page": str(1 + len(recs) % 8), "author": reporter})
    assert len(recs) >= 180
    return recs


BAD_LINES = ['{"title": "缺正文", "text": ""}', "{not json",
             '{"title": "日期错", "text": "市长讲话。", "date": "3/12"}']


def write_jsonl(path: Path, recs: list[dict]) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in recs]
    for i, bad in enumerate(BAD_LINES):  # bad records among the good ones, at lines 11, 22, 33
        lines.insert(10 + 11 * i, bad)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_records_read_as_the_articles_they_came_from(records, tmp_path):
    path = tmp_path / "dump.jsonl"
    write_jsonl(path, records)
    src, articles = read_input(path)
    assert len(articles) == len(records)
    assert [p.split(":")[0] for p in src.problems] == [f"{path}#11", f"{path}#22", f"{path}#33"]
    assert "no text" in src.problems[0] and "not a JSON object" in src.problems[1] and "YYYY-MM-DD" in src.problems[2]
    for rec, a in zip(records, articles, strict=True):
        assert a.headline == rec["title"] and a.body[a.text_start:] == rec["text"]
        assert a.source_url == rec["url"] and a.pagination == rec["page"]
        assert a.publication.name == rec["publication"]
        if rec["author"]:
            assert rec["author"] in {c.name for c in a.credits}


def test_csv_dump_reads_like_the_jsonl_dump(records, tmp_path):
    path = tmp_path / "dump.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["url", "title", "date", "text", "publication", "page", "author"])
        w.writeheader()
        w.writerows(records[:50])
        w.writerow({"title": "", "text": "没有标题的记录。"})
    src, articles = read_input(path)
    assert len(articles) == 50
    assert src.problems == (f"{path}#51: no title",)
    assert [a.body[a.text_start:] for a in articles] == [r["text"] for r in records[:50]]


def test_csv_without_the_columns_is_one_line_error(tmp_path):
    from kg.errors import InputError

    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="header line with at least title and text"):
        read_input(p)


def test_kg_ingest_stores_the_good_records_and_reports_the_bad(records, tmp_path):
    records = records[:60]  # extraction is the cost here; the reader test above has them all
    path = tmp_path / "dump.jsonl"
    write_jsonl(path, records)
    store = tmp_path / "store"
    env_run = dict(capture_output=True, text=True, cwd=ROOT)
    out = subprocess.run([sys.executable, "-m", "kg", "ingest", "--store", str(store), str(path)], **env_run)
    assert out.returncode == 1
    errs = [ln for ln in out.stderr.splitlines() if ln.startswith("kg: ")]
    assert errs == [f"kg: {path}#11: no text", f"kg: {path}#22: not a JSON object (Expecting property name "
                    "enclosed in double quotes)", f"kg: {path}#33: date '3/12' is not YYYY-MM-DD"]
    assert "Traceback" not in out.stderr
    q = subprocess.run([sys.executable, "-m", "kg", "query", "--store", str(store), "--format", "csv",
                        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?a { ?a <https://schema.org/url> ?u } }"],
                       **env_run)
    assert q.stdout.split()[-1] == str(len(records)), q.stderr
    # re-ingesting the dump replaces its articles (the URL is the article)
    subprocess.run([sys.executable, "-m", "kg", "ingest", "--store", str(store), str(path)], **env_run)
    q2 = subprocess.run([sys.executable, "-m", "kg", "query", "--store", str(store), "--format", "csv",
                         "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?a {"
                         " ?a a <https://schema.org/NewsArticle> } }"],
                        **env_run)
    assert q2.stdout.split()[-1] == str(len(records)), q2.stderr


def test_hostile_records_are_reported_not_fatal(tmp_path):
    p = tmp_path / "hostile.jsonl"
    p.write_text("\n".join([
        json.dumps({"title": "巨大记录", "text": "甲" * 1_100_000}, ensure_ascii=False),
        "[1, 2]",
        json.dumps({"title": "会议召开", "text": "市长在会上讲话。", "url": "javascript:alert(1)"}, ensure_ascii=False),
    ]), encoding="utf-8")
    src, articles = read_input(p)
    assert len(articles) == 1 and articles[0].source_url == ""  # only http(s) URLs are kept
    assert src.problems[0].startswith(f"{p}#1: text of 1100000 characters is over")
    assert src.problems[1] == f"{p}#2: not a JSON object"


def test_batch_pool_reports_records_and_stores_html_and_dumps(tmp_path):
    """Two workers: a dump's bad record travels back from the worker and is reported; the rest is stored."""
    from kg.ingest import ingest_batch
    from kg.store import open_store

    folder = tmp_path / "in"
    folder.mkdir()
    html = Path(__file__).parents[1] / "data" / "html"
    for name in ("epaper-enp.html", "site-plain.html"):
        (folder / name).write_bytes((html / name).read_bytes())
    recs = [{"title": f"第{i}次会议召开", "text": f"{i}日，市政协召开常委会议。主席柯青山主持会议。", "url": f"https://x.example/{i}"}
            for i in range(1, 5)]
    lines = [json.dumps(r, ensure_ascii=False) for r in recs]
    lines.insert(2, '{"title": "无正文"}')
    (folder / "crawl.jsonl").write_text("\n".join(lines), encoding="utf-8")
    store = open_store(tmp_path / "s")
    try:
        report = ingest_batch(store, [folder], base="http://127.0.0.1:8000", jobs=2)
    finally:
        store.close()
    assert report.articles == 6 and report.failed == 0
    assert report.errors == [f"{folder / 'crawl.jsonl'}#3: no text"]


def test_sidecar_maps_a_crawlers_field_names(tmp_path):
    p = tmp_path / "crawler.csv"
    p.write_text("link,headline,content,pub_time\nhttps://x.example/1,会议召开,市长在会上讲话。,2025-03-12\n",
                 encoding="utf-8")
    p.with_name("crawler.meta.json").write_text(json.dumps({"publication": "青岚日报", "fields": {
        "url": "link", "title": "headline", "text": "content", "date": "pub_time"}}), encoding="utf-8")
    src, (a,) = read_input(p)
    assert (a.headline, a.body[a.text_start:], a.source_url) == ("会议召开", "市长在会上讲话。", "https://x.example/1")
    assert str(a.publication.date) == "2025-03-12" and a.publication.name == "青岚日报"
    p.with_name("crawler.meta.json").write_text(json.dumps({"fields": {"body": "content"}}), encoding="utf-8")
    from kg.errors import InputError

    with pytest.raises(InputError, match="unknown field 'body'"):
        read_input(p)


def test_fields_option_maps_columns_over_the_sidecar(tmp_path):
    """``--fields`` (ours=theirs) names a dump's columns; where the sidecar names the same field, it wins."""
    from kg.read.dumps import parse_fields

    p = tmp_path / "crawler.csv"
    p.write_text("link,headline,content,body2\nhttps://x.example/1,会议召开,市长在会上讲话。,区长在会上发言。\n",
                 encoding="utf-8")
    fields = parse_fields(" title=Headline , text=content,url=link")
    assert fields == {"title": "headline", "text": "content", "url": "link"}
    _, (a,) = read_input(p, fields=fields)
    assert (a.headline, a.body[a.text_start:], a.source_url) == ("会议召开", "市长在会上讲话。", "https://x.example/1")
    p.with_name("crawler.meta.json").write_text(json.dumps({"fields": {"title": "headline", "text": "body2"}}),
                                                encoding="utf-8")
    _, (a,) = read_input(p)
    assert a.body[a.text_start:] == "区长在会上发言。"  # the sidecar alone
    _, (a,) = read_input(p, fields={"text": "content"})
    assert (a.headline, a.body[a.text_start:]) == ("会议召开", "市长在会上讲话。")  # the option over the sidecar


@pytest.mark.parametrize("spec,why", [
    ("body=content", "unknown field 'body' (known: url, title, date, text, publication, page, author)"),
    ("title", "'title' is not OURS=THEIRS"),
    ("title=", "'title=' is not OURS=THEIRS"),
    ("title=a,title=b", "'title' is mapped twice"),
    (" , ", "no mapping given"),
])
def test_fields_option_errors_are_one_line(spec, why):
    from kg.errors import InputError
    from kg.read.dumps import parse_fields

    with pytest.raises(InputError) as exc:
        parse_fields(spec)
    assert str(exc.value) == f"--fields: {why}" if "known" in why else why in str(exc.value)


def test_kg_ingest_fields_option(tmp_path):
    p = tmp_path / "crawl.jsonl"
    p.write_text(json.dumps({"headline": "青岚市召开会议", "content": "3月1日，青岚市召开工作会议。",
                             "link": "https://x.example/9"}, ensure_ascii=False) + "\n", encoding="utf-8")
    run = dict(capture_output=True, text=True, cwd=ROOT)
    store = str(tmp_path / "s")
    bad = subprocess.run([sys.executable, "-m", "kg", "ingest", "--store", store, "--fields", "body=content",
                          str(p)], **run)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert "kg: --fields: unknown field 'body'" in bad.stderr
    assert not (tmp_path / "s").exists()  # stopped before the store was opened
    ok = subprocess.run([sys.executable, "-m", "kg", "ingest", "--store", store, "--fields",
                         "title=headline,text=content,url=link", str(p)], **run)
    assert ok.returncode == 0, ok.stderr
    q = subprocess.run([sys.executable, "-m", "kg", "query", "--store", store, "--format", "csv",
                        "SELECT ?u WHERE { GRAPH ?a { ?a <https://schema.org/url> ?u } }"], **run)
    assert q.stdout.split()[-1] == "https://x.example/9"


def _resume_dump(path: Path, texts: dict[int, str]) -> None:
    path.write_text("".join(json.dumps({"url": f"https://x.example/{i}", "title": f"第{i}次常委会议召开",
                                        "date": "2025-03-12", "text": t}, ensure_ascii=False) + "\n"
                            for i, t in texts.items()), encoding="utf-8")


@pytest.mark.parametrize("batch", [False, True])
def test_resume_skips_the_records_already_stored(tmp_path, batch):
    """``--resume`` on a dump reads only its new and changed records (by each record's content hash)."""
    from kg.ingest import ingest_batch, ingest_file
    from kg.read.inputs import stored_records
    from kg.store import open_store

    path = tmp_path / "crawl.jsonl"
    texts = {i: f"3月{i}日，市政协召开常委会议。主席柯青山主持会议。" for i in range(1, 6)}
    _resume_dump(path, texts)
    store = open_store(tmp_path / "s")
    try:
        assert len(ingest_file(store, path, base="http://127.0.0.1:8000").articles) == 5
        assert len(stored_records(path, store.has_content_hash)) == 5
        texts[2] = "3月2日，市政协召开常委会议。副主席罗青河主持会议。"  # changed: read again, replaces its article
        texts.update({6: "3月6日，市人大常委会召开会议。", 7: "3月7日，市政府召开常务会议。"})
        _resume_dump(path, texts)
        if batch:
            report = ingest_batch(store, [path], base="http://127.0.0.1:8000", skip_known=True, jobs=1)
            assert (report.articles, report.skipped, report.errors) == (3, 0, [])
        else:
            res = ingest_file(store, path, base="http://127.0.0.1:8000", skip_known=True)
            assert len(res.articles) == 3 and not res.skipped
        n = next(store.query("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?a {"
                             " ?a a <https://schema.org/NewsArticle> } }").rows())["n"]
        # everything stored now: a third run reads nothing, and it is no error
        again = ingest_file(store, path, base="http://127.0.0.1:8000", skip_known=True)
        assert again.articles == [] and again.error is None
    finally:
        store.close()
    assert int(str(n.value if hasattr(n, "value") else n)) == 7  # the changed record replaced its article
