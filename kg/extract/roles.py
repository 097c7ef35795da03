"""Roles people and units take in events, read from the contract's trigger words.

Agents are the people of the clause before a trigger (甲、乙、丙出席; 甲主持，乙、丙出席), so lists,
分别 and 等 come for free; 出席并讲话 hands the agents of 出席 on to 讲话; verbs of saying
(强调, 指出) go to the clause's subject only, and 他/她 to the last subject; 为/对/向 mark the
receiving side of 颁奖/颁发. The triggers and the words around them that make a trigger word no
trigger (主持人, 讲话精神) are in ``kg/lexicons/roles.json``; the walk over a sentence's triggers is
:func:`find_roles`, one small step per question (who is in the clause, who receives, who is carried
over, which units take part); the award family's other shapes are in :mod:`prizes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from kg.extract.lexicon import table
from kg.extract.ner import Token
from kg.extract.orgs import CATEGORY, LIST_VERB_TAIL, ORG_LIST_TAIL, OrgMention, looks_like_org, orgs_in_list
from kg.extract.posts import PersonMention, ends_with_title
from kg.extract.prizes import PATTERNS as PRIZE_PATTERNS
from kg.extract.prizes import award_receivers, listed_recipients
from kg.extract.role_types import RoleMention
from kg.extract.role_types import chain_start as _chain_start

__all__ = ["RoleMention", "find_roles", "listed_recipients", "meeting_guests", "trigger_pattern"]

# not 和: 甲和乙出席; 将甲…表彰为; not the 为 of a caption's 图为 (图为市长甲为…颁奖: 甲 gives)
OBJECT_MARK = re.compile(r"((?<!图)为|对|向|给|从|把|将|同|与|跟|听取了|听取)\s*$")
INHERIT = re.compile(r"^[\s，,]*[^，,。；;]{0,12}?并")  # 出席并讲话
PRONOUN = re.compile(r"^[\s，,]*(他|她)|(他|她)\s*$")
# 出席会议的还有：甲、乙, 参加会见的嘉宾有：甲 — the agents follow the trigger
AFTER_LIST = re.compile(
    r"(出席|参加|列席)(?:[^，,。；;的有是]{0,10})?的(?:还|领导|同志|市领导|县领导|区领导|省领导|州领导|嘉宾|来宾|外宾|客人)*"
    r"(?:有|是)[:：]?"
)
# 听取了甲关于…的汇报, 听取乙局、丙局的工作汇报: the one heard reports (the listener is the meeting)
HEARD = re.compile(
    r"听取(?:了)?(?P<who>[^，,。；;：:“”关的]{2,40}?)(?:(?:关于|就|对)[^，,。；;]{1,80}?的|的|所作的)"
    r"(?:[^，,。；;的]{0,12}?)(?:情况|工作|专题)?汇报"
)
# clauses that open with a preposition or 代表 have no subject of their own (甲代表镇党委，对…表示肯定)
SUBJECTLESS = re.compile(r"(?:对|向|就|围绕|针对|结合|代表|从|在|同时|并|还|也)")
UNITS_TAIL = re.compile(r"等(?:[\d一二三四五六七八九十]+[家个])?(?:单位|集体|企业|部门)$")
OPEN_PREP = re.compile(r"(?:^|代表[^，,]{2,20}?)(?:向|对|为|给)[^，,]{2,}$")
CARRIED_SUBJECT = re.compile(r"(?:同时|并且|并|还|也|随后|最后|进而|又|他|她|其)*")
QUOTES = re.compile(r"“[^“”]*”|《[^《》]*》")


@cache
def _triggers() -> tuple[re.Pattern[str], dict[str, tuple[list[str], bool]]]:
    data = table("roles")
    entries: list[tuple[str, list[str], bool]] = [(p, r, False) for p, r in data["triggers"]]
    entries += [(p, r, True) for p, r in data["subject_triggers"]]
    entries.sort(key=lambda e: -len(e[0]))
    names = {}
    parts = []
    for i, (pat, roles, subj) in enumerate(entries):
        names[f"t{i}"] = (roles, subj)
        parts.append(f"(?P<t{i}>{pat})")
    return re.compile("|".join(parts)), names


def trigger_pattern() -> re.Pattern[str]:
    """Every role trigger in one pattern (a sentence with none of them gives no role)."""
    return _triggers()[0]


@dataclass(frozen=True)
class _Exception:
    """What sets a trigger word apart (``exceptions`` in roles.json, keyed by the word as printed)."""

    not_followed_by: re.Pattern[str] | None = None  # then it is no trigger (主持人, 讲话精神)
    not_preceded_by: re.Pattern[str] | None = None
    followed_by: re.Pattern[str] | None = None
    shares_agents: bool = True  # with a trigger right after it (not 参加会见)
    takes_adjacent_agents: bool = True  # of a trigger right before it (not a reception's)
    units_through_heads: bool = True  # 甲局负责同志列席 (not 陪同, 莅临)


NO_EXCEPTION = _Exception()


@cache
def _exceptions() -> dict[str, _Exception]:
    def rx(rule: dict, key: str) -> re.Pattern[str] | None:
        return re.compile(rule[key]) if key in rule else None

    return {
        word: _Exception(rx(rule, "not_followed_by"), rx(rule, "not_preceded_by"), rx(rule, "followed_by"),
                         rule.get("shares_agents", True), rule.get("takes_adjacent_agents", True),
                         rule.get("units_through_heads", True))
        for word, rule in table("roles")["exceptions"].items()
        if not word.startswith("_")
    }


def _rule(word: str) -> _Exception:
    return _exceptions().get(word, NO_EXCEPTION)


def _is_trigger(text: str, m: re.Match[str]) -> bool:
    """Not a trigger word that is part of a noun here (主持人, 讲话精神) or describes someone (荣获…的)."""
    rule = _rule(m.group(0))
    if rule.not_followed_by is not None and rule.not_followed_by.match(text, m.end()):
        return False
    if rule.not_preceded_by is not None and rule.not_preceded_by.search(text[: m.start()]):
        return False
    return rule.followed_by is None or rule.followed_by.match(text, m.end()) is not None


def _is_object(text: str, seg_start: int, prev_end: int, person: PersonMention, preps: set[int]) -> bool:
    """The person follows 为/对/向 … in its clause: the receiving side, not the agent."""
    chain_start = _chain_start(person)
    lo = max(seg_start, prev_end)
    gap = text[lo:chain_start]
    if OBJECT_MARK.search(gap):
        return True
    cut = max(gap.rfind("，"), gap.rfind(","))
    return any(lo + cut + 1 <= k < chain_start for k in preps)


PREPOSITIONS = {"为", "对", "向", "给"}
# 对甲、乙等15户种植大户和丙、丁等30名技术员: the list of those on the receiving side goes on
# 为山西省甲、安徽省乙颁发: the place a receiver comes from may stand before the next one's name
OBJECT_LIST_GOES_ON = re.compile(
    r"(?:等[\d一二三四五六七八九十百千]+[^，,。；;、和及]{0,14}?)?[、和及](?:[\u4e00-\u9fff]{1,6}?[省市县区州旗]的?)?"
)
# 甲、乙等区四套班子领导，…参加: the collective after 等 names the same people, not others
LIST_FILLER = re.compile(r"等[^、，,。；;]{0,10}?(?:领导|同志|负责人)|[、和及与等\s]|以及|同志|领导|负责同志")


def _clause_agents(text: str, seg_start: int, trig_start: int, people: list[PersonMention]) -> list[PersonMention]:
    """People of the trigger's clause and of the pure name lists before it (甲,乙,丙出席)."""
    bounds = [k for k in range(seg_start, trig_start) if text[k] in "，,；;"]
    clause_lo = bounds[-1] + 1 if bounds else seg_start
    keep = [p for p in people if p.start >= clause_lo]
    for b in reversed(bounds):
        prev_lo = max([k + 1 for k in bounds if k < b], default=seg_start)
        inside = [p for p in people if prev_lo <= p.start and p.end <= b]
        if not inside:
            break
        residue = text[prev_lo:b]
        for p in sorted(inside, key=lambda q: -q.start):
            residue = residue[: _chain_start(p) - prev_lo] + residue[p.end - prev_lo :]
        if LIST_FILLER.sub("", residue).strip():
            break
        keep = inside + keep
    return keep


