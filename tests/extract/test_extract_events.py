"""Events: names as written, types, dates resolved against the publication, super-events, one event."""

from __future__ import annotations

import datetime as dt

from kg.extract.dates import find_date
from kg.extract.pipeline import extract
from tests.support.extract import article, posts_of, roles_of


def test_meeting_named_as_written_with_date():
    x = extract(article("5月19日,市委人才工作会议举行。"))
    assert [(e.type, e.name, e.date) for e in x.events] == [("Meeting", "市委人才工作会议", dt.date(2023, 5, 19))]


def test_referred_meetings_are_not_events():
    x = extract(article(
        "5月19日,市委常委会召开扩大会议,传达学习省委经济工作会议精神,研究提请市人大三次会议审议的报告。"
    ))
    assert [e.name for e in x.events] == ["市委常委会扩大会议"]


def test_congress_session_with_ordinal_object():
    x = extract(article("8月3日上午,临溪镇召开第五届人民代表大会第二次会议。"))
    assert [(e.type, e.name) for e in x.events] == [("Congress", "临溪镇第五届人民代表大会第二次会议")]


def test_standing_committee_session_is_a_meeting():
    x = extract(article("12月29日,县十五届人大常委会召开第九次会议。"))
    assert x.events[0].type == "Meeting"
    assert x.events[0].name == "县十五届人大常委会第九次会议"


def test_election_inside_congress_with_posts():
    x = extract(article(
        "5月19日,中国民主同盟临川市第八次代表大会举行。童立新当选民盟临川市第九届委员会主委。"
        "庞晓光、甘雨薇当选民盟临川市第九届委员会副主委。"
    ))
    congress = next(e for e in x.events if e.type == "Congress")
    election = next(e for e in x.events if e.type == "Election")
    assert election.super_event == congress.key
    posts = {next(p.name for p in x.people if p.key == part.agent): part.post.label for part in election.participations}
    assert posts == {
        "童立新": "民盟临川市第九届委员会主委",
        "庞晓光": "民盟临川市第九届委员会副主委",
        "甘雨薇": "民盟临川市第九届委员会副主委",
    }


def test_vote_x_as_post_lists():
    x = extract(article(
        "5月19日,民建临川区第三次会员代表大会召开。在三届一次全委会议上,选举岳振国为主任委员,苗凤英、鲁长河同志为副主任委员。"
    ))
    election = next(e for e in x.events if e.type == "Election")
    assert election.name == "三届一次全委会议"
    labels = sorted(part.post.label for part in election.participations)
    assert labels == ["主任委员", "副主任委员", "副主任委员"]


def test_elected_list_with_you():
    x = extract(article("5月19日,市工商联第五次代表大会召开。当选为副主席的有:庞晓光、甘雨薇。"))
    election = next(e for e in x.events if e.type == "Election")
    assert len(election.participations) == 2
    assert {p.post.label for p in election.participations} == {"副主席"}


def test_award_ceremony_inside_a_meeting():
    x = extract(article("5月19日,市委人才工作会议举行。会上为12家企业颁发“人才贡献奖”。"))
    award = next(e for e in x.events if e.type == "AwardCeremony")
    meeting = next(e for e in x.events if e.type == "Meeting")
    assert award.name == "人才贡献奖"
    assert award.super_event == meeting.key


def test_same_event_twice_is_one():
    x = extract(article("5月19日,市委人才工作会议举行。在市委人才工作会议上,市长郝建平讲话。会议强调,要抓落实。"))
    assert len(x.events) == 1


def test_relative_dates():
    pub = dt.date(2023, 5, 20)
    assert find_date("昨天,会议召开", pub)[0] == dt.date(2023, 5, 19)
    assert find_date("昨晚,晚会举行", pub)[0] == dt.date(2023, 5, 19)
    assert find_date("今天上午,会议召开", pub)[0] == pub
    assert find_date("12月29日,会议召开", dt.date(2024, 1, 3))[0] == dt.date(2023, 12, 29)


