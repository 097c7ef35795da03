"""Crashes and resource exhaustion, tried as the attack (issue 13, findings 3, 5 and 6): the request that
carries one gets a clear 4xx/5xx, the server goes on answering, the store is unchanged."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from kg.web.limits import Limits
from tests.support.serve_process import kg_serve
from tests.support.served import TOKEN, Served, served
from tests.support.web import free_port

ROOT = Path(__file__).resolve().parents[2]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NESTED = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000  # 6 KB: segfaulted the server
# 20 KB: no nesting at all, yet Oxigraph recurses once per operator and overflows its stack (refused by the
# chain limit since the third probe; the fixture lifts that limit so a crash still reaches a worker here)
CHAIN = "SELECT * WHERE { BIND(" + "+".join(["1"] * 12000) + " AS ?x) }"
# each level doubles the string: 2^30 characters by the end, far past a small worker's memory
DOUBLING = "SELECT ?x30 WHERE { BIND(REPEAT_ME AS ?x0) " + " ".join(
    f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(30)) + " }"
DOUBLING = DOUBLING.replace("REPEAT_ME", '"' + "a" * 1024 + '"')
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>"""


@pytest.fixture(scope="module")
def rw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    limits = Limits(workers=2, query_timeout=8, worker_memory_mb=768, max_query_chain=10**9)
    with served(tmp_path_factory.mktemp("crash") / "store", token=TOKEN, limits=limits) as s:
        yield s


def auth(ctype: str | None = None) -> dict[str, str]:
    h = {"Authorization": f"Bearer {TOKEN}"}
    if ctype:
        h["Content-Type"] = ctype
    return h


