"""Forms met in real local news of provinces outside the gold sets (session w19x), on invented
texts and names.

Each test pins one general rule, named by the test: names found again or made whole, words that are
not part of a post (受, 新一届) or are part of its title (副, 高级副, 常务, 三级), the organisation of a
post (市政府副市长, 政府旗长, a bare party department), elections and meeting names, award roles.
"""

from __future__ import annotations

from kg.extract.pipeline import extract
from tests.support.extract import article, posts_of, roles_of


def post_orgs(text: str, name: str, locality: str = "临川市") -> dict[str, str | None]:
    """Each post label of the person with the name of the organisation it is in."""
    x = extract(article(text, locality=locality))
    orgs = {o.key: o.name for o in x.organizations}
    return {q.label: orgs.get(q.org) if q.org else None for p in x.people if p.name == name for q in p.posts}


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


def test_shou_before_a_post_is_not_part_of_it():
    x = extract(article("5月6日，市老干部迎春茶话会举行。受市委书记陈立远委托，市委副书记、市长贺明远出席并讲话。"))
    assert posts_of(x, "陈立远") == ["市委书记"]
    assert roles_of(x, "贺明远") >= {"Attendee", "Speaker"}


def test_xin_yi_jie_before_a_post_is_not_part_of_it():
    x = extract(article("5月6日，市工商联召开执委会议。新一届市工商联主席徐爱中在会上发言。"))
    assert posts_of(x, "徐爱中") == ["市工商联主席"]


def test_a_post_elected_to_ends_in_a_title():
    x = extract(article(
        "5月6日，市工商联召开执委会议。经大会选举，某某集团有限公司董事长徐爱中当选市工商联执行委员会主席。"
        "徐爱中在当选大会上表示，将团结广大民营企业。"
    ))
    assert "大会上表示" not in posts_of(x, "徐爱中")
    elected = [p.post.label for e in x.events for p in e.participations if "Elected" in p.roles and p.post]
    assert elected == ["市工商联执行委员会主席"]


def test_jing_da_hui_xuan_ju_names_no_meeting_jing_da_hui():
    x = extract(article("5月6日，市工商联召开执委会议。经大会选举，某某集团有限公司董事长徐爱中当选市工商联主席。"))
    assert "经大会" not in {e.name for e in x.events}


def test_de_inside_a_quoted_title_does_not_cut_the_meeting_name():
    x = extract(article("11月22日晚，“榜样的力量”临川市劳动模范颁奖晚会在文化广场举行。市长周安明出席并颁奖。"))
    assert "“榜样的力量”临川市劳动模范颁奖晚会" in {e.name for e in x.events}
    assert roles_of(x, "周安明", "AwardCeremony") >= {"Attendee", "AwardPresenter"}


def test_deputy_mayor_of_the_city_government_is_in_the_citys_government():
    got = post_orgs("5月6日，市工商联召开代表大会。市政府副市长蔡明远，区政府副区长韩立新出席会议。", "蔡明远")
    assert got == {"市政府副市长": "临川市政府"}


def test_zheng_fu_qi_zhang_is_the_head_of_the_banners_government():
    got = post_orgs("8月14日，旗委召开全体会议。旗委副书记、政府旗长希日布出席。", "希日布", locality="乌兰旗")
    assert got["政府旗长"] == "乌兰旗政府"


def test_a_rank_before_a_bare_title_is_part_of_the_title():
    text = ("3月11日，启动仪式在京举行。国家某某台副台长郑晓明，某某控股高级副总裁唐立东，"
            "市工商联三级调研员王青山参加活动。")
    assert post_orgs(text, "郑晓明") == {"国家某某台副台长": "国家某某台"}
    assert post_orgs(text, "唐立东") == {"某某控股高级副总裁": "某某控股"}
    assert "三级" not in set(post_orgs(text, "王青山").values())
    text = "9月29日，某某商会成立大会召开。商会名誉会长郭立营，开发区商会首届会长程立华出席。"
    assert post_orgs(text, "郭立营") == {"商会名誉会长": "商会"}
    assert post_orgs(text, "程立华") == {"开发区商会首届会长": "开发区商会"}


