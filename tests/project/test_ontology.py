"""The ontology, role vocabulary and SHACL shapes in ``ontology/``, and ``kg.validate``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, Literal, Namespace, URIRef

from kg.validate import (
    ONTOLOGY_DIR,
    ValidationReport,
    load_ontology,
    validate_dataset,
    validate_graphs,
)

REPO = Path(__file__).resolve().parents[2]
CONTRACT = Path(__file__).parents[2].parent / "shared" / "CONTRACT.md"

KG = Namespace("https://w3id.org/newskg/ontology#")
PREFIXES = {
    "kg": "https://w3id.org/newskg/ontology#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": str(SKOS),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# W3C built-ins the contract uses; we do not re-describe them.
BUILTINS = {"rdfs:label", "rdfs:subClassOf", "skos:prefLabel"}

ROLES = [
    "Chair", "Speaker", "Attendee", "Participant", "Observer",
    "Presenter", "Recipient", "AwardPresenter", "Elected",
]  # fmt: skip

FALLBACK_CLASSES = [
    "schema:NewsArticle", "schema:Person", "schema:Organization", "schema:Place", "kg:Meeting",
    "kg:Congress", "kg:AwardCeremony", "kg:Election", "kg:Participation", "kg:Role", "org:Post",
    "schema:MonetaryAmount",
]  # fmt: skip
FALLBACK_PROPERTIES = [
    "schema:headline", "schema:datePublished", "schema:author", "kg:photographer", "schema:about",
    "schema:mentions", "schema:name", "schema:startDate", "schema:location", "schema:organizer",
    "schema:superEvent", "kg:participation", "kg:agent", "kg:role", "kg:post", "prov:wasDerivedFrom",
    "kg:evidence", "schema:alternateName", "org:holds", "rdfs:label", "org:postIn", "schema:value",
    "schema:currency",
]  # fmt: skip

# Terms the mapper emits beyond the contract (see the ontology issue).
EXTRA_CLASSES = [
    "kg:Symposium", "kg:Lecture", "kg:StandingCommitteeMeeting", "kg:PlenaryMeeting", "kg:Reception",
    "kg:Conference", "kg:PostHolding", "schema:Event", "schema:MonetaryGrant",
]  # fmt: skip
EXTRA_OBJECT_PROPERTIES = [
    "kg:reporter", "kg:correspondent", "kg:holder", "kg:heldPost", "kg:postHolding", "kg:grantedAt",
    "kg:recipient", "schema:subEvent", "schema:amount", "schema:funder", "schema:fundedItem",
    "schema:publisher",
]  # fmt: skip
EXTRA_DATATYPE_PROPERTIES = [
    "kg:evidenceStart", "kg:evidenceEnd", "kg:mentionStart", "kg:mentionEnd", "kg:pinyin", "kg:kicker",
    "kg:subtitle", "kg:continuedOnPage", "kg:continuedFromPage", "kg:continuationText", "kg:sourceFile",
    "kg:contentHash", "kg:pagePosition", "kg:sourceStart", "kg:sourceEnd", "kg:locality",
    "kg:amountText", "kg:purpose", "kg:orgKind", "schema:articleBody",
]  # fmt: skip

TERM = re.compile(r"`((?:kg|schema|org|prov|skos|rdfs|owl|xsd):[A-Za-z][A-Za-z0-9]*)`")


def expand(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


def contract_terms() -> tuple[set[str], set[str], set[str]]:
    """(classes, properties, roles) named in CONTRACT.md's tables, or the fallback lists if it is absent.

    Tables are told apart by their header row: ``| term | meaning |`` lists classes, ``| role | … |``
    roles, ``| on | property | value |`` properties.
    """
    if not CONTRACT.is_file():
        return set(FALLBACK_CLASSES), set(FALLBACK_PROPERTIES), {f"kg:{r}" for r in ROLES}
    found: dict[str, set[str]] = {"term": set(), "role": set(), "on": set()}
    table = ""
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            table = ""
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not table:
            table = cells[0]
            continue
        if table in ("term", "role"):
            found[table].update(TERM.findall(cells[0]))
        elif table == "on" and len(cells) >= 2:
            found["on"].update(TERM.findall(cells[1]))
    # Terms named anywhere else (value column, prose): lowercase local name = property, else class.
    named = set(TERM.findall(CONTRACT.read_text(encoding="utf-8")))
    named = {t for t in named if not t.startswith("xsd:")} - found["role"]
    classes = found["term"] | {t for t in named if t.split(":", 1)[1][0].isupper()}
    props = found["on"] | {t for t in named if t.split(":", 1)[1][0].islower()}
    return classes, props, found["role"]


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return load_ontology()


@pytest.mark.parametrize("name", ["newskg.ttl", "roles.ttl", "shapes.ttl"])
def test_every_ttl_parses(name: str) -> None:
    g = rdflib.Graph().parse(ONTOLOGY_DIR / name, format="turtle")
    assert len(g) > 50


def test_contract_parsing_finds_the_known_terms() -> None:
    classes, props, roles = contract_terms()
    assert {"kg:Meeting", "schema:NewsArticle", "org:Post", "kg:Participation"} <= classes
    assert {"schema:headline", "kg:agent", "prov:wasDerivedFrom", "schema:currency"} <= props
    assert roles == {f"kg:{r}" for r in ROLES}


def _labels(g: rdflib.Graph, s: URIRef, p: URIRef = RDFS.label) -> set[str | None]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal) and str(o).strip()}


def _assert_described(g: rdflib.Graph, curie: str, kinds: tuple[URIRef, ...]) -> None:
    term = expand(curie)
    types = set(g.objects(term, RDF.type))
    assert types & set(kinds), f"{curie} not declared as one of {kinds}"
    assert {"zh", "en"} <= _labels(g, term), f"{curie} lacks zh+en rdfs:label"
    assert {"zh", "en"} <= _labels(g, term, RDFS.comment), f"{curie} lacks zh+en rdfs:comment"


def test_contract_classes_declared_with_labels(ontology: rdflib.Graph) -> None:
    classes, _, _ = contract_terms()
    for curie in sorted(classes - BUILTINS) + EXTRA_CLASSES:
        _assert_described(ontology, curie, (OWL.Class, RDFS.Class))


def test_contract_properties_declared_with_labels(ontology: rdflib.Graph) -> None:
    _, props, _ = contract_terms()
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    for curie in sorted(props - BUILTINS) + EXTRA_OBJECT_PROPERTIES + EXTRA_DATATYPE_PROPERTIES:
        _assert_described(ontology, curie, kinds)
    for curie in EXTRA_OBJECT_PROPERTIES:
        assert (expand(curie), RDF.type, OWL.ObjectProperty) in ontology, curie
    for curie in EXTRA_DATATYPE_PROPERTIES:
        assert (expand(curie), RDF.type, OWL.DatatypeProperty) in ontology, curie


def test_class_and_property_hierarchy(ontology: rdflib.Graph) -> None:
    event = expand("schema:Event")
    for c in ("Meeting", "Congress", "AwardCeremony", "Election"):
        assert (KG[c], RDFS.subClassOf, event) in ontology
    for c in (
        "Symposium",
        "Lecture",
        "StandingCommitteeMeeting",
        "PlenaryMeeting",
        "Reception",
        "Conference",
    ):
        assert (KG[c], RDFS.subClassOf, KG.Meeting) in ontology
    assert (KG.Role, RDFS.subClassOf, SKOS.Concept) in ontology
    subprops = {
        "photographer": "schema:contributor", "reporter": "schema:author", "correspondent": "schema:author",
        "kicker": "schema:alternativeHeadline", "subtitle": "schema:alternativeHeadline",
        "recipient": "schema:fundedItem",
    }  # fmt: skip
    for p, sup in subprops.items():
        assert (KG[p], RDFS.subPropertyOf, expand(sup)) in ontology, p


def test_no_domains_on_shared_or_external_properties(ontology: rdflib.Graph) -> None:
    """RDFS inference must not mistype: external and multi-use properties carry no rdfs:domain/range."""
    for s in set(ontology.subjects(RDFS.domain, None)) | set(ontology.subjects(RDFS.range, None)):
        assert str(s).startswith(str(KG)), f"external property {s} has a domain/range"
    for p in ("agent", "evidence", "recipient", "sourceFile", "locality", "pinyin", "mentionStart"):
        assert ontology.value(KG[p], RDFS.range) is None, p
    for p in ("evidence", "evidenceStart", "mentionStart", "sourceStart", "sourceFile", "pinyin"):
        assert ontology.value(KG[p], RDFS.domain) is None, p


def test_role_scheme(ontology: rdflib.Graph) -> None:
    members = set(ontology.subjects(SKOS.inScheme, KG.RoleScheme))
    assert members == {KG[r] for r in ROLES}
    for r in ROLES:
        role = KG[r]
        assert (role, RDF.type, KG.Role) in ontology
        assert (role, RDF.type, SKOS.Concept) in ontology
        assert (role, SKOS.topConceptOf, KG.RoleScheme) in ontology
        assert (KG.RoleScheme, SKOS.hasTopConcept, role) in ontology
        for p in (SKOS.prefLabel, SKOS.definition):
            langs = [o.language for o in ontology.objects(role, p)]
            assert sorted(langs) == ["en", "zh"], (r, p, langs)


def test_role_triggers_are_altlabels(ontology: rdflib.Graph) -> None:
    """Every Chinese trigger in the contract's role table is a skos:altLabel@zh of its role."""
    if CONTRACT.is_file():
        rows = re.findall(r"^\| `kg:(\w+)` \| (.+?) \|$", CONTRACT.read_text(encoding="utf-8"), re.M)
        table = {r: re.findall(r"[\u4e00-\u9fff]+", cell) for r, cell in rows if r in ROLES}
    else:
        table = {"Chair": ["主持"], "Speaker": ["讲话", "致辞"], "Observer": ["列席"], "Elected": ["当选"]}
    assert set(table) == set(ROLES) or not CONTRACT.is_file()
    for role, triggers in table.items():
        alts = {str(o) for o in ontology.objects(KG[role], SKOS.altLabel) if o.language == "zh"}
        assert set(triggers) <= alts, (role, set(triggers) - alts)