def test_month_day_without_publication_date():
    x = extract(article("8月18日下午,市委人才工作会议举行。", date=None))
    assert x.events[0].date is None
    assert x.events[0].month_day == (8, 18)


def test_reception():
    x = extract(article("昨日下午,市长郝建平在临川宾馆会见了某国友好城市访问团一行。"))
    assert x.events[0].subtype == "Reception"
    assert x.events[0].date == dt.date(2023, 5, 19)


def test_day_only_date():
    assert find_date("5日晚,会议举行", dt.date(2023, 1, 6))[0] == dt.date(2023, 1, 5)
    assert find_date("28日上午,会议举行", dt.date(2023, 1, 6))[0] == dt.date(2022, 12, 28)


def test_a_meeting_held_by_a_congress_session():
    """A session's presidium meeting reported on its own is one Meeting named by both (the convention
    of ../shared/eval/dev2/README.md), with the people of the meeting in it."""
    x = extract(article(
        "5日晚,县第九届人民代表大会第三次会议举行主席团第一次会议。县委书记蒋卫东出席会议,"
        "会议由县人大常委会主任孔繁星主持。"
    ))
    (meeting,) = x.events
    assert (meeting.type, meeting.name) == ("Meeting", "县第九届人民代表大会第三次会议主席团第一次会议")
    assert {p.agent for p in meeting.participations} == {"person:蒋卫东", "person:孔繁星"}


def test_plenary_held_by_a_session_stays_inside_it():
    """第一次会议举行第三次全体会议: a plenary is part of the session (only preparatory meetings merge)."""
    x = extract(article(
        "12月22日上午,青溪县第十六届人民代表大会第一次会议举行第三次全体会议。县人大常委会主任孔繁星主持会议。"
    ))
    assert any(e.type == "Congress" for e in x.events)


def test_ceremony_inside_a_session_is_part_of_it():
    x = extract(article("8月3日上午,临溪镇召开第五届人民代表大会第二次会议。大会还举行了宪法宣誓仪式。"))
    assert len(x.events) == 1


def test_ceremony_on_its_own_is_an_event():
    x = extract(article("9月10日,市新时代产业研究院揭牌仪式在市民中心举行。市工商联主席包玉兰致辞。"))
    assert [e.name for e in x.events] == ["市新时代产业研究院揭牌仪式"]
    assert roles_of(x, "包玉兰") == {"Speaker"}


def test_meeting_head_noun_outside_the_lexicon():
    x = extract(article("12月15日,市长郝建平主持召开市长碰头会。市领导贺晓东、潘立新参加会议。"))
    assert [e.name for e in x.events] == ["市长碰头会"]
    assert roles_of(x, "贺晓东") == {"Participant"}


def test_election_at_a_plenary_named_for_it():
    x = extract(article(
        "11月8日上午,中国共产党新城县第十五次代表大会胜利闭幕。在随后召开的县委十五届一次全会上,"
        "选举甄小龙为县委书记。"
    ))
    election = next(e for e in x.events if e.type == "Election")
    assert election.name == "县委十五届一次全会"
    assert len(x.events) == 2


def test_grant_ceremony_is_an_award_ceremony_and_venue_is_no_meeting():
    x = extract(article("8月24日,市总工会助学金发放仪式在市会议中心举行。"))
    assert [(e.type, e.name) for e in x.events] == [("AwardCeremony", "市总工会助学金发放仪式")]


def test_yesterday_with_the_day_in_brackets():
    assert find_date("昨(18)日,市委书记会见客人", dt.date(2021, 3, 19))[0] == dt.date(2021, 3, 18)


