"""Keywords in SPARQL texts (SERVICE refusal, FROM detection): found wherever SPARQL sees them, nowhere else."""

from __future__ import annotations

import pytest

from kg.web.policy import uses_service


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://x/> { ?s ?p ?o } }",
        "SELECT * {\n  ?a ?b ?c .\n  SERVICE\t?endpoint { ?s ?p ?o } }",
        "SELECT * { \\u0053ERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * { \\U00000053ervice <http://x/> { ?s ?p ?o } }",
        "SELECT * { FILTER(?x<1)SERVICE<http://x/>{ ?s ?p ?o } }",
        'SELECT * { BIND("a" AS ?x) SERVICE <http://x/> { } }',
    ],
)
def test_service_is_found(query: str) -> None:
    assert uses_service(query)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?x { BIND("SERVICE <x> {}" AS ?x) }',
        "SELECT ?x { BIND('''a\nSERVICE''' AS ?x) }",
        "SELECT ?service { ?service a <http://example.org/SERVICE> }",
        "# SERVICE <x> {}\nSELECT * { ?s ?p ?o }",
        "PREFIX ex: <http://x/> SELECT * { ?s ex:SERVICE ?o }",
        "SELECT * { ?s <http://x/#SERVICE> ?o }",
        "SELECT * { ?s ?p $service }",
    ],
)
def test_service_is_not_found(query: str) -> None:
    assert not uses_service(query)


@pytest.mark.parametrize(
    "query,expected",
    [
        ("SELECT * FROM <http://x/g> WHERE { ?s ?p ?o }", True),
        ("SELECT * from named <http://x/g> { GRAPH ?g { ?s ?p ?o } }", True),
        ("CONSTRUCT { ?s ?p ?o } FROM <http://x/g> WHERE { ?s ?p ?o }", True),
        ('SELECT * { ?s ?p "FROM <x>" }', False),
        ("SELECT ?from { ?from ?p ?o }", False),
        ("SELECT * { ?s <http://x/FROM> ?o } # FROM", False),
    ],
)
def test_from_is_found(query: str, expected: bool) -> None:
    from kg.store.sparql_text import has_keyword

    assert has_keyword(query, "FROM") is expected