@dataclass
class _Clause:
    """One trigger and its segment: the stretch of the sentence since the previous trigger."""

    text: str
    trig: str
    roles: list[str]
    subject_only: bool
    start: int  # the trigger's offsets in the sentence
    end: int
    seg_start: int
    in_seg: list[PersonMention]  # the people named in the segment

    @property
    def segment(self) -> str:
        return self.text[self.seg_start : self.start]


@dataclass
class _Carry:
    """What the previous triggers of the sentence leave to the next (出席并讲话, 他强调)."""

    end: int = 0
    trig: str = ""
    agents: list[PersonMention] = field(default_factory=list)
    subject: bool = False  # the last agents were a speaker's (强调, 表示 …)
    orgs: list[OrgMention] = field(default_factory=list)


def _split_objects(c: _Clause, preps: set[int]) -> tuple[list[PersonMention], list[PersonMention]]:
    """(agents, objects) of the segment: a person after 为/对/向, or listed with one, is on the receiving side."""
    agents: list[PersonMention] = []
    objects: list[PersonMention] = []
    prev_p_end = c.seg_start
    for p in c.in_seg:
        mate = objects and objects[-1].end < p.start and OBJECT_LIST_GOES_ON.fullmatch(
            c.text[objects[-1].end : _chain_start(p)].strip()) is not None
        (objects if mate or _is_object(c.text, c.seg_start, prev_p_end, p, preps) else agents).append(p)
        prev_p_end = p.end
    return agents, objects


