"""People and posts: chains, shared posts over lists, 同志, compound surnames."""

from __future__ import annotations

from kg.extract.ner import Token, default_tagger
from kg.extract.pipeline import extract
from kg.extract.posts import find_people
from tests.support.extract import article, posts_of, roles_of


def people(text: str) -> dict[str, list[str]]:
    return {m.name: [p.label for p in m.posts] for m in find_people(text, default_tagger().tag(text))}


def test_post_chain_before_name():
    got = people("省委常委、市委书记蒋卫东出席会议并讲话。")
    assert got["蒋卫东"] == ["省委常委", "市委书记"]


def test_chain_after_a_comma_list():
    got = people("市委副书记、市长郝建平,市人大常委会主任孔繁星出席。")
    assert got["郝建平"] == ["市委副书记", "市长"]
    assert got["孔繁星"] == ["市人大常委会主任"]


def test_shared_post_over_a_list():
    got = people("副市长贺晓东、潘立新、谷春燕出席会议。")
    assert got == {"贺晓东": ["副市长"], "潘立新": ["副市长"], "谷春燕": ["副市长"]}


def test_each_name_with_its_own_post_is_not_shared():
    got = people("县政府副县长冯志坚,县人民法院院长邱明远、县人民检察院代检察长闫立波列席会议。")
    assert got["邱明远"] == ["县人民法院院长"]
    assert got["闫立波"] == ["县人民检察院代检察长"]


def test_leaders_list_takes_the_collective_post():
    got = people("市领导韩志刚、邵红梅、田国栋等参加。")
    assert set(got) == {"韩志刚", "邵红梅", "田国栋"}
    assert all(v == ["市领导"] for v in got.values())


def test_a_single_name_after_leaders_before_a_verb_of_taking_part():
    got = people("县政协主席周明泉，县领导储立新列席会议。")  # the tagger: 储/v 立新/v
    assert got["储立新"] == ["县领导"]
    assert people("县领导班子出席会议，市领导干部参加培训。") == {}


def test_an_adverb_of_sequence_is_no_part_of_the_post():
    for text, post in (("最后区长李立新宣布大会开幕。", "区长"), ("接着市委书记李立新作总结讲话。", "市委书记"),
                       ("同时副县长李立新参加。", "副县长")):
        assert people(text) == {"李立新": [post]}, text


def test_this_place_is_no_part_of_the_post():
    assert people("该镇党委书记李立东出席会议。") == {"李立东": ["镇党委书记"]}
    assert people("该县县长李立东出席会议。") == {"李立东": ["县长"]}


def test_names_followed_by_comrade():
    got = people("选举岳振国为主任委员,苗凤英、鲁长河同志为副主任委员。")
    assert {"岳振国", "苗凤英", "鲁长河"} <= set(got)
    assert "鲁长河同志" not in got


def test_compound_surname():
    got = people("市政协副主席欧阳志远出席活动。")
    assert got == {"欧阳志远": ["市政协副主席"]}


def test_two_character_name():
    got = people("副区长鲍军主持会议。")
    assert got == {"鲍军": ["副区长"]}


def test_a_virus_is_not_a_person():
    assert people("防范奥密克戎变异株,接种疫苗。") == {}


def test_post_org_resolved_with_locality():
    x = extract(article("市委书记蒋卫东出席会议。"))
    person = next(p for p in x.people if p.name == "蒋卫东")
    org = next(o for o in x.organizations if o.key == person.posts[0].org)
    assert org.name == "中共临川市委"


def org_of_post(text: str, name: str, locality: str = "临川市") -> str:
    x = extract(article(text, locality=locality))
    person = next(p for p in x.people if p.name == name)
    return next(o for o in x.organizations if o.key == person.posts[0].org).name


