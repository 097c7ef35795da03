"""Hostile HTTP: oversize bodies get 413, entity ids cannot traverse paths, odd IRIs come back escaped
and intact, pages carry security headers, and the access log is one JSON object per request with no
query strings."""

from __future__ import annotations

import http.client
import json
import logging
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.web.limits import Limits
from tests.support.served import TOKEN, Served, served

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def rw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory.mktemp("http") / "store", token=TOKEN, limits=Limits(workers=1)) as s:
        yield s


def wait_for_log(caplog: pytest.LogCaptureFixture, n: int) -> None:
    """The access log line is written after the response is sent: wait for it (up to 30 s, under load)."""
    deadline = time.monotonic() + 30
    while len({r.getMessage() for r in caplog.records if r.name == "kg.access"}) < n and time.monotonic() < deadline:
        time.sleep(0.05)


def raw_get(url: str, path: str) -> tuple[int, bytes, dict[str, str]]:
    """A GET with the path sent exactly as written (no client-side normalisation of dots)."""
    u = urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        r = conn.getresponse()
        return r.status, r.read(), {k.lower(): v for k, v in r.getheaders()}
    finally:
        conn.close()


def test_oversize_bodies_are_refused(rw: Served) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (2 << 20)
    r = httpx.post(rw.url + "/sparql", content=big, headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert r.status_code == 413 and "limit" in r.text

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(40):
            yield b"x" * 65536

    r = httpx.post(rw.url + "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"},
                   timeout=30)
    assert r.status_code == 413
    r = httpx.post(rw.url + "/ingest", content=b"# t\n\n" + b"a" * (9 << 20), headers=AUTH, timeout=60)
    assert r.status_code == 413
    r = httpx.post(rw.url + "/ingest", content=chunks(), headers=AUTH, timeout=60)  # 2.5 MiB: under the page limit
    assert r.status_code in (201, 422)
    assert httpx.get(rw.url + "/sparql", params={"query": "ASK {}"}).status_code == 200


TRAVERSALS = [
    "/person/..%2F..%2F..%2Fetc%2Fpasswd",
    "/person/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/person/..%252F..%252Fetc%252Fpasswd",
    "/person/..%5C..%5Cpyproject.toml",
    "/person/../../pyproject.toml",
    "/article/..",
    "/article/%2e%2e",
    "/article/a%00b",
    "/person/%E2%80%AEtxt.exe",
    "/person/%EF%BD%90%EF%BD%85%EF%BD%92",  # fullwidth letters
    "/person/wei-tao%2F..%2F..%2Fpyproject.toml",
    "/person/wei-tao.ttl%00.html",
    "/ontology/..%2F..%2Fpyproject.toml",
    "/ontology/%2e%2e/%2e%2e/pyproject.toml",
    "/static/..%2F..%2Fcli.py",
    "/static/%2e%2e/%2e%2e/cli.py",
    "//etc/passwd",
    "/export.nq/../../pyproject.toml",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_traversal(rw: Served, path: str) -> None:
    status, body, headers = raw_get(rw.url, path)
    assert status in (400, 404, 405), (path, status)
    assert b"[build-system]" not in body and b"root:" not in body and b"def main" not in body
    assert headers.get("x-content-type-options") == "nosniff"


def test_odd_iris_round_trip(rw: Served) -> None:
    g = "http://example.org/odd"
    s = "http://example.org/人名/张三?x=1&y=<2>#frag"  # '<' '>' must be escaped in N-Triples: \u escapes
    nt = (
        "<http://example.org/%E4%BA%BA/a%20b> <http://example.org/p> \"x\" .\n"
        "<http://example.org/人名/张三> <http://example.org/p> \"<script>alert(1)</script> \\\"q\\\" \\n line\" .\n"
        "<http://example.org/s> <http://example.org/p> <http://example.org/q\\u003Ex> .\n"
    )
    r = httpx.put(rw.url + "/rdf-graphs", params={"graph": g}, content=nt.encode(),
                  headers={**AUTH, "Content-Type": "application/n-triples"}, timeout=30)
    assert r.status_code == 400, "an IRI with '>' must be refused"
    nt = "\n".join(nt.splitlines()[:2]) + "\n"
    r = httpx.put(rw.url + "/rdf-graphs", params={"graph": g}, content=nt.encode(),
                  headers={**AUTH, "Content-Type": "application/n-triples"}, timeout=30)
    assert r.status_code == 201, r.text
    expected = rdflib.Graph().parse(data=nt, format="nt")
    q = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"
    for accept, fmt in [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
                        ("application/ld+json", "json-ld")]:
        r = httpx.get(rw.url + "/sparql", params={"query": q}, headers={"Accept": accept}, timeout=30)
        assert r.status_code == 200
        got = rdflib.Graph().parse(data=r.text, format=fmt)
        assert isomorphic(got, expected), accept
    r = httpx.get(rw.url + "/sparql", params={"query": f"SELECT ?s ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"},
                  timeout=30)
    subjects = {b["s"]["value"] for b in r.json()["results"]["bindings"]}
    assert subjects == {"http://example.org/%E4%BA%BA/a%20b", "http://example.org/人名/张三"}
    assert s not in subjects
    r = httpx.get(rw.url + "/sparql", params={"query": f"SELECT ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"},
                  headers={"Accept": "application/sparql-results+xml"}, timeout=30)
    assert "<script>" not in r.text and "&lt;script&gt;" in r.text
    httpx.delete(rw.url + "/rdf-graphs", params={"graph": g}, headers=AUTH, timeout=30)


@pytest.mark.parametrize("path", ["/", "/sparql", "/.well-known/void", "/ontology", "/person/nobody",
                                  "/sparql?query=ASK%7B%7D", "/api/docs"])
def test_security_headers(rw: Served, path: str) -> None:
    r = httpx.get(rw.url + path, timeout=30)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "DENY"
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp


def test_access_log_lines(rw: Served, caplog: pytest.LogCaptureFixture) -> None:
    access = logging.getLogger("kg.access")  # kg serve run in-process elsewhere may stop propagation
    access.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="kg.access"):
            httpx.get(rw.url + "/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 3", "secret": "hunter2"})
            httpx.get(rw.url + "/person/nobody%0A%7B%22status%22%3A200%7D")  # a newline and JSON in the path
            httpx.post(rw.url + "/sparql", content=b"x" * (2 << 20),
                       headers={"Content-Type": "application/sparql-query"})
            wait_for_log(caplog, 3)  # a line is written just after its response is sent
    finally:
        access.removeHandler(caplog.handler)
    lines = [r.getMessage() for r in caplog.records if r.name == "kg.access"]
    recs = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all("\n" not in line for line in lines)
    q = next(r for r in recs if r["path"] == "/sparql" and r["method"] == "GET")
    assert q["status"] == 200 and q["ms"] >= 0 and "query_ms" in q and q["bytes"] > 0
    assert not any("hunter2" in line or "LIMIT" in line for line in lines)
    assert any(r["status"] == 404 and r["path"].startswith("/person/nobody\n") for r in recs)
    assert any(r["status"] == 413 for r in recs)
    assert set(q) >= {"ts", "client", "method", "path", "status", "bytes", "ms"}
