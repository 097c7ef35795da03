"""Dates of events, resolved against the publication date (1月12日, 昨天, 今天 …)."""

from __future__ import annotations

import datetime as dt
import re

import cn2an

CN_NUM = "〇零一二三四五六七八九十"
DATE_RE = re.compile(
    rf"(?:(?P<y>\d{{4}}|[{CN_NUM}]{{4}})年)?(?P<m>\d{{1,2}}|[{CN_NUM}]{{1,3}})月"
    rf"(?P<d>\d{{1,2}}|[{CN_NUM}]{{1,3}})(?:(?:至|到|—|-|～|~)(?:\d{{1,2}}|[{CN_NUM}]{{1,3}}))?[日号]"
)  # 8月30至31日: a span of days starts on its first
DAY_ONLY_RE = re.compile(r"(?<![\d月年])(?P<d>\d{1,2})日(?:[上下]午|晚|早|凌晨|中午)?")
PAREN_DAY = re.compile(r"[昨今前][(（](?P<d>\d{1,2})[)）]日")
DATELINE_AFTER = ("讯", "电")
RELATIVE = {"前天": -2, "昨天": -1, "昨日": -1, "昨晚": -1, "今天": 0, "今日": 0, "今晚": 0, "今晨": 0, "明天": 1}
RELATIVE_RE = re.compile("|".join(RELATIVE))


def _num(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(c in "〇零一二三四五六七八九" for c in text):
        return int("".join(str("〇一二三四五六七八九".index(c) if c != "零" else 0) for c in text))
    return int(cn2an.cn2an(text, "smart"))


PLANNED_BEFORE = re.compile(r"(?:定于|定在|将于|将在|拟于|拟在|计划于|预计于)$")


def find_date(text: str, published: dt.date | None) -> tuple[dt.date | None, tuple[int, int] | None, int]:
    """The first date expression of ``text``: (full date or None, (month, day) or None, offset or -1).

    Without a stated year the year comes from the publication date; a month/day more than a week after
    it belongs to the year before (a 12月29日 meeting reported in January).
    """
    # 定于10月25日召开…: the day something is planned for is not the day of what is reported
    found = [x for x in DATE_RE.finditer(text) if not PLANNED_BEFORE.search(text, 0, x.start())]
    # 某融媒12月23日讯：12月22日，…: the dateline is the day of the report, the next date the event's
    m = next((x for x in found if text[x.end() : x.end() + 1] not in DATELINE_AFTER), found[0] if found else None)
    r = RELATIVE_RE.search(text)
    pm = PAREN_DAY.search(text)
    if pm and (not m or pm.start() < m.start()) and (not r or pm.start() <= r.start()):
        return _day_only(pm.group("d") + "日", published, None)  # 昨(18)日: the day is printed
    if r and m and 0 <= m.start() - r.end() <= 5:
        r = None  # 今天下午(12月26日): the stated date wins
    if r and (not m or r.start() < m.start()):
        if published is None:
            return None, None, r.start()
        day = published + dt.timedelta(days=RELATIVE[r.group(0)])
        return day, (day.month, day.day), r.start()
    if not m:
        return _day_only(text, published, r.start() if r else None)
    try:
        month, day = _num(m.group("m")), _num(m.group("d"))
        year = _num(m.group("y")) if m.group("y") else None
    except (ValueError, KeyError, TypeError):
        return None, None, -1
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None, None, -1
    if year is None and published is not None:
        year = published.year
        try:
            if dt.date(year, month, day) > published + dt.timedelta(days=7):
                year -= 1
        except ValueError:
            return None, (month, day), m.start()
    if year is None:
        return None, (month, day), m.start()
    try:
        return dt.date(year, month, day), (month, day), m.start()
    except ValueError:
        return None, (month, day), m.start()


def _day_only(text: str, published: dt.date | None, before: int | None):
    """5日晚: the day of the publication's month (or of the month before, if it is later)."""
    m = DAY_ONLY_RE.search(text)
    if not m or published is None or (before is not None and before < m.start()):
        return None, None, -1
    day = int(m.group("d"))
    year, month = published.year, published.month
    if day > published.day:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return None, None, -1
    return d, (d.month, d.day), m.start()
