"""Forms met in real local news the rules had not seen (session w15c), on invented texts and names.

Each test pins one general rule: names glued to 边…边 or 莅会, posts behind a rank title or in
brackets, votes that 选举产生 a list of posts, a second vote of one person, mass organisations
and 街道/社区 as bodies, past meetings referred to (历届), a congress named only where a vote was
held, and listeners who 听取发言.
"""

from __future__ import annotations

from kg.extract.ner import default_tagger
from kg.extract.orgs import canonical_org, org_kind
from kg.extract.pipeline import extract
from kg.extract.posts import find_people
from kg.extract.roles import meeting_guests
from tests.support.extract import article, posts_of, roles_of


def people(text: str) -> dict[str, list[str]]:
    return {m.name: [p.label for p in m.posts] for m in find_people(text, default_tagger().tag(text))}


def names(text: str) -> set[str]:
    return {p.name for p in extract(article(text)).people}


# ---- names


def test_bian_of_bian_ting_bian_ji_is_not_part_of_the_name():
    got = names("5月6日，区委召开座谈会。区委书记韦颖出席会议并讲话。韦颖边听边记，不时与大家交流。")
    assert "韦颖" in got
    assert "韦颖边" not in got


def test_name_glued_to_the_first_character_of_li_hui():
    x = extract(article("4月2日，县工商联召开会员代表大会。市工商联副主席宁秀云莅会指导。"))
    assert "宁秀云" in {p.name for p in x.people}
    assert "宁秀云莅" not in {p.name for p in x.people}
    assert posts_of(x, "宁秀云") == ["市工商联副主席"]
    assert roles_of(x, "宁秀云") == {"Attendee"}  # 莅会 is 莅临's word for a meeting


def test_rare_surname_cai_after_a_title_in_a_list():
    got = people("参事室党组成员、副主任才嘉禾，副主任邵东明参加调研。")
    assert got.get("才嘉禾") == ["参事室党组成员", "副主任"]


# ---- posts


def test_rank_title_holding_a_verb_does_not_cut_the_chain():
    got = people("市工商联党组成员、副主席、三级调研员冉青岳出席会议。")
    assert got["冉青岳"] == ["市工商联党组成员", "副主席", "三级调研员"]


def test_post_in_brackets_before_the_name():
    got = people("无党派人士（青溪大学化学学院副院长）邢雨桐、民盟青溪大"
                 "学委员会副主委（青溪大学文学院院长）甘露白先后发言。")
    assert got["邢雨桐"] == ["青溪大学化学学院副院长"]
    assert got["甘露白"] == ["民盟青溪大学委员会副主委", "青溪大学文学院院长"]


def test_previous_term_qualifier_is_not_part_of_the_post():
    got = people("上届区妇联主席闵秋月首先传达了会议精神。")
    assert got["闵秋月"] == ["区妇联主席"]


# ---- events


def test_past_sessions_referred_to_are_not_an_event():
    x = extract(article("1月15日下午，区政协召开各讨论组组长会议。区政协副主"
                        "席郑若兰对各组长在历届政协全会中作出的贡献表示感谢。"
                        "郑若兰强调，要严守会议纪律。"))
    assert len(x.events) == 1
    assert "历届" not in x.events[0].name
    assert roles_of(x, "郑若兰") >= {"Speaker"}


def test_congress_named_only_where_the_vote_was_held_is_reported():
    x = extract(article("在县第五次党代会上，韩立明当选为县委书记。"))
    types = {e.type for e in x.events}
    assert types == {"Congress", "Election"}
    congress = next(e for e in x.events if e.type == "Congress")
    election = next(e for e in x.events if e.type == "Election")
    assert election.super_event == congress.key
    assert roles_of(x, "韩立明", "Election") == {"Elected"}


def test_plenary_voted_at_is_still_no_congress():
    x = extract(article("在随后召开的县委十五届一次全会上，韩立明当选为县委书记。"))
    assert {e.type for e in x.events} == {"Election"}


