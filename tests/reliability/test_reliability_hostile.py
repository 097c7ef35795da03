"""A corpus of bad page files through ``kg ingest`` and ``POST /ingest``: each gets a clear one-line
error or a correct result, never a traceback, and never a half-written article (the store holds, per
article, exactly the graph the reader and mapper make of that file, or nothing). The files are
generated here (the 50 MB one too), not committed. ``tests/read/test_read_hostile.py`` covers the reader
itself with hypothesis; the property test here covers the whole path over HTTP into the store."""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from kg.cli import main
from kg.errors import KgError
from kg.ingest import build_graphs
from kg.resolve import is_resolution_graph
from kg.store.oxigraph import OxigraphStore
from kg.web.context import context
from kg.web.limits import Limits
from tests.support.seed import SEED
from tests.support.served import TOKEN, Served, served

ROOT = Path(__file__).resolve().parents[2]
BASE = "http://127.0.0.1:8000"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PAGE = SEED.read_text(encoding="utf-8")


def big_file(path: Path) -> None:
    with path.open("wb") as f:  # 50 MB of plausible text, written in pieces
        f.write("# 标题\n\n".encode())
        line = ("会议强调，要抓好落实。" * 100 + "\n").encode()
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            f.write(line)


# name -> (write the file, what must happen: "ok", or a piece of the error message)
CORPUS: dict[str, tuple[Callable[[Path], None], str]] = {
    "random-bytes": (lambda p: p.write_bytes(random.Random(1).randbytes(4096)), "not UTF-8"),
    "gbk": (lambda p: p.write_bytes(PAGE.encode("gbk", errors="replace")), "pass --encoding gb18030"),
    "utf8-bom": (lambda p: p.write_bytes(b"\xef\xbb\xbf" + PAGE.encode()), "ok"),
    "crlf": (lambda p: p.write_bytes(PAGE.replace("\n", "\r\n").encode()), "ok"),
    "cr-only": (lambda p: p.write_bytes(PAGE.replace("\n", "\r").encode()), "ok|no recognisable"),
    "50mb": (big_file, "limit"),
    "one-line-1mb": (lambda p: p.write_text("# 标题\n\n" + "会议强调,要抓好落实" * 100_000 + "。\n", encoding="utf-8"),
                     "characters long"),
    "only-headlines": (lambda p: p.write_text("# 一\n## 二\n# 三\n", encoding="utf-8"), "no recognisable article"),
    "html": (lambda p: p.write_text("<!DOCTYPE html><html><body><h1>标题</h1><p>正文。</p></body></html>",
                                    encoding="utf-8"), "HTML"),
    "html-lower": (lambda p: p.write_text("  <html><head><title>x</title></head></html>", encoding="utf-8"), "HTML"),
    "nul-bytes": (lambda p: p.write_bytes((PAGE[:100] + "\x00\x00" + PAGE[100:]).encode()), "NUL"),
    "unbalanced": (lambda p: p.write_text("# 标题(未完\n\n本报讯(记者 王某 1月12日,“会议举行。【《\n\n（下转第\n",
                                          encoding="utf-8"), "ok"),
    "empty": (lambda p: p.write_bytes(b""), "empty"),
    "whitespace": (lambda p: p.write_bytes(" \n\t\u3000\n".encode()), "empty"),
    "utf16": (lambda p: p.write_bytes(PAGE.encode("utf-16")), "not UTF-8"),
    "png": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4), "not UTF-8"),
    "control-chars": (lambda p: p.write_text("# 标题\x1b[31m\n\n正文\x07\x08内容。\x0b\x0c\n", encoding="utf-8"),
                      "ok|no recognisable"),
    "long-headline": (lambda p: p.write_text("# " + "长" * 5000 + "\n\n正文。\n", encoding="utf-8"),
                      "ok|no recognisable"),
    "many-tiny-articles": (lambda p: p.write_text("".join(f"# 标题{i}\n\n正文{i}。\n\n" for i in range(2000)),
                                                  encoding="utf-8"), "ok"),
    "lone-surrogate": (lambda p: p.write_bytes(b"# t\n\n\xed\xa0\x80 text\n"), "not UTF-8"),
}


def graphs_of(store: OxigraphStore) -> dict[str, rdflib.Graph]:
    out = {}
    for iri in store.graph_iris():
        if is_resolution_graph(iri):  # derived data (kg.resolve): the articles are checked
            continue
        buf = io.BytesIO()
        store.export_graph(iri, "ntriples", buf)
        out[iri] = rdflib.Graph().parse(data=buf.getvalue().decode("utf-8"), format="nt")
    return out


def expected_graphs(path: Path, base: str = BASE, **kw: str) -> dict[str, rdflib.Graph] | None:
    """What a correct ingest of ``path`` stores, or None if the reader refuses it."""
    try:
        _, _, graphs = build_graphs(path, base=base, **kw)
    except KgError:
        return None
    out = {}
    for g in graphs:
        rg = rdflib.Graph()
        for t in g.triples:
            rg.add(t)
        out[str(g.iri)] = rg
    return out


