"""The remote store against a real SPARQL server: same answers and exports as the embedded store.

The seed page and the dev articles (../shared/eval/dev) are ingested through both backends; every
query, export and count must agree. Writes must be atomic per batch on the server, re-ingest
idempotent, transient errors retried and a dead server reported in one clear line.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, Literal, URIRef

from kg.cli import store_stats
from kg.config import resolve_base
from kg.errors import QueryError, StoreError
from kg.ingest import ingest_file
from kg.store import open_store
from kg.store.base import GraphUpdate, Store
from kg.store.remote import RemoteConfig, RemoteStore, update_text, with_prefixes
from kg.web.context import ServeConfig
from tests.support.remote_servers import STARTERS, Server, find_fuseki, find_oxigraph, free_port
from tests.support.remote_servers import start_oxigraph as start_oxigraph_at
from tests.support.seed import SEED

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "dev"
BASE = "http://127.0.0.1:8000"


def _start(kind: str, folder: Path) -> Server:
    if kind == "oxigraph" and find_oxigraph() is None:
        pytest.skip("the oxigraph server CLI is not installed (pip install -e '.[test]' brings it)")
    if kind == "fuseki" and find_fuseki() is None:
        pytest.skip("no fuseki-server on PATH or in $FUSEKI_HOME (Debian packages only the Jena libraries)")
    return STARTERS[kind](folder)


@pytest.fixture(scope="module", params=["oxigraph", "fuseki"])
def server(request, tmp_path_factory) -> Iterator[Server]:
    """A real server for the whole module (the comparison suite only reads after loading)."""
    srv = _start(request.param, tmp_path_factory.mktemp(request.param))
    yield srv
    srv.stop()


@pytest.fixture
def fresh(tmp_path) -> Iterator[Server]:
    """A server of its own for a test that writes or stops it."""
    srv = _start("oxigraph", tmp_path / "oxigraph")
    yield srv
    srv.stop()


def article_files(folder: Path) -> list[tuple[Path, dict]]:
    """The seed page, and each dev article written as ``# {title}\\n\\n{text}`` (as eval/score.py does)."""
    files: list[tuple[Path, dict]] = [(SEED, {})]
    if DEV.is_dir():
        for gold in sorted(DEV.glob("*.json")):
            d = json.loads(gold.read_text(encoding="utf-8"))
            if "text" not in d:
                continue
            src = folder / f"{gold.stem}.txt"
            src.write_text(f"# {d['title']}\n\n{d['text']}\n", encoding="utf-8")
            meta = d.get("publication") or {}
            files.append(
                (src, {"publication": meta.get("name"), "date": meta.get("date"), "locality": meta.get("locality")})
            )
    return files


def ingest_all(store: Store, files: list[tuple[Path, dict]]) -> int:
    n = 0
    for path, meta in files:
        n += len(ingest_file(store, path, base=BASE, **meta).articles)
    return n


@pytest.fixture(scope="module")
def pair(server, tmp_path_factory) -> Iterator[tuple[Store, Store]]:
    """(remote, embedded), both holding the seed and the dev articles."""
    folder = tmp_path_factory.mktemp("articles")
    files = article_files(folder)
    if DEV.is_dir():
        assert len(files) > 10, "the dev articles were not found"
    server.clear()
    remote = open_store(server.config)
    embedded = open_store(folder / "embedded")
    assert ingest_all(remote, files) == ingest_all(embedded, files) >= 6
    yield remote, embedded
    remote.close()
    embedded.close()


def test_search_index_from_a_remote_store(pair) -> None:
    """kg.search over a remote store: built in memory from a SPARQL scan, the same index as the embedded one's."""
    import kg.search as S

    remote, embedded = pair
    assert S.index_path(remote) is None
    a, b = S.index_for(remote), S.index_for(embedded)
    assert a.path is None and {k: v for k, v in a.size().items() if k != "bytes"} == {
        k: v for k, v in b.size().items() if k != "bytes"}
    for table in ("names", "facts", "articles"):
        cols = {"names": "entity, kind, rank, text", "facts": "graph, entity, field, value",
                "articles": "graph, article, headline, body, date, paper, locality"}[table]
        q = f"SELECT {cols} FROM {table} ORDER BY {cols}"  # noqa: S608 - fixed names
        assert a.conn.execute(q).fetchall() == b.conn.execute(q).fetchall(), table


def bag(res) -> Counter:
    return Counter(tuple(sorted((k, v) for k, v in row.items() if v is not None)) for row in res.rows())


