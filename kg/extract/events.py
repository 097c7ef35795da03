"""Event mentions: meetings, congress sessions, award ceremonies, named as written.

A mention counts as a reported event only when the sentence reports it taking place (X举行,
召开X, X在…举行, 在X上 with a role in the same sentence, 出席X …); meetings merely referred to
(贯彻…会议精神, 提请…会议审议) are not events of the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kg.extract.lexicon import table, word_set
from kg.extract.ner import Token

# Words a name as written does not run across; single characters only where they stand as a word.
NAME_STOPS = re.compile(
    r"[，,。；;：:！？!?“”\"《》、（）()\s]|举行|召开了|召开|举办|主办|承办|出席|参加|主持|列席|即将|提请|贯彻|学习"
    r"|落实|传达|审议|通过|期间|闭幕(?![式会])|开幕(?![式会])|隆重|胜利|圆满|完成|以来|宣布|决定"
)
# 党组（扩大）会议, 安全生产（消防）重点工作推进会: a short qualifier in brackets inside the name
NAME_BRACKET = re.compile(
    r"(?<=[\u4e00-\u9fff])[（(][\u4e00-\u9fff]{1,4}[）)](?=[\u4e00-\u9fff])|“[^“”，,。；;]{1,12}”(?=[\u4e00-\u9fff])"
)
SINGLE_STOPS = set("在于是了的为由对向从将并经")
NOT_EVENT_NEXT = set("堂厅室场馆址所处楼")
REPORT_AFTER = re.compile(
    r"^[^，,。；;]{0,20}?(举行|召开|开幕|闭幕|(?<!选)举办|落下帷幕|选举产生|在[^，,。；;]{1,20}?(举行|召开))"
)
# 出席当天的捐赠仪式, 在当日的仪式上: a day word before the name does not hide the verb
DAY_OF = r"(?:(?:当天|当日|今天|昨天|今日|昨日)(?:上午|下午|晚上)?的)?"
REPORT_BEFORE = re.compile(
    r"((举行|召开|举办)了?[^，,。；;]*|出席|参加|主持|列席|召开的|举行的|出席了|参加了|主持了)" + DAY_OF + "$"
)
AT_BEFORE = re.compile("在" + DAY_OF + "$")
# a sentence that opens with its time and 在X上 (近日，在某大会上，… / 3月5日上午，在某会议上，…)
LEAD_AT = re.compile(r"(?:[^，,。；;在]{0,14}?(?:日|天|近日|日前|近期|上午|下午|晚上|晚)[，,]?\s*)?在")
# 某会议选举甲为…: a session that votes is reported (not 选举结果, 选举办法)
VOTE_AFTER = re.compile(r"^(?:依法|还|以[^，,。；;]{0,10}?方式)?(?:选举|补选|增选)(?!结果|办法|工作|事项|的)")
NOT_REPORTED_AFTER = re.compile(
    r"^(精神|决议|决定|部署|要求|上的|的精神|以来|审议|(?:工作)?安排|工作部署|重要讲话|的有关|的相关|是|的?代表(?!团))"
)
# 细化落实区委某届某次全会工作安排: a meeting that is carried out or studied is referred to, not reported
REFERRED_BEFORE = re.compile(r"(贯彻|落实|领会|学习|传达)了?$")
FUTURE_BEFORE = re.compile(
    r"(即将|将于|将要|拟于|计划|筹备)[^，。]{0,8}$|(对|关于|就|决定|筹备|研究)了?(召开|举行|举办)|决定$"
    r"|(?:定于|定在)[^，。；;]{0,14}?(召开|举行|举办)$"  # 协商定于10月25日召开: planned
    r"|(相继|陆续|分别|先后|纷纷)(召开|举行|举办)了?$"  # 各乡镇相继召开党代会: many meetings, none named
)
# 县第七次党代会即将召开, 会议将于下月举行: announced, not reported
FUTURE_AFTER = re.compile(r"^[^，,。；;]{0,4}?(即将|将于|将要|拟于|拟在)[^，,。；;]{0,12}?(召开|举行|举办|开幕)")
AT_EVENT = re.compile(r"^(上|中|期间|现场)")
INDEFINITE = re.compile(r"^(一次|一场|一个)")
COUNTED = re.compile(r"^[两几多二三四五六七八九十]+次(?:会议|会)$")
STUDIED = re.compile(r"学习|传达|贯彻|领会|落实")
PAST_MANY = re.compile(r"^(历届|历次|往届|往次|历年|每届|每次|每年)")
SESSION_AND_PART = re.compile(
    r"^(.+?届.*?次(?:全体)?会议)(?:开幕式|闭幕式|开幕会|闭幕会|开幕大会|闭幕大会)(?:及|暨|和).+$"
)
GENERIC_PREFIX = re.compile(r"^(本次|此次|这次|该|今天的|昨天的)")
CONGRESS_BODY = re.compile(r"人大|政协|人民代表大会|政治协商会议|代表大会")
CONGRESS_NAME = re.compile(r"届.*次(全体)?会议$")
# 某商会二届一次会员大会暨换届选举大会: the name holds a congress head before 暨 (or at its end)
CONGRESS_HEAD = re.compile(r"(会员代表大会|会员大会|代表大会|人代会|党代会)(?=暨|$)")
GENERIC_HEADS = ("大会", "会议", "全会")
NOT_CONGRESS = re.compile(r"常委会|常务委员会|主席会议|党组")
ORDINAL_OBJECT = re.compile(
    r"^(第|\d+次|[一二三四五六七八九十百]+次|扩大会议|全体会议|常务会议|[一二三四五六七八九十]+届|会议$)"
)
ORG_END = re.compile(r"(委|会|府|局|协|大|镇|县|区|市|乡|村|院|厅|部|组|团|中心)$")
SUBJECT_BEFORE_VERB = re.compile(r"([^，,。；;：:\s]{2,30}?)(召开|举行|举办)了?$")


@dataclass
class EventMention:
    name: str
    type: str
    subtype: str | None
    start: int  # offsets into the sentence
    end: int
    reported: bool
    generic: bool  # the bare head noun or 本次会议: refers back to an event named elsewhere
    at_phrase: bool = False  # 在X上


@cache
def _nouns() -> dict[str, tuple[str, str | None]]:
    return {k: (v[0], v[1]) for k, v in table("event_nouns").items() if not k.startswith("_")}


@cache
def _noun_re() -> re.Pattern[str]:
    alts = sorted(_nouns(), key=len, reverse=True)
    # 集中学习 is a session, 集中学习会 one too, named by its longer head 学习会 (the name keeps the rest)
    return re.compile("|".join(re.escape(a) + ("(?!会)" if a.endswith("学习") else "") for a in alts))


AWARD_WORDS = re.compile(r"发放|颁发|颁奖|授牌|表彰|奖")
AWARD_NAMED = re.compile(r"颁奖|表彰")


def classify(name: str, head: str) -> tuple[str, str | None]:
    etype, sub = _nouns()[head]
    if etype == "Meeting" and head.endswith("仪式") and AWARD_WORDS.search(name):
        return "AwardCeremony", None  # 助学金发放仪式, 颁奖仪式
    if etype == "Meeting" and AWARD_NAMED.search(name):
        return "AwardCeremony", None  # 教师节颁奖暨文艺晚会, 技能大赛暨表彰大会: the award names the gathering
    if (
        etype == "Meeting"
        and CONGRESS_BODY.search(name)
        and CONGRESS_NAME.search(name)
        and not NOT_CONGRESS.search(name)
    ):
        return "Congress", "CongressSession"
    if etype == "Meeting" and CONGRESS_HEAD.search(name) and not NOT_CONGRESS.search(name):
        return "Congress", "CongressSession"
    if etype == "Congress" and NOT_CONGRESS.search(name):
        return "Meeting", "StandingCommitteeMeeting"
    return etype, sub


def _stops(text: str, tokens: list[Token]) -> list[int]:
    """End offsets of every name stop in ``text``."""
    inside = {k for g in NAME_BRACKET.finditer(text) for k in range(g.start() + 1, g.end() + 1)}
    ends = [m.end() for m in NAME_STOPS.finditer(text) if m.end() not in inside]  # 党组（扩大）会议
    # 经大会选举: 经 before the bare head; “榜样的力量”某颁奖晚会: a 的 inside a quoted title is not a stop
    ends += [t.end for t in tokens
             if t.text in SINGLE_STOPS and t.tag in ("p", "u", "v", "c", "d", "xc") and t.end not in inside]
    return sorted(ends)


def find_events(text: str, tokens: list[Token], has_role: bool) -> list[EventMention]:
    """Event mentions in one sentence; ``has_role`` says whether the sentence has a role trigger."""
    out: list[EventMention] = []
    stops = _stops(text, tokens)
    matches = list(_noun_re().finditer(text))
    for i, m in enumerate(matches):
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        if _not_a_name_end(text, m, nxt, stops):
            continue
        mention = _mention(text, m, stops, has_role)
        if mention is not None:
            out.append(mention)
        if nxt is not None and nxt.start() == m.end():
            stops = sorted([*stops, m.end()])  # the next head's name starts after this one
        elif _joined_to_next(text, m, nxt):
            stops = sorted([*stops, m.end() + 1])  # …会议和|…会议: the next name starts after 和
    return sorted(out + _other_meetings(text, out), key=lambda e: e.start)  # in the order printed


def _joined_to_next(text: str, m: re.Match[str], nxt: re.Match[str] | None) -> bool:
    """A meeting's head noun followed by 和/及/与 and another meeting's name (no stop between): two
    meetings held together, each named as printed."""
    return (
        nxt is not None
        and text[m.end() : m.end() + 1] in ("和", "及", "与")
        and text[m.end() : m.end() + 2] != "及时"
        and nxt.start() - m.end() < 30
        and not NAME_STOPS.search(text[m.end() + 1 : nxt.start()])
        and not SESSION_PART.match(text, m.end() + 1, nxt.end())  # …开幕式及第一次全体会议: one session
    )


# the parts of one session printed together (开幕式及第一次全体会议), which stay one event
SESSION_PART = re.compile(r"(?:第[一二三四五六七八九十\d]{1,3}次)?(?:全体|预备)会议$")


def _not_a_name_end(text: str, m: re.Match[str], nxt: re.Match[str] | None, stops: list[int]) -> bool:
    """A head noun that names a room (会议室) or is part of a longer name going on to another head."""
    if text[m.end() : m.end() + 1] in NOT_EVENT_NEXT or text[m.end() : m.end() + 2] == "中心":
        return True  # 人民大会堂, 会议室, 会议中心: a building or a room
    # 出席会议座谈会上 (a line break lost): a bare 会议 right before another head is a mention of its own
    start = max((e for e in stops if e <= m.start()), default=0)
    if nxt is not None and nxt.start() == m.end() and text[start : m.end()] in GENERIC_HEADS:
        return False
    if _joined_to_next(text, m, nxt):
        return False  # 党组（扩大）会议和第9次常务会议: two meetings, joined by 和
    # 政治协商会议…第一次会议: the name goes on
    return (
        nxt is not None
        and nxt.start() - m.end() < 30
        and not NAME_STOPS.search(text[m.end() : nxt.start()])
        and not any(m.end() < e <= nxt.start() for e in stops)
    )


def _mention(text: str, m: re.Match[str], stops: list[int], has_role: bool) -> EventMention | None:
    """The mention whose head noun ``m`` is: its name as written back to the last stop, and whether reported."""
    head = m.group(0)
    start = max((e for e in stops if e <= m.start()), default=0)
    name = text[start : m.end()]
    if not name:
        return None
    before = text[:start]
    after = text[m.end() :]
    if COUNTED.match(name) and before.endswith("了"):
        return None  # 主席团召开了四次会议: how many meetings, not one named
    name = _with_subject(name, before)
    at_phrase = bool(AT_BEFORE.search(before)) and bool(AT_EVENT.match(after))
    reported = _reported(name, before, after, at_phrase, has_role)
    if head in GENERIC_HEADS and name[: -len(head)] in word_set("event_governing_verbs"):
        name = head  # 祝贺大会召开, 确保会议开好: the verb takes the meeting as its object
    generic = name == head or bool(GENERIC_PREFIX.match(name)) or name in ("大会", "会议")
    first = m.end() - len(name)
    part = SESSION_AND_PART.match(name)
    if part and CONGRESS_BODY.search(part.group(1)):
        name, head = part.group(1), "会议"  # 某县人代会第一次会议开幕式及第一次全体会议: the session
    etype, sub = classify(name, head)
    return EventMention(name, etype, sub, first, first + len(name), reported, generic, at_phrase)


def _with_subject(name: str, before: str) -> str:
    """县人大常委会召开第二十次会议 -> 县人大常委会第二十次会议: a numbered session takes the body calling it."""
    if not ORDINAL_OBJECT.match(name):
        return name
    sm = SUBJECT_BEFORE_VERB.search(before)
    bare = re.sub(r"在[^在]*$", "", sm.group(1)) if sm else ""  # 某县在某剧院举行第四届…: not the venue
    if sm and bare and ORG_END.search(re.sub(r"(隆重|胜利)$", "", bare)):
        subj = re.sub(r"(隆重|胜利)$", "", bare) if bare != sm.group(1) else sm.group(1)
        subj = re.sub(r"^.*(\d+月\d+日|[上下]午|晚上|昨天|今天|昨日)", "", subj)
        if subj:
            name = subj + name
    return name


def _reported(name: str, before: str, after: str, at_phrase: bool, has_role: bool) -> bool:
    """The sentence reports the event taking place (X举行, 召开X, 在X上 with a role), not referred to or planned."""
    lead_at = after.startswith("上") and (not before.strip() or before[-1] in "，,。；;")  # 座谈会上,…
    opening = at_phrase and LEAD_AT.fullmatch(before) is not None  # 近日,在某大会上,…: the lead reports it
    reported = bool(
        (REPORT_AFTER.match(after) or REPORT_BEFORE.search(before) or ((at_phrase or lead_at) and has_role) or opening
         or VOTE_AFTER.match(after))
        and not FUTURE_BEFORE.search(before)
        and not FUTURE_AFTER.match(after)
        and not NOT_REPORTED_AFTER.match(after)
        and not REFERRED_BEFORE.search(before)
    )
    # 这次大会是…召开的一次重要会议: a description, not a report; 在历届全会中: many past ones, not one held
    return reported and not INDEFINITE.match(name) and not PAST_MANY.match(name) and not _studied(before, after)


def _studied(before: str, after: str) -> bool:
    """学习了某某在某座谈会上的讲话精神: a meeting inside what is studied (…精神 in the same clause)."""
    clause_before = re.split(r"[，,。；;：:]", before)[-1]
    clause_after = re.split(r"[，,。；;]", after)[0]
    return bool(STUDIED.search(clause_before)) and "精神" in clause_after


def _other_meetings(text: str, found: list[EventMention]) -> list[EventMention]:
    """召开市长碰头会: meetings whose head noun the lexicon lacks, reported by their verb."""
    covered = [(e.start, e.end) for e in found]
    out: list[EventMention] = []
    for m in OTHER_MEETING.finditer(text):
        s, e = m.start("name"), m.end("name")
        if any(a < e and s < b for a, b in covered) or FALLBACK_STOPS.search(m.group("name")):
            continue
        etype = "AwardCeremony" if AWARD_NAMED.search(m.group("name")) else "Meeting"
        out.append(EventMention(m.group("name"), etype, None, s, e, True, False))
    return out


FALLBACK_STOPS = re.compile(
    r"召开|举行|举办|出席|参加|主持|的|了|社会|机会|协会|学会|商会|工会|基金会|委员会|理事会|董事会"
)
# 召开市长碰头会: a meeting whose head noun the lexicon lacks, reported by its verb
OTHER_MEETING = re.compile(r"(?:召开|举行|举办)了?(?P<name>[^，,。；;、\s]{1,20}?会)(?=[，,。；;]|$)")
