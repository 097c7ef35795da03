"""Roles from the contract's triggers: coordination, lists, 分别, 等, far agents, 为…颁奖."""

from __future__ import annotations

from kg.extract.pipeline import extract
from tests.support.extract import article, posts_of, roles_of


def test_attend_and_speak_gives_two_roles():
    x = extract(article("5月19日,市委经济工作会议举行。市委书记蒋卫东出席并讲话。市长郝建平主持。"))
    assert roles_of(x, "蒋卫东") == {"Attendee", "Speaker"}
    assert roles_of(x, "郝建平") == {"Chair"}


def test_chair_the_meeting_and_speak():
    x = extract(article("5月19日,市政府常务会议召开。市长郝建平主持会议并讲话,副市长贺晓东、潘立新出席会议。"))
    assert roles_of(x, "郝建平") == {"Chair", "Speaker"}
    assert roles_of(x, "贺晓东") == roles_of(x, "潘立新") == {"Attendee"}


def test_comma_separated_people_before_one_trigger():
    x = extract(article(
        "5月19日,市委常委会召开扩大会议。市委书记蒋卫东主持会议并讲话,市委副书记、市长郝建平,"
        "市人大常委会主任孔繁星,市政协主席包玉兰出席会议。"
    ))
    for name in ("郝建平", "孔繁星", "包玉兰"):
        assert roles_of(x, name) == {"Attendee"}, name


def test_a_list_closed_by_its_collective_takes_part_with_the_units():
    x = extract(article(
        "5月19日,区委常委会扩大会议召开。区委副书记、区长尤立川主持会议并讲话,区人大常委会主任周立雄、"
        "区政协主席叶立山等区四套班子领导,各乡镇和区直有关单位主要负责同志参加。"
    ))
    assert roles_of(x, "尤立川") == {"Chair", "Speaker"}
    assert roles_of(x, "周立雄") == roles_of(x, "叶立山") == {"Participant"}


def test_reporting_to_the_congress_is_speaking():
    x = extract(article(
        "政协临川市第五届委员会第二次会议5月19日上午开幕。市政协主席贺立东代表政协临川市第五届委员会常务委员会"
        "向大会报告工作。受常委会委托，副主席潘立新向大会报告提案工作情况。"
    ))
    assert roles_of(x, "贺立东") == roles_of(x, "潘立新") == {"Speaker"}


def test_a_caption_opening_with_tu_wei_is_no_receiving_side():
    x = extract(article("21日晚,首届“文明好市民”颁奖晚会举行。市长郝立平出席。图为市长郝立平为“文明好市民”颁奖。"))
    assert roles_of(x, "郝立平") == {"Attendee", "AwardPresenter"}


def test_coming_to_the_meeting_to_hear_is_attending():
    x = extract(article("5月19日,市政协常委会议举行。副市长李立东到会听取意见建议。到会代表200人。"))
    assert roles_of(x, "李立东") == {"Attendee"}


def test_respectively_present():
    x = extract(article("5月19日,两市举行合作座谈会。市长郝建平、区长鲍军分别介绍了工作情况。"))
    assert roles_of(x, "郝建平") == roles_of(x, "鲍军") == {"Presenter"}


def test_observer_and_report():
    x = extract(article(
        "5月19日,县人大常委会召开第十次会议。副县长冯志坚列席会议。会议听取了副县长冯志坚作的关于财政工作的报告。"
    ))
    assert roles_of(x, "冯志坚") == {"Observer", "Speaker"}


def test_chair_by_you():
    x = extract(article("5月19日,县人大常委会召开第十次会议。会议由副主任谷春燕主持。"))
    assert roles_of(x, "谷春燕") == {"Chair"}


def test_remarks_made_while_chairing_are_not_a_speech():
    x = extract(article("5月19日,市委经济工作会议举行。市长郝建平主持。郝建平在主持会议时指出,要抓好落实。"))
    assert roles_of(x, "郝建平") == {"Chair"}


def test_subject_of_emphasise_is_speaker_and_pronoun_resolves():
    x = extract(article("5月19日,市委经济工作会议举行。市委书记蒋卫东出席。他强调,要抓好落实。"))
    assert roles_of(x, "蒋卫东") == {"Attendee", "Speaker"}


