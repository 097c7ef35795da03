"""Money in every printed form, as decimal yuan."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.extract.money import find_amounts
from kg.extract.pipeline import extract
from tests.support.extract import article


@pytest.mark.parametrize(
    "text, value",
    [
        ("发放补助1.53亿元", "153000000"),
        ("共3900万元", "39000000"),
        ("投资五千万元", "50000000"),
        ("奖励1,200元", "1200"),
        ("发放资金120万", "1200000"),
        ("奖金十万元", "100000"),
        ("两千元", "2000"),
    ],
)
def test_amount_forms(text, value):
    assert [a.value for a in find_amounts(text)] == [Decimal(value)]


@pytest.mark.parametrize("text", ["120万人次参加", "一元化管理", "2023年5月", "3家企业"])
def test_not_money(text):
    assert find_amounts(text) == []


def test_foreign_currency_is_kept_apart():
    assert [(a.value, a.currency) for a in find_amounts("筹款2.7亿日元")] == [(Decimal(270000000), "JPY")]


def test_amount_in_headline_counted_once():
    a = article("5月19日,全市科技奖励大会召开,每位获奖者获得10万元奖励。", headline="十位人才每人奖励10万元")
    assert [m.value for m in extract(a).amounts] == [Decimal(100000)]


def test_approximate_amounts_at_the_stated_number():
    assert [a.value for a in find_amounts("发放人才项目资助2000余万元")] == [Decimal(20000000)]


def test_grant_linked_to_receiver_and_purpose_but_not_the_total():
    x = extract(article(
        "5月19日,全市科技奖励大会召开。会上,对贡献奖获得者甄小龙颁发了50万元奖金,各项奖励总额达357万元。"
    ))
    by_value = {a.value: a for a in x.amounts}
    assert by_value[Decimal(500000)].recipient == "person:甄小龙"
    assert by_value[Decimal(500000)].purpose == "奖金"
    assert by_value[Decimal(3570000)].recipient is None
    assert all(a.event == x.events[0].key for a in x.amounts)


def test_approximate_after_the_unit():
    """50万余元 (余 after 万) is 500000, like 50余万元; 10万余人次 stays a head count."""
    assert [a.value for a in find_amounts("捐赠助学金共计50万余元。")] == [Decimal(500000)]
    assert find_amounts("参观群众达10万余人次。") == []
