"""Writes need the token: read-only by default; 401 without a token, 403 with a wrong one, and in
both cases nothing changes; with it, SPARQL Update, Graph Store writes and POST /ingest work and the
query workers see the write. The token is never logged."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import rdflib

from kg.errors import KgError
from kg.web.auth import load_token
from kg.web.limits import Limits
from tests.support.served import TOKEN, Served, served
from tests.support.web import SEED

INSERT = 'INSERT DATA { GRAPH <http://example.org/g1> { <http://example.org/s> <http://example.org/p> "v" } }'
G = "http://example.org/g2"


@pytest.fixture(scope="module")
def rw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory.mktemp("auth") / "store", token=TOKEN, limits=Limits(workers=2)) as s:
        yield s


def count(s: Served) -> int:
    r = httpx.get(s.url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
                  headers={"Accept": "text/csv"}, timeout=30)
    assert r.status_code == 200, r.text
    return int(r.text.split()[1])


def wait_for_log(caplog: pytest.LogCaptureFixture, n: int) -> None:
    """The access log line is written after the response is sent: wait for it (up to 30 s, under load)."""
    deadline = time.monotonic() + 30
    while len({r.getMessage() for r in caplog.records if r.name == "kg.access"}) < n and time.monotonic() < deadline:
        time.sleep(0.05)


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_load_token(tmp_path: Path) -> None:
    f = tmp_path / "tok"
    f.write_text(TOKEN + "\n")
    assert load_token(f, env={}) == TOKEN
    assert load_token(None, env={}) is None
    assert load_token(None, env={"KG_TOKEN": f" {TOKEN} "}) == TOKEN
    f.write_text("short\n")
    with pytest.raises(KgError, match="at least 16"):
        load_token(f, env={})
    with pytest.raises(KgError, match="cannot read"):
        load_token(tmp_path / "missing", env={})


def test_read_only_by_default(tmp_path: Path) -> None:
    with served(tmp_path / "store", limits=Limits(workers=1)) as s:
        n = count(s)
        for headers in ({}, auth()):
            r = httpx.post(s.url + "/sparql", content=INSERT, headers={**headers, "Content-Type":
                                                                       "application/sparql-update"}, timeout=30)
            assert r.status_code == 403 and "not enabled" in r.text
            assert httpx.put(s.url + "/rdf-graphs", params={"graph": G}, content="<a:b> <a:c> <a:d> .",
                             headers={**headers, "Content-Type": "application/n-triples"}).status_code == 403
            assert httpx.post(s.url + "/ingest", content=SEED.read_bytes(), headers=headers).status_code == 403
        assert count(s) == n


@pytest.mark.parametrize("headers,status", [({}, 401), ({"Authorization": "Basic abc"}, 401),
                                            (auth("wrong-token-0123456789"), 403), (auth(TOKEN + "x"), 403),
                                            (auth(TOKEN[:-1]), 403), ({"Authorization": "Bearer"}, 401)])
def test_missing_or_wrong_token_changes_nothing(rw: Served, headers: dict, status: int) -> None:
    n = count(rw)
    r = httpx.post(rw.url + "/sparql", data={"update": INSERT}, headers=headers, timeout=30)
    assert r.status_code == status
    if status == 401:
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert TOKEN not in r.text
    r = httpx.put(rw.url + "/rdf-graphs", params={"graph": G}, content="<http://a/b> <http://a/c> <http://a/d> .",
                  headers={**headers, "Content-Type": "application/n-triples"}, timeout=30)
    assert r.status_code == status
    r = httpx.delete(rw.url + "/rdf-graphs", params={"graph": G}, headers=headers, timeout=30)
    assert r.status_code == status
    r = httpx.post(rw.url + "/ingest", content=SEED.read_bytes(), headers=headers, timeout=30)
    assert r.status_code == status
    assert count(rw) == n


def test_update_with_token(rw: Served) -> None:
    n = count(rw)
    r = httpx.post(rw.url + "/sparql", content=INSERT,
                   headers={**auth(), "Content-Type": "application/sparql-update"}, timeout=30)
    assert r.status_code == 204, r.text
    assert count(rw) == n + 1  # the query workers were renewed onto the new snapshot
    r = httpx.post(rw.url + "/sparql", data={"update": "DROP GRAPH <http://example.org/g1>"}, headers=auth(),
                   timeout=30)
    assert r.status_code == 204
    assert count(rw) == n
    r = httpx.post(rw.url + "/sparql", data={"update": "INSERT DATA { oops"}, headers=auth(), timeout=30)
    assert r.status_code == 400 and "malformed update" in r.text
    r = httpx.post(rw.url + "/sparql", data={"update": "LOAD <http://127.0.0.1:1/x>"}, headers=auth(), timeout=30)
    assert r.status_code == 403 and "LOAD" in r.text
    r = httpx.get(rw.url + "/sparql", params={"update": INSERT}, headers=auth(), timeout=30)
    assert r.status_code == 405
    assert count(rw) == n


def test_graph_store_writes(rw: Served) -> None:
    n = count(rw)
    nt = "application/n-triples"
    r = httpx.put(rw.url + "/rdf-graphs", params={"graph": G}, content="<http://a/s> <http://a/p> \"1\" .\n",
                  headers={**auth(), "Content-Type": nt}, timeout=30)
    assert r.status_code == 201
    r = httpx.post(rw.url + "/rdf-graphs", params={"graph": G}, content="<http://a/s> <http://a/p> \"2\" .\n",
                   headers={**auth(), "Content-Type": nt}, timeout=30)
    assert r.status_code == 204
    assert count(rw) == n + 2
    got = httpx.get(rw.url + "/rdf-graphs", params={"graph": G}, headers={"Accept": nt}, timeout=30)
    assert got.status_code == 200 and got.text.count("\n") == 2
    r = httpx.put(rw.url + "/rdf-graphs", params={"graph": G}, content="@prefix : <http://a/> . :s :p 3 .",
                  headers={**auth(), "Content-Type": "text/turtle"}, timeout=30)
    assert r.status_code == 204 and count(rw) == n + 1
    bad = httpx.put(rw.url + "/rdf-graphs", params={"graph": G}, content="<http://a/s> <http://a/p> .",
                    headers={**auth(), "Content-Type": nt}, timeout=30)
    assert bad.status_code == 400 and count(rw) == n + 1
    assert httpx.put(rw.url + "/rdf-graphs", params={"graph": "not an iri"}, content="",
                     headers={**auth(), "Content-Type": nt}).status_code == 400
    assert httpx.put(rw.url + "/rdf-graphs", params={"default": "", "graph": G}, content="",
                     headers={**auth(), "Content-Type": nt}).status_code == 400
    assert httpx.delete(rw.url + "/rdf-graphs", params={"graph": G}, headers=auth(), timeout=30).status_code == 204
    assert httpx.delete(rw.url + "/rdf-graphs", params={"graph": G}, headers=auth(), timeout=30).status_code == 404
    assert count(rw) == n


def test_graph_store_default_graph_new_graphs_and_formats(rw: Served) -> None:
    """Issue 16: ``?default`` writes go to the store's unnamed graph, which the union default graph includes
    (so GET ``?default`` is everything queries see); POST to the graph store makes a graph and says where;
    a graph named by its own IRI; HEAD; GET in every RDF format by Accept."""
    n = count(rw)
    nt = {**auth(), "Content-Type": "application/n-triples"}
    r = httpx.put(rw.url + "/rdf-graphs?default", content='<http://a/d> <http://a/p> "d" .\n', headers=nt, timeout=30)
    assert r.status_code == 204 and count(rw) == n + 1
    union = httpx.get(rw.url + "/rdf-graphs?default", headers={"Accept": "application/n-triples"}, timeout=30)
    # the articles' triples too (as a graph: a triple several articles state is there once)
    assert union.status_code == 200 and union.text.count("\n") > n // 2 and '"d"' in union.text
    assert httpx.delete(rw.url + "/rdf-graphs?default", headers=auth(), timeout=30).status_code == 204
    assert count(rw) == n
    made = httpx.post(rw.url + "/rdf-graphs", content='<http://a/s> <http://a/p> "new" .\n', headers=nt, timeout=30)
    assert made.status_code == 201 and made.headers["location"].startswith(rw.url + "/rdf-graphs/")
    direct = httpx.get(made.headers["location"], headers={"Accept": "text/turtle"}, timeout=30)
    assert direct.status_code == 200 and '"new"' in direct.text
    assert httpx.head(rw.url + "/rdf-graphs", params={"graph": made.headers["location"]}, timeout=30).status_code == 200
    assert httpx.head(rw.url + "/rdf-graphs/nothing-here", timeout=30).status_code == 404
    for accept, fmt in [("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
                        ("application/n-quads", "nquads"), ("text/turtle", "turtle")]:
        got = httpx.get(made.headers["location"], headers={"Accept": accept}, timeout=30)
        assert got.headers["content-type"].split(";")[0] == accept
        g = rdflib.Dataset() if fmt == "nquads" else rdflib.Graph()
        assert len(g.parse(data=got.content, format=fmt)) == 1 or fmt == "nquads"
    assert httpx.get(made.headers["location"], headers={"Accept": "text/csv"}, timeout=30).status_code == 406
    assert httpx.delete(made.headers["location"], headers=auth(), timeout=30).status_code == 204
    assert count(rw) == n


def test_rdflib_sparql_update_store_with_the_token(rw: Served) -> None:
    """Issue 16: rdflib's SPARQLUpdateStore writes through /sparql with the bearer token in its headers."""
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    n = count(rw)
    store = SPARQLUpdateStore(rw.url + "/sparql", rw.url + "/sparql", headers=auth())
    g = rdflib.Graph(store=store, identifier=rdflib.URIRef("http://example.org/rdflib"))
    g.add((rdflib.URIRef("http://a/s"), rdflib.URIRef("http://a/p"), rdflib.Literal("从 rdflib")))
    assert count(rw) == n + 1
    assert {str(o) for o in g.objects(rdflib.URIRef("http://a/s"), rdflib.URIRef("http://a/p"))} == {"从 rdflib"}
    g.remove((None, None, None))
    assert count(rw) == n
    anonymous = rdflib.Graph(store=SPARQLUpdateStore(rw.url + "/sparql", rw.url + "/sparql"),
                             identifier=rdflib.URIRef("http://example.org/rdflib"))
    with pytest.raises(Exception, match="401"):
        anonymous.add((rdflib.URIRef("http://a/s"), rdflib.URIRef("http://a/p"), rdflib.Literal("x")))