QUERIES = {
    "classes": "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
    "properties": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
    "headlines": "SELECT ?a ?h WHERE { ?a a schema:NewsArticle ; schema:headline ?h }",
    "union": "SELECT * WHERE { ?s ?p ?o }",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "graph-facts": "SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s schema:mentions ?o } }",
    "typed": "SELECT ?a ?d (DATATYPE(?d) AS ?t) WHERE { ?a schema:datePublished ?d }",
    "lang": "SELECT ?x ?n (LANG(?n) AS ?l) WHERE { ?x schema:name ?n }",
    "optional": "SELECT ?a ?h ?d WHERE { ?a schema:headline ?h OPTIONAL { ?a schema:datePublished ?d } }",
    "own-prefix": "PREFIX s: <https://schema.org/> SELECT ?h WHERE { ?a s:headline ?h }",
    "redeclared": "PREFIX schema: <http://schema.org/> SELECT ?h WHERE { ?a schema:headline ?h }",
    "chinese": 'SELECT ?a WHERE { ?a schema:headline ?h FILTER(CONTAINS(?h, "太原")) }',
}


def test_oxigraph_cli_found() -> None:
    """In CI the ``test`` extra installs the server; a missing binary must not hide the whole suite."""
    if os.environ.get("CI") and find_oxigraph() is None:
        pytest.fail("CI must install the oxigraph server CLI (the test extra)")


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_select_answers_equal(pair, name: str) -> None:
    remote, embedded = pair
    r, e = remote.query(QUERIES[name]), embedded.query(QUERIES[name])
    assert r.kind == e.kind == "solutions"
    assert r.variables == e.variables
    got, want = bag(r), bag(e)
    assert got == want
    if name not in ("redeclared",):
        assert sum(want.values()) > 0, "a comparison over nothing proves nothing"


def test_ask_equal(pair) -> None:
    remote, embedded = pair
    for q in ("ASK { ?a a schema:NewsArticle }", "ASK { ?a a schema:Nothing }",
              "ASK { GRAPH ?g { ?a schema:headline ?h } }"):
        assert remote.query(q).boolean() == embedded.query(q).boolean()
    assert remote.query("ASK { ?a a schema:NewsArticle }").boolean() is True


def test_construct_equal(pair) -> None:
    remote, embedded = pair
    q = (
        "CONSTRUCT { ?a schema:headline ?h ; schema:datePublished ?d } "
        "WHERE { ?a schema:headline ?h OPTIONAL { ?a schema:datePublished ?d } }"
    )
    r, e = remote.query(q), embedded.query(q)
    assert r.kind == e.kind == "graph"
    want = set(e.triples())  # an embedded result is read once; the remote one may be read again
    assert set(r.triples()) == want and want
    for fmt, rdflib_fmt in (("turtle", "turtle"), ("ntriples", "nt"), ("rdfxml", "xml"), ("jsonld", "json-ld")):
        gr, ge = Graph(), Graph()
        for res, g in ((r, gr), (embedded.query(q), ge)):
            buf = io.BytesIO()
            res.serialize(fmt, buf)
            g.parse(data=buf.getvalue(), format=rdflib_fmt)
        assert set(gr) == set(ge) == want, fmt


def test_serialisations_equal(pair) -> None:
    """The server's JSON passes through; other formats are written as the embedded store writes them."""
    remote, embedded = pair
    q = "SELECT ?a ?h WHERE { ?a schema:headline ?h } ORDER BY ?a ?h"
    for fmt in ("csv", "tsv", "xml"):
        r, e = io.BytesIO(), io.BytesIO()
        remote.query(q).serialize(fmt, r)
        embedded.query(q).serialize(fmt, e)
        assert r.getvalue() == e.getvalue(), fmt
    r, e = io.BytesIO(), io.BytesIO()
    remote.query(q).serialize("json", r)
    embedded.query(q).serialize("json", e)
    assert json.loads(r.getvalue())["results"] == json.loads(e.getvalue())["results"]


def test_the_mentions_read_the_same_from_either_store(pair) -> None:
    """``kg resolve`` reads every mention by hashed subqueries or by look-ups (kg.mentions.iter_mentions):
    both forms give a server the rows the embedded store gives."""
    from kg.mentions import iter_mentions, mention_count

    remote, embedded = pair
    want = sorted(iter_mentions(embedded))
    assert len(want) > 50 and mention_count(remote) == mention_count(embedded)
    for hashed in (True, False):
        assert sorted(iter_mentions(remote, hashed=hashed)) == want, hashed


def test_rows_can_be_read_twice(pair) -> None:
    remote, _ = pair
    res = remote.query(QUERIES["headlines"])
    assert list(res.rows()) == list(res.rows())
    # a query with its own timeout (sent as the timeout parameter, which Oxigraph ignores) answers the same
    assert list(remote.query(QUERIES["headlines"], timeout=30).rows()) == list(res.rows())