# ---------------------------------------------------------------- SHACL

GRAPH = "http://localhost:8000/article/a1"

GOOD = """
@prefix kg: <https://w3id.org/newskg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix b: <http://localhost:8000/> .

b:article\\/a1 a schema:NewsArticle ;
    schema:headline "市政协召开党组会议"@zh ;
    kg:kicker "学习贯彻全会精神"@zh ;
    schema:datePublished "2022-01-13"^^xsd:date ;
    schema:author b:person\\/p2 ;
    kg:reporter b:person\\/p2 ;
    kg:photographer b:person\\/p3 ;
    schema:about b:event\\/e1 ;
    schema:mentions b:person\\/p1 , b:organization\\/o1 ;
    kg:pagePosition 0 ;
    kg:continuedOnPage 3 ;
    kg:contentHash "bd3172a97833ae3dbd3172a97833ae3dbd3172a97833ae3dbd3172a97833ae3d" ;
    kg:sourceFile "000_bd3172a97833ae3d.txt" .

b:event\\/e1 a kg:Symposium , kg:Meeting ;
    schema:name "党组会议"@zh ;
    schema:startDate "2022-01-12"^^xsd:date ;
    schema:location b:place\\/taiyuan ;
    schema:organizer b:organization\\/o1 ;
    kg:participation b:event\\/e1\\#p1 .

b:event\\/e2 a kg:Election ;
    schema:name "选举"@zh ;
    schema:startDate "--01-12"^^xsd:gMonthDay ;
    schema:superEvent b:event\\/e1 .

b:event\\/e1\\#p1 a kg:Participation ;
    kg:agent b:person\\/p1 ;
    kg:role kg:Chair , kg:Speaker ;
    kg:post b:post\\/s1 ;
    prov:wasDerivedFrom b:article\\/a1 ;
    kg:evidence "市政协党组书记、主席李思进主持会议并讲话。"@zh ;
    kg:evidenceStart 120 ; kg:evidenceEnd 142 ; kg:mentionStart 131 ; kg:mentionEnd 134 .

b:person\\/p1 a schema:Person ;
    schema:name "李思进"@zh ;
    kg:pinyin "Li Sijin" ;
    org:holds b:post\\/s1 ;
    kg:postHolding b:article\\/a1\\#h1 .

b:article\\/a1\\#h1 a kg:PostHolding ;
    kg:holder b:person\\/p1 ;
    kg:heldPost b:post\\/s1 ;
    prov:wasDerivedFrom b:article\\/a1 ;
    kg:evidence "市政协党组书记、主席李思进主持会议并讲话。"@zh .

b:person\\/p2 a schema:Person ; schema:name "张波"@zh .
b:person\\/p3 a schema:Person ; schema:name "梁琛"@zh .

b:post\\/s1 a org:Post ;
    rdfs:label "市政协主席"@zh ;
    org:postIn b:organization\\/o1 .

b:organization\\/o1 a schema:Organization ; schema:name "太原市政协"@zh ; kg:orgKind "CPPCC" .
b:place\\/taiyuan a schema:Place ; schema:name "太原市"@zh .

b:article\\/a1\\#g1 a schema:MonetaryGrant ;
    schema:amount b:article\\/a1\\#m1 ;
    schema:funder b:organization\\/o1 ;
    kg:recipient b:person\\/p1 ;
    kg:grantedAt b:event\\/e1 ;
    kg:purpose "奖励"@zh .

b:article\\/a1\\#m1 a schema:MonetaryAmount ;
    schema:value 153000000.0 ;
    schema:currency "CNY" ;
    kg:amountText "1.53亿元"@zh .
"""