def test_a_head_whose_title_shares_the_places_level_heads_its_government():
    """某某市长 is the mayor of 某某市 (the 市 belongs to both): the city government, as 市长 in its paper."""
    assert org_of_post("青梧市长柯明远出席会议。", "柯明远") == "青梧市政府"
    assert org_of_post("南屏县长柯明远出席会议。", "柯明远") == "南屏县政府"
    assert org_of_post("市长柯明远出席会议。", "柯明远", locality="青梧市") == "青梧市政府"
    assert org_of_post("青梧市教育局长柯明远出席会议。", "柯明远") != "青梧市教育政府"


def test_a_democratic_partys_city_committee_is_not_the_communist_partys():
    assert org_of_post("民进青梧市委主委邵雨航主持会议。", "邵雨航") == "民进青梧市委"
    assert org_of_post("青梧市委书记邵雨航主持会议。", "邵雨航") == "中共青梧市委"


def test_one_post_per_org_and_title_keeps_the_fuller_label():
    x = extract(article("当日,临川市委书记蒋卫东出席会议。会上,市委书记蒋卫东讲话。"))
    assert posts_of(x, "蒋卫东") == ["临川市委书记"]


def test_rare_surname_rescued_by_post_before_it():
    got = people("县委副书记妥永福、县人大常委会主任蒙光荣分别主持会议。")
    assert got.get("妥永福") == ["县委副书记"]


def test_a_doctrine_named_after_a_person_is_not_a_mention():
    assert people("以邓小平理论为指导,深入学习。") == {}


def test_appointment_gives_a_post_not_an_election():
    x = extract(article("5月19日,市人大常委会召开第九次会议。会议任命甄小龙为临川市教育局局长。"))
    assert posts_of(x, "甄小龙") == ["临川市教育局局长"]
    assert not any(e.type == "Election" for e in x.events)


def test_place_prefixed_head_post_merges_with_bare_one():
    x = extract(article(
        "5月19日,临川市第九届人民代表大会第一次会议举行。詹立群当选为临川市市长。新当选的市长詹立群讲话。"
    ))
    assert posts_of(x, "詹立群") == ["临川市市长"]


def test_same_title_in_a_shorter_printing_of_the_body_is_one_post():
    x = extract(article("临川精密机械董事长甄小龙出席。5月19日,会议举行。临川精密机械有限公司董事长甄小龙讲话。"))
    assert posts_of(x, "甄小龙") == ["临川精密机械有限公司董事长"]


def test_a_word_in_a_list_of_words_is_no_name():
    assert "安业" not in people("让人安心、安家、安业。")
    assert set(people("副市长贺晓东、潘立新、谷春燕出席会议。")) == {"贺晓东", "潘立新", "谷春燕"}


def test_conjunctions_and_companies_in_chains():
    got = people("台湾某某光电科技(扬州)有限公司总经理甄小龙介绍情况。")
    assert got["甄小龙"] == ["台湾某某光电科技(扬州)有限公司总经理"]
    assert people("市委书记蒋卫东和市长郝建平出席。")["郝建平"] == ["市长"]
    assert people("市住房和城乡建设局局长甄小龙出席。")["甄小龙"] == ["市住房和城乡建设局局长"]
    assert people("出席会议的有市长郝建平。")["郝建平"] == ["市长"]


def test_a_hall_where_a_ceremony_is_held_is_no_person():
    assert people("昨晚,颁奖典礼在某某大学梁某堂举行。") == {}


def test_middle_dot_names_are_read_whole():
    got = people("大会执行主席李国华、买合木提·吐尔洪、努尔古丽·艾买提在主席台就座。")
    assert "买合木提·吐尔洪" in got and "努尔古丽·艾买提" in got
    got = people("阿卜杜拉·热合曼当选县人民政府县长；肉孜·司马义当选副县长。")
    assert "阿卜杜拉·热合曼" in got and "肉孜·司马义" in got
    got = people("县委副书记艾尼瓦尔·吾斯曼主持会议。")
    assert got.get("艾尼瓦尔·吾斯曼") == ["县委副书记"]


def test_a_dotted_name_ends_before_a_title_or_said():
    assert set(people("德国专家安娜·贝克曼女士在为大学生上课。")) == {"安娜·贝克曼"}
    assert set(people("托马斯·韦伯说，合作前景广阔。")) == {"托马斯·韦伯"}
    assert set(people("阿卜杜拉·艾则孜说，要抓好落实。")) == {"阿卜杜拉·艾则孜"}  # 则 is the name's