def test_far_agent_within_the_sentence():
    x = extract(article(
        "5月19日,市政协举行宣讲会。市委党校教授韦明哲围绕全会精神的主要内容,进行了系统阐述。"
    ))
    assert "Speaker" in roles_of(x, "韦明哲")


def test_award_presenter_and_recipients():
    x = extract(article(
        "5月19日,全市科技奖励大会召开。甄小龙、詹立群等5位科技人才获奖。市长郝建平为获奖者颁奖。"
    ))
    assert roles_of(x, "甄小龙") == roles_of(x, "詹立群") == {"Recipient"}
    assert roles_of(x, "郝建平") == {"AwardPresenter"}


def test_units_presenting_through_their_heads():
    x = extract(article(
        "5月19日,市委人才工作会议举行。会上,临川钢铁集团、市教育局、临川大学主要负责同志先后作交流发言。"
    ))
    assert roles_of(x, "临川钢铁集团") == {"Presenter"}
    assert roles_of(x, "临川市教育局") == {"Presenter"}
    assert roles_of(x, "临川大学") == {"Presenter"}


def test_no_event_no_roles():
    x = extract(article("市疾控中心主任丁晓燕表示,要做好个人防护。"))
    assert x.events == []
    assert roles_of(x, "丁晓燕") == set()


def test_an_important_speech_referred_to_is_not_a_role():
    x = extract(article("5月19日,市委经济工作会议举行。会议要求学习贯彻总书记蒋卫东的重要讲话精神。"))
    assert roles_of(x, "蒋卫东") == set()


def test_granted_an_award_is_a_recipient():
    x = extract(article("5月19日,全市科技奖励大会召开。会上,市政府授予甄小龙同志科学技术突出贡献奖,奖励100万元。"))
    assert roles_of(x, "甄小龙") == {"Recipient"}


def test_won_award_adjectival_is_not_the_subject():
    x = extract(article("5月19日上午,副县长冯志坚为荣获“质量奖”的3家企业颁奖授牌。"))
    assert roles_of(x, "冯志坚") == {"AwardPresenter"}


def test_speaker_is_the_subject_of_its_clause():
    x = extract(article(
        "5月19日,两县召开工作座谈会。县长孔繁星向督导组介绍了全县情况,孔繁星说,今年以来各项工作稳步推进。"
    ))
    assert roles_of(x, "孔繁星") == {"Presenter", "Speaker"}


def test_meeting_named_at_sentence_start_with_shang():
    x = extract(article("7月27日,督导组来县调研。座谈会上,县委副书记岳振国介绍了上半年工作情况。"))
    assert [e.name for e in x.events] == ["座谈会"]
    assert roles_of(x, "岳振国") == {"Presenter"}


def test_important_speech_given_is_a_role():
    x = extract(article("5月19日,全市工作会议召开。市委书记蒋卫东作重要讲话。"))
    assert roles_of(x, "蒋卫东") == {"Speaker"}


def test_welcome_address_and_deputies():
    x = extract(article(
        "5月19日,全市工作会议召开。市长郝建平致欢迎辞。全国人大代表、临溪村党支部书记甄小龙作交流发言。"
    ))
    assert roles_of(x, "郝建平") == {"Speaker"}
    assert roles_of(x, "甄小龙") == {"Presenter"}
    assert posts_of(x, "甄小龙") == ["全国人大代表", "临溪村党支部书记"]


def test_list_mates_of_the_receiving_side_are_recipients():
    x = extract(article(
        "5月19日,全市表彰大会召开。副市长贺晓东为优秀学生代表甄小龙、詹立群颁发证书。"
    ))
    assert roles_of(x, "贺晓东") == {"AwardPresenter"}
    assert roles_of(x, "甄小龙") == roles_of(x, "詹立群") == {"Recipient"}


def test_units_after_wei_de_receive_the_award():
    x = extract(article(
        "5月19日,全区发展大会召开。区委书记郝建平为荣获“突出贡献企业”的临川精密机械有限公司颁奖。"
    ))
    assert roles_of(x, "临川精密机械有限公司") == {"Recipient"}


