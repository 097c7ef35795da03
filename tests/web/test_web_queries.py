"""The README's example queries (kg/queries/*.rq) on a hand-made graph with known answers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.queries import QUERY_DIR, load
from kg.store import open_store
from tests.support.web import add_handmade

BASE = "http://example.org/kg"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    s = open_store(tmp_path_factory.mktemp("q") / "store")
    add_handmade(s, BASE)
    yield s
    s.close()


def rows(store, name: str) -> list[dict]:
    return [{k: (None if v is None else v.toPython()) for k, v in r.items()} for r in store.query(load(name)).rows()]


def test_every_query_file_parses(store) -> None:
    """A query kept as data must at least be valid SPARQL (describe/backlinks need a binding)."""
    from rdflib import URIRef

    this = URIRef(f"{BASE}/person/wei-tao")
    for path in sorted(Path(QUERY_DIR).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        store.query(text, bindings={"this": this} if "?this" in text else None)


def test_chairs(store) -> None:
    got = [(r["name"], r["eventName"], str(r["date"])) for r in rows(store, "chairs")]
    assert got == [("韦韬", "人才工作座谈会", "2022-01-10"), ("张新伟", "市委人才工作会议", "2022-01-12")]


def test_co_participants_counts_events_once(store) -> None:
    """李晓波 is at e1 in two articles and at e2: 韦韬 shares two events with him, not three."""
    got = [(r["otherName"], r["events"]) for r in rows(store, "co_participants")]
    assert got == [("韦韬", 2), ("张新伟", 1)]


def test_money_per_organisation(store) -> None:
    got = {(r["name"], r["direction"]): (r["yuan"], r["grants"]) for r in rows(store, "money_per_org")}
    assert got == {
        ("太原市委", "funded"): (Decimal(153500000), 2),
        ("太原市委", "granted at its event"): (Decimal(39000000), 1),  # no funder named: the organiser
        ("太原理工大学", "received"): (Decimal(153000000), 1),
        ("山西医科大学", "received"): (Decimal(500000), 1),
    }


def test_with_iri_writes_the_iri_in_and_refuses_breakouts() -> None:
    from kg.queries import with_iri

    q = "CONSTRUCT { ?this ?p ?o . ?thisToo ?p ?o } WHERE { $this ?p ?o }"
    want = "CONSTRUCT { <http://x/a#b> ?p ?o . ?thisToo ?p ?o } WHERE { <http://x/a#b> ?p ?o }"
    assert with_iri(q, "this", "http://x/a#b") == want
    for bad in ("http://x/> } ; DROP ALL", "http://x/a b", 'http://x/"'):
        with pytest.raises(ValueError):
            with_iri(q, "this", bad)


def test_money_is_not_multiplied_by_an_organisations_names(tmp_path) -> None:
    """An organisation printed under several names (太原市委, 中共太原市委) is summed once, not per name."""
    from rdflib import Literal, URIRef

    from kg.rdf.namespaces import SCHEMA
    from kg.store.base import GraphUpdate

    s = open_store(tmp_path / "store")
    try:
        add_handmade(s, BASE)
        org = URIRef(f"{BASE}/organization/shi-wei")
        extra = [(org, SCHEMA.name, Literal("中共太原市委", lang="zh")), (org, SCHEMA.name, Literal("市委", lang="zh"))]
        s.replace_graphs([GraphUpdate(f"{BASE}/article/extra-names", extra)])
        got = {(r["direction"], r["yuan"], r["grants"]) for r in rows(s, "money_per_org") if r["org"] == str(org)}
        assert got == {("funded", Decimal(153500000), 2), ("granted at its event", Decimal(39000000), 1)}
    finally:
        s.close()