def _near_agents(c: _Clause, agents: list[PersonMention]) -> list[PersonMention]:
    """The agents of the trigger's own clause, else the sentence's subject when it opens the segment."""
    near = [p for p in _clause_agents(c.text, c.seg_start, c.start, agents) if p in agents]
    if not near and agents and agents[0] is c.in_seg[0]:
        # an agent far from the trigger: the sentence's subject (甲围绕…，进行了阐述)
        lead = c.text[c.seg_start : _chain_start(agents[0])]
        apart = re.search("[；;]", c.text[agents[0].end : c.start])  # another list of its own
        near = [agents[0]] if len(lead.strip(" ，,")) <= 10 and not apart else []
    return near


def _subject_agent(c: _Clause, agents: list[PersonMention], people: list[PersonMention]) -> list[PersonMention]:
    """A verb of saying (强调, 指出) goes to the clause's subject only."""
    if not agents:
        return agents
    text, first = c.text, agents[0]
    chain = _chain_start(first)
    clause_lo = max([k + 1 for k in range(c.seg_start, chain) if text[k] in "，,；;"], default=c.seg_start)
    lead = text[clause_lo:chain]
    between = text[first.end : c.start]
    # 甲代表镇党委，对…表示肯定，同时要求…: a clause of nothing but 同时/并/还 before the verb
    # keeps the subject of the sentence, as long as nobody else is named on the way
    own = re.split(r"[，,]", c.segment)[-1]
    parts = re.split(r"[，,]", between)
    later = parts[1:]
    # 甲代表县委向助力…，支持…的单位表示感谢: the comma falls inside the object of 向, the verb is still 甲's
    open_object = len(later) == 1 and bool(OPEN_PREP.search(parts[0]))
    carried = (bool(CARRIED_SUBJECT.fullmatch(own.strip())) or open_object or all(
        SUBJECTLESS.match(x.strip()) for x in later)) and not any(
        first.end <= p.start < c.start for p in people)
    ok = len(lead.strip(" ，,")) <= 10 and (not re.search("[，,]", between) or carried)
    ok = ok and not any(clause_lo <= p.start < first.start for p in c.in_seg)
    return [first] if ok else []