def graph(ttl: str = GOOD) -> rdflib.Graph:
    return rdflib.Graph().parse(data=ttl, format="turtle")


def run(g: rdflib.Graph, inference: str = "none") -> ValidationReport:
    return validate_graphs([(GRAPH, g)], inference=inference)


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_conforming_article(inference: str) -> None:
    report = run(graph(), inference)
    assert report.conforms, report.text()
    assert report.graphs == 1 and report.violations == []
    assert report.text().startswith("conforms: yes")


def _without(g: rdflib.Graph, s: str, p: URIRef) -> rdflib.Graph:
    g.remove((URIRef(s), p, None))
    return g


def _set(g: rdflib.Graph, s: str, p: URIRef, o: rdflib.term.Node) -> rdflib.Graph:
    g.set((URIRef(s), p, o))
    return g


SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
B = "http://localhost:8000/"
ART, EV, PART, PER = B + "article/a1", B + "event/e1", B + "event/e1#p1", B + "person/p1"
HOLD, AMT, POST = B + "article/a1#h1", B + "article/a1#m1", B + "post/s1"

BROKEN = {
    "missing headline": (
        lambda g: _without(g, ART, SCHEMA.headline),
        "article/a1",
        "schema:headline",
        "exactly one non-empty schema:headline",
    ),
    "empty headline": (
        lambda g: _set(g, ART, SCHEMA.headline, Literal("", lang="zh")),
        "article/a1",
        "schema:headline",
        "exactly one non-empty schema:headline",
    ),
    "two headlines": (
        lambda g: g.add((URIRef(ART), SCHEMA.headline, Literal("另一个标题", lang="zh"))) and g,
        "article/a1",
        "schema:headline",
        "exactly one non-empty schema:headline",
    ),
    "datePublished as string": (
        lambda g: _set(g, ART, SCHEMA.datePublished, Literal("2022-01-13")),
        "article/a1",
        "schema:datePublished",
        "an xsd:date",
    ),
    "author not a person": (
        lambda g: _set(g, ART, SCHEMA.author, URIRef(B + "organization/o1")),
        "article/a1",
        "schema:author",
        "must be a schema:Person",
    ),
    "participation without agent": (
        lambda g: _without(g, PART, KG.agent),
        "event/e1#p1",
        "kg:agent",
        "exactly one kg:agent",
    ),
    "agent is a place": (
        lambda g: _set(g, PART, KG.agent, URIRef(B + "place/taiyuan")),
        "event/e1#p1",
        "kg:agent",
        "exactly one kg:agent",
    ),
    "role outside the vocabulary": (
        lambda g: g.add((URIRef(PART), KG.role, KG.Moderator)) and g,
        "event/e1#p1",
        "kg:role",
        "kg:RoleScheme",
    ),
    "participation without role": (
        lambda g: _without(g, PART, KG.role),
        "event/e1#p1",
        "kg:role",
        "at least one kg:role",
    ),
    "participation without provenance": (
        lambda g: _without(g, PART, PROV.wasDerivedFrom),
        "event/e1#p1",
        "prov:wasDerivedFrom",
        "exactly one prov:wasDerivedFrom",
    ),
    "startDate as plain string": (
        lambda g: _set(g, EV, SCHEMA.startDate, Literal("1月12日")),
        "event/e1",
        "schema:startDate",
        "xsd:date or xsd:gMonthDay",
    ),
    "event name without language": (
        lambda g: _set(g, EV, SCHEMA.name, Literal("党组会议")),
        "event/e1",
        "schema:name",
        "language-tagged",
    ),
    "event without name": (
        lambda g: _without(g, B + "event/e2", SCHEMA.name),
        "event/e2",
        "schema:name",
        "at least one schema:name",
    ),
    "participation value not a Participation": (
        lambda g: _set(g, EV, KG.participation, URIRef(PER)),
        "event/e1",
        "kg:participation",
        "kg:Participation",
        # under RDFS the range of kg:participation makes the person a Participation, lacking an agent
        ("person/p1", "kg:agent", "exactly one kg:agent"),
    ),
    "person without name": (
        lambda g: _without(g, PER, SCHEMA.name),
        "person/p1",
        "schema:name",
        "at least one non-empty schema:name",
    ),
    "post without label": (
        lambda g: _without(g, POST, RDFS.label),
        "post/s1",
        "rdfs:label",
        "rdfs:label",
    ),
    "amount value as a string": (
        lambda g: _set(g, AMT, SCHEMA.value, Literal("153000000")),
        "article/a1#m1",
        "schema:value",
        "xsd:decimal",
    ),
    "amount value as an integer": (
        lambda g: _set(g, AMT, SCHEMA.value, Literal(153000000)),
        "article/a1#m1",
        "schema:value",
        "xsd:decimal",
    ),
    "amount in dollars": (
        lambda g: _set(g, AMT, SCHEMA.currency, Literal("USD")),
        "article/a1#m1",
        "schema:currency",
        '"CNY"',
    ),
    "post holding without holder": (
        lambda g: _without(g, HOLD, KG.holder),
        "article/a1#h1",
        "kg:holder",
        "exactly one kg:holder",
    ),
    "post holding with a person as post": (
        lambda g: _set(g, HOLD, KG.heldPost, URIRef(PER)),
        "article/a1#h1",
        "kg:heldPost",
        "exactly one kg:heldPost",
        # under RDFS the range of kg:heldPost makes the person a Post, lacking a label
        ("person/p1", "rdfs:label", "rdfs:label"),
    ),
}


