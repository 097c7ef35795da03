"""A province's paper and its cities' papers (kg.rdf.identity.person_key, the ``local_post_over_locality``
data of kg/lexicons/identity_rules.json): a city's 市委书记 who sits on the province's standing committee
is printed 省委常委、市委书记 in the city's paper (the province unnamed) and 江北省委常委、青禾市委书记 in the
province's; both are the city's person. Invented names and places only (江北省, 青禾市, 云岭市)."""

from __future__ import annotations

from pathlib import Path

from kg.ingest import ingest_file
from kg.rdf.identity import Context, person_key
from tests.identity.test_identity import BASE, page, people_named


def ingest_pages(store: object, tmp_path: Path, pages: list[tuple[str, str, str, str]]) -> None:
    """Ingest invented pages (file name, paper's place, date, text), each headed 某地会议."""
    for name, place, date, text in pages:
        ingest_file(store, page(tmp_path, name, place, date, f"{place}会议", text), base=BASE)


def test_a_city_post_held_with_a_provincial_rank_places_the_person_in_the_city() -> None:
    province = Context(locality="江北省", paper="江北日报")
    assert person_key("柏若川", ["江北省", "青禾市"], False, province).jurisdiction == "青禾市"
    # a provincial post alone, or posts of two cities (no one city), keep the paper's own place
    assert person_key("柏若川", ["江北省"], False, province).jurisdiction == "江北省"
    assert person_key("柏若川", ["江北省", "青禾市", "云岭市"], False, province).jurisdiction == "江北省"
    # a city's paper is unchanged: its own city wins, as before
    city = Context(locality="青禾市", paper="青禾日报")
    assert person_key("柏若川", ["江北省", "青禾市"], False, city).jurisdiction == "青禾市"
    # a county paper is unchanged: the rule names only a province paper's cities
    county = Context(locality="苇县", paper="苇县报")
    assert person_key("柏若川", ["苇县", "苇县石桥镇"], False, county).jurisdiction == "苇县"


def test_the_standing_committee_city_secretary_is_one_person_in_city_and_province_papers(store, tmp_path: Path) -> None:
    """省委常委、市委书记 柏若川 of the 青禾 paper, 江北省委常委、青禾市委书记 柏若川 of the 江北 paper and
    青禾市委书记 柏若川 of the 云岭 paper are one person; 市委书记 柏若川 of the 云岭 paper is another."""
    ingest_pages(store, tmp_path, [
        ("city", "青禾市", "2023-04-03", "本报讯 青禾市召开经济工作会议。省委常委、市委书记柏若川出席并讲话。"),
        ("province", "江北省", "2023-04-05", "本报讯 江北省召开经济工作会议。江北省委常委、青禾市委书记柏若川出席。"),
        ("visit", "云岭市", "2023-04-07", "本报讯 云岭市召开招商会议。青禾市委书记柏若川率团考察。"),
    ])
    assert len(people_named(store, "柏若川")) == 1
    ingest_pages(store, tmp_path, [("namesake", "云岭市", "2023-04-09", "本报讯 云岭市召开全会。市委书记柏若川主持。")])
    assert len(people_named(store, "柏若川")) == 2


def test_a_provincial_leader_printed_without_the_province_is_one_person_across_its_cities(store,
                                                                                      tmp_path: Path) -> None:
    """省委书记 柏若川 in two cities' papers of one province (real places: kg.extract.gazetteer knows their
    province) and in the province's paper is one person; in a city of another province, another."""
    ingest_pages(store, tmp_path, [
        ("a", "无锡市", "2023-04-03", "本报讯 无锡市召开经济工作会议。省委书记柏若川作出批示。副省长童立新出席。"),
        ("b", "徐州市", "2023-04-05", "本报讯 徐州市召开经济工作会议。省委书记柏若川讲话。副省长童立新出席。"),
        ("c", "江苏省", "2023-04-07", "本报讯 江苏省召开经济工作会议。省委书记柏若川主持。副省长童立新出席。"),
    ])
    assert len(people_named(store, "柏若川")) == 1
    assert len(people_named(store, "童立新")) == 1
    ingest_pages(store, tmp_path, [("other", "洛阳市", "2023-04-09",
                                    "本报讯 洛阳市召开全会。省委书记柏若川作出批示。")])
    assert len(people_named(store, "柏若川")) == 2  # 河南's, not 江苏's


def test_a_district_head_named_in_the_province_s_paper_is_the_city_s_person(store, tmp_path: Path) -> None:
    """涧西区区长 柏若川 in the province's paper is 洛阳市's (the standard of administrative divisions puts the
    district there), so the 副市长 of 洛阳's paper a year later is the same person (区长 → 副市长); a
    district the standard holds in several cities (鼓楼区) is left its own place."""
    ingest_pages(store, tmp_path, [
        ("province", "河南省", "2022-04-03", "本报讯 河南省召开经济工作会议。涧西区区长柏若川出席。"),
        ("city", "洛阳市", "2023-04-05", "本报讯 洛阳市召开经济工作会议。副市长柏若川出席。"),
        ("ambiguous", "河南省", "2023-04-07", "本报讯 河南省召开会议。鼓楼区区长童立新出席。"),
        ("city2", "洛阳市", "2023-05-05", "本报讯 洛阳市召开会议。副市长童立新出席。"),
    ])
    assert len(people_named(store, "柏若川")) == 1
    assert len(people_named(store, "童立新")) == 2