def test_bare_party_department_after_the_committee_in_one_chain_is_its_department():
    text = ("1月7日，市工商联第十四次代表大会召开。市委常委、统战部长张志明，"
            "区委常委、组织部部长、宣传部部长关雨生出席。")
    assert post_orgs(text, "张志明")["统战部长"] == "中共临川市委"  # the title holds the department
    got = post_orgs(text, "关雨生")
    assert got["组织部部长"] == "中共区委组织部" and got["宣传部部长"] == "中共区委宣传部"


def test_bare_department_without_a_committee_before_it_is_left_alone():
    got = post_orgs("1月7日，某某公司召开年会。公司宣传部部长王立新出席。", "王立新")
    assert not any(v and v.startswith("中共") for v in got.values())


def test_handing_over_a_prize_certificate_makes_no_recipient_of_the_presenter():
    x = extract(article("2月6日，春联大赛颁奖仪式举办。市委宣传部副部长金建明为一等奖获得者王志远颁发获奖证书。"))
    assert roles_of(x, "金建明") == {"AwardPresenter"}
    assert roles_of(x, "王志远") == {"Recipient"}


def test_receivers_printed_with_their_places_are_all_receivers():
    x = extract(article(
        "2月6日，春联大赛颁奖仪式在市图书馆举办。市文广新局党委书记夏伟林为二等奖获得者山西省邢福明、安徽省张永亮颁发证书。"
    ))
    assert roles_of(x, "夏伟林") == {"AwardPresenter"}
    assert roles_of(x, "邢福明") == {"Recipient"}
    assert roles_of(x, "张永亮") == {"Recipient"}


def test_chang_wu_before_a_bare_title_is_part_of_the_title():
    text = "3月2日下午，市三届人大六次会议主席团举行第一次会议。主席团常务主席张晓明、黄立京出席会议。"
    got = post_orgs(text, "张晓明")
    assert "主席团常务" not in set(got.values())


def test_a_venue_after_zai_is_no_part_of_the_organiser():
    x = extract(article("8月8日上午，我区在某某宾馆中华厅举行重大项目集中签约仪式。区长颜立新主持签约仪式。",
                        locality="临川区"))
    assert not any("宾馆" in o.name for o in x.organizations)


def test_a_class_of_units_inside_a_phrase_is_no_organisation():
    x = extract(article("9月11日，异地商会座谈会召开。市委常委、副市长许国明参加会议。"
                        "在听完各家商会代表的发言后，许国明对各家商会的贡献给予肯定。"))
    assert not any("商会" in o.name and "听完" in o.name for o in x.organizations)


def test_a_members_activity_day_is_an_event():
    x = extract(article("12月4日，市政协港澳委员活动日在某某宾馆举行。市政协主席齐同明参加活动并讲话。"))
    assert "市政协港澳委员活动日" in {e.name for e in x.events}
    assert "Speaker" in roles_of(x, "齐同明")


def test_bare_mass_organisation_after_a_body_of_a_place_in_one_chain_is_that_places():
    text = "8月8日上午，重大项目集中签约仪式举行。市政协副主席、工商联主席范立生出席签约仪式。"
    assert post_orgs(text, "范立生")["工商联主席"] == "临川市工商联"
    alone = post_orgs("8月8日上午，某某集团召开年会。工商联主席范立生出席。", "范立生")
    assert alone.get("工商联主席") in (None, "工商联")


def test_visiting_the_members_who_attend_a_session_is_no_attendance():
    x = extract(article("1月3日下午，市委书记丁海明、市长周春林来到会议现场，看望了出席市政协八届二次会议的委员。"))
    assert "Attendee" not in roles_of(x, "丁海明") | roles_of(x, "周春林")