def test_named_units_present_without_fuzeren():
    x = extract(article(
        "5月19日,全市民营企业家座谈会召开。会上,临川纺织集团有限公司、临川市工商业联合会先后作交流发言。"
    ))
    assert roles_of(x, "临川纺织集团有限公司") == {"Presenter"}
    assert roles_of(x, "临川市工商业联合会") == {"Presenter"}


def test_classes_of_units_are_not_named_recipients():
    x = extract(article(
        "5月19日,市委人才工作会议举行。会上为首批7家企业和13户新认定的省级企业技术中心颁发“人才贡献奖”。"
    ))
    assert not any(p.agent_kind == "Organization" for e in x.events for p in e.participations)


def test_agents_listed_after_the_trigger():
    x = extract(article("5月19日,全市经济工作会议召开。出席会议的还有市领导詹立群、甘雨薇。"))
    assert roles_of(x, "詹立群") == roles_of(x, "甘雨薇") == {"Attendee"}


def test_chair_by_you_and_attendees_after_comma():
    x = extract(article("5月19日,全市经济工作会议召开。会议由市委副书记岳振国主持,市长郝建平、副市长贺晓东出席。"))
    assert roles_of(x, "岳振国") == {"Chair"}
    assert roles_of(x, "郝建平") == roles_of(x, "贺晓东") == {"Attendee"}


def test_roles_go_to_the_meeting_reported_last():
    x = extract(article(
        "5月20日上午,市委常委会召开会议。市委书记蒋卫东主持会议并讲话。\n"
        "当天下午,市委理论学习中心组举行专题学习会。市委副书记岳振国主持学习会。市委常委甄小龙作交流发言。"
    ))
    names = {e.name: e for e in x.events}
    assert set(names) == {"市委常委会会议", "专题学习会"}
    assert {p.agent for p in names["专题学习会"].participations} == {"person:岳振国", "person:甄小龙"}


def test_he_joins_agents_and_honoured_people_are_recipients():
    x = extract(article(
        "５月１９日，全市经济工作会议召开。市委书记蒋卫东和市长郝建平出席会议。甄小龙、詹立群等12位同志受到表彰。"
    ))
    assert roles_of(x, "郝建平") == {"Attendee"}
    assert roles_of(x, "甄小龙", "AwardCeremony") == {"Recipient"}


def test_adjacent_triggers_share_agents_but_not_join_a_reception():
    x = extract(article("4月8日,市政协常委会议召开。副市长吴某某应邀到会通报全市经济运行情况。"))
    assert roles_of(x, "吴某某") == {"Attendee", "Presenter"}
    y = extract(article("昨日下午,市长郝建平在临川宾馆会见了访问团一行。市领导甄小龙、詹立群参加会见。"))
    assert roles_of(y, "甄小龙") == {"Participant"}


def test_units_present_through_their_heads():
    x = extract(article("3月2日，市政府召开常务会议。市长吴明主持会议。市交通局、市财政局负责同志列席会议。"))
    assert roles_of(x, "临川市交通局") == {"Observer"} and roles_of(x, "临川市财政局") == {"Observer"}
    x = extract(article("5月3日，市政协召开座谈会。省农业厅、省林业局负责同志，市发改委、市工商联负责同志参加座谈。"))
    assert all(roles_of(x, n) == {"Participant"} for n in ("省农业厅", "省林业局", "临川市发改委", "临川市工商联"))
    x = extract(article("5月3日，市政府召开全体会议。市人大常委会、市政协有关负责同志列席会议。"))
    assert roles_of(x, "临川市政协") == {"Observer"}


def test_leaders_listed_by_rank_are_not_units():
    x = extract(article("5月3日，市委召开全会。市委常委、市政协主要负责同志，副市长，市法院、检察院主要负责同志出席。"))
    assert not any(p.agent_kind == "Organization" for e in x.events for p in e.participations)


def test_the_one_heard_reports():
    x = extract(article("3月2日，县长吴明主持召开专题会议，听取了县水务局、县林业局关于防汛准备工作情况的汇报。"))
    assert roles_of(x, "县水务局") == {"Presenter"} and roles_of(x, "县林业局") == {"Presenter"}
    assert roles_of(x, "吴明") == {"Chair"}
    x = extract(article("3月2日，市委常委会召开会议。会议听取了李晓东关于一季度经济运行情况的汇报。"))
    assert roles_of(x, "李晓东") == {"Presenter"}
    x = extract(article("3月2日，县长吴明主持召开专题会议，听取了关于防汛准备工作情况的汇报。"))
    assert {o.name for o in x.organizations if "局" in o.name} == set()


