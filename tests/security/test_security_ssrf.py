"""SSRF: every way a visitor's text could make the server fetch a URL, tried as the attack, against a real
server whose target is a listener on 127.0.0.1 that must receive nothing (issue 13, findings 1 and 2)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.web.limits import Limits
from tests.support.served import TOKEN, Served, served


@pytest.fixture(scope="module")
def ro(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory.mktemp("ssrf") / "store", limits=Limits(workers=2, query_timeout=10)) as s:
        yield s


@pytest.fixture(scope="module")
def rw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory.mktemp("ssrf-rw") / "store", token=TOKEN,
                limits=Limits(workers=2, query_timeout=10)) as s:
        yield s


def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def service_queries(target: str) -> list[str]:
    """The probe's bypasses and their relatives: each one, unguarded, makes Oxigraph call ``target``."""
    return [
        f"SELECT * WHERE {{ SERVICE {target} {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o .SERVICE {target} {{ ?a ?b ?c }} }}",
        f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ BIND(ex:a\\# AS ?z) SERVICE {target} {{ ?a ?b ?c }} }}",
        f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?s ex:a\\' ?o . SERVICE {target} {{ ?a ?b ?c }} "
        "FILTER(?o != 'q') }",
        f"SELECT * WHERE {{ service silent {target} {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ {{ {{ SeRvIcE\n{target}\t{{ ?a ?b ?c }} }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o # SERVICE\nSERVICE {target} {{ }} }}",
        f'SELECT * WHERE {{ BIND("}}" AS ?x) SERVICE {target} {{ }} }}',
        f"SELECT * WHERE {{ \\u0053ERVICE {target} {{ ?a ?b ?c }} }}",
        f"ASK {{ SERVICE {target} {{ ?a ?b ?c }} }}",
        f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ SERVICE {target} {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ {target} }} SERVICE ?e {{ ?a ?b ?c }} }}",
        # an escaped quote: a string's end for rdflib and the grammar, a character inside it for Oxigraph
        f'SELECT * WHERE {{ FILTER(STRLEN("A\\u0022) + STRLEN(") > 0) SERVICE {target} {{ ?a ?b ?c }} '
        'FILTER(STRLEN(") + STRLEN(\\u0022B") > 0) }',
        f"SELECT * WHERE {{ FILTER(STRLEN('A\\u0027) + STRLEN(') > 0) SERVICE {target} {{ ?a ?b ?c }} "
        "FILTER(STRLEN(') + STRLEN(\\u0027B') > 0) }",
    ]


@pytest.mark.parametrize("i", range(14))
def test_service_through_sparql_is_refused(ro: Served, quiet_listener, i: int) -> None:
    q = service_queries(quiet_listener.iri())[i]
    for r in (httpx.get(ro.url + "/sparql", params={"query": q}, timeout=30),
              httpx.post(ro.url + "/sparql", data={"query": q}, timeout=30),
              httpx.post(ro.url + "/sparql", content=q.encode(),
                         headers={"Content-Type": "application/sparql-query"}, timeout=30)):
        assert r.status_code in (400, 403), (q, r.status_code, r.text)


@pytest.mark.parametrize("i", range(14))
def test_service_through_the_query_editor_is_refused(ro: Served, quiet_listener, i: int) -> None:
    """Finding 1: the editor ran queries in the server process, outside every guard."""
    q = service_queries(quiet_listener.iri())[i]
    r = httpx.get(ro.url + "/query", params={"query": q}, timeout=30)
    assert r.status_code in (400, 403), (q, r.status_code)
    assert 'class="error"' in r.text


def test_the_editor_runs_in_a_worker_with_the_deadline(tmp_path: Path) -> None:
    """Finding 4: a runaway query in the editor is stopped at the deadline like one on /sparql."""
    from tests.support.served import RUNAWAY

    with served(tmp_path / "store", limits=Limits(workers=2, query_timeout=2)) as s:
        r = httpx.get(s.url + "/query", params={"query": RUNAWAY}, timeout=60)
        assert r.status_code == 504, r.status_code
        assert "timed out" in r.text
        assert s.runner.stats.kills >= 1
        ok = httpx.get(s.url + "/query", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}, timeout=30)
        assert ok.status_code == 200 and re.search(r"<td[ >][^<]*<span[^>]*>\d+</span></td>", ok.text), ok.text[-800:]


def test_plain_queries_naming_services_in_data_still_run(ro: Served, quiet_listener) -> None:
    """Refusal is decided on the parse: the words in strings, IRIs, names and comments are data."""
    for q in [
        'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1/> { }" AS ?x) }',
        "SELECT ?service WHERE { ?service ?p <http://example.org/SERVICE> } LIMIT 1",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:load ?o } LIMIT 1",
        "# LOAD <http://x/>\nSELECT * WHERE { ?s ?p ?o } LIMIT 1",
        "SELECT * WHERE { ?s ?p 'download service' } LIMIT 1",
    ]:
        r = httpx.get(ro.url + "/sparql", params={"query": q}, headers={"Accept": "application/json"}, timeout=30)
        assert r.status_code == 200, (q, r.text)
        page = httpx.get(ro.url + "/query", params={"query": q}, timeout=30)
        assert page.status_code == 200, (q, page.text[-300:])