def _reporters(c: _Clause) -> list[PersonMention]:
    """某某作的…报告: the reporter is the last name (with list-mates joined by 、), even after 听取; with
    分别/先后/依次 the list-mates may be joined by a comma too (县长甲，县委副书记乙分别作了工作报告和总结讲话)."""
    group = [c.in_seg[-1]]
    joins = ("、", "和") + (("，", ",") if re.search("分别|先后|依次", c.text[group[0].end : c.start]) else ())
    for p in reversed(c.in_seg[:-1]):
        if c.text[p.end : _chain_start(group[0])].strip() in joins:  # 甲、纪委书记乙分别作了报告
            group.insert(0, p)
        else:
            break
    return group


def _carried_agents(
    c: _Clause, agents: list[PersonMention], carry: _Carry, last_subject: PersonMention | None
) -> list[PersonMention]:
    """A trigger with no agent of its own takes the previous one's: 出席并讲话, 同时要求, 他强调."""
    segment = c.segment
    adjacent = not segment.strip() and _rule(carry.trig).shares_agents and _rule(c.trig).takes_adjacent_agents
    if not agents and not c.subject_only and (INHERIT.match(segment) or adjacent) and carry.agents:
        agents = list(carry.agents)
    if c.subject_only and not agents and not c.in_seg and carry.agents and carry.subject and CARRIED_SUBJECT.fullmatch(
            re.split(r"[，,]", segment)[-1].strip()) and re.search(r"[，,]", segment):
        agents = carry.agents[:1]  # 甲…表示肯定，同时要求: the same speaker
    if not agents and not c.in_seg and PRONOUN.search(segment) and (carry.agents or last_subject is not None):
        agents = carry.agents[:1] if carry.agents else [last_subject]  # type: ignore[list-item]  # 甲…讲话，他强调: 他 is 甲
    return agents


def _agents(c: _Clause, agents: list[PersonMention], people: list[PersonMention], carry: _Carry,
            last_subject: PersonMention | None) -> list[PersonMention]:
    """The people who act: the clause's, its subject's for verbs of saying, a report's maker, or carried over."""
    if not c.trig.startswith("作"):
        agents = _near_agents(c, agents)
    if c.subject_only:
        agents = _subject_agent(c, agents, people)
    elif c.trig.startswith("作") and c.in_seg:
        agents = _reporters(c)
    return _carried_agents(c, agents, carry, last_subject)


def _present_units(c: _Clause, locality: str | None) -> list[OrgMention]:
    """Units attending through their heads (甲局负责同志列席), or named as a list (市某局应邀列席)."""
    orgs = _unit_heads(c.text, c.seg_start, c.start, locality)
    segment = c.segment
    clause = segment[max(segment.rfind(ch) for ch in "，,；;") + 1 :]
    if not orgs and not c.in_seg and _named_units(clause):
        orgs = orgs_in_list(c.text, c.start - len(clause), c.start, locality)
    return orgs


def _acting_units(c: _Clause, agents: list[PersonMention], carry: _Carry, people: list[PersonMention],
                  locality: str | None) -> list[OrgMention]:
    """The units that take the role where no person does (or beside people: 甲、某合作社获此殊荣)."""
    orgs: list[OrgMention] = []
    if not agents and c.roles[0] in ("Attendee", "Participant", "Observer") and _rule(c.trig).units_through_heads:
        orgs = _present_units(c, locality)
    if not agents and not orgs and not c.subject_only and INHERIT.match(c.segment) and carry.orgs:
        orgs = list(carry.orgs)  # 某局列席会议并通报
    if not agents and c.roles[0] in ("Presenter", "Recipient"):
        segment = c.segment
        clause_start = max(segment.rfind(ch) for ch in "，,；;上") + 1
        clause = segment[clause_start:]
        if c.trig == "获得" and not UNITS_TAIL.search(clause):
            pass  # 获得…奖 with a unit as subject only where the clause lists units (甲社区、乙镇等单位获得)
        elif c.roles[0] == "Recipient" or ORG_LIST_TAIL.search(clause) or _named_units(clause):
            orgs = orgs_in_list(c.text, c.seg_start + clause_start, c.start, locality)
    if c.trig.startswith("获此") and agents:
        # 甲、乙、某合作社、丙获此殊荣: the units of a mixed list receive it too
        lo = max([k + 1 for k in range(c.seg_start, c.start) if c.text[k] in "，,；;"], default=c.seg_start)
        orgs = [o for o in orgs_in_list(c.text, lo, c.start, locality)
                if not any(o.start <= p.start < o.end for p in people) and len(o.printed) >= 4]
    return orgs


