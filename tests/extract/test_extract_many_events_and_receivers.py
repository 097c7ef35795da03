"""Forms of real local news met in the third round (session w15d), on invented texts and names: an
article reporting several towns' party congresses, meetings held one after another (相继召开) or
named only for their delegates, listeners who 听取汇报, a report whose quoted title holds commas,
and the receivers of prizes listed in groups (对甲、乙等15户…和丙等30名…, 乙镇等10个镇)."""

from __future__ import annotations

from kg.extract.orgs import orgs_in_list
from kg.extract.pipeline import extract
from tests.support.extract import article, roles_of

TOWNS = ("根据县委统一安排,从9月23日开始,临川县各乡镇相继召开党代会。\n"
         "9月24日,中国共产党青溪镇第十一次代表大会顺利召开。会议选举产生了新一届镇党委班子,以及出席县第十五次党代会的代表。"
         "临川县委副书记钱立群到会指导。\n"
         "9月23日至24日,中国共产党白石乡第十一次代表大会隆重召开。会议选举产生了新一届乡党委班子和出席中国共产党临川县第十五次"
         "代表大会代表。临川县人大常委会主任孙立峰到会指导。\n")


def test_congresses_of_two_towns_are_two_events_each_with_its_guest():
    x = extract(article(TOWNS))
    names = sorted(e.name for e in x.events)
    assert names == ["中国共产党白石乡第十一次代表大会", "中国共产党青溪镇第十一次代表大会"]
    by_name = {e.name: e for e in x.events}
    keys = {p.key: p.name for p in x.people}
    guests = {n: {keys[part.agent] for part in e.participations} for n, e in by_name.items()}
    assert guests == {"中国共产党青溪镇第十一次代表大会": {"钱立群"}, "中国共产党白石乡第十一次代表大会": {"孙立峰"}}


def test_listeners_of_a_report_do_not_present():
    x = extract(article("15日,市政协副主席郑文彬一行来我县调研,县政协主席孙立峰出席座谈会。"
                        "座谈会上,郑文彬一行听取了县政协工作汇报以及对市政协常委会工作报告的意见建议。"))
    assert roles_of(x, "郑文彬") == set()


def test_report_with_a_quoted_title_holding_commas_is_a_speech():
    x = extract(article("8月24日,中国共产党青溪镇第二十次代表大会隆重召开。"
                        "会议审议通过了由镇党委书记钱立群代表上届委员会向大会所作的《砥砺奋进创佳绩,凝心聚力谋新篇》的工作报告。"))
    assert roles_of(x, "钱立群") == {"Speaker"}


def test_receivers_listed_in_groups_are_all_recipients():
    x = extract(article("1月20日,全县烟草工作总结表彰大会召开。"
                        "县委、县政府对钱立群、孙立峰等15户种植大户和甘若兰、费思远等30名优秀技术员"
                        "分别各奖现金1000元和2000元,各颁发荣誉证1份。"))
    for name in ("钱立群", "孙立峰", "甘若兰", "费思远"):
        assert roles_of(x, name) == {"Recipient"}, name


def test_count_after_a_group_of_units_is_no_part_of_a_name():
    text = "白石镇、黄土镇等10个镇和红岩镇、石岭镇等5个镇"
    assert [o.printed for o in orgs_in_list(text, 0, len(text), "临川县")] == ["白石镇", "黄土镇", "红岩镇", "石岭镇"]


def test_meeting_at_the_head_of_the_lead_is_reported_with_no_role_in_that_sentence():
    x = extract(article("近日,在全县烟草工作总结表彰暨烟草生产工作大会上,"
                        "县委、县政府拿出专项资金,对先进单位和个人进行表彰奖励。"))
    assert [(e.type, e.name) for e in x.events] == [("AwardCeremony", "全县烟草工作总结表彰暨烟草生产工作大会")]