def test_receivers_after_a_glued_preposition_and_units_before_a_count():
    x = extract(article(
        "4月8日，全市人才工作表彰大会召开。市长苏立新主持会议。苏立新、贺明达为获得“科技贡献奖”的某某材料有限公司首席科学家"
        "郑雨辰、某某学院教授陶一凡颁奖；贺明达为东岭电子有限公司、西河智能装备有限公司等12家先进单位颁奖。"
    ))
    assert roles_of(x, "郑雨辰") == {"Recipient"} and roles_of(x, "陶一凡") == {"Recipient"}
    assert "AwardPresenter" in roles_of(x, "贺明达")
    assert roles_of(x, "东岭电子有限公司") == {"Recipient"} and roles_of(x, "西河智能装备有限公司") == {"Recipient"}


def test_a_town_among_units_that_speak():
    x = extract(article("5月6日，县政府召开推进会。县交通运输局、东湖镇和县经济开发区管委会作交流发言。"))
    assert all(roles_of(x, n) == {"Presenter"} for n in ("县交通运输局", "东湖镇", "县经济开发区管委会"))


def test_units_at_a_branch_venue_and_bracketed_lists():
    x = extract(article(
        "8月2日，全市防汛工作调度会召开。市长罗建国出席会议并讲话。各县（市、区）政府、市直有关单位主要负责同志在分会场参加会议。"
        "市水利局、市气象局负责同志在主会场参加会议。"
    ))
    units = {o.name for o in x.organizations for e in x.events for p in e.participations if p.agent == o.key}
    assert units == {"临川市水利局", "临川市气象局"}


def test_a_unit_that_sits_in_and_reports():
    x = extract(article("11月3日，市政协召开主席会议。市政协主席许洁主持会议。市发改委应邀列席会议并通报有关情况。"))
    assert roles_of(x, "临川市发改委") == {"Observer", "Presenter"}


def test_units_that_pledge_in_turn_are_presenters():
    x = extract(article("2月20日，县委召开经济工作会议。东风镇、西湖乡、县工信局作了表态发言。", locality="临川县"))
    assert all(roles_of(x, n) == {"Presenter"} for n in ("东风镇", "西湖乡", "临川县工信局"))


def test_named_winners_of_a_title_at_a_ceremony():
    x = extract(article(
        "9月9日，全市教育大会隆重召开。会上，市委书记罗建国、市长邓丽为获得“优秀教师”称号的钱伟、孙立等10名教师颁发证书。"
        "李明、王芳等20名同志获得“优秀班主任”称号。"
    ))
    assert roles_of(x, "邓丽") == {"AwardPresenter"}
    assert all(roles_of(x, n) == {"Recipient"} for n in ("钱伟", "孙立", "李明", "王芳"))


def test_a_title_won_outside_any_ceremony_is_no_role():
    x = extract(article("5月3日，市政府召开常务会议。市长罗建国主持会议。会议指出，去年李明获得全国劳动模范称号。"))
    assert roles_of(x, "李明") == set()


def test_a_speech_described_and_the_pronoun_after_it():
    x = extract(article(
        "4月6日晚，东河县在县剧院举行第三届劳动模范颁奖大会。在颁奖典礼上，县长韩明发表了热情洋溢的讲话，他强调，劳动光荣。",
        locality="东河县",
    ))
    assert [e.name for e in x.events] == ["东河县第三届劳动模范颁奖大会"]
    assert roles_of(x, "韩明") == {"Speaker"}


def test_a_speech_referred_to_is_no_role():
    x = extract(article("4月6日，县委常委会召开会议。会议传达了韩明同志发表的重要讲话精神。", locality="东河县"))
    assert roles_of(x, "韩明") == set()