def test_lai_and_a_place_before_a_visit_is_no_name():
    got = names("本报讯 (记者 胡立)应市政府邀请,昨日,以日本某川市市长田中明为团长的友好都市访问团来洛参观访问。"
                "市委副书记、市长郭立昌会见访问团一行。")
    assert "来洛" not in got
    assert "郭立昌" in got


def test_reading_out_a_list_or_a_decision_is_presenting():
    x = extract(article("2月17日，县妇联举行民生项目发放仪式。发放仪式由副县长刘明远主持，"
                        "县妇联副主席蒙丽娟宣读了项目资金管理办法。"))
    assert roles_of(x, "蒙丽娟") == {"Presenter"}
    assert roles_of(x, "刘明远") == {"Chair"}


def test_a_department_head_printed_with_the_committee_member_post_is_in_the_committee_or_its_department():
    text = "2月17日，县妇联举行发放仪式。县委常委统战部长魏丽华，市委常委宣传部部长王立明，县委组织部长陈明远出席。"
    assert post_orgs(text, "魏丽华", locality="临川县")["县委常委统战部长"] == "中共临川县委"
    assert post_orgs(text, "王立明")["市委常委宣传部部长"] == "中共临川市委宣传部"
    assert post_orgs(text, "陈明远", locality="临川县")["县委组织部长"] == "中共临川县委"


def test_japanese_names_after_a_title_or_read_whole_by_the_tagger():
    got = names("以日本某川市市长佐野和平为团长的友好都市访问团来临参观访问。市长郭立昌会见访问团一行。")
    assert "佐野和平" in got and not {"佐野", "野和平"} & got
    got = names("市人大常委会主任徐立聚会见了由日本某某市议会议长桥田和司先生率领的代表团一行。")
    assert {"徐立聚", "桥田和司"} <= got
    assert names("日本某某株式会社社长一行来访。") == set()


def test_ta_refers_to_who_opens_the_clause_after_a_long_phrase_of_place():
    x = extract(article("4月3日下午，我区举行全区首轮项目集中开工仪式。区委副书记、区长张国明致辞。"
                        "何家平、张丽琼等区级领导参加。在全市2020年首轮新基建项目集中开工视频连线活动中，"
                        "王立军介绍了我区项目有关情况。他说，今天全区集中开工项目共有28个。"))
    assert "Speaker" in roles_of(x, "王立军")
    assert "Speaker" not in roles_of(x, "何家平")


def test_heads_of_works_and_farms_hold_posts():
    x = extract(article("3月3日上午，全区重点项目集中开工仪式举行。某某电厂副厂长李彦明，某某林场场长王立山参加活动。"))
    assert posts_of(x, "李彦明") == ["某某电厂副厂长"]
    assert posts_of(x, "王立山") == ["某某林场场长"]


def test_tibetan_and_uyghur_names_after_a_post_title_are_names():
    got = names("5月6日，州政府召开常务会议。州委常委、副州长扎西罗布，州人大常委会副主任格桑曲珍出席会议。"
                "副县长阿不都热依木主持会议。")
    assert {"扎西罗布", "格桑曲珍", "阿不都热依木"} <= got


def test_a_long_word_after_a_title_is_no_name():
    got = names("5月6日，县政府召开常务会议。县长王立明主持会议并讲话。")
    assert got == {"王立明"}


def test_a_long_name_without_a_chinese_surname_is_found_again_where_it_chairs():
    x = extract(article("5月6日，州政府召开常务会议。州委副书记、州长次仁罗布出席会议。"
                        "上午9时，次仁罗布主持并宣布会议开幕。"))
    assert roles_of(x, "次仁罗布") >= {"Attendee", "Chair"}


def test_yi_framing_a_post_is_not_part_of_it():
    x = extract(article("应市政府邀请，以日本某川市市长佐野和平为团长的友好都市访问团来访。市长郭立昌会见访问团一行。"))
    assert posts_of(x, "佐野和平") == ["日本某川市市长"]