def _trigger_roles(
    text: str, people: list[PersonMention], locality: str | None, last_subject: PersonMention | None,
    preps: set[int],
) -> list[RoleMention]:
    """The walk over the sentence's triggers, each taking the people of the clause before it."""
    pattern, kinds = _triggers()
    out: list[RoleMention] = []
    carry = _Carry()
    for m in pattern.finditer(text):
        roles, subject_only = kinds[m.lastgroup or ""]
        if not _is_trigger(text, m):
            continue
        in_seg = [p for p in people if p.start >= carry.end and p.end <= m.start()]
        c = _Clause(text, m.group(0), roles, subject_only, m.start(), m.end(), carry.end, in_seg)
        agents, objects = _split_objects(c, preps)
        agents = _agents(c, agents, people, carry, last_subject)
        rm = RoleMention(list(roles), agents, start=c.start, end=c.end, trigger=c.trig)
        if roles == ["AwardPresenter"]:
            receiving = award_receivers(text, c.seg_start, c.start, locality)
            if objects or receiving:
                out.append(RoleMention(["Recipient"], objects, receiving, start=c.start, end=c.end, trigger=c.trig))
        rm.orgs = _acting_units(c, agents, carry, people, locality)
        if rm.people or rm.orgs:
            out.append(rm)
        carry = _Carry(c.end, c.trig, agents if agents else carry.agents,
                       subject_only if agents else carry.subject, [] if agents else rm.orgs)
    return out


def after_lists(text: str, people: list[PersonMention], locality: str | None) -> list[RoleMention]:
    """出席会议的还有：甲、乙: the agents follow the trigger."""
    out: list[RoleMention] = []
    for m in AFTER_LIST.finditer(text):
        roles = {"出席": ["Attendee"], "参加": ["Participant"], "列席": ["Observer"]}[m.group(1)]
        named = [p for p in people if p.start >= m.end()]
        if named:
            out.append(RoleMention(roles, named, start=m.start(), end=m.end(), trigger=m.group(0)))
    return out


def heard(text: str, people: list[PersonMention], locality: str | None) -> list[RoleMention]:
    """听取了甲关于…的汇报: the one heard presents (people, else the units listed)."""
    out: list[RoleMention] = []
    for m in HEARD.finditer(text):
        lo, hi = m.start("who"), m.end("who")
        named = [p for p in people if lo <= p.start and p.end <= hi]
        orgs = [] if named else [o for o in orgs_in_list(text, lo, hi, locality) if len(o.printed) >= 3]
        if named or orgs:
            out.append(RoleMention(["Presenter"], named, orgs, start=m.start(), end=m.end(), trigger="听取汇报"))
    return out


def find_roles(
    text: str,
    people: list[PersonMention],
    locality: str | None,
    last_subject: PersonMention | None,
    tokens: list[Token] | None = None,
) -> list[RoleMention]:
    """Role mentions of one sentence: the trigger walk, then each sentence pattern. ``last_subject`` resolves 他/她."""
    preps = {t.start for t in tokens or [] if t.text in PREPOSITIONS and t.tag in ("p", "v")
             and text[t.start - 1 : t.start + 1] != "图为"}
    preps |= {p.end for p in people if text[p.end : p.end + 1] in PREPOSITIONS}  # 甲、乙为…: 为 read into 乙
    people = [p for p in people if not inside_title(text, p) and not studied_person(text, p)]
    out = _trigger_roles(text, people, locality, last_subject, preps)
    for pattern in (after_lists, heard, *PRIZE_PATTERNS):
        out += pattern(text, people, locality)
    return out


# 传达学习甲总书记在…上的讲话, 学习讨论乙书记讲话: the person is what is studied, no agent of the meeting
STUDIED_BEFORE = re.compile(r"(?:传达|学习|贯彻|领会|研读|重温)(?:了|讨论|贯彻|落实)?\s*$")