# ---- elections


def test_vote_produces_posts_printed_before_each_name():
    x = extract(article("12月7日上午，全区妇联第三次妇女代表大会召开。大会选举产生青溪区妇女联合会主席闵秋月，"
                        "兼职副主席卓晓岚，以及30位执委。"))
    assert roles_of(x, "闵秋月", "Election") == {"Elected"}
    assert roles_of(x, "卓晓岚", "Election") == {"Elected"}
    assert posts_of(x, "闵秋月") == ["青溪区妇女联合会主席"]
    assert posts_of(x, "卓晓岚") == ["青溪区妇女联合会兼职副主席"]


def test_post_elected_to_ends_before_de():
    x = extract(article("5月21日，区工商联第六次会员代表大会召开。会议选举产生了新一届执行委员会，"
                        "成立了以苏望川同志为主席（会长）的新一届执行委员会。"))
    assert posts_of(x, "苏望川") == ["主席（会长）"]


def test_second_vote_of_one_person_is_its_own_election():
    x = extract(article("6月24日上午，机关妇女联合会第一次妇女代表大会举行。大"
                        "会选举甄晓雪、柏如意为机关妇联第一届执行委员会委员。"
                        "大会结束后，召开了机关妇联第一届执行委员会会议，选举柏如意为妇联主席。"))
    elections = [e for e in x.events if e.type == "Election"]
    assert len(elections) == 2
    keys = {p.key for p in x.people if p.name == "柏如意"}
    posts = {part.post.label for e in elections for part in e.participations if part.agent in keys and part.post}
    assert posts == {"机关妇联第一届执行委员会委员", "妇联主席"}


# ---- organisations


def test_mass_organisations_and_communities_have_a_kind():
    for name in ("县总工会", "某镇工会", "市妇联", "团县委", "共青团某县委", "县工商联", "县科协", "区残联"):
        assert org_kind(name) == "mass-org", name
    for name in ("城东街道", "城东街道办事处", "杏林社区", "杏林社区居委会"):
        assert org_kind(name) == "community", name
    assert org_kind("中共某县委") == "party"
    assert canonical_org("青溪区妇女联合会") == "青溪区妇联"


def test_mass_organisation_and_street_office_organise_their_meetings():
    x = extract(article("3月2日，县总工会召开第三届委员会第四次全体会议。县总工会主席苗一禾主持会议。"))
    orgs = {o.key: o.name for o in x.organizations}
    assert [orgs[k] for k in x.events[0].organizers] == ["县总工会"]
    x = extract(article("4月9日，城东街道召开安全生产工作会议。街道党工委书记卫青松主持会议并讲话。"))
    orgs = {o.key: o.name for o in x.organizations}
    assert [orgs[k] for k in x.events[0].organizers] == ["城东街道"]


# ---- roles


def test_a_listener_of_speeches_is_no_presenter():
    x = extract(article("12月13日，区委召开专题协商座谈会。区委书记鲁青山出席会议并讲话。民盟区委主委洪小溪发言。"
                        "鲁青山认真听取发言，并与大家进行了深入交流。"))
    assert roles_of(x, "鲁青山") == {"Attendee", "Speaker"}
    assert roles_of(x, "洪小溪") == {"Presenter"}


def test_visiting_words_are_not_part_of_the_guest():
    text = "5月18日，县委书记韩立明会见了前来考察的青溪市经贸代表团。"
    assert meeting_guests(text, text.find("会见")) == "青溪市经贸代表团"
    text = "5月18日，县委书记韩立明会见了来访的青溪市经贸代表团。"
    assert meeting_guests(text, text.find("会见")) == "青溪市经贸代表团"
    x = extract(article(text))
    assert {o.name for o in x.organizations} >= {"青溪市经贸代表团"}
    assert not any("来访" in o.name for o in x.organizations)