def test_reception_named_after_the_guest_and_meeting_in_phrase_is_no_role():
    x = extract(article(
        "2月3日下午,市长郝建平在临川宾馆会见了临川精密机械有限公司董事长甄小龙一行。"
        "甄小龙在会见中介绍了公司的发展思路。"
    ))
    assert len(x.events) == 1 and x.events[0].subtype == "Reception"
    assert roles_of(x, "郝建平") == {"Chair"}
    assert "Chair" not in roles_of(x, "甄小龙")
    assert "Participant" in roles_of(x, "甄小龙")


def test_reception_of_unnamed_guests_those_seated_and_the_guests_listed():
    x = extract(article(
        "2月3日下午,市长郝建平会见了来访的客人一行。副市长贺晓东会见时在座。"
        "参加会见的嘉宾有：某国某市市长约翰·史密斯，某国驻华大使彼得·琼斯。"
    ))
    assert len(x.events) == 1 and x.events[0].subtype == "Reception"
    assert x.events[0].name == "会见"
    assert all(p.agent_kind == "Person" for p in x.events[0].participations)  # 客人 names no party
    assert roles_of(x, "郝建平") == {"Chair"}
    assert roles_of(x, "贺晓东") == {"Attendee"}
    assert roles_of(x, "约翰·史密斯") == roles_of(x, "彼得·琼斯") == {"Participant"}


def test_a_short_qualifier_in_brackets_inside_the_name():
    x = extract(article("7月9日下午,临川镇召开全镇安全生产（消防）重点工作推进会。会议由镇长李立东主持。"))
    assert [e.name for e in x.events] == ["全镇安全生产（消防）重点工作推进会"]
    assert roles_of(x, "李立东") == {"Chair"}
    x = extract(article("5月19日,镇长李立东（右二）在全镇工作会议上讲话。"))
    assert [e.name for e in x.events] == ["全镇工作会议"]


def test_two_meetings_joined_by_he_are_two_and_share_their_chair():
    x = extract(article("3月21日下午,县长李立东主持召开县政府党组（扩大）会议和县政府第9次常务会议。"))
    assert [e.name for e in x.events] == ["县政府党组（扩大）会议", "县政府第9次常务会议"]
    assert all(roles_of(x, "李立东") == {"Chair"} for _ in x.events)
    assert all(len(e.participations) == 1 for e in x.events)
    x = extract(article("3月21日,县人大常委会和县政府联席会议召开。全县经济工作会议暨安全生产会议同日召开。"))
    assert [e.name for e in x.events] == ["县人大常委会和县政府联席会议", "全县经济工作会议暨安全生产会议"]


def test_a_meeting_planned_for_a_date_is_no_event_and_gives_no_date():
    x = extract(article(
        "日前,市政协主席李立东主持召开市政协五届四十六次主席会议。"
        "会议协商定于10月25日召开市政协五届二十八次常委会议,会期一天。"
    ))
    assert [e.name for e in x.events] == ["市政协五届四十六次主席会议"]
    assert x.events[0].date is None and x.events[0].month_day is None


def test_two_votes_two_elections():
    x = extract(article(
        "昨天上午,中共临溪县第十三次代表大会胜利闭幕。甄小龙、詹立群等31人当选为县委委员。"
        "在随后召开的县委十三届一次全会上,甄小龙当选为县委书记。"
    ))
    elections = [e for e in x.events if e.type == "Election"]
    assert sorted(e.name for e in elections) == ["县委十三届一次全会", "选举"]
    posts = sorted(p.post.label for e in elections for p in e.participations if p.agent == "person:甄小龙")
    assert posts == ["县委书记", "县委委员"]


def test_headline_names_a_meeting_the_body_only_calls_huiyi():
    from kg.read import read_page

    page = "# 市委常委会召开会议\n\n5月20日,市委书记蒋卫东主持会议并讲话。市长郝建平出席会议。\n"
    art = read_page(page, article("").publication, "x.txt", "")[0]
    x = extract(art)
    assert [e.name for e in x.events] == ["市委常委会会议"]
    assert roles_of(x, "郝建平") == {"Attendee"}