def test_those_who_also_took_part_in_a_visit_and_a_glued_zuo():
    x = extract(article(
        "5月6日，市委书记罗建国到东湖区调研。参加调研的还有市委常委、秘书长钱伟，副市长孙立。随后召开座谈会，罗建国讲话。"
    ))
    assert roles_of(x, "钱伟") == {"Participant"} and roles_of(x, "孙立") == {"Participant"}
    x = extract(article("5月6日，全市民营经济发展大会召开。受市委、市政府委托，副市长孙立作工作报告。"))
    assert roles_of(x, "孙立") == {"Speaker"}


def test_units_that_sent_in_a_winning_work_are_recipients():
    """甲局选送的《…》、乙局与丙局联合选送的《…》获得二等奖: the senders receive the prize."""
    x = extract(article(
        "3月6日晚,青溪县文旅技能大赛颁奖大会举行。经过评委投票,县水利局选送的《山歌》、"
        "县农业局与县林业局联合选送的《竹林》获得二等奖,奖金3000元;"
    ))
    got = {o.name for e in x.events for part in e.participations if "Recipient" in part.roles
           for o in x.organizations if o.key == part.agent}
    assert len(got) == 3 and all(n.endswith(("水利局", "农业局", "林业局")) for n in got)


def test_people_who_made_a_winning_photo_are_recipients_across_a_comma():
    x = extract(article(
        "5月2日,摄影大赛颁奖仪式举行。经过评委会遴选,晏秋池拍摄的反映山乡新貌,产业兴旺的《春耕》"
        "和滕望舒拍摄的《新村》获得一等奖。"
    ))
    assert roles_of(x, "晏秋池") == {"Recipient"}
    assert roles_of(x, "滕望舒") == {"Recipient"}


def test_list_of_winners_after_the_sentence_that_announces_it():
    """揭晓了获奖者名单。他们是：甲、乙、丙 — and 百姓某某 in quotes is a title, not an attendee."""
    x = extract(article(
        "3月3日,青溪市“乡村好人”年度人物颁奖典礼隆重举行。往届“乡村好人”也出席了颁奖典礼。"
        "市委副书记仇雪松揭晓了获奖者名单。他们是:童可卿、糜南星、闵立秋。"
    ))
    for name in ("童可卿", "糜南星", "闵立秋"):
        assert roles_of(x, name) == {"Recipient"}


def test_name_inside_a_quoted_title_takes_no_role():
    x = extract(article("3月3日,青溪市“百姓柯镇远”年度人物颁奖典礼隆重举行。往届“百姓柯镇远”也出席了颁奖典礼。"))
    assert roles_of(x, "柯镇远") == set()


def test_speaker_kept_over_subjectless_clauses():
    """甲代表镇党委，对…表示肯定，同时要求…: both verbs of saying are the same speaker's."""
    x = extract(article(
        "1月9日,柳川镇第七届人民代表大会第三次会议召开。会上,镇党委书记葛青岚同志代表镇党委,"
        "对过去一年的工作表示肯定,同时要求全体代表牢记使命。"
    ))
    assert roles_of(x, "葛青岚") == {"Speaker"}


def test_attending_as_an_attribute_of_the_guests_is_no_role():
    """他向参加仪式的各位来宾表示欢迎: 参加…的 describes the guests, the speaker does not 参加."""
    x = extract(article(
        "12月2日,青溪县项目集中签约仪式举行。县委书记应怀瑾出席签约仪式。"
        "应怀瑾在仪式上作了致辞。他代表县四家班子向参加本次签约仪式的各位来宾表示欢迎。"
    ))
    assert roles_of(x, "应怀瑾") == {"Attendee", "Speaker"}


def test_museum_among_units_present_through_their_heads():
    x = extract(article(
        "11月4日,青溪县摄影大赛颁奖仪式举行。县委宣传部、县文联、县衙博物馆及某某公司负责同志出席仪式。"
    ))
    present = {o.name for o in x.organizations if roles_of(x, o.name) == {"Attendee"}}
    assert any(n.endswith("县衙博物馆") for n in present)


def test_putting_forward_views_is_a_speech():
    """县长某某对下一步工作提出了具体意见: a speaker, as with 指出 and 要求."""
    x = extract(article("3月1日,青溪县重点项目推进会召开。县长查文博对下一步工作提出了具体意见。"))
    assert roles_of(x, "查文博") == {"Speaker"}


