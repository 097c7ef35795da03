"""Web archives (issue 18): a WARC file with 20 HTML responses (invented e-paper and news-site pages, one of
them GBK) gives 20 articles with their target URLs; a non-HTML response and a 404 are reported as
``FILE#N: why`` and do not stop the file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kg.read.inputs import read_input

DATA = Path(__file__).parents[1] / "data" / "html"
LAYOUTS = ["epaper-enp.html", "epaper-tags.html", "epaper-classes.html", "site-plain.html", "site-generic.html"]
SURNAMES = "柯罗韩丁蒲"


def page(i: int) -> tuple[str, str]:
    """An invented page of one of the five layouts, its headline and names changed by ``i``."""
    html = (DATA / LAYOUTS[i % 5]).read_text(encoding="utf-8")
    headline = f"示范新区召开第{i + 1}届科技创新大会"
    name = SURNAMES[i % 5] + "青" + "山水林田"[i % 4]
    html = html.replace("示范新区召开科技创新大会", headline).replace("罗青山", name)
    html = html.replace('<link rel="canonical"', '<link rel="x"').replace('property="og:url"', 'property="x"')
    return html, headline


def write_warc(path: Path, n: int = 20) -> list[str]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    headlines = []
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)

        def response(url: str, body: bytes, ctype: str, status: str = "200 OK") -> None:
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))

        for i in range(n):
            html, headline = page(i)
            headlines.append(headline)
            if i == 7:  # a GBK page, its charset in the HTTP header only
                body = html.replace("©", "(C)").replace('<meta charset="utf-8">', "").encode("gbk")
                response(f"https://paper.example/a/{i}.html", body, "text/html; charset=GBK")
            else:
                response(f"https://paper.example/a/{i}.html", html.encode("utf-8"), "text/html; charset=utf-8")
            if i == 3:
                response("https://paper.example/logo.png", b"\x89PNG....", "image/png")
            if i == 11:
                response("https://paper.example/gone.html", b"<html>not found</html>", "text/html", "404 Not Found")
    return headlines


def test_warc_with_twenty_html_responses(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    headlines = write_warc(path)
    src, articles = read_input(path)
    assert [a.headline for a in articles] == headlines
    assert [a.source_url for a in articles] == [f"https://paper.example/a/{i}.html" for i in range(20)]
    assert articles[7].body[articles[7].text_start:].startswith("3月11日，青岚市示范新区召开")  # GBK decoded
    assert len(src.problems) == 2
    assert src.problems[0] == f"{path}#5: not an HTML response (image/png) for https://paper.example/logo.png"
    assert src.problems[1] == f"{path}#14: HTTP status 404 for https://paper.example/gone.html"


def test_walk_finds_warc_gz(tmp_path):
    from kg.ingest import walk

    write_warc(tmp_path / "a.warc.gz", 1)
    (tmp_path / "other.tar.gz").write_bytes(b"")
    assert [p.name for p in walk([tmp_path])] == ["a.warc.gz"]


def test_not_a_warc_is_a_one_line_error(tmp_path):
    from kg.errors import InputError

    p = tmp_path / "x.warc"
    p.write_bytes(b"this is not an archive\n")
    with pytest.raises(InputError, match="x.warc: not a WARC file"):
        read_input(p)


def test_warc_of_real_layouts_with_the_charset_in_the_http_header_only(tmp_path):
    """The seven real-report pages (tests/fixtures/html; GB2312, GBK, UTF-8) in one WARC, their charset declared
    only by the HTTP header: each response reads to the text of its text page."""
    import json
    import re

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    fixtures = Path(__file__).parents[1] / "fixtures" / "html"
    golds = sorted(fixtures.glob("*.json"))
    path = tmp_path / "real.warc.gz"
    want = []
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        for i, gold in enumerate(golds):
            g = json.loads(gold.read_text(encoding="utf-8"))
            data = (fixtures / g["html"]).read_bytes()
            m = re.search(rb"charset=[\"']?([\w-]+)", data[:2000])
            charset = m.group(1).decode() if m else "utf-8"
            body = re.sub(rb"<meta[^>]*charset[^>]*>", b"", data, count=1)  # the header alone says it
            http = StatusAndHeaders("200 OK", [("Content-Type", f"text/html; charset={charset}")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(f"https://paper.example/real/{i}.html", "response",
                                                payload=io.BytesIO(body), http_headers=http))
            _, (a,) = read_input(fixtures / g["source"])
            want.append(a.body[a.text_start:])
    src, articles = read_input(path)
    assert not src.problems
    assert [a.body[a.text_start:] for a in articles] == want
    assert len(want) >= 6
