"""Forms met in real local news of autonomous regions, courts and campuses (session w20x), on invented
texts and names.

Mongolian names ending in 和 inside a list, two dotted (Uyghur) names joined by 和, a dotted name
glued to a title or a verb, a place starting with 和 at a clause's start, delegates (人大代表, 与会代表)
who are no unit, and 讲了话 as a speech.
"""

from __future__ import annotations

from kg.extract.pipeline import extract
from tests.support.extract import article, posts_of, roles_of


def names(text: str, locality: str = "临川市") -> set[str]:
    return {p.name for p in extract(article(text, locality=locality)).people}


def test_mongolian_name_ending_in_he_inside_a_list_is_whole():
    got = names("会议推选甘立平担任代表团团长，柯文杰、宝音孟和、钱小东担任副团长。")
    assert "宝音孟和" in got
    assert "宝音孟" not in got


def test_two_dotted_names_joined_by_he_are_two_people():
    got = names("工作组一行先后来到阿不都·沙塔尔、吐尔逊·买买提和艾力·热合曼3家村民家中。")
    assert {"阿不都·沙塔尔", "吐尔逊·买买提", "艾力·热合曼"} <= got
    assert not any("和" in n for n in got)


def test_dotted_name_is_cut_before_a_title_and_a_verb_after_it():
    x = extract(article(
        "3月5日上午，地委副书记、行署专员吐尔逊·卡德尔调研某某村。吐尔逊·卡德尔专员一行来到合作社。"
    ))
    assert [p.name for p in x.people] == ["吐尔逊·卡德尔"]
    assert set(posts_of(x, "吐尔逊·卡德尔")) >= {"地委副书记", "行署专员"}


def test_place_starting_with_he_at_a_clause_start_keeps_it_in_the_post():
    x = extract(article("3月5日上午，和丰地委副书记苗立群出席会议并讲话。", locality=None))
    assert posts_of(x, "苗立群") == ["和丰地委副书记"]


def test_delegates_before_a_speech_verb_are_no_unit():
    x = extract(article(
        "4月8日，县人民法院召开工作报告征求意见座谈会。县人大常委会副主任郝立群主持会议。"
        "在认真听取了与会代表的发言后，县法院院长钱伟东表示感谢。会上，县法检两院向人大代表汇报了全年工作。"
    ))
    assert not [o.name for o in x.organizations if roles_of(x, o.name)]
    assert "Chair" in roles_of(x, "郝立群")


def test_jiang_le_hua_is_a_speech():
    x = extract(article(
        "7月3日上午，学院新楼启用仪式在新楼前举行。仪式由院长鲍立新主持。党委书记宁远征在仪式上讲了话。"
    ))
    assert "Speaker" in roles_of(x, "宁远征")


def test_name_after_election_verb_with_a_preposition_surname_is_found():
    x = extract(article(
        "2月24日，政协临川市第九届委员会第一次会议闭幕。大会选举于新民为市政协主席，钱伟东、宁远征为副主席。"
    ))
    assert posts_of(x, "于新民") == ["市政协主席"]
    assert "Elected" in roles_of(x, "于新民", "Election")


def test_bare_officer_title_after_a_body_head_takes_that_body():
    x = extract(article(
        "4月6日，县人大常委会举行第九次会议。县人大常委会主任郝立群，副主任钱伟东、宁远征出席会议。"
        "县政协副主席鲍立新，秘书长甘立平列席会议。"
    ))
    assert posts_of(x, "钱伟东") == ["县人大常委会副主任"]
    assert posts_of(x, "宁远征") == ["县人大常委会副主任"]
    assert posts_of(x, "甘立平") == ["县政协秘书长"]


def test_bare_title_of_another_body_after_a_head_is_left_alone():
    x = extract(article("4月6日，县人大常委会主任郝立群，副县长钱伟东出席会议。"))
    assert posts_of(x, "钱伟东") == ["副县长"]


def test_place_short_name_printed_as_a_place_nearby_is_no_person():
    x = extract(article(
        "2月26日上午，江屏2024年第一次重大项目集中开工仪式在江屏高新区举行，钱伟东、宁远征等县领导出席仪式。"
    ))
    got = {p.name for p in x.people}
    assert "江屏" not in got
    assert {"钱伟东", "宁远征"} <= got


def _tokens(pieces: list[tuple[str, str]]) -> tuple[str, list]:
    """A text and a segmentation as the tagger printed it on real pages (its output varies with
    the context, so the form is pinned on tokens given here)."""
    from kg.extract.ner import Token

    out, pos = [], 0
    for word, tag in pieces:
        out.append(Token(word, tag, pos, pos + len(word)))
        pos += len(word)
    return "".join(w for w, _ in pieces), out


def test_last_character_glued_to_xiang_or_zuo_after_a_title_is_the_names():
    from kg.extract.ner import person_spans

    text, toks = _tokens([("公司", "n"), ("总经理", "n"), ("柯东", "PER"), ("升向", "v"), ("学校", "n"),
                          ("捐赠", "v"), ("。", "w")])
    assert [text[a:b] for a, b in person_spans(text, toks)] == ["柯东升"]
    text, toks = _tokens([("州长", "n"), ("苏巴尔", "PER"), ("布作", "v"), ("通报", "vn"), ("。", "w")])
    assert [text[a:b] for a, b in person_spans(text, toks)] == ["苏巴尔布"]


def test_real_verb_after_a_name_keeps_its_first_character():
    from kg.extract.ner import person_spans

    text, toks = _tokens([("主任", "n"), ("柯东", "PER"), ("面向", "v"), ("群众", "n"), ("宣讲", "v"), ("。", "w")])
    assert [text[a:b] for a, b in person_spans(text, toks)] == ["柯东"]