def count(s: Served) -> int:
    r = httpx.get(s.url + "/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=30)
    assert r.status_code == 200, r.text
    return int(r.text.split()[1])


@pytest.mark.parametrize("path", ["/sparql", "/query"])
def test_deep_nesting_is_refused_before_parsing(rw: Served, path: str) -> None:
    r = httpx.get(rw.url + path, params={"query": NESTED}, timeout=30)
    assert r.status_code == 400, r.status_code
    assert "nests 3000 levels deep" in r.text and "limit is 128" in r.text
    assert count(rw) > 0


def test_nesting_hidden_where_lexers_disagree_is_counted(rw: Served) -> None:
    """``<'x>'`` is an IRI to a lexer and ``< 'x>'`` to Oxigraph: brackets after it are counted anyway."""
    q = "SELECT * WHERE { FILTER(?a<'x>' || " + "(" * 1000 + "1" + ")" * 1000 + " || '') }"
    r = httpx.get(rw.url + "/sparql", params={"query": q}, timeout=30)
    assert r.status_code == 400 and "limit is 128" in r.text


def test_a_query_too_long_is_refused(rw: Served) -> None:
    q = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 300_000
    r = httpx.post(rw.url + "/sparql", content=q.encode(), headers={"Content-Type": "application/sparql-query"},
                   timeout=30)
    assert r.status_code == 400 and "the limit is 262,144" in r.text


@pytest.mark.parametrize("path", ["/sparql", "/query"])
def test_a_query_that_crashes_the_engine_ends_its_worker_only(rw: Served, path: str) -> None:
    kills = rw.runner.stats.kills
    r = httpx.get(rw.url + path, params={"query": CHAIN}, timeout=60)
    assert r.status_code == 422, r.status_code  # the query's fault, not the server's (the third probe: no 500s)
    assert "too large or too complex" in r.text and "the server goes on" in r.text
    assert "Traceback" not in r.text
    assert count(rw) > 0  # the server answers, a fresh worker took the crashed one's place
    assert rw.runner.stats.kills >= kills


def test_memory_explosion_ends_its_worker_only(rw: Served) -> None:
    r = httpx.get(rw.url + "/sparql", params={"query": DOUBLING}, timeout=60)
    assert r.status_code == 422, r.status_code
    assert "memory" in r.text or "ended" in r.text
    assert count(rw) > 0


def test_deep_update_is_refused_and_crashing_update_never_reaches_the_store(rw: Served) -> None:
    n = count(rw)
    deep = "INSERT { ?s ?p ?o } WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    r = httpx.post(rw.url + "/sparql", content=deep.encode(), headers=auth("application/sparql-update"), timeout=60)
    assert r.status_code == 400 and "nests" in r.text
    chain = ("INSERT { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> ?x } } "
             "WHERE { BIND(" + "+".join(["1"] * 12000) + " AS ?x) }")
    r = httpx.post(rw.url + "/sparql", content=chain.encode(), headers=auth("application/sparql-update"),
                   timeout=60)
    assert r.status_code == 422 and "the server goes on" in r.text, (r.status_code, r.text)
    assert count(rw) == n  # nothing written


def test_billion_laughs_is_refused(rw: Served) -> None:
    for ctype in ("application/rdf+xml", "application/rdf+xml; charset=utf-8"):
        r = httpx.put(rw.url + "/rdf-graphs", params={"graph": "http://example.org/lol"}, content=BILLION_LAUGHS,
                      headers=auth(ctype), timeout=30)
        assert r.status_code == 400 and "DOCTYPE" in r.text
    utf16 = BILLION_LAUGHS.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    r = httpx.put(rw.url + "/rdf-graphs", params={"graph": "http://example.org/lol"},
                  content=utf16.encode("utf-16"), headers=auth("application/rdf+xml"), timeout=30)
    assert r.status_code == 400


def test_a_slow_upload_parse_does_not_stall_other_requests(tmp_path: Path) -> None:
    """Finding 6: bodies were parsed on the event loop; a deep RDF/XML froze every endpoint for minutes."""
    depth = 60_000
    body = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
            + '<rdf:Description rdf:about="http://example.org/a"><ex:p rdf:parseType="Literal">'
            + "<b>" * depth + "x" + "</b>" * depth + "</ex:p></rdf:Description></rdf:RDF>").encode()
    with served(tmp_path / "store", token=TOKEN, limits=Limits(workers=2, query_timeout=8)) as s:
        result: dict[str, float | int] = {}

        def upload() -> None:
            t = time.monotonic()
            r = httpx.put(s.url + "/rdf-graphs", params={"graph": "http://example.org/deep"}, content=body,
                          headers=auth("application/rdf+xml"), timeout=120)
            result["status"], result["seconds"] = r.status_code, time.monotonic() - t

        th = threading.Thread(target=upload)
        th.start()
        time.sleep(0.3)
        slowest = 0.0
        while th.is_alive():
            t = time.monotonic()
            assert count(s) > 0
            slowest = max(slowest, time.monotonic() - t)
            time.sleep(0.1)
        th.join()
        # a stalled event loop holds a query for the whole parse (up to its 8 s deadline); a free one answers
        # in milliseconds, or a few seconds on a loaded machine (2.58 s seen at load 12): relative to the parse
        assert slowest < max(2.5, 0.6 * result["seconds"]), (slowest, result)
        assert result["status"] in (201, 204, 400, 500, 504), result


