"""The SPARQL 1.1 Protocol through a real server, with the clients users have.

The feature table runs each query through HTTP and through the embedded store and requires the same
answers (as multisets, or as lists where ORDER BY makes order part of the answer), and a minimum
number of rows so that an endpoint answering nothing cannot pass.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper

from kg.resolve import is_resolution_graph
from tests.support.web import Web

PREFIXES = """PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""

# (id, query, ordered, minimum rows)
FEATURES = [
    ("optional", "SELECT ?a ?h ?k WHERE { ?a a schema:NewsArticle ; schema:headline ?h OPTIONAL { ?a kg:kicker ?k } }",
     False, 8),
    ("union", "SELECT ?a ?who WHERE { { ?a schema:author ?who } UNION { ?a kg:photographer ?who } }", False, 3),
    ("minus", "SELECT ?a WHERE { ?a a schema:NewsArticle MINUS { ?a kg:photographer ?x } }", False, 5),
    ("not_exists", "SELECT ?p WHERE { ?p a schema:Person FILTER NOT EXISTS { ?a schema:author ?p } }", False, 3),
    ("exists", "SELECT ?p WHERE { ?p a schema:Person FILTER EXISTS { ?a kg:photographer ?p } }", False, 1),
    ("group_having", "SELECT ?a (COUNT(DISTINCT ?p) AS ?n) WHERE { ?a schema:mentions ?p } GROUP BY ?a "
     "HAVING (COUNT(DISTINCT ?p) >= 2)", False, 1),
    ("aggregates", "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?d) AS ?days) (MIN(?d) AS ?first) (MAX(?d) AS ?last) "
     "WHERE { ?a schema:datePublished ?d }", False, 1),
    ("sum_decimal", "SELECT (SUM(?v) AS ?total) (AVG(?v) AS ?mean) WHERE { ?m schema:value ?v }", False, 1),
    ("path_sequence", "SELECT ?a ?n WHERE { ?a schema:author/schema:name ?n }", False, 3),
    ("path_alt_inverse", "SELECT ?p ?a WHERE { ?p ^(schema:author|kg:photographer) ?a }", False, 3),
    ("path_star", "SELECT ?y WHERE { <BASE/person/wei-tao> "
     "(^kg:agent/^kg:participation/kg:participation/kg:agent)* ?y }", False, 3),
    ("path_participants", "SELECT ?e ?n WHERE { ?e kg:participation/kg:agent/schema:name ?n }", False, 5),
    ("subquery", "SELECT ?p ?n WHERE { { SELECT ?p (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a schema:mentions ?p } "
     "GROUP BY ?p } FILTER(?n > 1) }", False, 1),
    ("values", 'SELECT ?p ?name WHERE { VALUES ?name { "韦韬"@zh "胡引平"@zh "nobody"@zh } ?p schema:name ?name }',
     False, 2),
    ("bind", "SELECT ?a ?len WHERE { ?a schema:headline ?h BIND(STRLEN(?h) AS ?len) }", False, 8),
    ("order_limit_offset", "SELECT ?a ?h WHERE { ?a schema:headline ?h } ORDER BY DESC(?h) ?a LIMIT 3 OFFSET 1",
     True, 3),
    ("order_by_count", "SELECT ?p (COUNT(*) AS ?n) WHERE { ?x ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p", True, 10),
    ("graph_var", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", False, 8),
    ("graph_iri", "SELECT ?s WHERE { GRAPH <BASE/article/test-b> { ?s a kg:Meeting } }", False, 2),
    ("filter_functions", 'SELECT ?a WHERE { ?a schema:datePublished ?d ; schema:headline ?h '
     'FILTER(YEAR(?d) = 2022 && CONTAINS(?h, "人才") && LANG(?h) = "zh") }', False, 2),
    ("from", "SELECT ?p FROM <BASE/article/test-b> WHERE { ?p a schema:Person }", False, 2),
    ("from_named", "SELECT ?g ?s FROM NAMED <BASE/article/test-b> WHERE { GRAPH ?g { ?s a kg:Meeting } }", False, 2),
    ("distinct", "SELECT DISTINCT ?class WHERE { ?s a ?class }", False, 6),
    ("regex_str", 'SELECT ?p WHERE { ?p a schema:Person FILTER REGEX(STR(?p), "/person/[a-z-]+$") }', False, 5),
]
OTHER_FORMS = [
    ("ask_true", 'ASK { ?p schema:name "韦韬"@zh }'),
    ("ask_false", 'ASK { ?p schema:name "nobody" }'),
    ("describe", "DESCRIBE <BASE/person/wei-tao>"),
    ("construct", "CONSTRUCT { ?p schema:name ?n } WHERE { ?p a schema:Person ; schema:name ?n }"),
]


def canon(node) -> tuple:
    """A term from the embedded store (rdflib) or from SPARQL JSON (dict), comparable across the two."""
    if isinstance(node, dict):
        t = node["type"]
        if t == "uri":
            return ("uri", node["value"])
        if t == "bnode":
            return ("bnode",)
        return ("lit", node["value"], node.get("xml:lang") or node.get("datatype"))
    if isinstance(node, rdflib.URIRef):
        return ("uri", str(node))
    if isinstance(node, rdflib.BNode):
        return ("bnode",)
    return ("lit", str(node), node.language or (str(node.datatype) if node.datatype else None))


def embedded_rows(web: Web, query: str) -> list[tuple]:
    res = web.store.query(query)
    return [tuple(sorted((k, canon(v)) for k, v in r.items() if v is not None)) for r in res.rows()]


def http_rows(web: Web, query: str, **kw) -> list[tuple]:
    r = httpx.get(web.sparql, params={"query": query, **kw}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    data = r.json()
    return [tuple(sorted((k, canon(v)) for k, v in b.items())) for b in data["results"]["bindings"]]


@pytest.mark.parametrize("name,query,ordered,minimum", FEATURES, ids=[f[0] for f in FEATURES])
def test_feature_through_http_equals_embedded(web: Web, name: str, query: str, ordered: bool, minimum: int) -> None:
    q = PREFIXES + query.replace("BASE", web.base)
    got, want = http_rows(web, q), embedded_rows(web, q)
    assert len(want) >= minimum, f"{name}: the fixture data should give at least {minimum} rows"
    if ordered:
        assert got == want
    else:
        assert Counter(got) == Counter(want)


@pytest.mark.parametrize("name,query", OTHER_FORMS, ids=[f[0] for f in OTHER_FORMS])
def test_ask_describe_construct_equal_embedded(web: Web, name: str, query: str) -> None:
    q = PREFIXES + query.replace("BASE", web.base)
    res = web.store.query(q)
    if res.kind == "boolean":
        r = httpx.get(web.sparql, params={"query": q}, headers={"Accept": "application/sparql-results+json"})
        assert r.json()["boolean"] is res.boolean()
        assert res.boolean() is (name == "ask_true")
        return
    want = rdflib.Graph()
    for t in res.triples():
        want.add(t)
    assert len(want) >= 3
    r = httpx.get(web.sparql, params={"query": q}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    got = rdflib.Graph().parse(data=r.text, format="turtle")
    assert isomorphic(got, want)


# ---------------------------------------------------------------- SPARQLWrapper


COUNT_PEOPLE = PREFIXES + "SELECT ?p ?n WHERE { ?p a schema:Person ; schema:name ?n }"


def wrapper(web: Web, query: str, fmt: str) -> SPARQLWrapper:
    sw = SPARQLWrapper(web.sparql)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    return sw


def test_sparqlwrapper_json(web: Web) -> None:
    data = wrapper(web, COUNT_PEOPLE, JSON).query().convert()
    assert data["head"]["vars"] == ["p", "n"]
    assert len(data["results"]["bindings"]) == len(embedded_rows(web, COUNT_PEOPLE)) > 5
    names = {b["n"]["value"] for b in data["results"]["bindings"]}
    assert {"韦韬", "梁琛"} <= names  # hand-made and seed credit, in Chinese, intact


@pytest.mark.parametrize("method", [POST, POSTDIRECTLY])
def test_sparqlwrapper_post(web: Web, method: str) -> None:
    sw = wrapper(web, COUNT_PEOPLE, JSON)
    sw.setMethod(POST)
    if method == POSTDIRECTLY:
        sw.setRequestMethod(POSTDIRECTLY)
    data = sw.query().convert()
    assert len(data["results"]["bindings"]) == len(embedded_rows(web, COUNT_PEOPLE))


def test_sparqlwrapper_xml(web: Web) -> None:
    doc = wrapper(web, COUNT_PEOPLE, XML).query().convert()
    results = doc.getElementsByTagName("result")
    assert len(results) == len(embedded_rows(web, COUNT_PEOPLE))
    assert [v.getAttribute("name") for v in doc.getElementsByTagName("variable")] == ["p", "n"]


def test_sparqlwrapper_csv(web: Web) -> None:
    raw = wrapper(web, COUNT_PEOPLE, CSV).query().convert()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0] == ["p", "n"]
    assert len(rows) - 1 == len(embedded_rows(web, COUNT_PEOPLE))
    assert any(r[1] == "韦韬" for r in rows[1:])


def test_sparqlwrapper_construct_turtle(web: Web) -> None:
    q = PREFIXES + "CONSTRUCT { ?a schema:headline ?h } WHERE { ?a schema:headline ?h }"
    raw = wrapper(web, q, TURTLE).query().convert()
    got = rdflib.Graph().parse(data=raw, format="turtle")
    want = rdflib.Graph()
    for t in web.store.query(q).triples():
        want.add(t)
    assert len(got) == len(want) >= 8
    assert isomorphic(got, want)


# ---------------------------------------------------------------- rdflib SPARQLStore


def test_sparqlstore_count_equals_embedded(web: Web) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = rdflib.Graph(store=SPARQLStore(query_endpoint=web.sparql))
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    http_count = int(next(iter(g.query(q)))[0])
    embedded = int(next(web.store.query(q).rows())["n"])  # type: ignore[arg-type]
    assert http_count == embedded == web.store.quad_count()
    people = {str(o) for o in g.objects(None, rdflib.URIRef("https://schema.org/name"))}
    assert "胡引平" in people


# ---------------------------------------------------------------- protocol details


def test_post_form_and_direct_equal_get(web: Web) -> None:
    q = COUNT_PEOPLE
    acc = {"Accept": "application/sparql-results+json"}
    a = httpx.get(web.sparql, params={"query": q}, headers=acc).json()
    b = httpx.post(web.sparql, data={"query": q}, headers=acc).json()
    c = httpx.post(web.sparql, content=q.encode(), headers={**acc, "Content-Type": "application/sparql-query"}).json()
    key = lambda d: Counter(tuple(sorted((k, v["value"]) for k, v in b.items())) for b in d["results"]["bindings"])  # noqa: E731
    assert key(a) == key(b) == key(c)
    assert len(a["results"]["bindings"]) > 5


def test_default_graph_uri_restricts_the_default_graph(web: Web) -> None:
    g = f"{web.base}/article/test-b"
    q = PREFIXES + "SELECT ?p WHERE { ?p a schema:Person }"
    got = http_rows(web, q, **{"default-graph-uri": g})
    assert {dict(r)["p"][1] for r in got} == {f"{web.base}/person/wei-tao", f"{web.base}/person/li-xiao-bo"}
    # the same through a form POST and a direct POST with the graph in the URL
    r = httpx.post(web.sparql, data={"query": q, "default-graph-uri": g}, headers={"Accept": "text/csv"})
    assert sorted(r.text.splitlines()[1:]) == sorted(dict(x)["p"][1] for x in got)
    r = httpx.post(web.sparql, params={"default-graph-uri": g}, content=q.encode(),
                   headers={"Accept": "text/csv", "Content-Type": "application/sparql-query"})
    assert len(r.text.splitlines()) == 3


def test_named_graph_uri_restricts_graph_patterns(web: Web) -> None:
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    a, b = f"{web.base}/article/test-a", f"{web.base}/article/test-b"
    r = httpx.get(web.sparql, params=[("query", q), ("named-graph-uri", a), ("named-graph-uri", b)],
                  headers={"Accept": "application/sparql-results+json"})
    assert {x["g"]["value"] for x in r.json()["results"]["bindings"]} == {a, b}
    everything = http_rows(web, q)
    assert len(everything) == len(web.store.graph_iris())
    assert len([g for g in web.store.graph_iris() if not is_resolution_graph(g)]) == 8  # article graphs


def test_from_and_protocol_datasets_follow_the_spec(web: Web) -> None:
    """FROM narrows the default graph (Oxigraph's union flag would ignore it); named-graph-uri alone
    leaves an empty default graph; default-graph-uri overrides FROM."""
    b = f"{web.base}/article/test-b"
    people = PREFIXES + "SELECT ?p WHERE { ?p a schema:Person }"
    from_b = PREFIXES + f"SELECT ?p FROM <{b}> WHERE {{ ?p a schema:Person }}"
    assert len(http_rows(web, from_b)) == 2
    assert len(http_rows(web, people)) > 2
    assert http_rows(web, people, **{"named-graph-uri": b}) == []
    from_a = PREFIXES + f"SELECT ?p FROM <{web.base}/article/test-a> WHERE {{ ?p a schema:Person }}"
    assert len(http_rows(web, from_a, **{"default-graph-uri": b})) == 2


def test_malformed_query_is_400_with_the_parser_message(web: Web) -> None:
    r = httpx.get(web.sparql, params={"query": "SELECT * WHERE { ?s ?p "})
    assert r.status_code == 400
    assert "error at 1:" in r.text
    assert r.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [{"query": ""}, [("query", "ASK {}"), ("query", "ASK {}")]],
    ids=["empty", "two-queries"],
)
def test_bad_requests_are_400(web: Web, params) -> None:
    assert httpx.get(web.sparql, params=params).status_code == 400


def test_post_without_query_is_400(web: Web) -> None:
    assert httpx.post(web.sparql, data={"format": "json"}).status_code == 400


def test_updates_are_refused(web: Web) -> None:
    upd = "INSERT DATA { <http://x/s> <http://x/p> <http://x/o> }"
    before = web.store.quad_count()
    assert httpx.post(web.sparql, data={"update": upd}).status_code == 403
    assert httpx.post(web.sparql, content=upd, headers={"Content-Type": "application/sparql-update"}).status_code == 403
    assert httpx.get(web.sparql, params={"update": upd}).status_code == 403
    assert httpx.get(web.sparql, params={"query": upd}).status_code == 400  # not a query
    assert web.store.quad_count() == before


def test_unknown_post_body_is_415(web: Web) -> None:
    r = httpx.post(web.sparql, content="ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


@pytest.mark.parametrize(
    "query,accept,fmt",
    [
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "image/png", None),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "text/turtle", None),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "text/csv", None),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", None, "csv"),
        ("ASK {}", None, "turtle"),
        ("ASK {}", "text/turtle", "nonsense"),  # an unknown format= leaves it to Accept, which has nothing fitting
    ],
)
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")  # results die on their thread
def test_unacceptable_formats_are_406(web: Web, query: str, accept: str | None, fmt: str | None) -> None:
    params = {"query": query, **({"format": fmt} if fmt else {})}
    r = httpx.get(web.sparql, params=params, headers={"Accept": accept} if accept else {})
    assert r.status_code == 406
    assert "choose one of" in r.text
    assert "Accept" in r.headers["vary"]