def test_a_dotted_place_pair_is_no_person():
    assert people("2023中国·东盟博览会在南宁开幕。") == {}


def test_a_preposition_glued_to_a_name_is_cut():
    got = people("苏立新、贺明达为获奖者颁奖。")
    assert "贺明达" in got and "贺明达为" not in got


def test_rare_surname_before_elected():
    got = people("钮志刚当选区政协秘书长。")
    assert "钮志刚" in got


def test_appointment_with_the_post_after_the_names():
    x = extract(article("会议表决通过了对邱明远、闫立波两位审判委员会委员和12位人民陪审员的任命。"))
    assert posts_of(x, "邱明远") == ["审判委员会委员"] and posts_of(x, "闫立波") == ["审判委员会委员"]


def test_short_and_long_title_of_a_party_chair_are_one_post():
    x = extract(article(
        "5月6日，民盟临川市第五次代表大会召开。市政协副主席、民盟临川市委主委魏东来出席会议。"
        "在随后召开的五届一次全委会议上，魏东来当选为主任委员，程雨当选为副主任委员。"
    ))
    assert posts_of(x, "魏东来") == ["市政协副主席", "民盟临川市委主委"]
    assert posts_of(x, "程雨") == ["副主任委员"]


def test_the_deputy_in_charge_holds_the_plain_post():
    x = extract(article("5月6日，市政府召开常务会议。副市长林一鸣出席会议。会议要求，分管副市长林一鸣牵头抓总。"))
    assert posts_of(x, "林一鸣") == ["副市长"]


def test_name_glued_to_the_title_by_the_tagger():
    """主任何某某 read as one noun: the title ends inside the word and the name runs to its end."""
    text = "县人大常委会主任何雪樵,县长汤立新出席会议。"
    words = [("县人大常委会", "ORG"), ("主任何雪樵", "n"), (",", "w"), ("县长", "n"), ("汤立新", "PER"),
             ("出席", "v"), ("会议", "n"), ("。", "w")]
    tokens, pos = [], 0
    for w, tag in words:
        tokens.append(Token(w, tag, pos, pos + len(w)))
        pos += len(w)
    found = {m.name: [p.label for p in m.posts] for m in find_people(text, tokens)}
    assert found == {"何雪樵": ["县人大常委会主任"], "汤立新": ["县长"]}


def test_verb_after_a_title_is_not_a_name():
    """各街道联络委主任应邀参加: 应 is a surname, but 应邀 is a verb."""
    x = extract(article("6月3日,县政协会议开幕。区政协调研员、各街道联络委主任应邀参加开幕会。"))
    assert "应邀" not in {p.name for p in x.people}


def test_rank_as_post_keeps_the_list_of_attendees():
    """市某委副县级干部某某: a rank printed as a post, one item of a list with posts."""
    x = extract(article(
        "7月2日,青溪县招商项目签约仪式举行。县委书记庞振宇,市发改委副县级干部邝立群,副县长汤立新出席签约仪式。"
    ))
    assert posts_of(x, "邝立群") == ["市发改委副县级干部"]
    for name in ("庞振宇", "邝立群", "汤立新"):
        assert roles_of(x, name) == {"Attendee"}


def test_words_of_a_quoted_verse_are_no_person():
    """“柏舟轻泛绿波上，…。”: the tagger may read 柏舟轻 as a name; inside a quoted line it is not one."""

    class VerseAsName:
        """The real tagger, but 柏舟轻 read as a person, as the tagger does with some lines of verse."""

        def tag(self, text: str) -> list[Token]:
            k = text.find("柏舟轻")
            if k < 0:
                return default_tagger().tag(text)
            rest = [Token(t.text, t.tag, t.start + k + 3, t.end + k + 3) for t in default_tagger().tag(text[k + 3 :])]
            return default_tagger().tag(text[:k]) + [Token("柏舟轻", "PER", k, k + 3)] + rest

    body = "“柏舟轻泛绿波上,桃李无言下自蹊。”3月6日晚,青溪县技能大赛举行。县长汤立新出席。"
    assert "柏舟轻" in {m.name for m in find_people(body, VerseAsName().tag(body))}
    x = extract(article(body), tagger=VerseAsName())
    names = {p.name for p in x.people}
    assert "汤立新" in names
    assert not any(n.startswith("柏舟") for n in names)


