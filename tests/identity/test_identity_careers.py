"""Careers across lines of work (issue 14): the line keys of one written name in one jurisdiction are
one person unless the evidence says two (kg.rdf.careers decides, kg.careers applies it after ingest and
in kg resolve). Invented names and texts throughout."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.careers import apply_all
from kg.ingest import ingest_file
from kg.rdf import careers
from kg.rdf.careers import Post, Sighting
from kg.store import open_store
from tests.identity.test_identity import BASE, Q, dump_all, page, people_named, post_labels


def _s(date: str | None, *posts: Post) -> Sighting:
    return Sighting(f"a-{date}-{len(posts)}", date, posts)


CHIEF = careers.post_of("青禾市教育局局长", "青禾市教育局", "government")
VICE_MAYOR = careers.post_of("副市长")
STANDING = careers.post_of("中共青禾市委常委", "中共青禾市委", "party")
PROPAGANDA = careers.post_of("宣传部部长", "中共青禾市委宣传部", "party")
ORG_DEPUTY = careers.post_of("组织部副部长", "中共青禾市委组织部", "party")
SCHOOL = careers.post_of("青禾市第三小学校长", "青禾市第三小学")
SECRETARY = careers.post_of("中共青禾市委书记", "中共青禾市委", "party")
DISTRICT = careers.post_of("云溪区区长")


def test_posts_have_a_line_a_tier_and_a_rank() -> None:
    assert (CHIEF.line, CHIEF.tier, CHIEF.rank) == ("education", "department", 2)
    assert (VICE_MAYOR.line, VICE_MAYOR.tier, VICE_MAYOR.rank) == ("", "leader", 3)
    assert (SCHOOL.tier, SCHOOL.rank) == ("unit", 0)
    assert SECRETARY.rank == 4 and STANDING.rank == 3 and ORG_DEPUTY.rank == 1
    assert DISTRICT.rank == CHIEF.rank  # a district's head ranks with a city's bureau head


def test_a_bureau_chief_promoted_to_vice_mayor_is_one_career() -> None:
    p = careers.plan({"education": [_s("2020-03-02", CHIEF), _s("2020-09-01", CHIEF)],
                      "": [_s("2022-03-02", VICE_MAYOR), _s("2019-01-01")]})  # a bare name, earlier: no evidence
    assert p.joined() == {"education": ""}
    assert "one after the other" in p.why["education"]


def test_a_standing_member_heading_propaganda_printed_either_way_is_one() -> None:
    p = careers.plan({"propaganda": [_s("2021-05-01", STANDING, PROPAGANDA)],
                      "": [_s("2021-03-01", STANDING), _s("2021-07-01", VICE_MAYOR)]})
    assert p.joined() == {"propaganda": ""}
    assert "held together" in p.why["propaganda"]


def test_each_post_is_compared_over_its_own_dates() -> None:
    """A propaganda head of 2019 who is deputy secretary in 2021 and mayor in 2022: the general track's
    span covers 2019 (市委常委), but 部长 and 市长 were never held at once."""
    deputy_secretary = careers.post_of("中共青禾市委副书记", "中共青禾市委", "party")
    mayor = careers.post_of("市长")
    p = careers.plan({"propaganda": [_s("2019-05-01", STANDING, PROPAGANDA), _s("2020-04-01", PROPAGANDA)],
                      "": [_s("2019-03-01", STANDING), _s("2021-06-01", deputy_secretary), _s("2022-06-01", mayor)]})
    assert p.joined() == {"propaganda": ""}


def test_a_party_school_and_a_sub_district_rank_as_departments() -> None:
    school = careers.post_of("中共青禾市委党校校长", "中共青禾市委党校", "party")
    assert school.tier == "department"  # held by a deputy secretary: not a school head's unit post
    deputy_secretary = careers.post_of("中共青禾市委副书记", "中共青禾市委", "party")
    assert careers.plan({"education": [_s("2021-05-01", school)], "": [_s("2021-03-01", deputy_secretary)]}).joined()
    street = careers.post_of("云溪区朝阳街道党工委书记", "云溪区朝阳街道党工委", "party")
    vice_district = careers.post_of("副区长", "云溪区政府", "government")
    assert street.rank < vice_district.rank  # a township-level post, then a district's deputy head: a promotion
    assert careers.plan({"community": [_s("2019-05-01", street)], "": [_s("2021-03-01", vice_district)]}).joined()


def test_evidence_of_two_people_keeps_lines_apart() -> None:
    # two department posts of different lines at once
    p = careers.plan({"education": [_s("2020-03-02", CHIEF), _s("2021-03-02", CHIEF)],
                      "org": [_s("2020-06-02", ORG_DEPUTY), _s("2021-06-02", ORG_DEPUTY)]})
    assert p.joined() == {} and "at the same time" in p.why["education"]
    # a school head beside a district head, in the same years
    assert careers.plan({"": [_s("2021-03-02", DISTRICT)], "education": [_s("2021-04-02", SCHOOL)]}).joined() == {}
    # a city's party secretary who later heads a bureau: a fall no career takes
    p = careers.plan({"": [_s("2021-01-05", SECRETARY)], "education": [_s("2023-07-05", CHIEF)]})
    assert p.joined() == {} and "until 2021-01-05" in p.why["education"]
    # undated posts may be at any time: compared as held together
    assert careers.plan({"": [_s(None, DISTRICT)], "education": [_s("2021-04-02", SCHOOL)]}).joined() == {}


def test_the_plan_does_not_depend_on_the_order_of_lines_or_sightings() -> None:
    lines = {"education": [_s("2020-03-02", CHIEF)], "org": [_s("2020-06-02", ORG_DEPUTY)],
             "": [_s("2022-01-01", VICE_MAYOR), _s("2018-01-01", DISTRICT)]}
    a = careers.plan(lines)
    b = careers.plan({k: list(reversed(v)) for k, v in reversed(list(lines.items()))})
    assert a.kept == b.kept == {"": "", "org": "", "education": "education"}  # the first group takes org


def _ingest(store, tmp_path: Path, texts: list[tuple[str, str]], prefix: str = "k",
            order: list[int] | None = None) -> None:
    for i in order if order is not None else range(len(texts)):
        date, sentence = texts[i]
        p = page(tmp_path / "pages", f"{prefix}{i}", "青禾市", date, f"青禾市会议{prefix}{i}",
                 f"本报讯 青禾市召开会议。{sentence}")
        ingest_file(store, p, base=BASE)


def _reasons(store, name: str) -> set[str]:
    rows = store.query(Q + f"""SELECT DISTINCT ?r WHERE {{ GRAPH ?b {{ ?b kg:writtenName "{name}"@zh .
        ?j kg:joinReason ?r }} }}""").rows()
    return {str(r["r"]).rsplit("#", 1)[1] for r in rows}


PROMOTION = [("2020-03-02", "教育局局长柯望舒出席。"), ("2020-09-02", "教育局局长柯望舒讲话。"),
             ("2022-03-02", "副市长柯望舒出席。")]


@pytest.mark.parametrize("order", [[0, 1, 2], [2, 0, 1]])
def test_ingest_joins_a_bureau_chief_promoted_to_vice_mayor(store, tmp_path: Path, order: list[int]) -> None:
    _ingest(store, tmp_path, PROMOTION, order=order)
    (ke,) = people_named(store, "柯望舒")
    assert not ke.endswith("_education")  # kept under the general track's key
    assert len(post_labels(store, ke)) == 2
    assert _reasons(store, "柯望舒") == {"PostJurisdiction", "CareerJoin"}
    rows = store.query(Q + """SELECT ?s WHERE { GRAPH ?b { ?j kg:joinReason kg:CareerJoin ; kg:sector ?s } }""").rows()
    assert {str(r["s"]) for r in rows} == {"education"}  # the join says which line it joined
    assert apply_all(store) == []  # kg resolve finds nothing more to do


def test_a_concurrent_post_left_out_of_one_report_is_one_person(store, tmp_path: Path) -> None:
    _ingest(store, tmp_path, [("2021-03-02", "市委常委、宣传部部长柯望舒出席。"),
                              ("2021-05-02", "市委常委柯望舒讲话。"), ("2021-06-02", "副市长柯望舒出席。"),
                              ("2021-04-02", "副市长、公安局局长司马砚出席。"), ("2021-08-02", "副市长司马砚讲话。")])
    assert len(people_named(store, "柯望舒")) == 1
    assert len(people_named(store, "司马砚")) == 1


def test_concurrent_namesakes_of_two_lines_stay_two_and_new_evidence_undoes_a_join(store, tmp_path: Path) -> None:
    _ingest(store, tmp_path, PROMOTION)
    assert len(people_named(store, "柯望舒")) == 1
    # a school head of the same name in 2023: the education line now spans the vice-mayor's years with a
    # school post beside them — two people, and the bureau chief's mentions get their own key back
    _ingest(store, tmp_path, [("2023-04-02", "青禾市第三小学校长柯望舒介绍经验。")], prefix="s")
    kes = people_named(store, "柯望舒")
    assert len(kes) == 2 and any(k.endswith("_education") for k in kes)
    assert "CareerJoin" not in _reasons(store, "柯望舒")
    undone = dump_all(store)
    other = open_store(tmp_path / "other")  # the same articles in another order: the same store
    try:
        _ingest(other, tmp_path, [("2023-04-02", "青禾市第三小学校长柯望舒介绍经验。")], prefix="s")
        _ingest(other, tmp_path, PROMOTION, order=[2, 1, 0])
        assert dump_all(other) == undone
    finally:
        other.close()


def test_an_editors_split_wins_over_a_career_join(store, tmp_path: Path) -> None:
    from kg.rdf.curation import parse
    from kg.resolve import curate, rebuild

    _ingest(store, tmp_path, PROMOTION)
    (ke,) = people_named(store, "柯望舒")
    first = store.query(Q + """SELECT ?a WHERE { GRAPH ?a { ?m a kg:PersonMention ; kg:sector "education" } }
                               ORDER BY ?a LIMIT 1""").rows()
    article = str(next(iter(first))["a"])
    edu = ke + "_education"
    cur = parse(f'[[split]]\nperson = "{edu}"\narticles = ["{article}"]\nlabel = "教育局"\n')
    curate(store, cur)
    apply_all(store)
    rebuild(store)
    kes = people_named(store, "柯望舒")
    assert len(kes) == 2 and any("_c-" in k for k in kes)  # the split article's person is the editor's
    assert {"Curated", "CareerJoin"} <= _reasons(store, "柯望舒")


def test_the_person_page_says_a_career_join_joined_the_lines(store, tmp_path: Path) -> None:
    from tests.support.pages import page_client

    _ingest(store, tmp_path, PROMOTION)
    (ke,) = people_named(store, "柯望舒")
    html = page_client(store, BASE).get(ke.replace(BASE, "")).text
    why = html[html.index('id="identity"'):html.index('id="network"')]
    assert "同一辖区的任职经历" in why and "One career in the jurisdiction" in why
    assert "2020-03-02" in why and "2020-09-02" in why  # the span of the joined line's mentions


def test_kg_resolve_brings_a_store_without_career_joins_to_what_ingest_makes(tmp_path: Path, capsys,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A store written before career joins (the refresh did not move anything) is joined by kg resolve,
    quad for quad what ingest with the refresh makes; a second kg resolve changes nothing."""
    from kg import careers as careers_store
    from kg.cli import main

    fresh = open_store(tmp_path / "fresh")
    try:
        _ingest(fresh, tmp_path, PROMOTION)
        want = dump_all(fresh)
    finally:
        fresh.close()
    with monkeypatch.context() as m:
        m.setattr(careers_store, "refresh", lambda store, articles, *rest: careers_store.Moves())
        old = open_store(tmp_path / "old")
        try:
            _ingest(old, tmp_path, PROMOTION)
            assert len(people_named(old, "柯望舒")) == 2
        finally:
            old.close()
    assert main(["resolve", "--store", str(tmp_path / "old")]) == 0
    assert "2 re-keyed by career joins" in capsys.readouterr().err
    old = open_store(tmp_path / "old")
    try:
        assert dump_all(old) == want
    finally:
        old.close()
    assert main(["resolve", "--store", str(tmp_path / "old")]) == 0
    assert "0 re-keyed by career joins" in capsys.readouterr().err