def test_a_query_saved_with_a_byte_order_mark_runs(web: Web) -> None:
    r = httpx.post(web.sparql, content="\ufeffASK {}".encode(), headers={"Content-Type": "application/sparql-query",
                                                                        "Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and "boolean" in r.json()


def test_a_406_does_not_repeat_a_huge_accept_header(web: Web) -> None:
    accept = ", ".join(f"image/x-{i}" for i in range(2000))  # 26 KB of types, none of them offered
    r = httpx.get(web.sparql, params={"query": "ASK {}"}, headers={"Accept": accept})
    assert r.status_code == 406 and "choose one of" in r.text
    assert len(r.text) < 1000


@pytest.mark.parametrize(
    "query,accept,fmt,expected",
    [
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 2", "*/*", None, "application/sparql-results+json"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 2", None, None, "application/sparql-results+json"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 2", "application/sparql-results+xml;q=0.5, text/csv", None, "text/csv"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 2", "text/tab-separated-values", None, "text/tab-separated-values"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 2", "application/json", "csv", "text/csv"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 2", "application/xml", None, "application/sparql-results+xml"),
        ("ASK { ?s ?p ?o }", "text/csv", None, "text/csv"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "*/*", None, "text/turtle"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "application/n-triples", None, "application/n-triples"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "application/ld+json", None, "application/ld+json"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "application/rdf+xml", None, "application/rdf+xml"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "application/trig", None, "application/trig"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "text/csv;q=1, text/turtle;q=0.1", None, "text/turtle"),
        ("DESCRIBE ?s WHERE { ?s ?p ?o } LIMIT 1", None, "nt", "application/n-triples"),
        # issue 16: what generic clients send. Unknown format= names fall back to Accept; n3 is Turtle (a subset of
        # N3); repeated and comma-listed format= values are each tried; the media types Oxigraph's server takes
        ("ASK {}", "application/sparql-results+xml", "nonsense", "application/sparql-results+xml"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "text/turtle", "n3", "text/turtle"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "text/n3", None, "text/turtle"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", None, ["json-ld", "application/ld+json,application/x-json+ld"],
         "application/ld+json"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "application/ld+json", ["rdf+xml", "x-unknown"],
         "application/ld+json"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "application/n-quads", None, "application/n-quads"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "text/plain", None, "application/n-triples"),
    ],
)
def test_negotiated_formats(web: Web, query: str, accept: str | None, fmt: str | list[str] | None, expected: str
                            ) -> None:
    params = {"query": query, **({"format": fmt} if fmt else {})}
    r = httpx.get(web.sparql, params=params, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == expected
    assert "Accept" in r.headers["vary"]
    if expected in ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
                    "application/trig", "application/n-quads"):
        rdf_fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
                   "application/rdf+xml": "xml", "application/trig": "trig", "application/n-quads": "nquads"}[expected]
        g = rdflib.Dataset() if rdf_fmt in ("trig", "nquads") else rdflib.Graph()
        g.parse(data=r.content, format=rdf_fmt)
        assert len(g) >= 1 or sum(len(x) for x in g.graphs()) >= 1


def test_service_keyword_is_refused_but_the_word_in_a_literal_is_not(web: Web) -> None:
    port = web.url.rsplit(":", 1)[1]
    evil = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    assert httpx.get(web.sparql, params={"query": evil}).status_code == 403
    sneaky = f"SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    assert httpx.get(web.sparql, params={"query": sneaky}).status_code == 403
    fine = 'SELECT ?x WHERE { BIND("SERVICE <x> {}" AS ?x) } # SERVICE'
    assert httpx.get(web.sparql, params={"query": fine}).status_code == 200


def test_service_description(web: Web) -> None:
    r = httpx.get(web.sparql, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    svc = rdflib.URIRef(web.sparql)
    assert (svc, rdflib.RDF.type, sd.Service) in g
    assert (svc, sd.endpoint, svc) in g
    assert (svc, sd.feature, sd.UnionDefaultGraph) in g
    assert (svc, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert (svc, sd.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in g
    browser = httpx.get(web.sparql, headers={"Accept": "text/html,application/xml;q=0.9,*/*;q=0.8"})
    assert browser.headers["content-type"].startswith("text/turtle")
    j = httpx.get(web.sparql, headers={"Accept": "application/ld+json"})
    assert j.headers["content-type"].startswith("application/ld+json")
    assert isomorphic(rdflib.Graph().parse(data=j.text, format="json-ld"), g)


def test_cors_for_reads(web: Web) -> None:
    origin = {"Origin": "https://yasgui.example"}
    r = httpx.get(web.sparql, params={"query": "ASK {}"}, headers=origin)
    assert r.headers["access-control-allow-origin"] == "*"
    pre = httpx.options(web.sparql, headers={**origin, "Access-Control-Request-Method": "POST",
                                             "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 200
    assert "POST" in pre.headers["access-control-allow-methods"]
    bad = httpx.options(web.sparql, headers={**origin, "Access-Control-Request-Method": "PATCH"})
    assert bad.status_code == 400


def test_cors_preflight_for_writes_allows_the_token_never_credentials(web: Web) -> None:
    """Issue 16: a browser tool on another origin can send its bearer token to the write endpoints; no
    credentials mode (cookies are never what authorises a write here)."""
    origin = {"Origin": "https://yasgui.example"}
    for method in ("POST", "PUT", "DELETE"):
        pre = httpx.options(web.url + "/rdf-graphs", params={"graph": "http://example.org/g"},
                            headers={**origin, "Access-Control-Request-Method": method,
                                     "Access-Control-Request-Headers": "authorization, content-type"})
        assert pre.status_code == 200, pre.text
        assert "authorization" in pre.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in pre.headers


# ---------------------------------------------------------------- issue 16: every SPARQLWrapper return format

SW_QUERIES = {
    "SELECT": PREFIXES + "SELECT ?p ?n WHERE { ?p a schema:Person ; schema:name ?n } LIMIT 5",
    "ASK": PREFIXES + "ASK { ?p a schema:Person }",
    "CONSTRUCT": PREFIXES + "CONSTRUCT { ?a schema:headline ?h } WHERE { ?a schema:headline ?h }",
    "DESCRIBE": PREFIXES + "DESCRIBE ?p WHERE { ?p a schema:Person } LIMIT 1",
}
RESULT_SW = ["json", "xml", "csv", "tsv"]
GRAPH_SW = ["xml", "rdf", "rdf+xml", "turtle", "n3", "json-ld", "json"]


@pytest.mark.parametrize(
    ("kind", "fmt"),
    [(k, f) for k in ("SELECT", "ASK") for f in RESULT_SW]
    + [(k, f) for k in ("CONSTRUCT", "DESCRIBE") for f in GRAPH_SW],
)
def test_sparqlwrapper_every_return_format(web: Web, kind: str, fmt: str) -> None:
    """SPARQLWrapper sends its own ``format=`` values (``n3``, ``json-ld`` twice with a comma list, ``rdf+xml``)
    beside an Accept header: each must give a result it can convert (issue 16: N3 and JSON-LD got 406)."""
    res = wrapper(web, SW_QUERIES[kind], fmt).query()
    ctype = res.info()["content-type"].split(";")[0]
    out = res.convert()
    if kind == "ASK":
        value = out["boolean"] if fmt == "json" else out
        assert value is True or (fmt == "xml" and value.getElementsByTagName("boolean")) or b"true" in value
    elif kind == "SELECT":
        assert out  # parsed JSON / DOM, or the CSV/TSV bytes
        if fmt in ("csv", "tsv"):
            assert out.decode("utf-8").splitlines()[0].replace("?", "") in ("p,n", "p\tn")
    else:
        if isinstance(out, rdflib.Graph):
            g = out
        else:  # SPARQLWrapper hands Turtle, N3 and JSON-LD back as bytes
            g = rdflib.Graph().parse(data=out, format={"text/turtle": "turtle", "application/ld+json": "json-ld",
                                                        "application/n-triples": "nt"}[ctype])
        assert len(g) >= 1, (fmt, ctype)


def test_relative_iris_resolve_against_the_endpoint(web: Web) -> None:
    """Issue 16: a relative IRI is resolved against the endpoint's IRI ``{base}/sparql`` (the protocol lets the
    service choose its base), so ``<person/wei-tao>`` is the entity and ``<s>`` is ``{base}/s``."""
    r = httpx.get(web.sparql, params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200, r.text
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    assert (rdflib.URIRef(f"{web.base}/s"), rdflib.URIRef(f"{web.base}/p"), rdflib.Literal(1)) in g
    r = httpx.get(web.sparql, params={"query": "ASK { <person/wei-tao> ?p ?o }"})
    assert r.json()["boolean"] is True


@pytest.mark.parametrize("client", ["pyoxigraph", "rdflib"])
def test_service_from_other_engines_reaches_the_endpoint(web: Web, client: str) -> None:
    """Issue 16: engines federating to this endpoint with ``SERVICE <…/sparql>`` (their own outbound request;
    this server still refuses SERVICE in queries sent to it) get the same rows as a direct query."""
    inner = "?p a <https://schema.org/Person> ; <https://schema.org/name> ?n"
    q = f"SELECT ?p ?n WHERE {{ SERVICE <{web.sparql}> {{ {inner} }} }}"
    if client == "pyoxigraph":
        import pyoxigraph as ox

        got = {(s["p"].value, s["n"].value) for s in ox.Store().query(q)}
    else:
        got = {(str(r.p), str(r.n)) for r in rdflib.Graph().query(q)}
    direct = httpx.get(web.sparql, params={"query": f"SELECT ?p ?n WHERE {{ {inner} }}"}).json()
    want = {(b["p"]["value"], b["n"]["value"]) for b in direct["results"]["bindings"]}
    assert got == want and len(want) > 5
