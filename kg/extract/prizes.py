"""Who receives and who hands out a prize, read from the award family's own sentence patterns.

Beside the trigger walk of :mod:`roles` (颁奖 with 为/对/向 before it), prizes are reported in shapes a
clause-before-the-trigger reading misses: a list after 荣获…的是：, 授予甲…称号, 从甲手中接过, 一等奖由甲获得,
某奖获得者甲, 甲单位选送的《…》获得二等奖, and a list of winners in the sentence after the one announcing it.
Each shape is one small function of (sentence, people, locality); :data:`PATTERNS` lists them in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.extract.orgs import OrgMention, orgs_in_list
from kg.extract.posts import PersonMention
from kg.extract.role_types import RoleMention, chain_start

RECIPIENT_LIST = re.compile(r"(荣获|获得|获)[^，,。；;]{0,40}?的[^，,。；;]{0,12}?(是|为|有)[:：]?")
GRANTED = re.compile(r"授予([^，,。；;]{2,20}?)(?:同志)?[^，,。；;]{0,30}?(?:奖|称号|荣誉|勋章|奖章)")
FROM_HANDS = re.compile(r"从([^，,。；;]{1,40}?)手中(接过|领取)")
# 一等奖由甲、乙获得; 三等奖丙、丁获得: the prize first, then who took it
PRIZE_TAKEN_BY = re.compile(
    r"奖(?:由)?(?P<who>[^，,。；;由获]{2,200}?)(?:分别|共同)?(?:获得|摘得|夺得)(?=[，,。；;]|$)"
)
# 表彰了某校甲等54名优秀教师; 将甲、乙等14位同志表彰为“…”; 把丙评为…: the people honoured by name
COUNT = r"等[\d一二三四五六七八九十百千]+(?:名|位|个|人|家)"
HONOURED = re.compile(
    r"(?:表彰|表扬|嘉奖|奖励)了?(?P<who>[^，,。；;“”]{2,60}?)" + COUNT
    + r"|(?:将|把)(?P<who2>[^，,。；;“”]{2,60}?)(?:" + COUNT + r"[^，,。；;“”]{0,8}?)?(?:表彰为|评为|评选为|命名为)"
)
PRIZE_HOLDER = re.compile(r"(?:奖|称号)(?:获得者|获奖者)[，,]?")
# 甲单位选送的《…》、乙拍摄的《…》获得二等奖: whoever sent in or made a winning work receives the prize
WORK_BY = re.compile(r"(?P<who>[^，,。；;、：:》]{2,40}?)(?:联合|共同)?(?:选送|报送|推送|拍摄|创作|摄制)的")
PRIZE = re.compile(r"(?:荣获|获得|摘得|夺得|捧得)[^，,。；;]{0,20}?(?:奖|桂冠|冠军)")
# 揭晓获奖者名单。他们是：甲、乙: the names follow in the next sentence
LISTED_AFTER = re.compile(r"^\s*(?:他们|她们|获奖者|获奖人员)?(?:分别|依次)?是[:：]")
PRIZE_LIST_BEFORE = re.compile(r"获奖者?|获奖名单|表彰名单|荣获|评选出")

Pattern = Callable[[str, list[PersonMention], "str | None"], list[RoleMention]]


def recipient_lists(text: str, people: list[PersonMention], locality: str | None) -> list[RoleMention]:
    """荣获…的是：甲、乙: the people (else the units) of the list after the colon."""
    out: list[RoleMention] = []
    for m in RECIPIENT_LIST.finditer(text):
        stop = re.search(r"[，,。；;]", text[m.end() :])
        end = m.end() + stop.start() if stop else len(text)
        named = [p for p in people if m.end() <= p.start < end]
        orgs = [] if named else orgs_in_list(text, m.end(), end, locality)
        if named or orgs:
            out.append(RoleMention(["Recipient"], named, orgs, start=m.start(), end=m.end(), trigger="获奖名单"))
    return out


def work_senders(text: str, people: list[PersonMention], locality: str | None) -> list[RoleMention]:
    """Recipients who sent in (选送) or made (拍摄) a work that won: 甲局选送的《…》获得二等奖."""
    out: list[RoleMention] = []
    lo = 0
    for pm in PRIZE.finditer(text):
        hi = pm.start()
        stop = max(text.rfind(c, lo, hi) for c in "；;。")
        lo = max(lo, stop + 1)
        named: list[PersonMention] = []
        orgs: list[OrgMention] = []
        for w in WORK_BY.finditer(text, lo, hi):
            a, z = w.start("who"), w.end("who")
            who = [p for p in people if a <= p.start and p.end <= z]
            if who:
                named += who
                continue
            pos = a
            for piece in re.split(r"与|和|及|同", text[a:z]):
                orgs += orgs_in_list(text, pos, pos + len(piece), locality)
                pos += len(piece) + 1
        if named or orgs:
            out.append(RoleMention(["Recipient"], named, orgs, start=pm.start(), end=pm.end(), trigger="选送获奖"))
        lo = pm.end()
    return out


def prize_holders(text: str, people: list[PersonMention], locality: str | None) -> list[RoleMention]:
    """一等奖获得者，某校教师甲代表获奖人员发言: the person right after it, past the description of who
    they are (某校教师), in the same clause."""
    out: list[RoleMention] = []
    for m in PRIZE_HOLDER.finditer(text):
        named = [p for p in people
                 if m.end() <= chain_start(p) and not re.search("[，,。；;]", text[m.end() : p.start])]
        if named and named[0].start - m.end() <= 30:
            out.append(RoleMention(["Recipient"], named[:1], start=m.start(), end=m.end(), trigger="获得者"))
    return out


def prize_taken_by(text: str, people: list[PersonMention], locality: str | None) -> list[RoleMention]:
    """一等奖由甲、乙获得: the people between the prize and the verb."""
    out: list[RoleMention] = []
    for m in PRIZE_TAKEN_BY.finditer(text):
        lo, hi = m.start("who"), m.end("who")
        named = [p for p in people if lo <= p.start and p.end <= hi]
        if named:
            out.append(RoleMention(["Recipient"], named, start=m.start(), end=m.end(), trigger="奖由获得"))
    return out


def honoured(text: str, people: list[PersonMention], locality: str | None) -> list[RoleMention]:
    """表彰了甲等N名…, 将甲、乙等N位同志表彰为…: the people named as the object of the honour."""
    out: list[RoleMention] = []
    for m in HONOURED.finditer(text):
        group = "who" if m.group("who") is not None else "who2"
        lo, hi = m.start(group), m.end(group)
        named = [p for p in people if lo <= chain_start(p) and p.end <= hi]
        if named:
            out.append(RoleMention(["Recipient"], named, start=m.start(), end=m.end(), trigger="表彰"))
    return out


def granted(text: str, people: list[PersonMention], locality: str | None) -> list[RoleMention]:
    """授予甲同志…称号: the people the title is granted to."""
    out: list[RoleMention] = []
    for m in GRANTED.finditer(text):
        named = [p for p in people if m.start(1) <= p.start and p.end <= m.end()]
        if named:
            out.append(RoleMention(["Recipient"], named, start=m.start(), end=m.end(), trigger="授予"))
    return out


def from_hands(text: str, people: list[PersonMention], locality: str | None) -> list[RoleMention]:
    """从甲手中接过奖牌: 甲 hands the prize out."""
    out: list[RoleMention] = []
    for m in FROM_HANDS.finditer(text):
        givers = [p for p in people if p.start >= m.start(1) and p.end <= m.end(1)]
        if givers:
            out.append(RoleMention(["AwardPresenter"], givers, start=m.start(), end=m.end(), trigger="手中接过"))
    return out


def listed_recipients(text: str, previous: str, people: list[PersonMention]) -> RoleMention | None:
    """揭晓了获奖者名单。他们是：甲、乙、丙: the names of the sentence after a prize list are Recipients."""
    m = LISTED_AFTER.match(text)
    if not m or not PRIZE_LIST_BEFORE.search(previous):
        return None
    named = [p for p in people if p.start >= m.end()]
    return RoleMention(["Recipient"], named, start=m.start(), end=m.end(), trigger="获奖名单") if named else None


def award_receivers(text: str, seg_start: int, trig_start: int, locality: str | None) -> list[OrgMention]:
    """Units after 为 in 为荣获…的甲公司、乙公司颁奖."""
    seg = text[seg_start:trig_start]
    k = max(seg.rfind("为"), seg.rfind("向"), seg.rfind("给"))
    if k < 0:
        return []
    obj_start = seg_start + k + 1
    de = text.rfind("的", obj_start, trig_start)
    if de >= 0:
        obj_start = de + 1
    return [o for o in orgs_in_list(text, obj_start, trig_start, locality) if len(o.printed) >= 4]


# in the order their mentions are reported (after the meeting family's lists of :mod:`roles`)
PATTERNS: tuple[Pattern, ...] = (
    recipient_lists, work_senders, prize_holders, prize_taken_by, honoured, granted, from_hands,
)