def check(outcome: str, expect: str, message: str) -> None:
    if outcome == "ok":
        assert "ok" in expect.split("|"), f"accepted, expected an error about {expect!r}"
    else:
        assert "Traceback" not in message and message.count("\n") <= 1, message
        assert any(e in message for e in expect.split("|") if e != "ok"), f"{message!r} does not say {expect!r}"


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_file_through_kg_ingest(tmp_path: Path, name: str, capsys: pytest.CaptureFixture) -> None:
    write, expect = CORPUS[name]
    path = tmp_path / f"{name}.txt"
    write(path)
    store_dir = tmp_path / "store"
    rc = main(["ingest", "--store", str(store_dir), "--base", BASE, str(path)])
    err = capsys.readouterr().err
    assert rc in (0, 1) and "Traceback" not in err
    store = OxigraphStore(store_dir)
    try:
        got = graphs_of(store)
    finally:
        store.close()
    if rc == 0:
        check("ok", expect, err)
        want = expected_graphs(path)
        assert want is not None and set(got) == set(want)
        for iri, g in got.items():  # whole articles, exactly what the reader and mapper make
            assert isomorphic(g, want[iri]), iri
    else:
        msg = next(line for line in err.splitlines() if line.startswith("kg: "))
        assert str(path) in msg or path.name in msg
        check("error", expect, msg)
        assert got == {}, "a refused file left graphs behind"


def test_gbk_with_the_encoding_option(tmp_path: Path) -> None:
    (tmp_path / "u").mkdir()
    (tmp_path / "g").mkdir()
    utf8, gbk = tmp_path / "u" / "page.txt", tmp_path / "g" / "page.txt"  # the same name: the same source
    utf8.write_text(PAGE, encoding="utf-8")
    gbk.write_bytes(PAGE.encode("gb18030"))
    assert main(["ingest", "--store", str(tmp_path / "a"), "--base", BASE, "--publication", "P", str(utf8)]) == 0
    assert main(["ingest", "--store", str(tmp_path / "b"), "--base", BASE, "--publication", "P",
                 "--encoding", "gb18030", str(gbk)]) == 0
    a, b = OxigraphStore(tmp_path / "a", read_only=True), OxigraphStore(tmp_path / "b", read_only=True)
    try:
        ga, gb = graphs_of(a), graphs_of(b)
    finally:
        a.close()
        b.close()
    assert set(ga) == set(gb)
    for i in ga:  # the same facts; only the hash of the file's bytes differs
        for g in (ga[i], gb[i]):
            g.remove((None, rdflib.URIRef("https://w3id.org/newskg/ontology#contentHash"), None))
        assert isomorphic(ga[i], gb[i]), set(ga[i]) ^ set(gb[i])


@pytest.fixture(scope="module")
def rw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory.mktemp("hostile") / "store", token=TOKEN, limits=Limits(workers=1)) as s:
        yield s


def test_bad_files_through_post_ingest(rw: Served, tmp_path: Path) -> None:
    before = graphs_of(rw.store)
    seen: dict[str, int] = {}
    for name, (write, expect) in sorted(CORPUS.items()):
        path = tmp_path / f"{name}.txt"
        write(path)
        r = httpx.post(rw.url + "/ingest", params={"name": f"{name}.txt"}, content=path.read_bytes(), headers=AUTH,
                       timeout=300)
        seen[name] = r.status_code
        if name == "50mb":
            assert r.status_code == 413
            continue
        if r.status_code == 201:
            check("ok", expect, r.text)
            want = expected_graphs(path, context(rw.app).base)
            assert want is not None and set(r.json()["articles"]) == set(want)
            for iri, g in want.items():  # whole articles, exactly what the reader and mapper make
                buf = io.BytesIO()
                rw.store.export_graph(iri, "ntriples", buf)
                stored = rdflib.Graph().parse(data=buf.getvalue().decode("utf-8"), format="nt")
                assert isomorphic(stored, g), (name, iri)
        else:
            assert r.status_code == 422, (name, r.status_code, r.text)
            check("error", expect, r.text.strip())
    after = graphs_of(rw.store)
    added = set(after) - set(before)
    ok = [n for n, s in seen.items() if s == 201]
    assert len(ok) >= 4 and added  # the good ones landed, whole (checked per graph below)
    for iri in added:
        assert len(after[iri]) > 0


PIECES = st.sampled_from(["#", "# 标题", "\n", "\r\n", "\n\n", "本报讯(记者 李明)", "。", "“", "（下转第3版）", "\x00",
                          "<html>", "\ufeff", "出席", "市委书记", "王", "1月12日", "摄", " ", "\u3000"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=500), st.lists(PIECES, max_size=40).map(lambda x: "".join(x).encode("utf-8"))))
def test_any_body_over_http_is_whole_or_refused(rw: Served, body: bytes) -> None:
    r = httpx.post(rw.url + "/ingest", params={"name": "prop.txt"}, content=body, headers=AUTH, timeout=60)
    assert r.status_code in (201, 422), (r.status_code, r.text)
    assert "Traceback" not in r.text
    if r.status_code == 201:
        for iri in r.json()["articles"]:
            buf = io.BytesIO()
            rw.store.export_graph(iri, "ntriples", buf)
            assert buf.getvalue(), f"{iri} announced but not stored"
