"""A county whose name is one character and its level (沁县-like) is a place in the names of its bodies
(kg.rdf.identity.org_place, the ``short_place_*`` data of kg/lexicons/identity_rules.json); words that
only look like one (城市管理局, 市场监管局, a bare 县委) are not. Invented names only (苇县, 棠县, 禾川省)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingest import ingest_file
from kg.rdf.identity import is_generic_org, org_place
from kg.store import open_store
from tests.identity.test_identity import BASE, page, people_named


@pytest.mark.parametrize("name,place", [
    ("中共苇县委", "苇县"), ("中共苇县县委", "苇县"), ("苇县县委组织部", "苇县"), ("苇县人民政府", "苇县"),
    ("苇县政府", "苇县"), ("苇县人大常委会", "苇县"), ("苇县政协", "苇县"), ("苇县纪委", "苇县"),
    ("禾川省苇县县委", "禾川省苇县"), ("苇旗政府", "苇旗"), ("青禾市迎泽区政府", "青禾市迎泽区"),
])
def test_a_one_character_county_is_the_place_of_its_bodies(name: str, place: str) -> None:
    assert org_place(name) == place
    assert not is_generic_org(name, "government")  # one body wherever it is printed


@pytest.mark.parametrize("name", ["城市管理局", "市场监管局", "县委", "县政府", "市委", "区委组织部", "全县人大",
                                  "本市政府", "特区政府", "社区居委会", "市县政府", "红旗村委", "城区人大",
                                  "苇县教育局"])
def test_words_that_only_look_like_a_short_place_hold_none(name: str) -> None:
    """城区, 郊区, 矿区 are districts of many cities: their bodies stay one per paper locality, like 组织部; a
    short county's 教育局 is not read either (only the bodies of short_place_bodies follow a short place)."""
    assert org_place(name) is None


def test_a_county_official_named_in_the_province_paper_is_the_county_papers(tmp_path: Path) -> None:
    """县委书记 柯望舒 of the 苇县 paper and 苇县县委书记 柯望舒 of the 禾川省 paper are one person (the county is
    the place of both); 棠县县委书记 柯望舒 in the same province paper is another."""
    store = open_store(tmp_path / "store")
    for name, place, text in [
        ("county", "苇县", "本报讯 苇县召开全县经济工作会议。县委书记柯望舒出席并讲话。"),
        ("province", "禾川省", "本报讯 禾川省召开县域经济工作会议。苇县县委书记柯望舒发言。"),
        ("other", "禾川省", "本报讯 禾川省召开乡村振兴工作会议。棠县县委书记柯望舒发言。"),
    ]:
        ingest_file(store, page(tmp_path, name, place, "2023-04-0" + str(len(name) % 9 + 1), f"{place}会议", text),
                    base=BASE)
    try:
        assert len(people_named(store, "柯望舒")) == 2
    finally:
        store.close()