def test_ingest_over_http(rw: Served) -> None:
    n = count(rw)
    # another paper than the seed's sidecar names: new article IRIs (ids derive from paper and text)
    params = {"publication": "测试日报", "date": "2022-01-14", "locality": "太原市", "name": "page-1.txt"}
    r = httpx.post(rw.url + "/ingest", params=params, content=SEED.read_bytes(), headers=auth(), timeout=120)
    assert r.status_code == 201, r.text
    body = r.json()
    assert len(body["articles"]) == 6 and body["quads"] > 0
    after = count(rw)
    assert after > n
    # the same text again mints the same IRIs and replaces its graphs: no growth
    again = httpx.post(rw.url + "/ingest", params=params, content=SEED.read_bytes(), headers=auth(), timeout=120)
    assert again.json() == body and count(rw) == after
    # metadata as percent-encoded headers
    h = {**auth(), "X-KG-Publication": quote("测试日报"), "X-KG-Date": "2022-01-14",
         "X-KG-Locality": quote("太原市"), "X-KG-Name": "page-1.txt"}
    assert httpx.post(rw.url + "/ingest", content=SEED.read_bytes(), headers=h, timeout=120).json() == body
    art = body["articles"][0].rsplit("/", 1)[1]
    assert httpx.get(f"{rw.url}/article/{art}.ttl", timeout=30).status_code == 200
    for bad in [{"name": "../../etc/passwd"}, {"name": ".hidden"}, {"date": "13/01/2022"}]:
        r = httpx.post(rw.url + "/ingest", params={**params, **bad}, content=SEED.read_bytes(), headers=auth())
        assert r.status_code in (400, 422), bad
        assert "/tmp" not in r.text and "kg-ingest-" not in r.text
    assert count(rw) == after


