"""Amounts of money in every printed form (1.53亿元, 3900万元, 五千万元, 1,200元, 120万) as yuan."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

CN_DIGITS = "零〇一二三四五六七八九十百千两"
UNITS = {"亿": Decimal(100000000), "万": Decimal(10000), "千": Decimal(1000)}
CURRENCIES = {"美元": "USD", "欧元": "EUR", "日元": "JPY", "港元": "HKD", "港币": "HKD", "英镑": "GBP"}
AMOUNT = re.compile(
    rf"(?P<num>\d+(?:[,，]\d{{3}})*(?:[.．]\d+)?|[{CN_DIGITS}]+(?:点[{CN_DIGITS}]+)?)\s*"
    r"(?:余|多)?(?P<unit>亿|万亿|万|千)?(?P<unit2>亿|万)?(?:余|多)?\s*"  # 50万余元: the approximate 余 after the unit
    r"(?P<cur>多?元(?:人民币)?|美元|欧元|日元|港元|港币|英镑|(?=(?:资金|奖金|奖励|补助|补贴|投资|经费|资助)))?"
)
COUNTERS = set("人名个户家位次件项头只吨亩平方公里千米余多册套台辆株棵元")
MONEY_CONTEXT = re.compile(r"(资金|奖金|奖励|补助|补贴|投资|经费|资助|拨付|发放|捐赠|捐款|奖补)")


@dataclass
class AmountMention:
    value: Decimal
    text: str
    currency: str
    start: int
    end: int


def _number(text: str) -> Decimal | None:
    text = text.replace(",", "").replace("，", "").replace("．", ".")
    try:
        if re.fullmatch(r"\d+(\.\d+)?", text):
            return Decimal(text)
        return Decimal(str(cn2an.cn2an(text.replace("两", "二"), "smart")))
    except (ValueError, InvalidOperation, KeyError, TypeError):
        return None


def find_amounts(text: str) -> list[AmountMention]:
    out: list[AmountMention] = []
    for m in AMOUNT.finditer(text):
        num = m.group("num")
        if num in ("一", "十", "两", "千", "百") and not m.group("unit"):
            continue  # 一元化, 两元 … too ambiguous on its own
        value = _number(num)
        if value is None:
            continue
        for u in (m.group("unit"), m.group("unit2")):
            if u == "万亿":
                value *= Decimal(10) ** 12
            elif u:
                value *= UNITS[u]
        cur_text = m.group("cur")
        if not cur_text:
            nxt = text[m.end() : m.end() + 1]
            if (
                not m.group("unit")
                or nxt in COUNTERS
                or not MONEY_CONTEXT.search(text, max(0, m.start() - 12), m.end() + 12)
            ):
                continue
            currency = "CNY"
        else:
            currency = CURRENCIES.get(cur_text, "CNY")
        value = value.normalize()
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
        out.append(AmountMention(value, m.group(0).strip(), currency, m.start(), m.end()))
    return out