# 传达学习了甲在…上的讲话精神,乙代表…作的工作报告: a later item of the list studied
STUDIED_ITEM_BEFORE = re.compile(r"(?:传达|学习|贯彻|领会)[^。；;]*?(?:精神|讲话|指示|批示)[，,、]\s*$")


def studied_person(text: str, p: PersonMention) -> bool:
    """A name right after 传达/学习/贯彻 (past the posts printed before it), or opening a later item of the
    list studied, is the speaker of what is studied."""
    at = _chain_start(p)
    return STUDIED_BEFORE.search(text, 0, at) is not None or STUDIED_ITEM_BEFORE.search(text, 0, at) is not None


def inside_title(text: str, p: PersonMention) -> bool:
    """“百姓某某”, 《某某视察工地》: a name inside a quoted title or a work's title names no agent."""
    return any(q.start() < p.start and p.end < q.end() and q.end() - q.start() - 2 > len(p.name)
               for q in QUOTES.finditer(text))


HEADS_TAIL = re.compile(
    r"(?:等[^、，,；;]{0,12}?)?(?:有关|相关)?(?:主要负责同志|主要负责人|负责同志|负责人|领导同志)"
    r"(?:应邀|也|还|分别|一同|共同|等)*(?:在[^，,；;、]{1,12})?\s*$"
)


def _unit_heads(text: str, seg_start: int, trig_start: int, locality: str | None) -> list[OrgMention]:
    """甲局、乙局负责同志列席会议; 甲厅负责同志，乙委、丙局负责同志参加座谈: units present through their heads.

    Each clause before the trigger that is a list of named units ending in 负责同志 counts; a clause of
    anything else ends the walk back."""
    out: list[OrgMention] = []
    hi = trig_start
    while hi > seg_start:
        lo = max([k + 1 for k in range(seg_start, hi) if text[k] in "，,；;"], default=seg_start)
        m = HEADS_TAIL.search(text, lo, hi)
        if not m or m.end() != hi or m.start() <= lo:
            if out and ends_with_title(text[lo:hi].strip()):
                return []  # 市委常委，副市长，市法院负责同志出席: leaders listed by rank, not units
            break
        if any(ends_with_title(x) for x in re.split(r"[、和及]", text[lo : m.start()])):
            return []
        units = orgs_in_list(text, lo, m.start(), locality)
        if not units:
            break
        out = units + out
        hi = lo - 1
    return out


def _named_units(clause: str) -> bool:
    """甲公司、乙商会、丙管委会先后作交流发言: every item of the list is a named unit."""
    head = LIST_VERB_TAIL.sub("", clause.strip())
    items = [x for x in re.split(r"[、和及]", head) if x]
    return len(items) >= 1 and all(len(x) >= 3 and looks_like_org(x) and not CATEGORY.match(x) for x in items)


MEET_OBJECT = re.compile(r"(会见|会晤|接见)了?([^，,。；;]{2,40}?)(一行|全体成员|代表团|$|[，,。；;])")


def meeting_guests(text: str, start: int) -> str | None:
    """The visiting party of 会见 (an organisation such as a delegation), as printed."""
    m = MEET_OBJECT.match(text, start)
    if not m or text[start - 1 : start] == "在" or re.match(r"(中|时|上|后|前(?!来)|期间)", m.group(2)):
        return None  # 会见时, 会见前: the time of the meeting (not 会见前来…的)
    guest = m.group(2)
    if m.group(3) == "代表团":
        guest += "代表团"
    guest = re.sub(r"^(了|亲切|热情)+", "", guest)
    guest = VISITING.sub("", guest)  # 来访的某考察团: the visit is said of the guest, not part of its name
    if guest in table("roles")["generic_guests"]["words"]:
        return None  # 会见了来访的客人一行: no party named
    return guest or None


# 会见来访的…, 前来考察的…, 专程来某县洽谈的…: words saying the guest came, before the guest's name
VISITING = re.compile(r"^(?:[^，,。；;的]{0,12}?(?:来访|到访|来|前来|莅临|专程)[^，,。；;的]{0,10}?的)")