@pytest.mark.parametrize("inference", ["none", "rdfs"])
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_variants_are_rejected(case: str, inference: str) -> None:
    breaker, focus, path, message, *under_rdfs = BROKEN[case]
    if inference == "rdfs" and under_rdfs:
        focus, path, message = under_rdfs[0]
    g = breaker(graph())
    report = run(g, inference)
    assert not report.conforms, case
    text = report.text()
    assert text.startswith("conforms: no")
    lines = [ln for ln in text.splitlines()[1:] if ln.split("  ")[1:3] == [focus, path]]
    assert lines, f"{case}: no line for {focus} {path} in\n{text}"
    assert any(message in ln for ln in lines), f"{case}: message {message!r} missing in\n{text}"
    assert all(ln.startswith(f"<{GRAPH}>  ") for ln in lines)


def test_report_names_the_graph_and_several_violations() -> None:
    bad = graph()
    bad.remove((URIRef(ART), SCHEMA.headline, None))
    bad.set((URIRef(AMT), SCHEMA.value, Literal("x")))
    report = validate_graphs([("http://localhost:8000/article/ok", graph()), (GRAPH, bad)])
    assert report.graphs == 2 and not report.conforms
    assert len(report.violations) == 2
    assert {v.graph for v in report.violations} == {f"<{GRAPH}>"}
    assert "2 graphs, 2 violations" in report.text()