@pytest.mark.parametrize("after", ["graph store", "sparql update"])
def test_removing_the_article_that_joined_two_lines_undoes_the_join(store, tmp_path: Path, after: str) -> None:
    from kg.derived import refresh_derived
    from kg.resolve import refresh_after_write

    _ingest(store, tmp_path, PROMOTION)
    (ke,) = people_named(store, "柯望舒")
    rows = store.query(Q + f"SELECT DISTINCT ?a WHERE {{ GRAPH ?a {{ ?a schema:mentions <{ke}> ; "
                           f"schema:datePublished ?d FILTER(STR(?d) = '2022-03-02') }} }}").rows()
    (vice,) = [str(r["a"]) for r in rows]
    if after == "graph store":
        store.remove_graphs([vice])
        refresh_derived(store, [vice])  # what a Graph Store DELETE does
    else:
        store.update(f"DROP GRAPH <{vice}>")
        refresh_after_write(store, [vice])  # what the service does after a SPARQL Update naming it
    (left,) = people_named(store, "柯望舒")
    assert left.endswith("_education") and _reasons(store, "柯望舒") == {"PostJurisdiction"}


def test_the_refresh_reads_only_names_with_two_lines(store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a batch, only the names with a block of two lines (or a career join) are read mention by
    mention; a leader printed on one line in every report is not (that read grew with the store)."""
    import kg.careers as C

    asked: list[set[str]] = []
    real = C.mentions_named
    monkeypatch.setattr(C, "mentions_named", lambda st, names: asked.append(set(names)) or real(st, names))
    _ingest(store, tmp_path, [(f"2021-0{i + 1}-02", "市委书记石砚秋主持。教育局局长柯望舒出席。") for i in range(3)]
            + [("2022-03-02", "市委书记石砚秋主持。副市长柯望舒出席。")])
    assert asked and all(names == {"柯望舒"} for names in asked[-1:])
    assert not any("石砚秋" in names for names in asked)
    assert C.names_to_plan(store, ["石砚秋", "柯望舒"]) == {"柯望舒"}
    (ke,) = people_named(store, "柯望舒")  # and the join is made as before
    assert not ke.endswith("_education")


def test_the_refresh_reads_the_lines_of_a_batchs_names_from_the_layer(store, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the store has a resolution layer, which names have two lines is read from their blocks' joins
    (a row per person, reason, jurisdiction and line), not from every mention of the names (that read grew
    with the store); the join is made as before, and the first batch, with no layer yet, reads the mentions."""
    import kg.careers as C

    asked: list[set[str]] = []
    real = C.names_to_plan
    monkeypatch.setattr(C, "names_to_plan", lambda st, names: asked.append(set(names)) or real(st, names))
    _ingest(store, tmp_path, PROMOTION)
    assert len(asked) == 1  # the first article only: no layer yet
    (ke,) = people_named(store, "柯望舒")
    assert not ke.endswith("_education") and "CareerJoin" in _reasons(store, "柯望舒")


def test_the_layers_lines_plan_the_names_the_mentions_plan(store, tmp_path: Path) -> None:
    """The lines read from a current layer call for the same names as the lines of every mention."""
    import kg.careers as C
    from kg.layer_graphs import base_of, block_iri
    from kg.mentions import iter_mentions

    _ingest(store, tmp_path, [*PROMOTION, ("2021-04-02", "市委书记石砚秋主持。"),
                              ("2021-05-02", "市委书记石砚秋讲话。"),
                              ("2021-06-02", "青禾市第三小学校长闻照溪介绍经验。"),
                              ("2021-07-02", "副区长闻照溪出席。")])
    blocks = {block_iri(base_of(m.person), m.name): m.name for m in iter_mentions(store)}
    from_layer = C._planned(C._layer_lines(store, blocks))
    assert "柯望舒" in from_layer and "石砚秋" not in from_layer
    assert from_layer == C.names_to_plan(store, set(blocks.values()))


def test_a_store_without_a_layer_plans_from_the_mentions(store, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Article graphs written with no resolution layer (as by a plain load): the refresh reads the
    mentions, and the join is made all the same."""
    import kg.resolve

    monkeypatch.setattr(kg.resolve, "refresh", lambda *args, **kwargs: 0)
    _ingest(store, tmp_path, PROMOTION)
    assert not list(store.query(Q + "SELECT ?a WHERE { GRAPH ?g { ?a kg:layerStamp ?d } }").rows())
    (ke,) = people_named(store, "柯望舒")
    assert not ke.endswith("_education")
