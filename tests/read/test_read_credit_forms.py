"""Credit forms met on real local-news pages (session w19r), written here with invented names: editors
printed in a closing bracket, reporters whose paper is printed before the credit word, datelines with
the site's parent in brackets, photo credits written 某某/摄, and 文字/ 图片/ lines."""

from __future__ import annotations

import pytest

from kg.model import Publication
from kg.read import read_page

PUB = Publication("测试日报", None, "临川市")
LEAD = "5月3日，县里召开工作会议，部署全年工作。"
MORE = "会议要求各地抓好落实。"


def read(text: str):
    arts = read_page(text, PUB, "x.txt", "")
    assert len(arts) == 1
    return arts[0]


def credits(text: str) -> list[tuple[str, str]]:
    return [(c.name, c.role) for c in read(text).credits]


@pytest.mark.parametrize("tail", ["（责编：钱小东、孙大为）", "（编辑：钱小东）", "（编审：钱小东）"])
def test_editors_in_a_closing_bracket_are_no_authors(tail: str):
    for text in (f"# 县里召开会议\n\n{LEAD}\n{MORE}{tail}\n", f"# 县里召开会议\n\n{LEAD}\n{MORE}\n{tail}\n"):
        a = read(text)
        assert a.credits == []
        assert "钱小东" not in a.body


@pytest.mark.parametrize("dateline, want", [
    ("临川网7月3日讯（临川晚报记者 钱小东 文/摄）", [("钱小东", "reporter")]),
    ("临川网讯（临川报业全媒体记者 钱小东 通讯员 孙大为）", [("钱小东", "reporter"), ("孙大为", "correspondent")]),
    ("本报讯（县融媒体中心记者 钱小东）", [("钱小东", "reporter")]),
    ("本报讯（通讯员 县教育局 记者 钱小东）", [("钱小东", "reporter")]),
])
def test_the_paper_or_unit_in_a_byline_is_no_person(dateline: str, want: list[tuple[str, str]]):
    assert credits(f"# 县里召开会议\n\n{dateline}{LEAD}\n{MORE}\n") == want


@pytest.mark.parametrize("dateline", ["临川网（临川日报网）讯", "临川新闻网（临川日报）5月3日讯"])
def test_dateline_naming_the_sites_parent_in_brackets(dateline: str):
    a = read(f"# 县里召开会议\n\n{dateline}（记者 钱小东 通讯员 孙大为）{LEAD}\n{MORE}\n")
    assert [(c.name, c.role) for c in a.credits] == [("钱小东", "reporter"), ("孙大为", "correspondent")]
    assert "钱小东" not in a.body


@pytest.mark.parametrize("caption, want", [
    ("图为会议现场。临川报·临川网记者 钱小东/摄", [("钱小东", "photographer")]),
    ("图为会议现场。临川资讯杂志社记者 钱小东/摄", [("钱小东", "photographer")]),
    ("图为会议现场。 钱小东/摄", [("钱小东", "photographer")]),
    ("图为会议现场。通讯员 钱小东 供图", [("钱小东", "photographer")]),
    ("图为会议现场。（钱小东 供图）", [("钱小东", "photographer")]),
    ("图为会议现场。（县文化馆供图）", []),
])
def test_photo_credits_written_with_a_slash_or_as_handed_in(caption: str, want: list[tuple[str, str]]):
    a = read(f"# 县里召开会议\n\n{LEAD}\n{caption}\n{MORE}\n")
    assert [(c.name, c.role) for c in a.credits] == want
    if want:
        assert "钱小东" not in a.body and "记者" not in a.body


@pytest.mark.parametrize("lines, want", [
    ("文字/钱小东 孙大为\n图片/孙大为", [("钱小东", "author"), ("孙大为", "author"), ("孙大为", "photographer")]),
    ("文字：钱小东\n图片：孙大为", [("钱小东", "author"), ("孙大为", "photographer")]),
    ("新华社记者 钱小东 孙大为", [("钱小东", "reporter"), ("孙大为", "reporter")]),
])
def test_credit_lines_written_out(lines: str, want: list[tuple[str, str]]):
    for text in (f"# 县里召开会议\n\n{LEAD}\n{MORE}\n{lines}\n", f"# 县里召开会议\n\n{lines}\n{LEAD}\n{MORE}\n"):
        a = read(text)
        assert [(c.name, c.role) for c in a.credits] == want
        assert "钱小东" not in a.body


def test_reporter_reported_opening_the_lead_without_a_dateline():
    a = read(f"# 县里召开会议\n\n记者钱小东 孙大为报道：{LEAD}\n{MORE}\n")
    assert [(c.name, c.role) for c in a.credits] == [("钱小东", "reporter"), ("孙大为", "reporter")]
    assert "钱小东" not in a.body


def test_a_sentence_of_the_reporters_is_no_byline():
    a = read(f"# 县里召开会议\n\n记者近日走访报道：{LEAD}\n{MORE}\n")
    assert a.credits == []


def test_author_line_without_a_colon():
    a = read(f"# 县里召开会议\n\n作者 钱小东 孙大为\n{LEAD}\n{MORE}\n")
    assert [(c.name, c.role) for c in a.credits] == [("钱小东", "author"), ("孙大为", "author")]
    assert read(f"# 县里召开会议\n\n作者 某县文联\n{LEAD}\n{MORE}\n").credits == []


