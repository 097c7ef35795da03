"""Names with a compound surname (上官, 欧阳, 长孙 …): whole after a post, in lists and at a clause start,
and single-character-surname names next to them neither lengthened nor cut. Invented names and texts.

The given names below are chosen to be words of their own (建军, 国庆, 雪松), which is where the
tagger stops at the surname or misreads the whole name."""

from __future__ import annotations

import pytest

from kg.extract.ner import default_tagger, person_spans
from kg.extract.pipeline import extract
from tests.support.extract import article, posts_of, roles_of


def names(text: str) -> list[str]:
    return [text[a:b] for a, b in person_spans(text, default_tagger().tag(text))]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("副市长上官建军主持会议。", ["上官建军"]),  # the tagger: 上官|建军/v
        ("市委书记上官国庆出席会议并讲话。", ["上官国庆"]),  # 上官|国庆/TIME
        ("副市长上官雪松在会上讲话。", ["上官雪松"]),  # one noun 上官雪松/n after the post
        ("市委常委、副市长长孙丽华，市委常委、秘书长上官文博出席。", ["长孙丽华", "上官文博"]),  # 长|孙丽华
        ("副市长诸葛子健在会上讲话。", ["诸葛子健"]),  # 诸葛子|健在
        ("区委书记司徒建国、区长上官永平出席活动。", ["司徒建国", "上官永平"]),
    ],
)
def test_four_character_names_after_a_post(text: str, want: list[str]) -> None:
    assert names(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("副市长令狐磊主持会议。", ["令狐磊"]),
        ("令狐磊出席会议并讲话。", ["令狐磊"]),  # 令|狐磊 at a clause start
        ("市领导上官静、令狐磊参加活动。", ["上官静", "令狐磊"]),  # neither read as a name by the tagger
        ("副市长欧阳华在会上讲话。", ["欧阳华"]),  # 在 ends the name, not its fourth character
        ("市长司马光明、副市长欧阳红等出席。", ["司马光明", "欧阳红"]),
    ],
)
def test_three_character_names_and_lists(text: str, want: list[str]) -> None:
    assert names(text) == want


def test_at_a_clause_start_and_in_a_list_of_leaders() -> None:
    assert names("上官永平出席会议并讲话。") == ["上官永平"]  # 上官|永平/LOC
    assert names("市领导上官海涛、宇文明远参加活动。") == ["上官海涛", "宇文明远"]  # 上官/f|海涛


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("上官立新作总结讲话。", ["上官立新"]),  # 上官|立|新作
        ("上官洁作总结讲话。", ["上官洁"]),  # 上官洁作/PER
        ("欧阳立新同志出席会议。", ["欧阳立新"]),  # 欧阳立|新|同志
        ("会上，上官子健强调，要抓好落实。", ["上官子健"]),  # 上|官子健
        ("上官子健、司马思远等出席活动。", ["上官子健", "司马思远"]),
        ("欧阳华说，要抓好落实。", ["欧阳华"]),
        ("上官网、微博等平台同步直播。", []),
    ],
)
def test_frames_of_speaking_and_comrade_at_a_clause_start(text: str, want: list[str]) -> None:
    assert names(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("张立伟出席会议。", ["张立伟"]),
        ("市委书记张立伟出席会议。", ["张立伟"]),
        ("副市长王立等参加活动。", ["王立"]),
        ("李向东同志讲话。", ["李向东"]),
        ("市长孙立涛出席。", ["孙立涛"]),  # 市长|孙…, not the surname 长孙
        ("区长长孙岚和副区长孙岚出席。", ["长孙岚", "孙岚"]),
        ("广东方立明出席活动。", ["方立明"]),  # 广东|方…, not the surname 东方
    ],
)
def test_single_character_surnames_keep_their_length(text: str, want: list[str]) -> None:
    assert names(text) == want


@pytest.mark.parametrize(
    "text",
    ["记者登录上官网、微博查询。", "百里挑一的人才出席表彰会。", "第五届运动会开幕。", "东方红小学举行活动。",
     "由第五组出席会议。"],
)
def test_compound_surnames_that_are_words_make_no_name(text: str) -> None:
    assert names(text) == []


def test_posts_and_roles_in_a_meeting() -> None:
    x = extract(article(
        "本报讯 5月19日，全市招商引资工作会议召开。市委书记上官国庆出席会议并讲话，"
        "副市长长孙丽华主持会议。市委常委、秘书长司徒建国，副市长令狐磊出席。"
    ))
    assert posts_of(x, "上官国庆") == ["市委书记"]
    assert roles_of(x, "上官国庆") == {"Attendee", "Speaker"}
    assert posts_of(x, "长孙丽华") == ["副市长"]
    assert roles_of(x, "长孙丽华") == {"Chair"}
    assert posts_of(x, "司徒建国") == ["市委常委", "秘书长"]
    assert roles_of(x, "令狐磊") == {"Attendee"}
    assert not {p.name for p in x.people} & {"上官", "孙丽华", "狐磊", "司徒"}