def test_a_study_session_and_a_meeting_the_same_afternoon_are_two_events():
    x = extract(article(
        "昨天上午，县委理论学习中心组举行2023年第三次集中学习。县委书记方立成主持并讲话。"
        "县委副书记、县长邵宏作交流发言。\n"
        "当天下午，邵宏主持召开全县森林防火工作专题会议，听取了县林业局关于防火准备工作的汇报。副县长沈一帆参加会议。"
    ))
    names = sorted(e.name for e in x.events)
    assert len(names) == 2 and any("集中学习" in n for n in names) and any("专题会议" in n for n in names)
    study = next(e for e in x.events if "集中学习" in e.name)
    assert {p.agent for p in study.participations} == {"person:方立成", "person:邵宏"}
    assert roles_of(x, "沈一帆") == {"Participant"} and roles_of(x, "县林业局") == {"Presenter"}


def test_a_caption_naming_the_bare_congress_before_the_lead_is_the_congress():
    x = extract(article(
        "大会闭幕现场。\n1月9日上午，临川县第十届人民代表大会第三次会议胜利闭幕。县委书记罗启明主持闭幕大会。",
        locality="临川县",
    ))
    tops = [e for e in x.events if e.super_event is None]
    assert [e.type for e in tops] == ["Congress"] and roles_of(x, "罗启明") == {"Chair"}


def test_a_meeting_described_as_one_of_a_kind_is_not_reported():
    x = extract(article(
        "1月9日，县政协第九届第二次会议开幕。县委书记罗启明讲话。他指出，这次会议是在关键时刻召开的一次重要会议。",
        locality="临川县",
    ))
    assert [e.name for e in x.events] == ["县政协第九届第二次会议"]


def test_a_session_that_elects_is_reported_and_holds_the_election():
    x = extract(article(
        "1月8日，县政协第十届委员会第一次会议选举产生了新一届领导班子。何文斌当选为县政协主席，王静、胡海当选为县政协副主席。",
        locality="临川县",
    ))
    congress = next(e for e in x.events if e.type == "Congress")
    election = next(e for e in x.events if e.type == "Election")
    assert election.super_event == congress.key
    assert {p.agent for p in election.participations} == {"person:何文斌", "person:王静", "person:胡海"}


def test_a_standing_committee_held_after_the_conference_is_a_second_event():
    x = extract(article(
        "6月8日上午，市委召开全市组织工作会议。市委书记罗建国出席会议并讲话。市委副书记邓丽主持会议。"
        "会后，罗建国主持召开市委常委会会议，研究部署近期重点工作。市委常委钱伟、孙立出席。"
    ))
    by_name = {e.name: e for e in x.events}
    assert set(by_name) == {"全市组织工作会议", "市委常委会会议"}
    second = by_name["市委常委会会议"]
    assert {p.agent: p.roles for p in second.participations} == {
        "person:罗建国": ["Chair"], "person:钱伟": ["Attendee"], "person:孙立": ["Attendee"]}


def test_a_meeting_of_another_kind_called_later_is_another_event():
    x = extract(article(
        "7月11日上午，市委常委会召开会议。市委书记祁明主持会议并讲话。随后，祁明主持召开座谈会，听取基层代表意见。"
        "市委常委郭宁参加座谈会。"
    ))
    by_name = {e.name: e for e in x.events}
    assert set(by_name) == {"市委常委会会议", "座谈会"}
    assert {p.agent for p in by_name["座谈会"].participations} == {"person:祁明", "person:郭宁"}


def test_the_same_kind_of_meeting_called_again_is_the_same_event():
    x = extract(article("7月11日，市政协召开民营经济座谈会。市政协主席许洁主持召开座谈会并讲话。郭宁参加座谈会。"))
    assert len(x.events) == 1


