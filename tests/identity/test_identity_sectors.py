"""Namesakes within one jurisdiction (issue 14): one written name is one person in a city only when
the posts are one line of work (kg.rdf.identity.post_sector); invented names and texts throughout."""

from __future__ import annotations

from pathlib import Path

from kg.ingest import build_graphs, ingest_file
from kg.rdf import identity
from kg.rdf.curation import EMPTY
from kg.resolve import curate, rebuild
from tests.identity.test_identity import BASE, Q, dump_all, page, people_named, post_labels


def test_post_sector_reads_the_body_then_the_post_then_the_kind() -> None:
    assert identity.post_sector("局长", "青禾市教育局", "government") == "education"
    assert identity.post_sector("小学校长") == "education"
    assert identity.post_sector("副部长", "中共青禾市委组织部", "government") == "org"
    assert identity.post_sector("区长", "云溪区政府", "government") == ""
    assert identity.post_sector("市委书记", "中共青禾市委", "party") == ""
    assert identity.post_sector("董事长", "青禾钢铁集团", "company") == "enterprise"
    # a line wins over the general track, and the first line of the rules wins whatever the order
    assert identity.person_sector(["", "org"]) == "org"
    assert identity.person_sector(["education", "org"]) == identity.person_sector(["org", "education"]) == "org"
    assert identity.person_sector(["", ""]) == ""


def test_a_district_head_and_a_school_head_of_one_name_in_one_city_are_two(store, tmp_path: Path) -> None:
    texts = [("2021-03-02", "云溪区区长柯望舒出席。"), ("2021-04-02", "青禾市第三小学校长柯望舒介绍经验。"),
             ("2022-03-02", "云溪区区长柯望舒主持。"), ("2022-04-02", "青禾市第三小学校长柯望舒发言。")]
    for i, (date, sentence) in enumerate(texts):
        p = page(tmp_path, f"k{i}", "青禾市", date, f"青禾市会议{i}", f"本报讯 青禾市召开会议。{sentence}")
        ingest_file(store, p, base=BASE)
    kes = people_named(store, "柯望舒")
    assert len(kes) == 2
    assert sorted(len(post_labels(store, k)) for k in kes) == [1, 1]  # each holds their own post only


def test_a_city_secretary_and_a_village_branch_secretary_of_one_name_are_two(store, tmp_path: Path) -> None:
    """A village's 党支部书记 is placed in the city (its district is the city's), but is not on the city
    leaders' track: a line of its own (村党支部, 村委, 社区 …), so a 市委书记 of that name stays apart."""
    assert identity.post_sector("党支部书记", "云溪区桃源村党支部", "party") == "community"
    assert identity.post_sector("主任", "桃源村村民委员会", "government") == "community"
    assert identity.post_sector("书记", "中共青禾市委农村工作领导小组", "party") == "agriculture"
    texts = [("2023-03-02", "市委书记严子墨出席并讲话。"), ("2023-03-05", "云溪区桃源村党支部书记严子墨介绍经验。")]
    for i, (date, sentence) in enumerate(texts):
        p = page(tmp_path, f"v{i}", "青禾市", date, f"青禾市会议{i}", f"本报讯 青禾市召开会议。{sentence}")
        ingest_file(store, p, base=BASE)
    yans = people_named(store, "严子墨")
    assert len(yans) == 2
    assert sorted(len(post_labels(store, y)) for y in yans) == [1, 1]


def test_a_career_on_the_general_track_is_one_person(store, tmp_path: Path) -> None:
    texts = [("2019-05-06", "云溪区副区长柯望舒出席。"), ("2020-05-06", "云溪区区长柯望舒出席。"),
             ("2022-05-06", "副市长柯望舒出席。")]
    for i, (date, sentence) in enumerate(texts):
        p = page(tmp_path, f"c{i}", "青禾市", date, f"青禾市推进会{i}", f"本报讯 青禾市召开推进会。{sentence}")
        ingest_file(store, p, base=BASE)
    (ke,) = people_named(store, "柯望舒")
    assert len(post_labels(store, ke)) == 3


def test_an_education_chief_and_an_organisation_deputy_of_one_name_are_two(store, tmp_path: Path) -> None:
    texts = [("2020-03-02", "教育局局长柯望舒出席。"), ("2020-06-02", "组织部副部长柯望舒出席。"),
             ("2021-03-02", "教育局局长柯望舒讲话。"), ("2021-06-02", "组织部部长柯望舒讲话。")]
    for i, (date, sentence) in enumerate(texts):
        p = page(tmp_path, f"e{i}", "青禾市", date, f"青禾市会议{i}", f"本报讯 青禾市召开会议。{sentence}")
        ingest_file(store, p, base=BASE)
    kes = people_named(store, "柯望舒")
    assert len(kes) == 2  # the education chief, and the organisation deputy promoted to head
    assert sorted(len(post_labels(store, k)) for k in kes) == [1, 2]
    rows = store.query(Q + """SELECT DISTINCT ?sector WHERE { GRAPH ?b { ?j kg:sector ?sector } }""").rows()
    assert {str(r["sector"]) for r in rows} == {"education", "org"}  # the layer says why they are apart