def test_kg_serve_survives_every_crash_attack(tmp_path: Path) -> None:
    """The probe's way: a real ``kg serve`` process, the attacks through every path, then it still answers."""
    from tests.support.served import make_store

    port = free_port()
    store = tmp_path / "store"
    make_store(store, f"http://127.0.0.1:{port}")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port),
               "--query-workers", "2", "--query-timeout", "5", "--worker-memory-mb", "768"]
    with kg_serve(command, port, ROOT, env, start_timeout=60) as srv:
        for path in ("/query", "/sparql"):
            for q in (NESTED, CHAIN, DOUBLING):
                r = httpx.get(srv.url + path, params={"query": q}, timeout=60)
                assert 400 <= r.status_code < 500 or r.status_code == 504, (r.status_code, r.text[:200])  # never a 500
                assert srv.alive(), f"kg serve died on {q[:40]} through {path}"
        # the server goes on: the next, innocent query is answered at once (it drew a 500 in 1 run of 6 while
        # workers could abort at start under the memory cap, issue 21)
        r = httpx.get(srv.url + "/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=30)
        assert r.status_code == 200 and int(r.text.split()[1]) > 0, r.text
        assert srv.alive()
    assert "Traceback" not in srv.stderr, srv.stderr[-2000:]


def test_runaway_queries_from_clients_that_left_stop_within_one_deadline(tmp_path: Path) -> None:
    """Finding 4: 40 runaway queries stalled every page and the server stayed stalled after the clients had
    gone. Here 8 of them (over /sparql and the editor) from clients that give up after 1 s, on 2 workers with
    a 20 s deadline: once the clients are gone a plain query is answered well within one deadline (queued
    ones would otherwise run 4 rounds of 20 s)."""
    from tests.support.served import RUNAWAY

    with served(tmp_path / "store", limits=Limits(workers=2, query_timeout=20, queue_timeout=60)) as s:
        def attack(i: int) -> None:
            path = "/query" if i % 2 else "/sparql"
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(s.url + path, params={"query": RUNAWAY}, timeout=1)

        threads = [threading.Thread(target=attack, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        gone = time.monotonic()
        assert count(s) > 0
        assert time.monotonic() - gone < 20, "a plain query waited behind abandoned runaway queries"
        assert s.runner.stats.kills >= 2  # the running ones were stopped, not left to their deadline


# Operator and pattern chains that crashed a query worker of a default `kg serve` (the third outside probe,
# each with no nesting at all): the count that crashed it, then each kind is sent at that size.
CHAINS = {  # the body of a WHERE group
    "plus": "BIND(" + "+".join(["1"] * 7000) + " AS ?x)",
    "not": "BIND(" + "!" * 9500 + "true AS ?x)",
    "or": "?s ?p ?o FILTER(" + " || ".join(f"?o = {i}" for i in range(10000)) + ")",
    "bind": " ".join(f"BIND({i} AS ?v{i})" for i in range(2750)),
    "minus": "?s ?p ?o " + " ".join(f"MINUS {{ ?s <http://x/{i}> ?o }}" for i in range(2750)),
    "union": " UNION ".join("{ ?s ?p ?o }" for _ in range(7000)),
    "alt": "?s " + "|".join(f"<http://x/{i}>" for i in range(11000)) + " ?o",
}


@pytest.fixture(scope="module")
def default_limits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A server with the default text limits (small workers, as the other fixture)."""
    limits = Limits(workers=2, query_timeout=8, worker_memory_mb=768)
    with served(tmp_path_factory.mktemp("chains") / "store", token=TOKEN, limits=limits) as s:
        yield s


@pytest.mark.parametrize("kind", sorted(CHAINS))
def test_long_chains_are_refused_before_the_engine(default_limits: Served, kind: str) -> None:
    """A 400 naming the limit, on every path, before any worker sees the text (they were 500s, each ending a
    worker)."""
    s = default_limits
    sent = s.runner.stats.queries
    q = "SELECT * WHERE { " + CHAINS[kind] + " } LIMIT 1"
    answers = [httpx.post(s.url + "/sparql", data={"query": q}, timeout=60)]
    if len(quote(q)) < 60_000:  # httpx refuses longer URLs
        answers += [httpx.get(s.url + path, params={"query": q}, timeout=60) for path in ("/sparql", "/query")]
    for r in answers:
        assert r.status_code == 400, (kind, r.status_code, r.text[:200])
        assert "chains" in r.text and "the limit is 2,000" in r.text, r.text[:300]
    update = "INSERT { <http://example.org/a> <http://example.org/b> ?x } WHERE { " + CHAINS[kind] + " }"
    r = httpx.post(s.url + "/sparql", content=update.encode(), headers=auth("application/sparql-update"), timeout=60)
    assert r.status_code == 400 and "chains" in r.text, (kind, r.status_code, r.text[:200])
    assert s.runner.stats.queries == sent  # refused in the server process, before the pool
    assert count(s) > 0


def test_ordinary_long_queries_are_not_chains(default_limits: Served) -> None:
    """Long lists go through: 20,000 VALUES, an IN of 5,000, 600 UNIONs, a 1,500-term sum."""
    s = default_limits
    queries = [
        "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { " + " ".join(str(i) for i in range(20000)) + " } }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ",".join(str(i) for i in range(5000)) + ")) } LIMIT 1",
        "SELECT * WHERE { " + " UNION ".join(f"{{ ?s <http://x/{i}> ?o }}" for i in range(600)) + " } LIMIT 1",
        "SELECT (" + "+".join(["1"] * 1500) + " AS ?x) {}",
    ]
    for q in queries:
        r = httpx.post(s.url + "/sparql", data={"query": q}, timeout=60)
        assert r.status_code == 200, (q[:60], r.status_code, r.text[:200])
