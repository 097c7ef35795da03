"""Forms met in real local news the rules had not seen (session w15d), on invented texts and names.

Each test pins one general rule: whoever is named inside what a meeting studies takes no role in it,
作 inside 工作 is no 作报告, a meeting announced as coming is not reported, people honoured by name
before a count (表彰了甲等N名, 将甲、乙等N位同志表彰为…) are Recipients, 某县长 refers to a person
already named, a gathering named for its awards is an award ceremony, 分组讨论 is a meeting, and the
tagger's cuts of a name (甲乙|正在…上的讲话, a name cut short in a run of names) are mended.
"""

from __future__ import annotations

from kg.extract.builder import TaggedSentence
from kg.extract.ner import default_tagger
from kg.extract.pipeline import complete_cut_names, extract
from kg.extract.posts import PersonMention, find_people
from kg.extract.sentences import Sentence
from tests.support.extract import article, roles_of


def names(text: str) -> set[str]:
    return {p.name for p in extract(article(text)).people}


def event_names(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in extract(article(text)).events}


# ---- what is studied names no participant


def test_person_named_in_what_is_studied_takes_no_role():
    x = extract(article("10月8日，县政协召开主席会议。县政协主席严立群主持会议。"
                        "会上传达学习柯长远同志在全市政协工作会议上的讲话,会议还通报了有关情况。"))
    assert roles_of(x, "严立群") == {"Chair"}
    assert roles_of(x, "柯长远") == set()


def test_speech_of_a_leader_studied_in_group_discussion_is_not_his_role():
    x = extract(article("5月8日下午，县政协副主席甘明远参加政协分组讨论，与委员们一起学习讨论石立峰书记讲话。"))
    assert roles_of(x, "甘明远") == {"Participant"}
    assert roles_of(x, "石立峰") == set()


def test_zuo_inside_gongzuo_is_no_report_across_a_half_width_comma():
    x = extract(article("3月2日，县政协召开主席会议。县政协主席严立群主持会议并传达了全省人才工作会议精神,"
                        "审议了政协常委会工作报告。"))
    assert roles_of(x, "严立群") == {"Chair"}


# ---- events


def test_meeting_announced_as_coming_is_not_reported():
    got = event_names("10月22日，县政协召开主席会议。县政协主席严立群出席会议。会议指出,县第八次党代会即将召开,"
                      "各单位要早作准备。")
    assert not any("党代会" in name for _, name in got)


def test_gathering_named_for_its_awards_is_one_award_ceremony():
    got = event_names("9月9日晚，县委、县政府在文化中心举行第40个教师节颁奖暨文艺晚会。县长寇振邦作重要讲话。")
    assert {t for t, _ in got} == {"AwardCeremony"}


def test_group_discussion_is_a_meeting():
    x = extract(article("5月8日下午，县政协副主席甘明远、庞思齐参加政协分组讨论。"))
    assert [(e.type, e.name) for e in x.events] == [("Meeting", "政协分组讨论")]
    assert roles_of(x, "庞思齐") == {"Participant"}


# ---- the honoured, named before a count


def test_honoured_by_name_before_a_count_are_recipients():
    x = extract(article("5月4日，全县科技教育表彰大会举行。县长寇振邦出席大会并讲话。"
                        "大会还表彰了青溪中学吕明轩等36名优秀科技辅导员。"))
    assert roles_of(x, "吕明轩", "AwardCeremony") == {"Recipient"}


def test_named_people_honoured_as_a_title_are_recipients():
    x = extract(article("9月8日，县教育系统召开表彰会。为树立典型，县里将甘若兰、费思远等12位同志表彰为“优秀教师”，"
                        "并颁发荣誉证书。"))
    assert roles_of(x, "甘若兰") == {"Recipient"}
    assert roles_of(x, "费思远") == {"Recipient"}


def test_named_people_rated_as_a_title_with_nothing_handed_out_are_recipients():
    x = extract(article("9月8日，县教育系统召开表彰会。县里将甘若兰、费思远等12位同志评为“优秀班主任”。"))
    assert roles_of(x, "甘若兰") == {"Recipient"}
    assert roles_of(x, "费思远") == {"Recipient"}


# ---- names and posts


def test_surname_and_title_refers_to_the_person_named():
    got = names("9月9日，县教师节表彰大会举行。县长寇振邦同志作重要讲话。寇县长在讲话中指出,要抓好落实。")
    assert "寇振邦" in got
    assert "寇县长" not in got


def test_zheng_before_zhengzai_belongs_to_the_name():
    got = names("2月25日，县政协十四届三次会议举行分组讨论。委员们认真学习讨论县委书记韦国正在开幕式上的讲话。")
    assert "韦国正" in got
    assert "韦国" not in got


def test_discussing_is_no_part_of_a_post():
    text = "委员们认真学习讨论州人大常委会副主任、县委书记韦国正在开幕式上的讲话。"
    got = {m.name: [p.label for p in m.posts] for m in find_people(text, default_tagger().tag(text))}
    assert got["韦国正"] == ["州人大常委会副主任", "县委书记"]


def test_name_cut_short_is_completed_from_its_whole_printing():
    run = Sentence("毕文斌邵自强柯岚出席", 0, 10, 0)
    body = Sentence("市长邵自强主持会议。", 11, 21, 1)
    sents = [TaggedSentence(run, [], [PersonMention("毕文斌", 0, 3), PersonMention("邵自", 3, 5)]),
             TaggedSentence(body, [], [PersonMention("邵自强", 2, 5)])]
    complete_cut_names(sents)
    assert [(m.name, m.start, m.end) for m in sents[0].people] == [("毕文斌", 0, 3), ("邵自强", 3, 6)]
