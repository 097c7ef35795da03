"""The person page's identity sections and the disambiguation page say what the resolution layer
holds (issue 14): the page queries shaped for speed (kg/queries/pages/person_identity.rq,
person_namesakes.rq, name_block.rq) against the plain aggregates of tests/support/identity_reference.py,
on invented texts with namesakes, a mayor named in another city's paper, a namesake of another line of
work, a career across lines and a stated alias."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from kg.ingest import ingest_file
from kg.rdf.curation import EMPTY
from kg.resolve import curate, rebuild
from kg.web.pages import person as V
from kg.web.pages.common import Linker, Lookup
from tests.identity.test_identity import BASE, ORDER_SPECS, Q, page
from tests.support.identity_reference import assert_name_page_matches, assert_person_page_matches, identity

SPECS = [
    *ORDER_SPECS,
    ("i", "云岭市", "2024-02-05", "青禾市委书记王伟出席。市委书记王伟主持。"),
    ("s", "青禾市", "2021-03-02", "副市长柯望舒（曾用名柯望书）出席并讲话。"),
    ("o", "青禾市", "2018-03-02", "副市长柯望书主持。"),
    ("y", "云岭市", "2018-05-02", "副市长柯望书主持。"),  # the old name's namesake: 柯望舒 is among its namesakes
]


def test_identity_sections_match_the_plain_aggregates(store, tmp_path: Path) -> None:
    for n, city, date, text in SPECS:
        ingest_file(store, page(tmp_path, n, city, date, f"{city}会议{n}", f"本报讯 {city}召开会议。{text}"), base=BASE)
    curate(store, EMPTY)  # kg resolve: the career join, the old name's articles
    rebuild(store)
    people = [str(r["p"]) for r in store.query(Q + "SELECT DISTINCT ?p WHERE { ?p a schema:Person }").rows()]
    written = Q + "SELECT DISTINCT ?n WHERE { GRAPH ?b { ?b kg:writtenName ?n } }"
    names = {str(r["n"]) for r in store.query(written).rows()}
    assert len(people) >= 8 and {"王伟", "张伟", "柯望书"} <= names
    papers = 0
    for p in people:
        assert_person_page_matches(store, BASE, p)
        assert_person_page_matches(store, BASE, p, "busy")  # the form for a much-mentioned person
        assert_person_page_matches(store, BASE, p, "rows")  # and for a person of few
        papers = max(papers, *(len(r[3]) for r in identity(store, p)), 0)
    assert papers >= 2  # a reason and jurisdiction with articles of two papers was compared
    reasons = {str(r["r"]).rsplit("#", 1)[1] for r in store.query(
        Q + "SELECT DISTINCT ?r WHERE { GRAPH ?b { ?j kg:joinReason ?r } }").rows()}
    assert {"PostJurisdiction", "StatedAlias", "CareerJoin"} <= reasons, reasons
    for name in names:
        assert_name_page_matches(store, BASE, name)
    (other,) = [p for p in people if "ling-shi" in p and p.rsplit("/", 1)[1].startswith("ke-wang-shu")]
    shown = V._identity(store, Linker(BASE), URIRef(other), Lookup(store))[1]
    assert "柯望舒" in [o.link.text for o in shown if o.link]  # a namesake named otherwise, by its own name