def test_prize_first_then_who_took_it():
    """一等奖由甲、乙获得; 三等奖丙、丁 戊获得; 甲社区、乙镇等单位获得组织奖 (a name padded with a space)."""
    x = extract(article(
        "6月13日,青溪县有奖征文活动颁奖仪式隆重举行。一等奖由晏秋池、滕望舒获得;三等奖蒲清远、邢 岚、童可卿获得;"
        "城南社区、柳川镇等单位获得组织奖。"
    ))
    for name in ("晏秋池", "滕望舒", "蒲清远", "邢 岚", "童可卿"):
        assert roles_of(x, name) == {"Recipient"}, name
    units = {o.name for o in x.organizations if roles_of(x, o.name) == {"Recipient"}}
    assert any(u.endswith("城南社区") for u in units) and any(u.endswith("柳川镇") for u in units)


def test_honour_taken_by_a_mixed_list():
    """甲、乙、某合作社电商团队、丙获此殊荣: people and the unit in the list are Recipients."""
    x = extract(article(
        "3月2日晚,青溪市十大新闻人物颁奖晚会隆重举行。晏秋池、滕望舒、柳川镇果业合作社电商团队、童可卿获此殊荣。"
    ))
    for name in ("晏秋池", "滕望舒", "童可卿"):
        assert roles_of(x, name) == {"Recipient"}
    assert any(o.name.endswith("电商团队") and roles_of(x, o.name) == {"Recipient"} for o in x.organizations)


def test_delegates_sent_to_another_congress_do_not_attend():
    """某县出席某市人民代表大会代表54名: the number of delegates elected, nobody attending here."""
    x = extract(article(
        "11月9日下午,青溪县第七届人民代表大会第一次会议第三次全体会议召开。会议由晏秋池主持。"
        "会议投票选举青溪县出席临川市第七届人民代表大会代表54名。"
    ))
    assert all(part.agent_kind == "Person" for e in x.events for part in e.participations)


def test_prize_holder_named_after_the_title():
    """一等奖获得者，某校教师甲同志代表获奖人员发言: 甲 holds the prize (and speaks)."""
    x = extract(article(
        "12月18日,青溪县有奖征文活动颁奖仪式召开。一等奖获得者,柳川镇中心学校教师童可卿同志代表获奖人员发言。"
    ))
    assert roles_of(x, "童可卿") == {"Recipient", "Presenter"}


def test_speech_said_in_and_made_with_zuo_le():
    """甲在讲话中代表…表达了…; 乙代表县政府做了重要讲话: both speakers (not 在…的讲话中)."""
    x = extract(article(
        "12月16日,青溪县捐赠仪式在某乡中举行。公司党委书记苗子墨在讲话中代表公司向学生表达了关切之意。"
        "副县长葛青岚代表县政府做了重要讲话。"
    ))
    assert roles_of(x, "苗子墨") == {"Speaker"}
    assert roles_of(x, "葛青岚") == {"Speaker"}


def test_nominee_as_a_post_keeps_the_list():
    """区政协党组书记、七届政协主席提名人选甲，乙参加会议."""
    x = extract(article(
        "6日,区政协七届一次会议召开主席团第一次会议。区政协党组书记、七届政协主席提名人选葛青岚,区委副书记晏秋池参加会议。"
    ))
    assert roles_of(x, "葛青岚") == {"Participant"}
    assert roles_of(x, "晏秋池") == {"Participant"}


def test_every_trigger_exception_names_a_trigger_word():
    """The exceptions in roles.json sit beside their triggers: each key is a word the triggers match."""
    from kg.extract.lexicon import table
    from kg.extract.roles import trigger_pattern

    words = [w for w in table("roles")["exceptions"] if not w.startswith("_")]
    assert words
    found = {w: trigger_pattern().match(w + "奖") for w in words}  # (获得 looks ahead for …奖)
    stray = [w for w, m in found.items() if m is None or m.group(0) != w]
    assert not stray, stray


def test_award_winning_receivers_after_wei_are_not_the_presenter():
    """为获奖教师颁发证书: 获奖 describes the unnamed receivers; the one handing out is no Recipient."""
    x = extract(article("5月19日,市教育局举行表彰大会。副市长卓雅出席并为获奖教师颁发证书。"))
    assert roles_of(x, "卓雅") == {"Attendee", "AwardPresenter"}