# ---- second round (a fresh set of real donation and visit reports)


def test_attending_the_day_s_ceremony_reports_it():
    x = extract(article("2月1日，县个体私营经济协会组织爱心企业捐款。县委书记裘明德，副县长甘如意出席当天的捐赠仪式。"))
    assert [e.name for e in x.events] == ["捐赠仪式"]
    assert roles_of(x, "裘明德") == {"Attendee"}
    x = extract(article("昨日下午，18名企业家共捐出70万元。县委书记裘明德在当日的捐赠仪式上说，要广泛发动社会参与。"))
    assert [e.name for e in x.events] == ["捐赠仪式"]
    assert roles_of(x, "裘明德") == {"Speaker"}


def test_the_same_sum_twice_in_one_sentence_is_two_sums():
    x = extract(article("捐赠仪式上，县个体私营经济协会捐款10万元；青禾医院捐"
                        "款5万元；甲乙有限公司、丙丁有限公司各捐款5万元。"
                        "其中5万元用于购买口罩。"))
    assert sorted(float(a.value) for a in x.amounts) == [50000.0, 50000.0, 100000.0]


def test_comma_inside_the_object_of_xiang_keeps_the_speaker():
    x = extract(article("6月5日，青禾商会向董家小学捐资38万元，"
                        "捐赠仪式在学校举行。副县长冼卫东代表县委、县政府向助力乡村振兴，"
                        "支持教育事业发展的青禾商会及爱心人士表示感谢。"))
    assert "Speaker" in roles_of(x, "冼卫东")


# ---- third round (women's federation congresses, town people's congresses)


def test_commended_people_attending_make_no_award_ceremony():
    x = extract(article("3月14日上午，县里召开全县妇女工作会议。副县长钟雨晴主持会议，"
                        "各乡镇分管领导及受表彰的先进典型人员参加了会议。"))
    assert [e.type for e in x.events] == ["Meeting"]
    x = extract(article("3月14日上午，县里召开全县妇女工作会议。会上，县妇联表彰奖励了10名三八红旗手；"
                        "县妇联主席戚晚晴与各乡镇签订了目标管理责任书。"))
    assert [e.type for e in x.events] == ["Meeting"]


def test_candidates_and_voting_rules_are_no_election():
    x = extract(article("12月28日，青禾镇第四届人民代表大会第二次会议召开。"
                        "会议审议通过大会《选举办法》，确定郜立新同志为青禾镇人民政府镇长正式候选人，并以无记名投票的方式，选举郜立新同志为新一任青禾镇人民政府镇长。"
                        "会议依法选举郜立新同志为青禾镇人民政府镇长。"))
    assert posts_of(x, "郜立新") == ["青禾镇人民政府镇长"]
    assert len([e for e in x.events if e.type == "Election"]) == 1


def test_a_place_like_name_before_tongzhi_is_a_person():
    x = extract(article("9月30日，青禾镇第十三届人民代表大会第三次会议召开。经过与会代表无记名投票，"
                        "杨柳岭同志全票当选为青禾镇人民政府镇长。"))
    assert roles_of(x, "杨柳岭", "Election") == {"Elected"}


def test_a_list_item_between_names_is_read_whole():
    got = people("县领导张春雷、夏秋实、管政、龙章远、江飞帆等参加。")
    assert "管政" in got


def test_a_dateline_is_not_the_day_of_the_event():
    x = extract(article("某县融媒12月23日讯：12月22日，县妇女第十一次代表大会召开。"
                        "县委书记毛运岭出席开幕式并讲话。", date="2021-12-23"))
    assert str(x.events[0].date) == "2021-12-22"


# ---- fourth round (CPPCC standing committee and chairs' meetings, a town party congress)