@pytest.mark.parametrize("tail", ["[ 责任编辑：钱小东 ]", "【编辑：钱小东 审核：孙大为】"])
def test_editing_fields_in_square_brackets_leave_the_body(tail: str):
    a = read(f"# 县里召开会议\n\n{LEAD}\n{MORE}\n{tail}\n")
    assert a.credits == []
    assert "钱小东" not in a.body


def test_two_names_printed_without_a_space():
    a = read(f"# 县里召开会议\n\n临川讯（通讯员钱小东孙大为）{LEAD}\n{MORE}\n")
    assert [(c.name, c.role) for c in a.credits] == [("钱小东", "correspondent"), ("孙大为", "correspondent")]


@pytest.mark.parametrize("line, want", [
    ("本报见习记者钱小东", [("钱小东", "reporter")]),
    ("本报实习生 钱小东", [("钱小东", "correspondent")]),
])
def test_credit_words_with_the_papers_prefix(line: str, want: list[tuple[str, str]]):
    a = read(f"# 县里召开会议\n\n{line}\n{LEAD}\n{MORE}\n")
    assert [(c.name, c.role) for c in a.credits] == want
    assert "钱小东" not in a.body


def test_editing_fields_written_with_a_bar():
    a = read(f"# 县里召开会议\n\n{LEAD}\n{MORE}\n编辑|钱小东\n编审|孙大为\n")
    assert a.credits == []
    assert "钱小东" not in a.body and "孙大为" not in a.body


def test_photo_credit_broken_over_two_lines():
    a = read(f"# 县里召开会议\n\n{LEAD}\n图为会议现场。\n（本报记者\n钱小东 孙大为 摄）\n{MORE}\n")
    assert [(c.name, c.role) for c in a.credits] == [("钱小东", "photographer"), ("孙大为", "photographer")]
    assert "记者" not in a.body


@pytest.mark.parametrize("line, want", [
    ("□本报记者 钱小东", [("钱小东", "reporter")]),
    ("◎记者 钱小东 通讯员 孙大为", [("钱小东", "reporter"), ("孙大为", "correspondent")]),
    ("记者|钱小东", [("钱小东", "reporter")]),
    ("文|钱小东", [("钱小东", "author")]),
    ("撰文：钱小东 摄影：孙大为", [("钱小东", "author"), ("孙大为", "photographer")]),
])
def test_byline_lines_with_a_glyph_a_bar_or_written_out(line: str, want: list[tuple[str, str]]):
    a = read(f"# 县里召开会议\n\n{line}\n{LEAD}\n{MORE}\n")
    assert [(c.name, c.role) for c in a.credits] == want
    assert "钱小东" not in a.body


def test_special_correspondent_and_video_crew():
    a = read(f"# 县里召开会议\n\n本报讯（特约通讯员 钱小东）{LEAD}\n{MORE}\n")
    assert [(c.name, c.role) for c in a.credits] == [("钱小东", "correspondent")]
    a = read(f"# 县里召开会议\n\n{LEAD}\n{MORE}\n记者 钱小东 摄像 孙大为\n")
    assert [(c.name, c.role) for c in a.credits] == [("钱小东", "reporter")]


def test_wire_photo_credit():
    a = read(f"# 县里召开会议\n\n{LEAD}\n图为会议现场。\n新华社发（钱小东 摄）\n{MORE}\n")
    assert [(c.name, c.role) for c in a.credits] == [("钱小东", "photographer")]
    assert "新华社" not in a.body


def test_dateline_after_the_reposting_sites_name():
    a = read(f"# 县里召开会议\n\n临川网某某在线 本报讯（记者 钱小东）{LEAD}\n{MORE}\n")
    assert [(c.name, c.role) for c in a.credits] == [("钱小东", "reporter")]
    assert "钱小东" not in a.body


@pytest.mark.parametrize("counter", ["点击：", "浏览：1024", "阅读量：88"])
def test_field_line_closing_with_a_page_counter(counter: str):
    line = f"2021-06-17 09:09:45 来源：临川日报 作者：钱小东 孙大为 {counter}"
    a = read(f"# 县里召开会议\n\n{line}\n{LEAD}\n{MORE}\n")
    assert [(c.name, c.role) for c in a.credits] == [("钱小东", "author"), ("孙大为", "author")]
    assert "钱小东" not in a.body


def test_names_ending_like_a_unit_stay_names():
    a = read(f"# 县里召开会议\n\n本报讯（记者 钱建社 通讯员 孙金台）{LEAD}\n{MORE}\n")
    assert [(c.name, c.role) for c in a.credits] == [("钱建社", "reporter"), ("孙金台", "correspondent")]
    a = read(f"# 县里召开会议\n\n本报讯（临川网记者 钱建社 通讯员 县文联）{LEAD}\n{MORE}\n")
    assert [(c.name, c.role) for c in a.credits] == [("钱建社", "reporter")]


def test_news_in_brief_items_each_with_their_dateline():
    text = (f"# 简讯\n\n本报讯（记者 钱小东）{LEAD}\n本报讯（通讯员 孙大为 李小红）{MORE}\n"
            f"（记者手记）会后，代表们纷纷表示将抓好落实。\n")
    a = read(text)
    assert [(c.name, c.role) for c in a.credits] == [
        ("钱小东", "reporter"), ("孙大为", "correspondent"), ("李小红", "correspondent")]
    assert "孙大为" not in a.body and "记者手记" in a.body
