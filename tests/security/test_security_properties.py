"""Property: SERVICE and LOAD hidden behind comments, escapes, strings, prefixes, line breaks and nested groups
never make the server fetch anything, and queries without them still run (issue 13).

The oracle is Oxigraph itself, unguarded, in this process, over a one-triple store: whenever it would
call out for a generated text (an oracle listener of its own sees the call), the guard must refuse that
text. A sample of the texts also goes to a real server aimed at the suite's listener, which must stay quiet.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.store.sparql_text import has_escapes
from kg.web.limits import Limits
from kg.web.policy import Forbidden, check_outbound
from tests.support.listener import Listener
from tests.support.listener import start as start_listener
from tests.support.served import Served, served

ORACLE: Listener = start_listener()  # the unguarded engine's target; never the suite's listener


def _keyword(word: str) -> st.SearchStrategy[str]:
    """``word`` in mixed case, or with a letter written as a codepoint escape."""
    cases = st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda up: "".join(c.upper() if u else c.lower() for c, u in zip(word, up, strict=True)))
    escaped = st.integers(0, len(word) - 1).map(lambda i: word[:i] + f"\\u{ord(word[i]):04X}" + word[i + 1:])
    return st.one_of(cases, escaped)


SEP = st.sampled_from([" ", "\n", "\t", "", " . ", "\r\n", " # c\n"])


def _endpoint(target: str) -> st.SearchStrategy[str]:
    return st.sampled_from([f"<{target}>", "lst:sparql", "?ep", f"<{target}/\\u0073parql>"])


def _decoy(target: str) -> st.SearchStrategy[str]:
    """Text that names SERVICE/LOAD as data only."""
    return st.sampled_from([
        f'BIND("SERVICE <{target}> {{ }}" AS ?d1)',
        f"BIND('''LOAD <{target}>\n''' AS ?d2)",
        f'BIND("\\"SERVICE <{target}> {{}}" AS ?d3)',
        f"# SERVICE <{target}> {{ ?a ?b ?c }}\n",
        "?s ex:SERVICE ?o1 .",
        "?s ex:a\\# ?o2 .",
        "?s ex:a\\' ?o3 .",
        "?s <http://example.org/\\u0053ERVICE> ?o4 .",
        "OPTIONAL { ?service ?load $service }",
        "?s ?p ?o .",
        'FILTER(STRLEN("A\\u0022) + STRLEN(") > 0)',  # with the next: a string for rdflib, code for Oxigraph
        'FILTER(STRLEN(") + STRLEN(\\u0022B") > 0)',
        "FILTER(STRLEN('A\\u0027) + STRLEN(') > 0)",
        "FILTER(STRLEN(') + STRLEN(\\u0027B') > 0)",
    ])


@st.composite
def queries(draw: st.DrawFn, target: str, with_service: bool) -> str:
    parts = draw(st.lists(_decoy(target), max_size=4))
    if with_service:
        svc = (f"{draw(_keyword('SERVICE'))}{draw(st.sampled_from([' ', '  SILENT ', chr(10), chr(9)]))}"
               f"{draw(_endpoint(target))}{draw(SEP)}{{ ?a ?b ?c }}")
        for _ in range(draw(st.integers(0, 3))):
            svc = "{" + draw(SEP) + svc + draw(SEP) + "}"
        parts.insert(draw(st.integers(0, len(parts))), svc)
    body = ""
    for p in parts:
        body += p + draw(SEP)
    return (f"PREFIX ex: <http://example.org/> PREFIX lst: <{target}/>\n"
            f"SELECT * WHERE {{ VALUES ?ep {{ <{target}> }} ?s ?p ?o .{draw(SEP)}{body}}}")


@st.composite
def updates(draw: st.DrawFn, target: str) -> str:
    load = f"{draw(_keyword('LOAD'))}{draw(st.sampled_from([' ', ' SILENT ', chr(10)]))}<{target}/x>"
    if draw(st.booleans()):
        load += " INTO GRAPH <http://example.org/g>"
    decoy = draw(st.sampled_from([
        "", 'INSERT DATA { <http://e/a> <http://e/b> "LOAD <x>" } ;\n', "# LOAD <x>\n",
        "PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:b ex:c\\# } ;\n",
    ]))
    return decoy + load


def _oracle_store() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                      ox.Literal("o")))
    return store


def _run_unguarded(text: str, update: bool) -> tuple[bool, bool]:
    """(whether unguarded Oxigraph makes a request for ``text``, whether it parses it)."""
    before = len(ORACLE.hits)
    store = _oracle_store()
    valid = True
    try:
        if update:
            store.update(text)
        else:
            list(store.query(text, use_default_graph_as_union=True))
    except SyntaxError:
        valid = False
    except Exception:  # noqa: BLE001 - the oracle's refusal to answer
        pass
    return len(ORACLE.hits) > before, valid


def _engine_calls_out(text: str, update: bool) -> bool:
    return _run_unguarded(text, update)[0]


def _refused(text: str, update: bool = False) -> bool:
    try:
        check_outbound(text, update=update)
    except Forbidden:
        return True
    return False


@settings(max_examples=150, deadline=None)
@given(queries(ORACLE.url, with_service=True))
def test_every_query_that_would_call_out_is_refused(q: str) -> None:
    if _engine_calls_out(q, update=False):
        assert _refused(q), q


@settings(max_examples=100, deadline=None)
@given(queries(ORACLE.url, with_service=False))
def test_queries_without_service_are_not_refused(q: str) -> None:
    """Valid ones run. Refused by design: a text the engine cannot parse, or one with ``\\u`` escapes, that
    names SERVICE (engines read escapes differently, so no parse vouches for it)."""
    called, valid = _run_unguarded(q, update=False)
    assert not called
    if valid and not has_escapes(q):
        assert not _refused(q), q


@settings(max_examples=80, deadline=None)
@given(updates(ORACLE.url))
def test_every_update_that_would_load_is_refused(u: str) -> None:
    if _engine_calls_out(u, update=True):
        assert _refused(u, update=True), u


def test_the_oracle_sees_a_plain_service_call() -> None:
    """The property above can fail: unguarded, the engine does call out for these."""
    assert _engine_calls_out(f"SELECT * WHERE {{ ?s ?p ?o . SERVICE <{ORACLE.url}/x> {{ ?a ?b ?c }} }}", False)
    assert _engine_calls_out(f"LOAD <{ORACLE.url}/x>", True)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory.mktemp("props") / "store", limits=Limits(workers=2, query_timeout=10)) as s:
        yield s


def test_generated_queries_reach_nothing_through_the_server(server: Served, listener: Listener) -> None:
    """A sample of generated texts, aimed at the suite's listener, through /sparql and /query."""
    before = len(listener.hits)
    strategy = queries(listener.url, with_service=True)
    sent = 0

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def send(q: str) -> None:
        nonlocal sent
        for path in ("/sparql", "/query"):
            r = httpx.get(server.url + path, params={"query": q}, timeout=30)
            assert r.status_code in (400, 403), (path, q, r.status_code)
        sent += 1

    send()
    assert sent >= 20
    assert listener.hits[before:] == []
    plain = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
                      headers={"Accept": "application/json"}, timeout=30)
    assert plain.status_code == 200