def test_a_name_printed_without_a_post_is_the_leader_not_the_specialist(store, tmp_path: Path) -> None:
    texts = [("2020-03-02", "副市长柯望舒出席。"), ("2020-04-02", "柯望舒在调研时强调，要抓好落实。"),
             ("2020-05-02", "青禾市第三小学校长柯望舒发言。")]
    for i, (date, sentence) in enumerate(texts):
        p = page(tmp_path, f"n{i}", "青禾市", date, f"青禾市调研{i}", f"本报讯 青禾市开展调研。{sentence}")
        ingest_file(store, p, base=BASE)
    kes = people_named(store, "柯望舒")
    assert len(kes) == 2
    general = next(k for k in kes if not k.endswith("_education"))
    rows = list(store.query(Q + f"SELECT DISTINCT ?a WHERE {{ GRAPH ?a {{ ?m kg:mentionOf <{general}> }} }}").rows())
    assert len(rows) == 2  # 副市长 and the bare name


def test_kg_resolve_rekeys_articles_keyed_by_other_rules(store, tmp_path: Path) -> None:
    """A store keyed before the line-of-work rule (no sector, no rules stamp) is brought to what a
    fresh ingest makes by kg resolve (curate with no file re-keys stale articles, then rebuild)."""
    from rdflib import URIRef

    from kg.rdf.namespaces import KG
    from kg.store.base import GraphUpdate

    p = page(tmp_path, "s", "青禾市", "2021-03-02", "青禾市会议", "本报讯 青禾市召开会议。教育局局长柯望舒出席。")
    ingest_file(store, p, base=BASE)
    fresh = dump_all(store)
    _, _, graphs = build_graphs(p, base=BASE)

    def older(t: object) -> object:
        return URIRef(str(t).removesuffix("_education")) if isinstance(t, URIRef) else t

    store.replace_graphs([GraphUpdate(str(g.iri), [(older(s), pr, older(o)) for s, pr, o in g.triples
                                                   if pr not in (KG.identityRules, KG.sector)])
                          for g in graphs])
    rebuild(store)
    assert dump_all(store) != fresh
    done, notes = curate(store, EMPTY)
    rebuild(store)
    assert done == 1 and not notes
    assert dump_all(store) == fresh
    assert curate(store, EMPTY)[0] == 0  # once


def test_kg_resolve_restamps_articles_whose_keys_new_rules_leave_unchanged(store, tmp_path: Path,
                                                                           monkeypatch) -> None:
    """After a rules edit that changes none of an article's keys, kg resolve stamps it with the new rules
    version without writing the graph again (the upgrade of a large store was mostly such rewrites)."""
    from rdflib import Literal

    from kg.rdf.namespaces import KG

    p = page(tmp_path, "s", "青禾市", "2021-03-02", "青禾市会议", "本报讯 青禾市召开会议。副市长柯望舒出席。")
    ingest_file(store, p, base=BASE)
    fresh = dump_all(store)
    store.update(f"DELETE {{ GRAPH ?a {{ ?a <{KG.identityRules}> ?v }} }} "
                 f"INSERT {{ GRAPH ?a {{ ?a <{KG.identityRules}> {Literal('older-rules').n3()} }} }} "
                 f"WHERE {{ GRAPH ?a {{ ?a <{KG.identityRules}> ?v }} }}")
    assert dump_all(store) != fresh

    def no_rewrite(*_: object, **__: object) -> None:
        raise AssertionError("a graph whose keys did not change was written again")

    monkeypatch.setattr(store, "replace_graphs", no_rewrite)
    done, notes = curate(store, EMPTY)
    assert done == 1 and not notes
    assert dump_all(store) == fresh
    assert curate(store, EMPTY)[0] == 0  # once


def test_the_rules_version_ignores_the_notes_of_the_rules_file(monkeypatch) -> None:
    """Rewording a ``_…_why`` note must not re-key every article at the next kg resolve; changing an entry must."""
    from kg.rdf import identity

    base = dict(identity.rules())
    before = identity.rules_version()

    def version_of(rules: dict) -> str:
        monkeypatch.setattr(identity, "rules", lambda: rules)
        identity.rules_version.cache_clear()
        try:
            return identity.rules_version()
        finally:
            identity.rules_version.cache_clear()

    assert version_of({**base, "_sectors_why": "reworded"}) == before
    assert version_of({**base, "alias_markers": [*base["alias_markers"], "又称"]}) != before