def test_fen_bie_reporters_joined_by_a_comma_all_speak():
    x = extract(article("5月6日，全县经济工作会议召开。县委副书记、县长李志强，县委副书记张建明分别作了报告和讲话。"))
    assert roles_of(x, "李志强") == {"Speaker"}
    assert roles_of(x, "张建明") == {"Speaker"}


def test_name_whose_last_character_the_tagger_read_into_hua_wei_is_whole():
    got = names("5月6日，县志愿服务队成立大会召开。县委副书记张建华为志愿服务队授旗。")
    assert "张建华" in got and "张建" not in got


def test_a_bracket_qualifying_a_post_keeps_the_post_and_chairs_nobody():
    x = extract(article("5月6日，全县农业工作会议召开。县农业农村局局长王立新，县财政局局长（主持工作）李志强，"
                        "副县长（挂职）孙丽华出席会议。"))
    assert posts_of(x, "李志强") == ["县财政局局长"]
    assert posts_of(x, "孙丽华") == ["副县长"]
    assert roles_of(x, "王立新") == roles_of(x, "李志强") == roles_of(x, "孙丽华") == {"Attendee"}


def test_the_leader_of_a_party_named_before_meets_as_the_guest():
    x = extract(article("5月6日，某某集团董事长李志强一行来我市考察，市委书记王立新会见了客人。"))
    assert roles_of(x, "李志强") == {"Participant"}
    assert roles_of(x, "王立新") == {"Chair"}


def test_name_whose_last_character_the_tagger_read_into_the_next_verb_is_whole():
    got = names("11月29日，县工商联第九次会员代表大会召开。某某市委统战部副部长、市工商联党组书记叶文达到会祝贺。")
    assert "叶文达" in got and "叶文" not in got
    assert names("5月6日，县委召开会议。副县长钱华亲自主持会议。") == {"钱华"}


def test_engaging_someone_after_the_vote_is_no_election():
    x = extract(article("2月23日，某某商会第一次会员大会召开，选举产生了第一届理事会和会长、秘书长，"
                        "聘请市人大常委会原主任郭立营为名誉会长，某某投资集团总裁吴立印当选商会会长。"))
    assert roles_of(x, "郭立营") == set()
    assert roles_of(x, "吴立印") == {"Elected"}


def test_a_level_prefix_in_a_chain_refers_to_the_place_named_before_it():
    text = "11月18日，某某商会成立大会举行。揭阳市委统战部副部长、市工商联党组书记林少明作了讲话。"
    assert post_orgs(text, "林少明")["市工商联党组书记"] == "揭阳市工商联"
    assert post_orgs("11月18日，大会举行。市工商联党组书记林少明讲话。", "林少明")["市工商联党组书记"] == "临川市工商联"


def test_xian_hou_reporters_joined_by_a_comma_all_speak():
    x = extract(article("11月18日，某某商会成立大会举行。市工商联党组书记李子明，市政府副市长唐小明先后上台作了讲话。"))
    assert roles_of(x, "李子明") == roles_of(x, "唐小明") == {"Speaker"}


def test_the_chain_place_reads_bare_titles_and_committee_bodies_as_the_paper_would():
    text = "8月27日，全市联席工作会议召开。市委副书记、市长胡立梅，市委常委、市委组织部部长林丽蓉出席。"
    assert post_orgs(text, "胡立梅")["市长"] == "临川市政府"
    assert post_orgs(text, "林丽蓉")["市委组织部部长"] == "中共临川市委组织部"
    other = "7月25日，某某县党政考察团来我县考察。清涧县委副书记、县长高立伟一行参观了产业园。"
    assert post_orgs(other, "高立伟", locality="子长县")["县长"] == "清涧县政府"


def test_party_bodies_printed_with_their_place_are_the_communist_partys():
    text = "11月29日，县工商联第九次会员代表大会召开。某某市委统战部副部长叶文达，州委副书记扎西罗布出席。"
    assert post_orgs(text, "叶文达", locality="临川县")["某某市委统战部副部长"] == "中共某某市委统战部"
    assert post_orgs(text, "扎西罗布", locality="甘南州")["州委副书记"] == "中共甘南州委"