def test_validate_dataset_checks_each_named_graph() -> None:
    ds = rdflib.Dataset()
    for t in graph():
        ds.graph(URIRef(GRAPH)).add(t)
    broken = ds.graph(URIRef("http://localhost:8000/article/a2"))
    broken.add((URIRef("http://localhost:8000/article/a2"), RDF.type, SCHEMA.NewsArticle))
    report = validate_dataset(ds)
    assert report.graphs == 2
    assert [v.graph for v in report.violations] == ["<http://localhost:8000/article/a2>"]


def test_gmonthday_survives_rdfs_inference() -> None:
    """owlrl's broken gMonthDay converter must not leak into later validations (see kg.validate)."""
    run(graph(), "rdfs")
    fresh = graph()  # literals parsed after an RDFS run
    assert not Literal("--01-12", datatype=XSD.gMonthDay).ill_typed
    assert Literal("--13-45", datatype=XSD.gMonthDay).ill_typed
    for inference in ("none", "rdfs"):
        assert run(fresh, inference).conforms


def test_empty_input_conforms() -> None:
    report = validate_graphs([])
    assert report.conforms and report.graphs == 0


def test_many_graphs_validate_together() -> None:
    g = graph()
    report = validate_graphs([(f"http://localhost:8000/article/a{i}", g) for i in range(20)])
    assert report.conforms and report.graphs == 20


def test_ontology_dir_is_the_repo_folder() -> None:
    """The package's ontology (kg/ontology, what a wheel ships) is the top-level ontology/ folder."""
    assert ONTOLOGY_DIR.resolve() == (REPO / "ontology").resolve()
