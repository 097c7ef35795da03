"""Dereferencing IRIs (instances and ontology terms), VoID, and the pluggable representations."""

from __future__ import annotations

import re
import shutil
import subprocess

import httpx
import pytest
import rdflib
from fastapi import Request, Response
from fastapi.testclient import TestClient
from rdflib import RDF, URIRef
from rdflib.compare import isomorphic

from kg.web.context import context
from kg.web.negotiation import DESCRIPTION_FORMATS, Format, negotiate, parse_accept
from tests.support.web import Web, handmade_updates

KG = rdflib.Namespace("https://w3id.org/newskg/ontology#")
SCHEMA = rdflib.Namespace("https://schema.org/")
PARSE = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml",
         "application/n-triples": "nt"}


def fetch(url: str, accept: str | None = None) -> tuple[httpx.Response, rdflib.Graph]:
    r = httpx.get(url, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, (url, r.status_code, r.text)
    mt = r.headers["content-type"].split(";")[0]
    return r, rdflib.Graph().parse(data=r.content, format=PARSE[mt])


def test_an_iri_from_a_query_dereferences_at_the_server(web: Web) -> None:
    """IRIs minted at ingest and the served routes agree: follow one straight from a result."""
    res = httpx.get(web.sparql, params={"query": "SELECT ?a WHERE { ?a kg:photographer ?p } LIMIT 1"},
                    headers={"Accept": "application/sparql-results+json"}).json()
    iri = res["results"]["bindings"][0]["a"]["value"]
    assert iri.startswith(f"{web.base}/article/")
    r, g = fetch(iri)
    assert (URIRef(iri), RDF.type, SCHEMA.NewsArticle) in g


def test_browsers_get_the_person_page(web: Web) -> None:
    """A browser's Accept gets the HTML page (issue 6); the RDF forms stay one suffix away."""
    r = httpx.get(f"{web.base}/person/wei-tao",
                  headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Accept" in r.headers["vary"] and "韦韬" in r.text and 'href="/person/wei-tao.ttl"' in r.text


@pytest.mark.parametrize("accept", [None, "*/*", "text/turtle", "application/ld+json", "application/rdf+xml",
                                    "application/n-triples"])
def test_person_by_accept(web: Web, accept: str | None) -> None:
    iri = f"{web.base}/person/wei-tao"
    r, g = fetch(iri, accept)
    expected = accept if accept in PARSE else "text/turtle"  # RDF clients and */* get Turtle
    assert r.headers["content-type"].split(";")[0] == expected
    assert "Accept" in r.headers["vary"]
    this = URIRef(iri)
    assert (this, SCHEMA.name, rdflib.Literal("韦韬", lang="zh")) in g
    # participations with their triples, and labels of what they link to
    # the hand-made graphs' two (the seed page, also ingested, adds the extractor's own)
    parts = {p for p in g.subjects(KG.agent, this) if str(p).startswith(f"{web.base}/article/test-")}
    assert len(parts) == 2
    for p in parts:
        assert (p, KG.role, None) in g
        events = set(g.subjects(KG.participation, p))
        assert len(events) == 1 and (events.pop(), SCHEMA.name, None) in g
    post = URIRef(f"{web.base}/post/shi-wei-shu-ji")
    assert (post, rdflib.RDFS.label, rdflib.Literal("市委书记", lang="zh")) in g
    holding = URIRef(f"{web.base}/article/test-a#holding-1")
    assert (this, KG.postHolding, holding) in g
    assert (holding, KG.evidence, rdflib.Literal("市委书记韦韬出席", lang="zh")) in g
    # what points at it (the articles mentioning it), labelled
    art = URIRef(f"{web.base}/article/test-a")
    assert (art, SCHEMA.mentions, this) in g and (art, SCHEMA.headline, None) in g
    # bounded: the events' other participations and participants are theirs to describe, not this
    assert (URIRef(f"{web.base}/person/li-xiao-bo"), None, None) not in g
    assert (None, KG.agent, URIRef(f"{web.base}/person/li-xiao-bo")) not in g


@pytest.mark.parametrize("suffix,mt", [(".ttl", "text/turtle"), (".jsonld", "application/ld+json"),
                                       (".nt", "application/n-triples"), (".rdf", "application/rdf+xml")])
def test_suffix_picks_the_format_over_accept(web: Web, suffix: str, mt: str) -> None:
    r = httpx.get(f"{web.base}/event/e1{suffix}", headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == mt
    g = rdflib.Graph().parse(data=r.content, format=PARSE[mt])
    e1 = URIRef(f"{web.base}/event/e1")
    assert (e1, RDF.type, KG.Meeting) in g
    assert len(set(g.objects(e1, KG.participation))) == 4  # three from test-a, one from test-b
    assert (URIRef(f"{web.base}/person/zhang-xin-wei"), SCHEMA.name, None) in g


@pytest.mark.parametrize("kind,ident", [("person", "hu-yin-ping-80e15f155e73_tai-yuan-shi-592a539f5e02"),
                                        ("organization", "shi-wei"), ("place", "tai-yuan"),
                                        ("post", "shi-wei-shu-ji"), ("event", "e2")])
def test_every_kind_dereferences(web: Web, kind: str, ident: str) -> None:
    iri = f"{web.base}/{kind}/{ident}"
    _, g = fetch(iri)
    assert (URIRef(iri), RDF.type, None) in g


def test_article_is_its_graph(web: Web) -> None:
    iri = f"{web.base}/article/test-a"
    _, g = fetch(iri + ".ttl")
    want = rdflib.Graph()
    for t in web.store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                             bindings={"g": URIRef(iri)}).triples():
        want.add(t)
    stated = next(u for u in handmade_updates(web.base) if u.iri == iri)
    assert len(g) == len(want) == len(set(stated.triples)) > 50
    assert isomorphic(g, want)


@pytest.mark.parametrize(
    "path",
    ["/person/nobody", "/article/nothing.ttl", "/person/wei-tao.exe", "/person/wei tao", "/person/wei%2Ftao",
     "/person/..%2F..%2Fetc%2Fpasswd", "/person/%2E%2E", "/person/.ttl", "/person/a.b.ttl", "/ontology/Nothing",
     "/ontology/Chair.exe", "/thing/wei-tao", "/person/" + "a" * 300],
)
def test_unknown_or_invalid_is_404(web: Web, path: str) -> None:
    r = httpx.get(web.url + path)
    assert r.status_code == 404


def test_unacceptable_is_406(web: Web) -> None:
    r = httpx.get(f"{web.base}/person/wei-tao", headers={"Accept": "image/png"})
    assert r.status_code == 406 and "text/turtle" in r.text


def test_head(web: Web) -> None:
    r = httpx.head(f"{web.base}/person/wei-tao")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")


def test_ontology_document_and_terms(web: Web) -> None:
    _, g = fetch(web.url + "/ontology")
    assert (URIRef("https://w3id.org/newskg/ontology"), RDF.type, rdflib.OWL.Ontology) in g
    assert (KG.Chair, rdflib.SKOS.prefLabel, rdflib.Literal("主持人", lang="zh")) in g
    _, g2 = fetch(web.url + "/ontology.jsonld")
    assert len(g2) == len(g)
    r, t = fetch(web.url + "/ontology/Chair", "application/n-triples")
    assert (KG.Chair, RDF.type, KG.Role) in t
    assert (KG.Role, rdflib.RDFS.label, None) in t  # the label of what it links to
    _, m = fetch(web.url + "/ontology/Meeting.ttl")
    assert (KG.Meeting, rdflib.RDFS.subClassOf, SCHEMA.Event) in m


def test_void_counts_equal_embedded(web: Web) -> None:
    _, g = fetch(web.url + "/.well-known/void")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = URIRef(web.url + "/.well-known/void#dataset")
    assert (ds, RDF.type, void.Dataset) in g
    assert (ds, void.sparqlEndpoint, URIRef(web.sparql)) in g
    distinct = int(next(web.store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                                        "WHERE { ?s ?p ?o } }").rows())["n"])  # type: ignore[arg-type]
    assert int(g.value(ds, void.triples)) == distinct
    classes = {g.value(p, void["class"]): int(g.value(p, void.entities)) for p in g.objects(ds, void.classPartition)}
    people = int(next(web.store.query("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:Person }").rows())["n"])  # type: ignore[arg-type]
    assert classes[SCHEMA.Person] == people > 5
    meetings = int(next(web.store.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:Meeting }").rows())["n"])  # type: ignore[arg-type]
    assert classes[KG.Meeting] == meetings >= 2
    props = {g.value(p, void.property): int(g.value(p, void.triples)) for p in g.objects(ds, void.propertyPartition)}
    agents = int(next(web.store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?o "
                                      "WHERE { ?s kg:agent ?o } }").rows())["n"])  # type: ignore[arg-type]
    assert props[KG.agent] == agents >= 6
    assert sum(props.values()) == distinct
    # each class partition's triples: those about its instances
    for p in g.objects(ds, void.classPartition):
        assert int(g.value(p, void.triples)) >= int(g.value(p, void.entities))


# ---------------------------------------------------------------- negotiation and pluggable HTML


def test_accept_parsing() -> None:
    ranges = parse_accept("text/html;q=0.9, */*;q=0.1, bogus, text/*;q=0.5")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [("text", "html", 0.9), ("*", "*", 0.1), ("text", "*", 0.5)]
    offers = DESCRIPTION_FORMATS
    assert negotiate(None, offers).key == "turtle"
    assert negotiate("application/ld+json;q=0.8, text/turtle;q=0.2", offers).key == "jsonld"
    assert negotiate("text/turtle;q=0, */*", offers).key == "jsonld"  # q=0 is "not this one"
    assert negotiate("text/*", offers).key == "turtle"
    assert negotiate("image/png", offers) is None


def test_a_malformed_quality_is_ignored_not_read_as_zero() -> None:
    """``q=abc`` (an outside probe's header) says nothing about preference: the range counts at q=1, as
    if the parameter were absent, instead of refusing the format (406)."""
    ranges = parse_accept("application/ld+json;q=abc, text/turtle;q=0.5, text/plain;q=")
    assert [(r.subtype, r.q) for r in ranges] == [("ld+json", 1.0), ("turtle", 0.5), ("plain", 1.0)]
    assert negotiate("application/ld+json;q=abc", DESCRIPTION_FORMATS).key == "jsonld"


def test_an_html_renderer_can_be_plugged_in(web: Web) -> None:
    """What the pages issue will do: browsers then get HTML, RDF clients still get RDF."""
    from kg.web.app import create_app

    app = create_app(web.store, web.base)
    html = Format("html", "text/html", ("application/xhtml+xml",), ("html",))

    def render(request: Request, desc) -> Response | None:
        if desc.kind not in ("person", "article"):
            return None  # no page for this kind: the route falls back to Turtle
        return Response(f"<h1>{desc.kind} {desc.ident}</h1>", media_type="text/html")

    context(app).representations.register(html, render)
    client = TestClient(app)
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/person/wei-tao", headers={"Accept": browser})
    assert r.headers["content-type"].startswith("text/html") and r.text == "<h1>person wei-tao</h1>"
    assert client.get("/person/wei-tao").headers["content-type"].startswith("text/turtle")
    assert client.get("/person/wei-tao.html").headers["content-type"].startswith("text/html")
    assert client.get("/person/wei-tao", headers={"Accept": "application/ld+json"}).status_code == 200
    assert client.get("/ontology/Chair", headers={"Accept": browser}).headers["content-type"].startswith("text/turtle")
    assert client.get("/person/nobody", headers={"Accept": browser}).status_code == 404


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (raptor2-utils) is not installed")
@pytest.mark.parametrize("path,syntax", [("/person/wei-tao.ttl", "turtle"), ("/person/wei-tao.rdf", "rdfxml"),
                                         ("/event/e1.nt", "ntriples"), ("/ontology.ttl", "turtle"),
                                         ("/export.trig", "trig"), ("/export.nq", "nquads")])
def test_an_independent_parser_reads_what_we_serve(web: Web, tmp_path, path: str, syntax: str) -> None:
    """raptor (not rdflib, not Oxigraph) parses each serialisation, to the same number of statements."""
    r = httpx.get(web.url + path)
    assert r.status_code == 200
    f = tmp_path / "doc"
    f.write_bytes(r.content)
    out = subprocess.run(["rapper", "-c", "-i", syntax, str(f), web.url + "/"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0 and "Error" not in out.stderr, out.stderr
    m = re.search(r"returned (\d+) (?:triples|statements)", out.stderr)
    assert m, out.stderr
    count = int(m.group(1))
    parsed = rdflib.Dataset() if syntax in ("trig", "nquads") else rdflib.Graph()
    parsed.parse(data=r.content, format={"rdfxml": "xml", "ntriples": "nt"}.get(syntax, syntax))
    want = sum(len(g) for g in parsed.graphs()) if syntax in ("trig", "nquads") else len(parsed)
    assert count == want > 0


def test_link_headers_name_the_other_representations(web: Web) -> None:
    """Issue 16: ``Link: <x.ttl>; rel="alternate"; type=…`` for every other representation of an IRI, relative
    to its last segment (so it resolves behind a proxy's prefix), and each one dereferences."""
    r = httpx.get(f"{web.base}/person/wei-tao", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    links = dict(re.findall(r'<([^>]+)>; rel="alternate"; type="([^"]+)"', r.headers["link"]))
    assert links["wei-tao.jsonld"] == "application/ld+json" and links["wei-tao.nt"] == "application/n-triples"
    assert "text/turtle" not in links.values()
    for ref, mt in links.items():
        alt = httpx.get(f"{web.base}/person/{ref}")
        assert alt.status_code == 200 and alt.headers["content-type"].split(";")[0] == mt, ref
    onto = httpx.get(f"{web.base}/ontology/Chair.ttl")
    assert '<Chair.jsonld>; rel="alternate"' in onto.headers["link"]