def test_voting_rules_of_a_later_session_do_not_report_it():
    x = extract(article("1月6日上午，县政协主席戴明川主持召开县政协十一届十八次常委会会议。"
                        "会议通过了县政协十一届四次会议"
                        "选举办法（草案）；讨论通过了县政协十一届四次会议决议（草案）。"))
    assert [e.type for e in x.events] == ["Meeting"]


def test_members_of_a_body_are_not_a_unit():
    x = extract(article("1月6日上午，县政协主席戴明川主持召开县政协常委会会议。县政协常委参加会议。"))
    assert not any(o.name.endswith("常委") for o in x.organizations
                   for e in x.events for p in e.participations if p.agent == o.key)


def test_reporters_joined_over_a_post_chain():
    x = extract(article("6月26日，白石镇第一次党代会隆重召开。"
                        "白石镇党委书记孙建林、纪委书记魏海川分别代表镇第一届党委和纪委作了报告。"))
    assert roles_of(x, "孙建林") == {"Speaker"}
    assert roles_of(x, "魏海川") == {"Speaker"}


def test_a_speech_at_a_meeting_that_is_studied_is_neither_event_nor_role():
    x = extract(article("7月23日，我县召开民营经济代表谈心交流会。"
                        "县委常委、统战部长杨金城出席会议。座谈会上，集中学习了"
                        "某某总书记柏青山在民营企业座谈会上讲话及全县营商环境建设会议精神。"))
    assert [e.name for e in x.events] == ["民营经济代表谈心交流会"]
    assert roles_of(x, "柏青山") == set()


def test_a_bare_meeting_glued_to_the_next_head_is_its_own_mention():
    x = extract(article("7月23日，我县召开民营经济代表谈心交流会。"
                        "县委常委杨金城出席会议座谈会上，代表们提出了意见建议。"))
    assert [e.name for e in x.events] == ["民营经济代表谈心交流会"]
    assert roles_of(x, "杨金城") == {"Attendee"}


# ---- fifth round (signing ceremonies, prize ceremonies with captions)


def test_a_three_character_name_before_shizhang_is_a_person():
    x = extract(article("6月1日，第四届市长奖表彰会在青溪市实验小学隆重召开。副市长童小海为获奖学生颁奖。"
                        "王鸿远市长在讲话中说，六一儿童节是孩子们的节日。"))
    assert "王鸿远" in {p.name for p in x.people}
    assert "Speaker" in roles_of(x, "王鸿远")
    x = extract(article("日本浦添市长率团来泉考察", headline="日本浦添市长率团来泉考察"))
    assert "浦添" not in {p.name for p in x.people}


def test_a_caption_in_brackets_starts_the_chain_and_yingshou_is_presenting():
    x = extract(article("基金会今天隆重举行首届成就奖颁奖大会，授予柏青林院士“成就奖”。\n"
                        "(中共青溪市委书记陈良川为柏青林院士颁授了荣誉证书)"))
    assert posts_of(x, "陈良川") == ["中共青溪市委书记"]
    assert roles_of(x, "陈良川") == {"AwardPresenter"}


def test_he_after_a_title_joins_two_people():
    got = people("柏青林院士和青溪研究所党委书记曹明川等特邀贵宾出席了颁奖大会。")
    assert got.get("曹明川") == ["青溪研究所党委书记"]


def test_winners_listed_after_de_you_without_a_colon():
    x = extract(article("1月6日下午，青溪市第十二届青少年科技创新市长奖颁奖大会隆重举行。"
                        "本次获得青少年科技创新市长奖的有席天宇、汪岩松、刘博远等3名学生，大会为他们颁发了获奖证书。"))
    for name in ("席天宇", "汪岩松", "刘博远"):
        assert roles_of(x, name) == {"Recipient"}, name


def test_first_leader_of_a_list_the_tagger_reads_as_a_place():
    x = extract(article("26日下午，项目签约仪式在青溪大酒店举行。市领导于清河、张桂林、刘明山等出席签约仪式。"))
    assert roles_of(x, "于清河") == {"Attendee"}
