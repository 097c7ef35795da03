"""Forms met in real local news of provinces outside the gold sets (session w19x), on invented
texts and names.

Each test pins one general rule: a name the article printed with a post is found again where the
tagger misses it later; a two-character name after a post title takes the one character the tagger
left before a list separator or 等.
"""

from __future__ import annotations

from kg.extract.pipeline import extract
from tests.support.extract import article, roles_of


def names(text: str) -> set[str]:
    return {p.name for p in extract(article(text)).people}


def test_name_given_with_a_post_is_found_again_where_it_chairs():
    x = extract(article(
        "12月27日上午，政协临川市第九届委员会第二次会议隆重开幕。市政协副主席、秘书长皮台山出席会议并在主席台就座。"
        "上午9时，皮台山主持并宣布会议开幕，全体起立。"
    ))
    assert roles_of(x, "皮台山") >= {"Attendee", "Chair"}


def test_repeated_name_is_not_read_inside_a_longer_word():
    x = extract(article(
        "5月6日，市委召开常委会会议。市委副书记、市长殳台田出席会议并讲话。会议研究了殳台田园综合体建设。"
    ))
    assert [p.name for p in x.people] == ["殳台田"]
    assert len(x.people[0].mentions) == 1


def test_name_cut_before_a_list_separator_after_a_post_title_is_whole():
    got = names("1月3日下午，市委书记卜海中、市长周春林来到会议现场，看望政协委员。")
    assert {"卜海中", "周春林"} <= got
    assert "卜海" not in got


def test_name_cut_before_deng_after_a_post_title_is_whole():
    got = names("区人大常委会主任梁远学，区人大常委会副主任邵贵先等陪同视察。副区长孔立中等参加座谈。")
    assert {"邵贵先", "孔立中"} <= got
    assert not {"邵贵", "孔立"} & got


def test_two_character_name_before_a_separator_stays_two_characters():
    got = names("县长卜海、副县长郑明远出席会议。")
    assert {"卜海", "郑明远"} <= got
