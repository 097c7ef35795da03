"""The person page's identity sections computed the plain way: the page queries as they were before
they were shaped for speed (one aggregate over every joined mention, each mention's article read for
its date and paper), for tests that the faster shapes (kg/queries/pages/person_identity.rq,
person_namesakes.rq, name_block.rq) give the same figures."""

from __future__ import annotations

from rdflib import URIRef

from kg.web.pages.queries import bind

PREFIXES = """PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
"""
IDENTITY = PREFIXES + """SELECT ?reason ?jur (COUNT(DISTINCT ?article) AS ?articles) (MIN(STR(?date)) AS ?first)
       (MAX(STR(?date)) AS ?last) (GROUP_CONCAT(DISTINCT ?paper; separator="|") AS ?papers)
WHERE {
  GRAPH ?block { ?j kg:joinedEntity $this ; kg:joinReason ?reason ; kg:joinedMention ?m .
                 ?m prov:wasDerivedFrom ?article . OPTIONAL { ?j kg:jurisdiction ?jur } }
  OPTIONAL { GRAPH ?article { ?article schema:datePublished ?date } }
  OPTIONAL { GRAPH ?article { ?article schema:publisher ?pub . ?pub schema:name ?paper } }
}
GROUP BY ?reason ?jur"""
# every jurisdiction of each namesake (the page shows one of them: SAMPLE)
NAMESAKES = PREFIXES + """SELECT ?other (GROUP_CONCAT(DISTINCT ?jur; separator="|") AS ?wheres)
       (COUNT(DISTINCT ?article) AS ?articles)
WHERE {
  GRAPH ?block { ?block kg:namesake $this , ?other .
                 ?j kg:joinedEntity ?other ; kg:joinedMention ?m . ?m prov:wasDerivedFrom ?article .
                 OPTIONAL { ?j kg:jurisdiction ?jur } }
  FILTER(?other != $this)
}
GROUP BY ?other"""
NAME_BLOCK = PREFIXES + """SELECT ?p (GROUP_CONCAT(DISTINCT ?jur; separator="|") AS ?wheres)
       (COUNT(DISTINCT ?article) AS ?articles) (MIN(STR(?date)) AS ?first) (MAX(STR(?date)) AS ?last)
WHERE {
  GRAPH $block { $block kg:namesake ?p . ?j kg:joinedEntity ?p ; kg:joinedMention ?m .
                 ?m prov:wasDerivedFrom ?article . OPTIONAL { ?j kg:jurisdiction ?jur } }
  OPTIONAL { GRAPH ?article { ?article schema:datePublished ?date } }
}
GROUP BY ?p"""

# the posts each person holds, over the union default graph
POSTS = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?label WHERE { $this org:holds ?post . ?post rdfs:label ?label }"""


def _s(v: object) -> str:
    return "" if v is None else str(v)


def identity(store, person: str) -> list[tuple[str, str, int, frozenset[str], str, str]]:
    """(reason IRI, jurisdiction, articles, papers, first date, last date) per reason and jurisdiction, sorted."""
    rows = store.query(bind(IDENTITY, {"this": URIRef(person)})).rows()
    return sorted((_s(r["reason"]), _s(r.get("jur")), int(r["articles"]),
                   frozenset(p for p in _s(r.get("papers")).split("|") if p), _s(r.get("first"))[:10],
                   _s(r.get("last"))[:10]) for r in rows)


def namesakes(store, person: str) -> dict[str, tuple[set[str], int]]:
    """Other person IRI → (its jurisdictions, articles)."""
    rows = store.query(bind(NAMESAKES, {"this": URIRef(person)})).rows()
    return {_s(r["other"]): ({w for w in _s(r.get("wheres")).split("|") if w}, int(r["articles"])) for r in rows}


def name_block(store, block: str) -> dict[str, tuple[set[str], int, str, str]]:
    """Person IRI → (its jurisdictions, articles, first date, last date) in the block."""
    rows = store.query(bind(NAME_BLOCK, {"block": URIRef(block)})).rows()
    return {_s(r["p"]): ({w for w in _s(r.get("wheres")).split("|") if w}, int(r["articles"]), _s(r.get("first")),
                         _s(r.get("last"))) for r in rows}


def assert_person_page_matches(store, base: str, person: str, form: str = "grouped") -> None:
    """The person page's identity sections of ``person`` (kg.web.pages.person) say what the plain
    queries say: per reason and jurisdiction the articles, papers and dates; each namesake with its
    articles and one of its jurisdictions. ``form``: how "why joined" is read (grouped by the store,
    ``busy``: by scans, ``rows``: a row per mention grouped by the page)."""
    from kg.web.pages import labels as L
    from kg.web.pages import person as V
    from kg.web.pages.common import Linker, Lookup, lookup, name_in

    reasons, others = V._identity(store, Linker(base), URIRef(person), Lookup(store), form)
    want = [(str(L.label(r)), j, a, p, f, la) for r, j, a, p, f, la in identity(store, person)]
    got = [(str(r.reason), r.jurisdiction, r.articles, frozenset(x for x in r.papers.split("、") if x), r.first, r.last)
           for r in reasons]
    assert sorted(got) == sorted(want)
    assert [r.articles for r in reasons] == sorted((r.articles for r in reasons), reverse=True)
    ref = namesakes(store, person)
    assert len(others) == min(50, len(ref))
    for o in others:
        assert o.link is not None and o.link.iri in ref
        wheres, articles = ref[o.link.iri]
        assert o.articles == articles and (o.jurisdiction in wheres if wheres else o.jurisdiction == "")
        assert o.link.text == name_in(lookup(store, [URIRef(o.link.iri)]), URIRef(o.link.iri))
    assert [o.articles for o in others] == sorted((o.articles for o in others), reverse=True)


def assert_name_page_matches(store, base: str, name: str) -> None:
    """The disambiguation page of ``name`` (kg.web.pages.names) says what the plain queries say."""
    from kg.layer_graphs import block_iri
    from kg.web.pages.common import Linker
    from kg.web.pages.names import namesakes as name_page

    ref = name_block(store, block_iri(base, name))
    people = name_page(store, Linker(base), name).people
    assert len(people) == min(200, len(ref))
    for e in people:
        assert e.link is not None and e.link.iri in ref
        wheres, articles, first, last = ref[e.link.iri]
        assert (e.articles, e.first, e.last) == (articles, first[:4], last[:4])
        posts = sorted(str(r["label"]) for r in store.query(bind(POSTS, {"this": URIRef(e.link.iri)})).rows())
        assert e.posts == posts[:8]
        assert e.jurisdiction in wheres if wheres else e.jurisdiction == ""