@pytest.mark.parametrize("form", ["sparql-update", "form"])
@pytest.mark.parametrize("update", [
    "LOAD {t}",
    "LOAD SILENT {t} INTO GRAPH <http://example.org/g>",
    "PREFIX ex: <http://example.org/> INSERT DATA {{ GRAPH <http://example.org/g> {{ ex:a ex:b ex:c\\# }} }} ;"
    "LOAD {t}",
    "INSERT {{ GRAPH <http://example.org/g> {{ ?a ?b ?c }} }} WHERE {{ ?s ?p ?o .SERVICE {t} {{ ?a ?b ?c }} }}",
    "load\n{t}",
    'INSERT DATA {{ <http://e/s> <http://e/p> "A\\u0022 , " }} ; LOAD {t} INTO GRAPH <http://e/g> ; '
    'INSERT DATA {{ <http://e/s> <http://e/p> " , \\u0022B" }}',
    "INSERT {{ GRAPH <http://e/g3> {{ ?s ?p ?o }} }} WHERE {{ FILTER(STRLEN('A\\u0027) + STRLEN(') > 0) "
    "SERVICE {t} {{ ?s ?p ?o }} FILTER(STRLEN(') + STRLEN(\\u0027B') > 0) }}",
])
def test_load_and_service_in_updates_are_refused(rw: Served, quiet_listener, update: str, form: str) -> None:
    u = update.format(t=quiet_listener.iri())
    if form == "form":
        r = httpx.post(rw.url + "/sparql", data={"update": u}, headers=auth(), timeout=30)
    else:
        r = httpx.post(rw.url + "/sparql", content=u.encode(),
                       headers={**auth(), "Content-Type": "application/sparql-update"}, timeout=30)
    assert r.status_code in (400, 403), (u, r.status_code, r.text)


def test_updates_take_the_endpoints_prefixes(rw: Served) -> None:
    """The dry run in the worker knows the predefined prefixes, as the store's own update does."""
    u = b'INSERT DATA { GRAPH <http://example.org/p> { <http://e/s> schema:name "x" } }'
    r = httpx.post(rw.url + "/sparql", content=u,
                   headers={**auth(), "Content-Type": "application/sparql-update"}, timeout=30)
    assert r.status_code == 204, r.text


def test_a_bad_dataset_iri_is_a_400(ro: Served) -> None:
    r = httpx.get(ro.url + "/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"}, timeout=30)
    assert r.status_code == 400 and "not an IRI" in r.text


def test_threaded_mode_refuses_the_same_texts(tmp_path: Path, quiet_listener) -> None:
    """--no-isolate (threads, no network namespace): the parse alone must hold."""
    with served(tmp_path / "store", limits=Limits(workers=2, query_timeout=10, isolate=False)) as s:
        for q in service_queries(quiet_listener.iri()):
            for path in ("/sparql", "/query"):
                r = httpx.get(s.url + path, params={"query": q}, timeout=30)
                assert r.status_code in (400, 403), (path, q, r.status_code)


def test_the_editor_keeps_its_page_small(ro: Served) -> None:
    """1,000 rows of 1 MB strings once held the event loop for 27 s: cells are cut, rows have a budget.
    Here 1,000 rows of 100 KB (100 MB, 25 times the page's budget): the 1 MB rows took the worker past
    its 10 s deadline on a loaded machine (issue 21: a 504 there says nothing about the page)."""
    big = "REPLACE(" * 4 + '"aaaaaaaaaa"' + ', "a", "aaaaaaaaaa")' * 4
    q = ("SELECT ?i ?x WHERE { VALUES ?i { " + " ".join(str(i) for i in range(1000)) + " } BIND(" + big
         + " AS ?x) }")
    r = httpx.get(ro.url + "/query", params={"query": q}, timeout=60)
    assert r.status_code == 200
    assert len(r.content) < 16 << 20, len(r.content)
    assert "…" in r.text


def test_cors_pages_cannot_read_what_was_never_fetched(ro: Served, quiet_listener) -> None:
    """The refusal carries no body from the target (open CORS would let any site read it)."""
    q = service_queries(quiet_listener.iri())[0]
    r = httpx.get(ro.url + "/sparql", params={"query": q}, headers={"Origin": "http://evil.example"}, timeout=30)
    assert r.status_code == 403
    assert "SERVICE" in r.text and "disabled" in r.text


def test_query_workers_have_no_network(ro: Served) -> None:
    """Defence in depth: where the platform allows, a query worker cannot open a socket to anywhere."""
    import asyncio

    from kg.web.limits import Probe

    info = asyncio.run(ro.runner.pool.call(Probe())).info
    if not info["network_cut"]:
        pytest.skip("this platform allows no network namespace for the workers (the parse still refuses)")
    assert info["memory_bytes"] == Limits().worker_memory_mb << 20
