"""The embedded store: atomic per-article replacement, idempotent ingest, failures change nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.errors import KgError, StoreError
from kg.ingest import ingest_file
from kg.rdf.namespaces import SCHEMA
from kg.resolve import is_resolution_graph
from kg.store import open_store
from kg.store.base import GraphUpdate
from tests.support.seed import SEED_BASE

BASE = SEED_BASE  # the base seed_store_copy was ingested with


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "store")
    yield s
    s.close()


def headlines(store) -> dict[str, str]:
    rows = store.query("SELECT ?a ?h WHERE { GRAPH ?a { ?a schema:headline ?h } }").rows()
    return {str(r["a"]): str(r["h"]) for r in rows}


def article_graphs(store) -> list[str]:
    """The article graphs (the identity resolution layer has graphs of its own, kg.resolve)."""
    return [g for g in store.graph_iris() if not is_resolution_graph(g)]


def test_ingest_twice_is_idempotent(seed_store_copy, seed_path):
    store = seed_store_copy  # the seed ingested once already, with the same base
    n = store.quad_count()
    graphs = article_graphs(store)
    second = ingest_file(store, seed_path, base=BASE)
    assert store.quad_count() == n and n > 0
    assert article_graphs(store) == graphs == sorted(second.articles)  # stable IRIs


def test_reingest_replaces_only_that_article(store, tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("# 甲文\n\n第一版正文。\n", encoding="utf-8")
    b.write_text("# 乙文\n\n乙的正文。\n", encoding="utf-8")
    opts = dict(base=BASE, publication="某报", date="2022-01-13")
    ra = ingest_file(store, a, **opts)
    ingest_file(store, b, **opts)
    before_b = io.BytesIO()
    iri_b = [g for g in article_graphs(store) if g not in ra.articles][0]
    store.export_graph(iri_b, "nquads", before_b)
    a.write_text("# 甲文\n\n更正后的正文。\n", encoding="utf-8")
    ra2 = ingest_file(store, a, **opts)
    assert ra2.articles == ra.articles  # same paper, day and headline: same article
    body = store.query(f"SELECT ?b WHERE {{ <{ra.articles[0]}> schema:articleBody ?b }}").rows()
    assert [str(r["b"]) for r in body] == ["更正后的正文。"]
    after_b = io.BytesIO()
    store.export_graph(iri_b, "nquads", after_b)
    assert before_b.getvalue() == after_b.getvalue()


def test_exception_mid_ingest_leaves_previous_graph(seed_store_copy, seed_path):
    store = seed_store_copy
    dump = io.BytesIO()
    store.export("nquads", dump)

    def boom(graphs):
        raise RuntimeError("injected failure between mapping and writing")

    with pytest.raises(RuntimeError):
        ingest_file(store, seed_path, base=BASE, before_write=boom)
    again = io.BytesIO()
    store.export("nquads", again)
    assert sorted(dump.getvalue().splitlines()) == sorted(again.getvalue().splitlines())


def test_failed_write_is_atomic(seed_store_copy):
    store = seed_store_copy
    n = store.quad_count()
    g = store.graph_iris()[0]
    bad = [(URIRef("http://x/s"), URIRef("http://x/p"), Literal("ok"))] * 3 + [
        (URIRef("http://x/s"), URIRef("http://x/p"), URIRef("http://x/has space>{"))
    ]
    with pytest.raises((StoreError, ValueError, KgError)):
        store.replace_graphs([GraphUpdate(g, bad)])
    assert store.quad_count() == n
    assert headlines(store)[g]


def test_bad_input_changes_nothing(seed_store_copy, tmp_path):
    store = seed_store_copy
    n = store.quad_count()
    bad = tmp_path / "bad.txt"
    bad.write_bytes("# 标题\n\n正文。".encode("gbk"))
    with pytest.raises(KgError):
        ingest_file(store, bad, base=BASE)
    assert store.quad_count() == n


def test_second_writer_gets_a_clear_error(tmp_path):
    s = open_store(tmp_path / "st")
    try:
        with pytest.raises(StoreError, match="another process|cannot open"):
            open_store(tmp_path / "st")
    finally:
        s.close()


def test_graph_per_article(store, seed_path):
    res = ingest_file(store, seed_path, base=BASE)
    for iri in res.articles:
        rows = list(store.query(f"ASK {{ GRAPH <{iri}> {{ <{iri}> a schema:NewsArticle }} }}").boolean() for _ in [0])
        assert rows == [True]
    assert len(headlines(store)) == 6
    assert URIRef(res.articles[0]).startswith(BASE + "/article/")
    assert str(SCHEMA.headline) == "https://schema.org/headline"


def test_resume_skips_known_content(seed_store_copy, seed_path):
    assert ingest_file(seed_store_copy, seed_path, base=BASE, skip_known=True).skipped


def test_store_path_is_a_file(tmp_path: Path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(StoreError):
        open_store(f)


def test_add_to_graphs_keeps_what_a_graph_holds(store) -> None:
    g, h = BASE + "/article/x", BASE + "/article/y"
    store.replace_graphs([GraphUpdate(g, [(URIRef(g), SCHEMA.headline, Literal("一", lang="zh"))])])
    for bulk in (False, True):  # a transaction, then the bulk loader: the same quads
        store.add_to_graphs([GraphUpdate.from_text(g, f'<{g}> <{SCHEMA.name}> "二"@zh'),
                             GraphUpdate.from_text(h, f'<{h}> <{SCHEMA.name}> "三"@zh'),
                             GraphUpdate.from_text(g, f'<{g}> <{SCHEMA.name}> "二"@zh')], bulk=bulk)
        rows = store.query("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }").rows()
        assert sorted((str(r["g"]), str(r["o"])) for r in rows) == [(g, "一"), (g, "二"), (h, "三")]
    store.add_to_graphs([GraphUpdate.from_text(g, "_:b <http://x/p> _:b")])  # blank nodes: INSERT DATA
    assert store.quad_count() == 4


@pytest.mark.parametrize("bulk_from", [0, 10**12], ids=["bulk-loader", "transaction"])
def test_a_batch_of_new_graphs_is_all_or_nothing(store, monkeypatch, bulk_from) -> None:
    """New graphs load as one TriG text, large batches by Oxigraph's bulk loader: either way a batch whose
    last graph does not parse leaves no graph of it, and a good batch stores exactly its statements."""
    import kg.store.oxigraph as oxstore

    monkeypatch.setattr(oxstore, "BULK_FROM_CHARS", bulk_from)
    before = store.quad_count()
    iris = [f"{BASE}/article/n{i}" for i in range(30)]
    good = [GraphUpdate.from_text(g, f'<{g}> <{SCHEMA.headline}> "第{i}篇"@zh') for i, g in enumerate(iris)]
    bad = GraphUpdate.from_text(BASE + "/article/bad", f'<{BASE}/article/bad> <{SCHEMA.headline}> "未完')
    with pytest.raises(StoreError):
        store.replace_graphs([*good, bad])
    assert store.quad_count() == before and not article_graphs(store)
    store.replace_graphs(good)
    assert headlines(store) == {g: f"第{i}篇" for i, g in enumerate(iris)}
    assert store.quad_count() == before + len(iris)
