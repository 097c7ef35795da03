"""Credit forms met on real local pages (session w15d), on invented names: a source line followed by a
byline whose credit word has no colon, a web page's field line naming only the site or an editor,
and photo captions above the lead that end in their photographer's credit."""

from __future__ import annotations

import pytest

from kg.model import Publication
from kg.read import read_page

PUB = Publication("测试日报", None, "临川市")


def read(text: str):
    arts = read_page(text, PUB, "x.txt", "")
    assert len(arts) == 1
    return arts[0]


@pytest.mark.parametrize("line, want", [
    ("来源：临川日报 记者 钱小东", [("钱小东", "reporter")]),
    ("来源:云上临川 记者 钱小东 通讯员 孙大为", [("钱小东", "reporter"), ("孙大为", "correspondent")]),
    ("(来源:临川融媒 记者 钱小东)", [("钱小东", "reporter")]),
    ("（来源:云上临川全媒体记者:钱小东）", [("钱小东", "reporter")]),
])
def test_source_then_byline_without_a_colon(line: str, want: list[tuple[str, str]]):
    lead = "5月3日，县里召开工作会议。"
    for text in (f"# 县里召开会议\n\n{lead}\n{line}\n", f"# 县里召开会议\n\n{line}\n{lead}\n"):
        a = read(text)
        assert [(c.name, c.role) for c in a.credits] == want
        assert "来源" not in a.body


def test_source_line_without_a_byline_credits_nobody():
    a = read("# 县里召开会议\n\n5月3日，县里召开工作会议。\n来源:临川融媒体中心\n")
    assert a.credits == []


def test_field_line_naming_the_site_as_author_and_an_editor():
    a = read("# 县领导参加分组讨论\n\n文章来源:临川网 文章作者:临川网 责任编辑:贺明亮 点击数:\n"
             "5月28日下午，县政协副主席甘明远参加分组讨论。\n")
    assert a.credits == []
    assert "贺明亮" not in a.body


def test_captions_above_the_lead_give_their_photographer():
    a = read("# 临川举行捐赠仪式\n\n临川县慈善一日捐现场捐赠仪式 龙小川 摄\n县委书记甘明远带头捐款 龙小川 摄\n"
             "1月6日上午，临川县慈善一日捐现场捐赠仪式举行。\n")
    assert ("龙小川", "photographer") in [(c.name, c.role) for c in a.credits]
    assert "龙小川" not in a.body
    assert "带头捐款" in a.body  # the caption stays printed text
    assert [h.text for h in a.headlines if h.kind != "main"] == []


def test_editing_fields_line_leaves_the_body_with_no_credit():
    a = read("# 县里表彰先进\n\n1月20日，县里召开表彰大会。\n责任编辑:贺明亮\n")
    assert a.credits == []
    assert "贺明亮" not in a.body
    a = read("# 县里表彰先进\n\n1月20日，县里召开表彰大会。\n编辑:付小波 熊哲 审核:钱立群\n")
    assert a.credits == []
    assert "钱立群" not in a.body


def test_field_line_after_the_time_of_posting():
    a = read("# 昭溪镇党代会举行\n\n2021-05-28 17:12:51   来源:临川新闻网 | 编辑:贺明亮 | 作者:钱小东\n"
             "5月27日，中国共产党昭溪镇第二次代表大会召开。\n")
    assert [(c.name, c.role) for c in a.credits] == [("钱小东", "author")]
    assert "贺明亮" not in a.body