def test_large_results_spill_to_disk_and_read_concurrently(pair, monkeypatch) -> None:
    """A result larger than memory allows goes to a temporary file; every reader gets its own
    handle (threads of the web layer), and the file goes when the result does."""
    import gc
    import threading

    import kg.store.remote_results as results_mod

    remote, embedded = pair
    monkeypatch.setattr(results_mod, "SPOOL_BYTES", 256)
    res = remote.query(QUERIES["union"])
    path = res._body.path
    assert path is not None and Path(path).exists()
    want = bag(embedded.query(QUERIES["union"]))
    got: list[Counter] = []
    threads = [threading.Thread(target=lambda r: got.append(bag(r)), args=(res,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [want] * 4
    del threads, res
    gc.collect()
    assert not Path(path).exists()


def test_dataset_parameters_equal(pair) -> None:
    """default-graph-uri / named-graph-uri: the protocol's dataset, as the embedded store reads it."""
    remote, embedded = pair
    iris = embedded.graph_iris()
    one, two = iris[0], iris[-1]
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    assert bag(remote.query(q, default_graph_uris=[one])) == bag(embedded.query(q, default_graph_uris=[one]))
    qn = "SELECT ?g ?s WHERE { GRAPH ?g { ?s a ?c } }"
    assert bag(remote.query(qn, default_graph_uris=[one], named_graph_uris=[two])) == bag(
        embedded.query(qn, default_graph_uris=[one], named_graph_uris=[two])
    )
    # named graphs alone: an empty default graph (SPARQL 1.1 Protocol), the named graphs as given
    assert bag(remote.query(q, named_graph_uris=[two])) == Counter()
    only_two = f"SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s a ?c }} VALUES ?g {{ <{two}> }} }}"
    assert bag(remote.query(qn, named_graph_uris=[two])) == bag(embedded.query(only_two))


def test_from_clauses_are_honoured(pair) -> None:
    """A query's own FROM picks its default graph (the union parameter would override it)."""
    remote, embedded = pair
    one = embedded.graph_iris()[0]
    got = bag(remote.query(f"SELECT ?s ?p ?o FROM <{one}> WHERE {{ ?s ?p ?o }}"))
    assert got == bag(embedded.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{one}> {{ ?s ?p ?o }} }}")) != Counter()
    named = bag(remote.query(f"SELECT ?g ?s FROM NAMED <{one}> WHERE {{ GRAPH ?g {{ ?s a ?c }} }}"))
    assert {dict(k)["g"] for k in named} == {URIRef(one)}


def test_bindings_prebind_variables(pair) -> None:
    """``bindings`` (SEP-0007, the web layer's way to reuse query files) equals splicing the term in."""
    remote, embedded = pair
    iri = embedded.graph_iris()[0]
    this = URIRef(iri)
    cases = [
        ("SELECT ?p ?o WHERE { ?this ?p ?o }", f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"),
        ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?this { ?s ?p ?o } }",
         f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"),
    ]
    for with_var, spliced in cases:
        rows = remote.query(with_var, bindings={"this": this}).rows()
        assert [{k: v for k, v in r.items() if k != "this"} for r in rows] == list(embedded.query(spliced).rows()) != []
    # backlinks of something mentioned (the web layer's query shape: ORDER BY, then a LIMIT appended)
    entity = next(iter(embedded.query("SELECT ?o WHERE { ?a schema:mentions ?o } LIMIT 1").rows()))["o"]
    backlinks = "SELECT DISTINCT ?s ?p WHERE { ?s ?p ?this . FILTER(?p != kg:agent) } ORDER BY ?p ?s\nLIMIT 5"
    spliced = f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{entity}> . FILTER(?p != kg:agent) }} ORDER BY ?p ?s LIMIT 5"
    rows = remote.query(backlinks, bindings={"this": entity}).rows()
    assert [{k: v for k, v in r.items() if k != "this"} for r in rows] == list(embedded.query(spliced).rows()) != []
    assert remote.query("ASK { GRAPH ?this { ?s ?p ?o } }", bindings={"this": this}).boolean()
    assert not remote.query("ASK { GRAPH ?this { ?s ?p ?o } }", bindings={"this": URIRef(iri + "-no")}).boolean()
    construct = remote.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?this { ?s ?p ?o } }", bindings={"this": this})
    want = embedded.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    assert set(construct.triples()) == set(want.triples())


def test_counts_graphs_hashes_stats_equal(pair) -> None:
    remote, embedded = pair
    assert remote.quad_count() == embedded.quad_count() > 0
    assert remote.graph_iris() == embedded.graph_iris()
    assert len(remote.graph_iris()) >= 6
    rows = list(embedded.query("SELECT ?h WHERE { ?a kg:contentHash ?h } LIMIT 1").rows())
    sha = str(rows[0]["h"])
    assert remote.has_content_hash(sha) and embedded.has_content_hash(sha)
    assert not remote.has_content_hash("0" * 64)
    assert store_stats(remote) == store_stats(embedded)