def test_token_is_never_logged(rw: Served, caplog: pytest.LogCaptureFixture) -> None:
    access = logging.getLogger("kg.access")  # kg serve run in-process elsewhere may stop propagation
    access.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="kg.access"):
            httpx.post(rw.url + "/sparql", data={"update": "DROP SILENT GRAPH <http://x/none>"}, headers=auth(),
                       timeout=30)
            httpx.post(rw.url + "/sparql", data={"update": INSERT}, headers=auth("wrong-" + TOKEN), timeout=30)
            httpx.get(rw.url + "/sparql", params={"query": "ASK {}", "token": TOKEN}, timeout=30)
            wait_for_log(caplog, 3)  # a line is written just after its response is sent
    finally:
        access.removeHandler(caplog.handler)
    lines = [r.getMessage() for r in caplog.records if r.name == "kg.access"]
    assert len(lines) >= 3
    assert all(TOKEN not in line and "Bearer" not in line for line in lines)


def test_conditional_get_and_a_write_changes_the_validator(rw: Served) -> None:
    """Issue 16: IRIs, the service description and VoID carry ETag / Last-Modified / Cache-Control; a
    matching If-None-Match or If-Modified-Since is 304 (the route does not run); a write changes both."""
    person = next(iter(httpx.get(rw.url + "/sparql", params={"query": "SELECT ?p { ?p a schema:Person } LIMIT 1"},
                                 timeout=30).json()["results"]["bindings"]))["p"]["value"]
    for url in (person, rw.url + "/sparql", rw.url + "/.well-known/void"):
        first = httpx.get(url, headers={"Accept": "text/turtle"}, timeout=60)
        assert first.status_code == 200 and first.headers["cache-control"] == "no-cache"
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        again = httpx.get(url, headers={"Accept": "text/turtle", "If-None-Match": etag}, timeout=30)
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
        since = httpx.get(url, headers={"Accept": "text/turtle", "If-Modified-Since": modified}, timeout=30)
        assert since.status_code == 304
        other = httpx.get(url, headers={"Accept": "application/ld+json", "If-None-Match": etag}, timeout=30)
        assert other.status_code == 200  # another representation, another tag
    # query results are not validated (NOW(), RAND())
    assert "etag" not in httpx.get(rw.url + "/sparql", params={"query": "ASK {}"}, timeout=30).headers
    r = httpx.put(rw.url + "/rdf-graphs", params={"graph": "http://example.org/etag"},
                  content='<http://a/s> <http://a/p> "1" .\n',
                  headers={**auth(), "Content-Type": "application/n-triples"}, timeout=30)
    assert r.status_code == 201
    after = httpx.get(person, headers={"Accept": "text/turtle", "If-None-Match": etag, "If-Modified-Since": modified},
                      timeout=30)
    assert after.status_code == 200 and after.headers["etag"] != etag
    assert httpx.get(person, headers={"Accept": "text/turtle", "If-Modified-Since": modified},
                     timeout=30).status_code == 200
    httpx.delete(rw.url + "/rdf-graphs", params={"graph": "http://example.org/etag"}, headers=auth(), timeout=30)
