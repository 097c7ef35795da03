"""XML answers are well-formed or refused: a literal holding a character XML 1.0 cannot carry (U+0000, other C0
controls, U+FFFE) was written raw by the engine, and no XML parser (SPARQLWrapper's included) could read the
answer (the third outside probe). Such answers are now 406 naming the formats that can carry them."""

from __future__ import annotations

import json
import xml.dom.minidom
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kg.rdf.namespaces import SCHEMA
from kg.store.base import GraphUpdate
from kg.store.oxigraph import OxigraphStore
from kg.web.app import create_app
from kg.web.context import ServeConfig, context
from kg.web.limits import Limits

# on a thread the engine's result must be dropped where it was made: a refusal that kept it alive was dropped on
# the event loop ("PyQuerySolutions is unsendable"), which pytest reports as an unraisable exception
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")

BASE = "http://127.0.0.1:8000"
PERSON = f"{BASE}/person/kong-zhi-zi-fu"
SRX = "application/sparql-results+xml"


@pytest.fixture(scope="module", params=["workers", "threads"])
def client(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """The app with query worker processes (a store folder) and with queries on threads (where the answer
    streams as it is written)."""
    from kg.store import open_store

    folder = Path(tmp_path_factory.mktemp("xml")) / "store"
    store = open_store(folder) if request.param == "workers" else OxigraphStore(folder)
    graph = f"{BASE}/article/2025-03-12-0123456789ab"
    store.replace_graphs([GraphUpdate(graph, [
        (URIRef(PERSON), RDF.type, SCHEMA.Person),
        (URIRef(PERSON), SCHEMA.name, Literal("控制\x01字符", lang="zh")),
        (URIRef(f"{BASE}/person/plain"), SCHEMA.name, Literal("普通", lang="zh")),
    ])])
    limits = Limits(workers=1, isolate=request.param == "workers")
    app = create_app(store, ServeConfig(BASE, limits=limits))
    assert (context(app).runner.pool is not None) == (request.param == "workers")
    with TestClient(app) as client:
        yield client
    context(app).runner.close()
    store.close()


@pytest.mark.parametrize("literal", ["a\\u0000b", "a\\u0008b", "a\\u001Bb", "a\\uFFFEb"])
def test_a_result_xml_cannot_carry_is_406_and_json_still_answers(client: TestClient, literal: str) -> None:
    select = f'SELECT ?x WHERE {{ BIND("{literal}" AS ?x) }}'
    r = client.get("/sparql", params={"query": select}, headers={"Accept": SRX})
    assert r.status_code == 406 and "XML 1.0 cannot carry" in r.text, (r.status_code, r.text[:200])
    assert "Accept" in r.headers.get("vary", ""), r.headers  # JSON would have answered
    r = client.get("/sparql", params={"query": select}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and json.loads(r.text)["results"]["bindings"]
    construct = f'CONSTRUCT {{ <http://example.org/a> <http://example.org/b> "{literal}" }} WHERE {{}}'
    r = client.get("/sparql", params={"query": construct}, headers={"Accept": "application/rdf+xml"})
    assert r.status_code == 406 and "XML 1.0 cannot carry" in r.text, (r.status_code, r.text[:200])


def test_stored_control_characters_refuse_rdfxml_everywhere(client: TestClient) -> None:
    r = client.get("/person/kong-zhi-zi-fu.rdf")
    assert r.status_code == 406 and "XML 1.0 cannot carry" in r.text, (r.status_code, r.text[:200])
    assert client.get("/person/kong-zhi-zi-fu.ttl").status_code == 200
    r = client.get("/sparql", params={"query": f"DESCRIBE <{PERSON}>"}, headers={"Accept": "application/rdf+xml"})
    assert r.status_code == 406


def test_ordinary_xml_answers_parse(client: TestClient) -> None:
    plain = f"VALUES ?s {{ <{BASE}/person/plain> }}"
    for query, accept in ((f"SELECT ?s ?n WHERE {{ {plain} ?s <https://schema.org/name> ?n }}", SRX),
                          (f"CONSTRUCT {{ ?s <https://schema.org/name> ?n }} WHERE {{ {plain} ?s "
                           "<https://schema.org/name> ?n }", "application/rdf+xml")):
        r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert r.status_code == 200, r.text
        assert "普通" in xml.dom.minidom.parseString(r.text).documentElement.toxml()
    r = client.get("/person/plain.rdf")
    assert r.status_code == 200
    xml.dom.minidom.parseString(r.text)