def quads_of(data: bytes, fmt: str) -> set:
    ds = Dataset()
    ds.parse(data=data, format=fmt)
    return {(s, p, o, g) for s, p, o, g in ds.quads((None, None, None, None))}


@pytest.mark.parametrize("fmt, rdflib_fmt", [("nquads", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_quad_exports_equal(pair, fmt: str, rdflib_fmt: str) -> None:
    remote, embedded = pair
    r, e = io.BytesIO(), io.BytesIO()
    remote.export(fmt, r)
    embedded.export(fmt, e)
    if fmt == "nquads":
        assert set(r.getvalue().splitlines()) == set(e.getvalue().splitlines())
    got, want = quads_of(r.getvalue(), rdflib_fmt), quads_of(e.getvalue(), rdflib_fmt)
    assert got == want and len(want) == embedded.quad_count()


@pytest.mark.parametrize("fmt, rdflib_fmt", [("turtle", "turtle"), ("ntriples", "nt"), ("rdfxml", "xml")])
def test_triple_exports_equal(pair, fmt: str, rdflib_fmt: str) -> None:
    remote, embedded = pair
    graphs = []
    for store in (remote, embedded):
        buf = io.BytesIO()
        store.export(fmt, buf)
        g = Graph()
        g.parse(data=buf.getvalue(), format=rdflib_fmt)
        graphs.append(set(g))
    assert graphs[0] == graphs[1] and graphs[0]


def test_export_graph_equal(pair) -> None:
    remote, embedded = pair
    for iri in embedded.graph_iris():
        for fmt in ("ntriples", "nquads"):
            r, e = io.BytesIO(), io.BytesIO()
            remote.export_graph(iri, fmt, r)
            embedded.export_graph(iri, fmt, e)
            assert set(r.getvalue().splitlines()) == set(e.getvalue().splitlines()) != set(), (iri, fmt)
    r = io.BytesIO()
    remote.export_graph(BASE + "/article/none", "ntriples", r)
    assert r.getvalue() == b""


def test_malformed_query_is_a_query_error(pair) -> None:
    remote, _ = pair
    with pytest.raises(QueryError, match=r"malformed query: .*1:"):
        remote.query("SELECT * WHERE {")


# ---------------------------------------------------------------- writes


def dump(store: Store) -> set[bytes]:
    buf = io.BytesIO()
    store.export("nquads", buf)
    return set(buf.getvalue().splitlines())


def test_reingest_is_idempotent(fresh, tmp_path) -> None:
    files = article_files(tmp_path)
    store = open_store(fresh.config)
    try:
        ingest_all(store, files)
        n, before = store.quad_count(), dump(store)
        ingest_all(store, files)
        assert store.quad_count() == n > 0
        assert dump(store) == before
    finally:
        store.close()


def test_failing_batch_leaves_store_unchanged(fresh, monkeypatch) -> None:
    """A batch that fails on the server after its first operations ran changes nothing at all."""
    store = open_store(fresh.config)
    try:
        res = ingest_file(store, SEED, base=BASE)
        before, n = dump(store), store.quad_count()
        g0, g1 = res.articles[0], res.articles[1]
        batch = [
            GraphUpdate(g0, [(URIRef(g0), URIRef("https://schema.org/headline"), Literal("改写"))]),
            GraphUpdate(BASE + "/article/new", [(URIRef("http://x/s"), URIRef("http://x/p"), Literal("新"))]),
            GraphUpdate(g1, []),
        ]
        # CREATE GRAPH of a graph that exists fails when the server executes it, after the drops and inserts;
        # added only to a request that carries the batch's last graph, so a backend that split the batch
        # into several requests would leave the first articles changed
        fault = f" ;\nCREATE GRAPH <{g0}>\n"
        monkeypatch.setattr(
            store, "_update_text", lambda ups: update_text(ups) + (fault if any(u.iri == g1 for u in ups) else "")
        )
        with pytest.raises(StoreError, match=r"HTTP \d{3}: .*(exist|graph)") as err:
            store.replace_graphs(batch)
        assert "nothing was changed" in str(err.value) and "\n" not in str(err.value)
        assert store.quad_count() == n
        assert dump(store) == before
        monkeypatch.undo()
        store.replace_graphs(batch)  # the same batch without the fault goes through
        assert BASE + "/article/new" in store.graph_iris() and g1 not in store.graph_iris()
    finally:
        store.close()


def test_pre_serialised_statements_are_sent_as_they_are(fresh) -> None:
    """An update that carries its statements as text (batch ingest's workers write them) is sent
    without serialising again, and stores the same quads as the triples would."""
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class TextUpdate:
        iri: str
        triples: object
        text: str | None

    g = BASE + "/article/t"
    triples = [(URIRef(g), URIRef("https://schema.org/headline"), Literal("标题", lang="zh")),
               (URIRef(g), URIRef("http://x/n"), Literal(3))]
    text = " .\n".join(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in triples)

    class Untouchable:
        def __iter__(self):
            raise AssertionError("the triples were serialised again")

        def __bool__(self) -> bool:
            raise AssertionError("the triples were looked at")

    store = open_store(fresh.config)
    try:
        store.replace_graphs([TextUpdate(g, Untouchable(), text)])  # type: ignore[list-item]
        via_text = dump(store)
        store.replace_graphs([GraphUpdate(g, triples)])
        assert dump(store) == via_text and len(via_text) == 2
        store.replace_graphs([TextUpdate(g, Untouchable(), "")])  # type: ignore[list-item]
        assert store.quad_count() == 0
    finally:
        store.close()


def test_add_to_graphs_keeps_what_a_graph_holds(fresh) -> None:
    """``kg resolve`` adds a block's joins chunk by chunk: each request adds, none replaces."""
    g, h = BASE + "/article/x", BASE + "/article/y"
    store = open_store(fresh.config)
    try:
        store.replace_graphs([GraphUpdate(g, [(URIRef(g), URIRef("http://x/n"), Literal("一", lang="zh"))])])
        store.add_to_graphs([GraphUpdate.from_text(g, f'<{g}> <http://x/n> "二"@zh'),
                             GraphUpdate(h, [(URIRef(h), URIRef("http://x/n"), Literal("三", lang="zh"))])], bulk=True)
        store.add_to_graphs([GraphUpdate.from_text(g, "")])  # nothing to add: no request
        assert len(dump(store)) == 3 and sorted(store.graph_iris()) == [g, h]
    finally:
        store.close()


def test_unstorable_term_is_refused_before_sending(fresh) -> None:
    store = open_store(fresh.config)
    try:
        bad = [(URIRef("http://x/s"), URIRef("http://x/p"), URIRef("http://x/has space>{"))]
        with pytest.raises(StoreError, match="not an IRI"):
            store.replace_graphs([GraphUpdate(BASE + "/article/a", bad)])
        assert store.quad_count() == 0
    finally:
        store.close()


def test_literals_survive_the_round_trip(fresh) -> None:
    """Quotes, backslashes, newlines, languages and datatypes come back as they went in."""
    g = BASE + "/article/lit"
    s, p = URIRef(g), URIRef("http://x/p")
    lits = [
        Literal('引号"和\\反斜杠\n换行\r回车\t制表'),
        Literal("名字", lang="zh"),
        Literal("1.53", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")),
        Literal("--01-12", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gMonthDay")),
        Literal(7),
        Literal('"""'),
    ]
    store = open_store(fresh.config)
    try:
        store.replace_graphs([GraphUpdate(g, [(s, p, o) for o in lits])])
        got = {r["o"] for r in store.query(f"SELECT ?o WHERE {{ <{g}> <http://x/p> ?o }}").rows()}
        assert got == set(lits)
    finally:
        store.close()


def test_read_only_store_refuses_writes(fresh) -> None:
    store = open_store(fresh.config, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        store.replace_graphs([GraphUpdate(BASE + "/article/x", [])])
    store.close()


def test_base_is_read_from_the_articles(fresh) -> None:
    assert resolve_base(fresh.url, None, writing=True) == BASE  # empty: the default
    assert resolve_base(fresh.url, "http://example.org/kg/", writing=False) == "http://example.org/kg"
    store = open_store(fresh.url)
    ingest_file(store, SEED, base="http://example.org/kg")
    store.close()
    assert resolve_base(fresh.url, None, writing=True) == "http://example.org/kg"
    with pytest.raises(StoreError, match="would mix two bases"):
        resolve_base(fresh.url, BASE, writing=True)


def test_a_default_graph_that_is_not_the_union_is_refused(fresh) -> None:
    """Told the server makes the union itself when it does not, queries would find nothing: say so."""
    store = open_store(fresh.url)
    ingest_file(store, SEED, base=BASE)
    store.close()
    wrong = replace_cfg(fresh.config, union_default_graph="server")
    with pytest.raises(StoreError, match="default graph is not the union"):
        resolve_base(wrong, None, writing=False)
    assert resolve_base(fresh.config, None, writing=False) == BASE


def test_server_down_is_one_clear_error(tmp_path) -> None:
    port = free_port()  # nothing listens here
    slept: list[float] = []
    store = RemoteStore(RemoteConfig.from_url(f"http://127.0.0.1:{port}", retries=2), sleep=slept.append)
    with pytest.raises(StoreError) as err:
        store.quad_count()
    msg = str(err.value)
    assert "\n" not in msg and f"127.0.0.1:{port}" in msg
    assert "connection refused" in msg and "after 3 attempts" in msg
    assert len(slept) == 2
    with pytest.raises(StoreError, match="connection refused"):
        store.replace_graphs([GraphUpdate(BASE + "/article/x", [])])
    store.close()


def test_server_stopped_midway(fresh) -> None:
    store = RemoteStore(replace_cfg(fresh.config, retries=1), sleep=lambda s: None)
    store.replace_graphs([GraphUpdate(BASE + "/article/x", [(URIRef("http://x/s"), URIRef("http://x/p"), Literal(1))])])
    fresh.stop()
    with pytest.raises(StoreError, match="cannot connect"):
        store.graph_iris()
    store.close()


def replace_cfg(cfg: RemoteConfig, **kw) -> RemoteConfig:
    from dataclasses import replace

    return replace(cfg, **kw)


# ---------------------------------------------------------------- retries (a flaky transport before a real server)


class Flaky(httpx.BaseTransport):
    """Answers the first ``fail`` requests with ``status`` (or a dropped connection), then forwards."""

    def __init__(self, fail: int, status: int | None = 503, headers: dict | None = None) -> None:
        self.fail = fail
        self.status = status
        self.headers = headers or {}
        self.seen: list[httpx.Request] = []
        self.real = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if self.fail > 0:
            self.fail -= 1
            if self.status is None:
                raise httpx.ConnectError("connection reset by injected fault", request=request)
            return httpx.Response(self.status, headers=self.headers, text="injected: try later")
        return self.real.handle_request(request)


@pytest.mark.parametrize("status", [503, 502, 504, 429, None])
def test_transient_errors_are_retried(fresh, status) -> None:
    flaky = Flaky(2, status)
    slept: list[float] = []
    store = RemoteStore(replace_cfg(fresh.config, backoff=0.1), transport=flaky, sleep=slept.append)
    g = BASE + "/article/r"
    store.replace_graphs([GraphUpdate(g, [(URIRef(g), URIRef("http://x/p"), Literal("v"))])])
    assert len(flaky.seen) == 3 and len(slept) == 2
    assert slept[1] > slept[0]  # exponential (with jitter within [50%, 100%])
    assert store.graph_iris() == [g]
    flaky.fail = 1
    assert store.quad_count() == 1
    store.close()


def test_retry_after_is_honoured(fresh) -> None:
    slept: list[float] = []
    store = RemoteStore(fresh.config, transport=Flaky(1, 429, {"Retry-After": "3"}), sleep=slept.append)
    assert store.quad_count() == 0
    assert slept == [3.0]
    store.close()


def test_persistent_503_gives_up_with_status_and_message(fresh) -> None:
    store = RemoteStore(replace_cfg(fresh.config, retries=3), transport=Flaky(100, 503), sleep=lambda s: None)
    with pytest.raises(StoreError, match=r"HTTP 503: injected: try later \(after 4 attempts\)"):
        store.replace_graphs([GraphUpdate(BASE + "/article/x", [])])
    store.close()


def test_client_errors_are_not_retried(fresh) -> None:
    flaky = Flaky(1, 403)
    store = RemoteStore(fresh.config, transport=flaky, sleep=lambda s: pytest.fail("a 403 was retried"))
    with pytest.raises(StoreError, match=r"HTTP 403: injected: try later"):
        store.replace_graphs([GraphUpdate(BASE + "/article/x", [])])
    assert len(flaky.seen) == 1
    store.close()


def test_slow_answer_times_out_clearly(fresh) -> None:
    class Slow(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            raise httpx.ReadTimeout("slow", request=request)

    store = RemoteStore(replace_cfg(fresh.config, timeout=2), transport=Slow(), sleep=lambda s: None)
    with pytest.raises(StoreError, match="timed out after 2s"):
        store.quad_count()
    store.close()


def test_silent_server_times_out(tmp_path) -> None:
    """A server that accepts the connection and never answers: the store's timeout, then one clear line."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    try:
        cfg = RemoteConfig.from_url(f"http://127.0.0.1:{port}", timeout=0.5, retries=3)
        store = RemoteStore(cfg, sleep=lambda s: pytest.fail("a timed-out request was retried"))
        with pytest.raises(StoreError, match=r"replacing 1 graph\(s\) timed out after 0.5s \(the server may still"):
            store.replace_graphs([GraphUpdate(BASE + "/article/x", [])])
        with pytest.raises(StoreError, match="timed out after 0.5s"):
            store.quad_count()
        with pytest.raises(QueryError, match="query timed out after 1.3s"):
            store.query("ASK {}", timeout=0.3)
        store.close()
    finally:
        listener.close()


# ---------------------------------------------------------------- configuration and credentials


def test_config_file_and_credentials(tmp_path, monkeypatch) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"head": {}, "boolean": True},
                              headers={"Content-Type": "application/sparql-results+json"})

    toml = tmp_path / "store.toml"
    toml.write_text(
        'query = "http://db.example:3030/ds/query"\nupdate = "http://db.example:3030/ds/update"\n'
        'graph_store = "http://db.example:3030/ds/data"\nunion_default_graph = "urn:x-arq:UnionGraph"\n'
        '[auth]\nusername = "kg"\npassword_env = "KG_TEST_PW"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KG_TEST_PW", "secret")
    cfg = RemoteConfig.from_file(toml)
    assert "secret" not in repr(cfg) and str(cfg) == "http://db.example:3030/ds/query"
    store = RemoteStore(cfg, transport=httpx.MockTransport(handler))
    assert store.query("ASK {}").boolean()
    assert seen[0].headers["authorization"].startswith("Basic ")
    assert b"default-graph-uri=urn%3Ax-arq%3AUnionGraph" in seen[0].content
    store.close()

    js = tmp_path / "store.json"
    js.write_text(json.dumps({"url": "http://127.0.0.1:7878", "token": "t0k"}), encoding="utf-8")
    cfg = RemoteConfig.from_file(js)
    assert cfg.update == "http://127.0.0.1:7878/update" and cfg.union_default_graph == "param"
    store = RemoteStore(cfg, transport=httpx.MockTransport(handler))
    store.query("ASK {}")
    assert seen[-1].headers["authorization"] == "Bearer t0k"
    assert b"union-default-graph=" in seen[-1].content
    store.close()

    (tmp_path / "bad.toml").write_text('qurey = "x"\n', encoding="utf-8")
    with pytest.raises(StoreError, match="unknown store config keys: qurey"):
        RemoteConfig.from_file(tmp_path / "bad.toml")
    monkeypatch.delenv("KG_TEST_PW")
    with pytest.raises(StoreError, match="KG_TEST_PW is not set"):
        RemoteConfig.from_file(toml)


def test_fuseki_style_url() -> None:
    cfg = RemoteConfig.from_url("http://user:pw@127.0.0.1:3030/ds/")
    assert (cfg.query, cfg.update, cfg.graph_store, cfg.dataset) == (
        "http://127.0.0.1:3030/ds/query",
        "http://127.0.0.1:3030/ds/update",
        "http://127.0.0.1:3030/ds/data",
        "http://127.0.0.1:3030/ds",
    )
    assert cfg.union_default_graph == "server" and cfg.username == "user" and cfg.password == "pw"


def test_prefixes_are_added_only_when_undeclared() -> None:
    text, shift = with_prefixes("PREFIX schema: <http://other/> SELECT * { ?s schema:x ?o }")
    assert text.count("PREFIX schema:") == 1 and shift == 1
    assert "PREFIX kg:" in text


# ---------------------------------------------------------------- the command line against the server


def kg(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=env, timeout=300)
    if check and res.returncode != 0:
        raise AssertionError(f"kg {' '.join(args)} exited {res.returncode}: {res.stderr}")
    return res


def test_cli_against_the_server(fresh, tmp_path) -> None:
    seed = str(ROOT / "seeds")
    local = str(tmp_path / "local")
    kg("ingest", "--store", fresh.url, seed)
    kg("ingest", "--store", local, seed)
    q = "SELECT ?a ?h WHERE { ?a schema:headline ?h } ORDER BY ?a"
    assert kg("query", "--store", fresh.url, q).stdout == kg("query", "--store", local, q).stdout
    assert kg("stats", "--store", fresh.url, "--json").stdout == kg("stats", "--store", local, "--json").stdout

    cfg = tmp_path / "store.toml"
    cfg.write_text(f'url = "{fresh.url}"\nretries = 0\n', encoding="utf-8")
    out = kg("query", "--store-config", str(cfg), "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
             "--format", "json").stdout
    n = int(json.loads(out)["results"]["bindings"][0]["n"]["value"])
    assert n > 0

    shards = tmp_path / "shards"
    kg("export", "--store", fresh.url, "--format", "nquads", "--shard-size", "40", "--output-dir", str(shards))
    parts = sorted(shards.glob("part-*.nq"))
    lines = [ln for p in parts for ln in p.read_bytes().splitlines()]
    assert len(parts) == -(-n // 40) and len(lines) == n
    assert all(len(p.read_bytes().splitlines()) == 40 for p in parts[:-1])
    whole = tmp_path / "all.nq"
    kg("export", "--store", local, "--format", "nquads", "--output", str(whole))
    assert set(lines) == set(whole.read_bytes().splitlines())

    # the shards load with Oxigraph's bulk loader into a store that serves the same data
    exe = find_oxigraph()
    assert exe is not None
    loaded = tmp_path / "loaded"
    loaded.mkdir()  # oxigraph load creates the store folder, not its parents
    subprocess.run([exe, "load", "--location", str(loaded / "db"), "--file", *map(str, parts)],
                   check=True, capture_output=True, timeout=120)
    srv = start_oxigraph_at(loaded)
    try:
        again = open_store(srv.config)
        assert dump(again) == set(whole.read_bytes().splitlines())
        again.close()
    finally:
        srv.stop()

    bad = kg("ingest", "--store", fresh.url, "--base", "http://elsewhere.example", seed, check=False)
    assert bad.returncode == 1 and "would mix two bases" in bad.stderr


def test_cli_server_down(tmp_path) -> None:
    cfg = tmp_path / "store.toml"
    cfg.write_text(f'url = "http://127.0.0.1:{free_port()}"\nretries = 0\n', encoding="utf-8")
    res = kg("stats", "--store-config", str(cfg), check=False)
    assert res.returncode == 1
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("kg: ") and "connection refused" in res.stderr


# ---------------------------------------------------------------- the web layer on a remote store


def test_web_pages_equal_embedded(pair) -> None:
    """Every entity page (HTML and Turtle) and the SPARQL endpoint answer the same from either store."""
    create_app = pytest.importorskip("kg.web.app", reason="the web layer (kg serve) is not on this branch").create_app

    remote, embedded = pair
    rows = embedded.query(
        f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BASE}/") && !CONTAINS(STR(?s), "#")) }}'
    ).rows()
    paths = sorted(str(r["s"])[len(BASE):] for r in rows)
    paths = [p for p in paths if not p.startswith("/resolution/")]  # name blocks are graphs, not pages
    assert len(paths) > 10
    clients = [TestClient(create_app(s, BASE)) for s in (remote, embedded)]
    for path in paths:
        for accept in ("text/html", "text/turtle"):
            got, want = (c.get(path, headers={"Accept": accept}) for c in clients)
            assert got.status_code == want.status_code, (path, accept)
            if accept == "text/turtle":
                g1, g2 = Graph(), Graph()
                g1.parse(data=got.text, format="turtle")
                g2.parse(data=want.text, format="turtle")
                assert set(g1) == set(g2), path
            else:
                assert got.text == want.text, path
    q = "SELECT ?a ?h WHERE { ?a schema:headline ?h } ORDER BY ?a"
    got, want = (c.get("/sparql", params={"query": q}, headers={"Accept": "text/csv"}) for c in clients)
    assert got.status_code == want.status_code == 200 and got.text == want.text


def test_kg_serve_on_a_remote_store(fresh, tmp_path) -> None:
    """``kg serve --store http://…`` serves the server's graph (needs serve_base to know remote stores)."""
    pytest.importorskip("kg.web.serve", reason="the web layer (kg serve) is not on this branch")
    kg("ingest", "--store", fresh.url, str(ROOT / "seeds"))
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--store", fresh.url, "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        import time

        deadline = time.monotonic() + 90  # start-up imports take seconds on a loaded machine
        while True:
            assert proc.poll() is None, (
                "kg serve --store http://… exited; kg/web/serve.py:serve_base must read a remote store's base "
                f"with kg.config.remote_stored_base: {proc.stdout.read() if proc.stdout else ''}"
            )
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK { ?a a schema:NewsArticle }"},
                              headers={"Accept": "application/sparql-results+json"}, timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "kg serve did not start"
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()["boolean"] is True
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_sparql_update_through_the_service(fresh) -> None:
    """With a token, ``/sparql`` updates reach the remote store (one request): applied, then visible;
    a malformed update is a 400 with the server's message and changes nothing; read-only refuses."""
    from kg.web.app import create_app

    store = open_store(fresh.config)
    token = "t0ken-for-remote-update"
    client = TestClient(create_app(store, ServeConfig(BASE, token=token)))
    auth = {"Authorization": f"Bearer {token}"}
    g = "http://example.org/remote-update"
    ins = f'INSERT DATA {{ GRAPH <{g}> {{ <http://example.org/s> schema:name "名"@zh }} }}'
    r = client.post("/sparql", content=ins, headers={**auth, "Content-Type": "application/sparql-update"})
    assert r.status_code == 204, r.text
    ask = f'ASK {{ GRAPH <{g}> {{ ?s schema:name "名"@zh }} }}'
    assert store.query(ask).boolean() is True
    before = store.quad_count()
    r = client.post("/sparql", data={"update": "INSERT DATA { oops"}, headers=auth)
    assert r.status_code == 400 and "malformed update" in r.text
    assert store.quad_count() == before
    r = client.post("/sparql", data={"update": f"DROP GRAPH <{g}>"})
    assert r.status_code in (401, 403) and store.quad_count() == before
    r = client.post("/sparql", data={"update": f"DROP GRAPH <{g}>"}, headers=auth)
    assert r.status_code == 204 and store.query(ask).boolean() is False
    store.close()
    ro = open_store(fresh.config, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        ro.update(ins)
    ro.close()