def test_names_of_a_list_read_whole():
    """县领导甲、乙、丙出席: a rare surname (郗) as the first item, a surname the tagger split off (帅|小川,
    满|江红) — the items of a list of names are names whole."""
    found = people("县委书记晏清,县领导郗望舒、满江红、冉雪峰出席会议。")
    assert {"郗望舒", "满江红", "冉雪峰"} <= set(found)
    found = people("县领导满江红、冉雪峰、帅小川出席会议。")
    assert {"满江红", "冉雪峰", "帅小川"} <= set(found)


def test_list_of_places_is_not_read_as_names():
    assert not {"双良", "申达"} & set(people("这些年,华西、双良、阳光、申达等一大批乡镇企业都经历了技改。"))


def test_commander_posts_of_a_headquarters():
    found = people("县委副书记、指挥部总指挥林远舟,副县长、指挥部副总指挥杜若衡出席会议。")
    assert found["林远舟"] == ["县委副书记", "指挥部总指挥"]
    assert found["杜若衡"] == ["副县长", "指挥部副总指挥"]


def test_foreign_names_with_other_middle_dots():
    """约翰・史密斯 (katakana dot), 玛丽亚‧冈萨雷斯, 彼得.卡尔森: one person each, printed form kept."""
    x = extract(article(
        "3月1日,青溪市友好城市交流座谈会举行。外宾代表约翰・史密斯、玛丽亚‧冈萨雷斯、彼得.卡尔森出席座谈会。"
    ))
    names = {p.name: p.alternate_names for p in x.people}
    assert {"约翰·史密斯", "玛丽亚·冈萨雷斯", "彼得·卡尔森"} <= set(names)
    assert "约翰・史密斯" in names["约翰·史密斯"]
    assert roles_of(x, "彼得·卡尔森") == {"Attendee"}


def test_name_ending_in_yi_before_deng():
    """房某|一等领导: the tagger reads 一等; the name keeps its 一 (but not in 一等奖)."""
    assert "芮华一" in people("接受县总工会主席芮华一等领导向他们颁发的奖章。")


def test_three_character_item_cut_to_two_in_a_list():
    """县领导甲、占|卓某、乙: an uncommon surname the tagger took for a verb stays in the name, and the
    whole list attends."""
    x = extract(article("12月28日,县政协预备会议举行。县领导葛青岚、晏秋池、占卓远、童可卿,县政协秘书长邢岚出席会议。"))
    names = {p.name for p in x.people}
    assert "占卓远" in names and "卓远" not in names
    for n in ("葛青岚", "晏秋池", "童可卿", "邢岚"):
        assert roles_of(x, n) == {"Attendee"}, n


def test_verb_tagged_name_in_a_list_after_a_title():
    """会长席某、副县长乙出席: a name the tagger reads as a verb, followed by 、, is still a name."""
    text = "县老促会会长庹留、县政府副县长冉从刚出席捐赠仪式。"
    words = [("县老促会", "ORG"), ("会长", "n"), ("庹留", "v"), ("、", "w"), ("县政府", "ORG"), ("副县长", "n"),
             ("冉从刚", "PER"), ("出席", "v"), ("捐赠", "vn"), ("仪式", "n"), ("。", "w")]
    tokens, pos = [], 0
    for w, tag in words:
        tokens.append(Token(w, tag, pos, pos + len(w)))
        pos += len(w)
    found = {m.name: [p.label for p in m.posts] for m in find_people(text, tokens)}
    assert found == {"庹留": ["县老促会会长"], "冉从刚": ["县政府副县长"]}