def test_opening_ceremony_and_first_plenary_of_a_session_name_the_session():
    x = extract(article(
        "11月2日上午，东河县第九届人民代表大会第一次会议开幕式及第一次全体会议在县礼堂隆重举行。"
        "县人大常委会主任韩明主持会议并宣布大会开幕。",
        locality="东河县",
    ))
    assert [(e.type, e.name) for e in x.events] == [("Congress", "东河县第九届人民代表大会第一次会议")]


def test_an_enlarged_meeting_keeps_its_bracket_in_the_name():
    x = extract(article("3月2日，县委常委会（扩大）会议召开。县委书记韩明主持会议并讲话。", locality="东河县"))
    assert [e.name for e in x.events] == ["县委常委会（扩大）会议"]


def test_a_session_that_votes_is_reported_but_not_one_whose_results_are_announced():
    x = extract(article("1月7日，县政协十一届一次会议选举韩明同志为县政协主席，选举王刚、李强同志为县政协副主席。",
                        locality="东河县"))
    congress = next(e for e in x.events if e.type == "Congress")
    assert next(e for e in x.events if e.type == "Election").super_event == congress.key
    x = extract(article("1月7日，县政协十一届一次会议闭幕。会上，韩明宣布了第二次大会选举结果。", locality="东河县"))
    assert [e.name for e in x.events] == ["县政协十一届一次会议"]


def test_a_quoted_slogan_inside_a_meeting_name_is_kept():
    x = extract(article("5月6日，全省深化“放管服”改革电视电话会议召开。省长王国强出席并讲话。"))
    assert [e.name for e in x.events] == ["全省深化“放管服”改革电视电话会议"]


def test_a_bare_title_elected_takes_the_body_named_just_before():
    x = extract(article(
        "1月6日，县第十八届人民代表大会第一次会议举行第三次全体会议。会议选举李明为县人大常委会主任，王芳、张强为副主任，"
        "刘伟等15人为委员；选举孙强为县人民政府县长，赵丽为副县长。",
        locality="东河县",
    ))
    got = {p.agent: p.post.label for e in x.events if e.type == "Election" for p in e.participations}
    assert got["person:王芳"] == "县人大常委会副主任" and got["person:刘伟"] == "县人大常委会委员"
    assert got["person:赵丽"] == "县人民政府副县长"


def test_verb_taking_the_meeting_as_object_is_not_a_meeting():
    """祝贺大会召开: 祝贺 governs 大会, which is the congress already reported, not a 祝贺大会."""
    x = extract(article(
        "6月3日,政协临川市第九届委员会第二次会议开幕。市委书记窦明澜等应邀出席,祝贺大会召开。"
        "开幕会由柏思远主持。"
    ))
    assert [e.type for e in x.events] == ["Congress"]
    assert roles_of(x, "窦明澜") == {"Attendee"}
    assert roles_of(x, "柏思远") == {"Chair"}


def test_plenum_carried_out_is_referred_to_not_reported():
    """落实区委某届某次全会工作安排 (with an ASCII comma before 召开的): referred to, not held."""
    x = extract(article(
        "6月3日,青溪区政协五届二次会议开幕。会议指出,本次会议是在落实区委九届三次全会工作安排之际,"
        "召开的一次重要会议。"
    ))
    assert [e.name for e in x.events] == ["青溪区政协五届二次会议"]


def test_members_congress_of_a_chamber_is_a_congress():
    x = extract(article("6月3日,临川青溪商会三届一次会员大会暨换届选举大会在某酒店召开。"))
    assert [e.type for e in x.events] == ["Congress"]


def test_award_words_in_a_document_title_or_for_unnamed_ranks_make_no_ceremony():
    x = extract(article(
        "6月3日,县委常委会议召开。会议审议了县妇联《关于召开表彰大会有关事项的请示》。"
        "会上,县领导对优秀会员、优秀理事等进行了表彰。"
    ))
    assert [e.type for e in x.events] == ["Meeting"]


