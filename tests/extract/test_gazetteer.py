"""The places a local paper leaves unprinted (kg.extract.gazetteer, from the GB/T 2260 standard through
the GB2260 package): 省委 in a city's paper is its province's, 市委 in a county's paper its city's.
Real places (public geography, none of a gold set's), invented names."""

from __future__ import annotations

from kg.extract.gazetteer import ancestors
from kg.extract.orgs import expand_local, post_org


def test_a_city_a_district_and_a_county_know_what_holds_them() -> None:
    assert ancestors("无锡市") == {"省": "江苏省"}
    assert ancestors("涧西区") == {"市": "洛阳市", "省": "河南省"}
    assert ancestors("宝丰县") == {"市": "平顶山市", "省": "河南省"}
    assert ancestors("河南省") == {}


def test_a_locality_printed_as_a_chain_names_its_own_parents() -> None:
    assert ancestors("无锡市滨湖区") == {"市": "无锡市", "省": "江苏省"}
    assert ancestors("宝丰县某某镇")["县"] == "宝丰县"


def test_unknown_or_ambiguous_places_have_no_parents() -> None:
    assert ancestors("青禾市") == {}  # invented
    assert ancestors("鼓楼区") == {}  # a district of several cities: no one parent
    assert ancestors(None) == {}


def test_a_county_level_city_keeps_its_own_bodies() -> None:
    # 江阴市 is a city under 无锡市: 市委 in its paper is its own, not 无锡's
    assert "市" not in ancestors("江阴市")
    assert expand_local("市委", "江阴市") == "中共江阴市委"


def test_provincial_posts_in_a_city_paper_are_the_province_s() -> None:
    assert post_org("省委书记", "无锡市") == "中共江苏省委"
    assert post_org("省委常委", "无锡市") == "中共江苏省委"
    assert post_org("省长", "无锡市") == "江苏省政府"
    assert post_org("副省长", "无锡市") == "江苏省政府"
    assert post_org("省人大常委会副主任", "无锡市") == "江苏省人大常委会"
    # the province's own paper: its own 省委
    assert post_org("省委书记", "江苏省") == "中共江苏省委"
    # a place the standard does not know keeps no body, as before
    assert post_org("省委书记", "青禾市") is None
    assert post_org("省长", "青禾市") is None


def test_city_posts_in_a_county_paper_are_the_city_s() -> None:
    assert post_org("市委书记", "宝丰县") == "中共平顶山市委"
    assert post_org("市长", "宝丰县") == "平顶山市政府"
    assert post_org("县委书记", "宝丰县") == "中共宝丰县委"  # its own level: unchanged
    assert expand_local("我省", "无锡市") == "江苏省"


def test_a_word_that_begins_with_a_level_is_not_a_place_of_that_level() -> None:
    # 市场监管局 in a county's paper is the county's own bureau, not its city's (kg/lexicons/level_words.txt)
    assert expand_local("市场监管局", "宝丰县") == "市场监管局"
    assert expand_local("区域医疗中心", "宝丰县某某镇") == "区域医疗中心"
    assert expand_local("市教育局", "宝丰县") == "平顶山市教育局"  # a body of the city, printed with its level


def test_the_city_government_and_cppcc_in_a_county_paper_are_the_city_s() -> None:
    # 市政府 and 市政协 begin with the level word 市政 (市政工程处) but are the city's own bodies
    assert expand_local("市政协", "宝丰县") == "平顶山市政协"
    assert post_org("市政府副市长", "宝丰县") == "平顶山市政府"
    assert post_org("市政协副主席", "宝丰县") == "平顶山市政协"
    assert expand_local("市政工程处", "宝丰县") == "市政工程处"
