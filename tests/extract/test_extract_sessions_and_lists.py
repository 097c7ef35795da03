"""More forms of real local news (session w15d, second round), on invented texts and names: list
items the tagger cuts or reads as a body, a session's preparatory meeting held at a venue, meetings
counted or scheduled rather than reported, speeches said with 勉励, reports studied (…作的工作报告),
honour lists (上榜, 获此殊荣的), and a span of days as a date."""

from __future__ import annotations

import datetime as dt

from kg.extract.dates import find_date
from kg.extract.ner import default_tagger
from kg.extract.pipeline import extract
from kg.extract.posts import find_people
from tests.support.extract import article, roles_of


def people(text: str) -> dict[str, list[str]]:
    return {m.name: [p.label for p in m.posts] for m in find_people(text, default_tagger().tag(text))}


def event_names(text: str) -> list[tuple[str, str]]:
    return [(e.type, e.name) for e in extract(article(text)).events]


# ---- names in lists


def test_first_item_after_a_title_is_read_whole():
    got = people("县人大常委会主任钱立群,副主任丁旺来、施雅枝、潘泽宇出席会议。")
    assert got.get("丁旺来") == ["县人大常委会副主任"]  # the bare 副主任 is the body's named before it
    assert "丁旺" not in got


def test_last_item_before_ji_is_a_name_with_the_shared_post():
    got = people("县人大常委会主任钱立群,副主任孟东来、柯秀枝、潘泽宇、吴兴良及县人大常委会其他组成人员出席会议。")
    assert got.get("吴兴良") == ["县人大常委会副主任"]  # the bare 副主任 is the body's named before it


# ---- events


def test_preparatory_meeting_held_at_a_venue_is_one_meeting():
    x = extract(article("12月13日下午,县十七届人大三次会议在大剧院召开预备会,县人大常委会主任严立群主持会议。"
                        "严立群在讲话中指出,各位代表要开好大会。"))
    assert [(e.type, e.name) for e in x.events] == [("Meeting", "县十七届人大三次会议预备会")]
    assert roles_of(x, "严立群") == {"Chair", "Speaker"}


def test_meetings_counted_are_no_event():
    got = event_names("8月30日,共青团某县第九次代表大会召开。县委书记柯长远出席开幕式并讲话。"
                      "大会主席团召开了三次会议,通过了大会日程。")
    assert not any("三次会议" in name for _, name in got)


def test_meetings_scheduled_are_not_reported():
    got = event_names("9月22日,县十七届人大常委会召开第二十次主任会议。会议由严立群主持。"
                      "会议研究决定了召开县十七届人大常委会第九次会议的有关事宜。"
                      "会议决定县十七届人大常委会第十次会议于9月29日召开。会议还研究决定了召开县第三次代表会议。")
    assert got == [("Meeting", "县十七届人大常委会第二十次主任会议")]


def test_congress_described_as_held_at_a_time_is_not_reported():
    got = event_names("7月4日,某镇召开团干部会议,镇党委副书记严立群主持会议。"
                      "会议指出,共青团某省第九次代表大会是在党的大会即将召开之际的一次重要会议。")
    assert not any("代表大会" in name for _, name in got)


# ---- roles


def test_encouraging_is_speaking():
    x = extract(article("8月30日,共青团某县第九次代表大会召开。县委常委、宣传部长柯长远出席开幕式。"
                        "柯长远勉励全县团员青年要听党话、跟党走。"))
    assert roles_of(x, "柯长远") == {"Attendee", "Speaker"}


def test_in_a_closing_speech_is_speaking():
    x = extract(article("8月30日,共青团某县第九次代表大会召开。县委常委、宣传部长柯长远出席开幕式。"
                        "柯长远在闭幕讲话中回顾了一年来的工作。"))
    assert roles_of(x, "柯长远") == {"Attendee", "Speaker"}


def test_report_made_by_someone_and_studied_is_no_speech():
    x = extract(article("7月4日,某镇召开团干部会议,镇党委副书记严立群主持会议。会议传达学习了上级会议精神,"
                        "团省委书记柯长远代表共青团某省第九届委员会作的工作报告。"))
    assert roles_of(x, "严立群") == {"Chair"}
    assert roles_of(x, "柯长远") == set()


def test_described_as_winning_names_no_receiver():
    x = extract(article("12月9日,第五届某工业大奖发布会举行。某某集团荣获某工业大奖,也是临川市获此殊荣的第一家企业。"))
    orgs = {o.name for o in x.organizations}
    assert not any(n.endswith("临川市") for n in orgs)


def test_on_the_honour_list_are_recipients():
    x = extract(article("3月12日,全市营商环境会议召开,市委市政府表彰了“临川功勋奖”。"
                        "临川飞跃机泵有限公司董事长钱立群等8人上榜“临川功勋奖”。"))
    assert roles_of(x, "钱立群", "AwardCeremony") == {"Recipient"}


# ---- dates


def test_span_of_days_starts_on_its_first():
    assert find_date("8月30至31日,共青团某县第九次代表大会召开。", dt.date(2020, 9, 2))[0] == dt.date(2020, 8, 30)


def test_words_of_a_slogan_title_are_no_person():
    x = extract(article("11月18日,共青团某县第十二次代表大会召开。严立群代表共青团某县第十一届委员会向大会作了题为"
                        "《高举团旗跟党走·踔厉奋发新征程·让青春在家乡绽放》的工作报告。"))
    assert {p.name for p in x.people} == {"严立群"}


def test_vice_chair_of_the_standing_committee_is_a_post():
    got = people("第十届全国人大常委会副委员长钱立群为获奖企业颁奖。")
    assert got["钱立群"] == ["第十届全国人大常委会副委员长"]


def test_report_heard_is_a_speech():
    x = extract(article("2月9日,县人大常委会召开第二十次会议。"
                        "会议听取了县政府副县长钱立群作的关于教育工作情况的报告。"))
    assert roles_of(x, "钱立群") == {"Speaker"}