def test_elected_post_ends_before_a_second_verb():
    """当选会长并发表讲话: the post is 会长, 并发表讲话 is what the new chair did next."""
    x = extract(article(
        "6月3日,青溪商会二届一次会员大会召开。大会选举产生了新一届理事会。柴远帆当选第二届理事会会长并发表讲话。"
    ))
    election = next(e for e in x.events if e.type == "Election")
    assert [p.post.label for p in election.participations] == ["第二届理事会会长"]


def test_elected_respectively_pairs_names_and_posts():
    """甲、乙两名同志分别以全票当选为X和Y: in order, one post each."""
    x = extract(article(
        "1月9日,柳川镇召开第七届人民代表大会第三次会议。"
        "葛青岚、苗子墨两名同志分别以全票当选为柳川镇人民政府镇长和镇人大主席团主席。"
    ))
    assert posts_of(x, "葛青岚") == ["柳川镇人民政府镇长"]
    assert posts_of(x, "苗子墨") == ["镇人大主席团主席"]


def test_new_post_after_a_vote_is_an_election():
    """选举产生了新一届党委班子，新任党委书记甲主持会议: 甲 was elected 党委书记 at that meeting."""
    x = extract(article(
        "3月1日,青溪镇召开党员大会。会议选举产生了新一届镇党委领导班子,新任党委书记柯望川主持会议并作表态发言。"
    ))
    election = next(e for e in x.events if e.type == "Election")
    assert [(p.agent, p.post.label) for p in election.participations] == [("person:柯望川", "党委书记")]
    assert posts_of(x, "柯望川") == ["党委书记"]
    assert roles_of(x, "柯望川", "Meeting") >= {"Chair"}


def test_presidium_meeting_of_a_session_is_one_meeting():
    """某县人代会第五次会议举行主席团第一次会议: one Meeting named by both, not a congress holding it."""
    x = extract(article(
        "5日晚,县第十六届人民代表大会第五次会议举行主席团第一次会议。县委书记晏秋池出席会议,会议由滕望舒主持。"
    ))
    assert [(e.type, e.name) for e in x.events] == [("Meeting", "县第十六届人民代表大会第五次会议主席团第一次会议")]
    assert roles_of(x, "滕望舒") == {"Chair"}


def test_certificate_of_election_is_no_award_and_no_post():
    """向甲颁发镇长当选证书: neither an award ceremony nor a post 证书 elected by whoever hands it over."""
    x = extract(article(
        "10月11日,柳川镇召开第十五届人民代表大会第一次会议。葛青岚当选为镇长。"
        "区委常委苗子墨向葛青岚颁发镇长当选证书。"
    ))
    assert [e.type for e in x.events] == ["Congress", "Election"]
    assert posts_of(x, "苗子墨") == ["区委常委"]
    assert posts_of(x, "葛青岚") == ["镇长"]


def test_elected_post_printed_short_then_full_is_one_post():
    """新当选的镇人民政府镇长甲 and 选举甲为某镇人民政府镇长: one post, the fuller printing."""
    x = extract(article(
        "9月24日,柳川镇第十八届人民代表大会第一次会议继续举行。会议依法选举葛青岚为柳川镇人民政府镇长。"
        "新当选的镇人民政府镇长葛青岚作履职表态发言。当选镇长葛青岚表示,不负重托。"
    ))
    assert posts_of(x, "葛青岚") == ["柳川镇人民政府镇长"]


def test_donation_event_chaired_and_attended():
    """开展…捐赠活动 … 甲主持捐赠活动: a donation event is a Meeting with its chair and guests."""
    x = extract(article(
        "10月17日,青溪县慈善协会开展定向公益捐赠活动,向柳川镇儿童村捐款25万元。县政协副主席晏秋池参加,"
        "协会常务副会长葛青岚主持捐赠活动。柳川镇儿童村村长童可卿发言。"
    ))
    assert [e.type for e in x.events] == ["Meeting"]
    assert roles_of(x, "葛青岚") == {"Chair"}
    assert posts_of(x, "童可卿") == ["柳川镇儿童村村长"]
