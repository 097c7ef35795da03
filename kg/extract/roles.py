"""Roles people and units take in events, read from the contract's trigger words.

Agents are the people of the clause before a trigger (甲、乙、丙出席; 甲主持，乙、丙出席), so lists,
分别 and 等 come for free; 出席并讲话 hands the agents of 出席 on to 讲话; verbs of saying
(强调, 指出) go to the clause's subject only, and 他/她 to the last subject; 为/对/向 mark the
receiving side of 颁奖/颁发.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from kg.extract.lexicon import table
from kg.extract.ner import Token
from kg.extract.orgs import CATEGORY, LIST_VERB_TAIL, ORG_LIST_TAIL, OrgMention, looks_like_org, orgs_in_list
from kg.extract.posts import PersonMention, ends_with_title

OBJECT_MARK = re.compile(r"(为|对|向|给|从|把|同|与|跟|听取了|听取)\s*$")  # not 和: 甲和乙出席
INHERIT = re.compile(r"^[\s，,]*[^，,。；;]{0,12}?并")  # 出席并讲话
PRONOUN = re.compile(r"^[\s，,]*(他|她)|(他|她)\s*$")
# 出席会议的还有：甲、乙 — the agents follow the trigger
AFTER_LIST = re.compile(
    r"(出席|参加|列席)(?:[^，,。；;的有是]{0,10})?的(?:还|领导|同志|市领导|县领导|区领导|省领导|州领导)*(?:有|是)[:：]?"
)
RECIPIENT_LIST = re.compile(r"(荣获|获得|获)[^，,。；;]{0,40}?的[^，,。；;]{0,12}?(是|为|有)[:：]")
# 听取了甲关于…的汇报, 听取乙局、丙局的工作汇报: the one heard reports (the listener is the meeting)
HEARD = re.compile(
    r"听取(?:了)?(?P<who>[^，,。；;：:“”关的]{2,40}?)(?:(?:关于|就|对)[^，,。；;]{1,80}?的|的|所作的)"
    r"(?:[^，,。；;的]{0,12}?)(?:情况|工作|专题)?汇报"
)
GRANTED = re.compile(r"授予([^，,。；;]{2,20}?)(?:同志)?[^，,。；;]{0,30}?(?:奖|称号|荣誉|勋章|奖章)")
FROM_HANDS = re.compile(r"从([^，,。；;]{1,40}?)手中(接过|领取)")
# A trigger word that is part of a noun here: 主持人, 发言人, 汇报会, 讲话精神, 重要讲话.
AWARD_NOUNS = "典礼|仪式|大会|晚会|会|活动"
ELECTION_CERTIFICATE = "[^，,。；;]{0,12}?当选证书"  # 颁发镇长当选证书: no prize
BAD_AFTER = {
    "主持": "人", "发言": "人|稿", "汇报": "会|材料", "通报": "会|批评|表扬", "讲话": "稿|精神|要求|中",
    # 出席某市人民代表大会代表54名: the delegates a county sends, not anyone attending here
    "介绍": "信", "出席": "证|[^，,。；;]{0,30}?代表大会代表", "获得": "者|感",
    "颁奖": AWARD_NOUNS, "授牌": AWARD_NOUNS,
    "颁发": f"{AWARD_NOUNS}|了?(任命书|聘书|证件|通知|文件|许可证|执照)|{ELECTION_CERTIFICATE}",
    "获奖": "者|人员|单位|项目|名单|作品|企业|代表|同志|人才|集体|个人",
    "会见": "中|时|上|后|前|期间", "会晤": "中|时|上|后|前|期间", "接见": "中|时|上|后|前|期间",
}
BAD_BEFORE = {
    # 重要讲话精神 vs 作重要讲话 / 做了重要讲话
    "讲话": r"(的|系列)(重要)?$|(?<!作)(?<!做)(?<!发表)(?<!作了)(?<!做了)(?<!发表了)重要$",
    "荣获": r"(为|对|向|给)$", "获得": r"(为|对|向|给)$",
    "会见": r"在$", "会晤": r"在$", "接见": r"在$",
    # 向参加仪式的各位来宾表示欢迎: 参加…的 describes the guests greeted, it is no role of the speaker
    "参加": r"(向|对|为|给|感谢|欢迎)$", "出席": r"(向|对|为|给|感谢|欢迎)$",
}
ADJECTIVAL = re.compile(r"^[^，,。；;]*的")  # 荣获…的企业: describes the receivers, names none
# clauses that open with a preposition or 代表 have no subject of their own (甲代表镇党委，对…表示肯定)
SUBJECTLESS = re.compile(r"(?:对|向|就|围绕|针对|结合|代表|从|在|同时|并|还|也)")
# 一等奖由甲、乙获得; 三等奖丙、丁获得: the prize first, then who took it
PRIZE_TAKEN_BY = re.compile(
    r"奖(?:由)?(?P<who>[^，,。；;由获]{2,200}?)(?:分别|共同)?(?:获得|摘得|夺得)(?=[，,。；;]|$)"
)
PRIZE_HOLDER = re.compile(r"(?:奖|称号)(?:获得者|获奖者)[，,]?")
UNITS_TAIL = re.compile(r"等(?:[\d一二三四五六七八九十]+[家个])?(?:单位|集体|企业|部门)$")
CARRIED_SUBJECT = re.compile(r"(?:同时|并且|并|还|也|随后|最后|进而|又|他|她|其)*")
# 甲单位选送的《…》、乙拍摄的《…》获得二等奖: whoever sent in or made a winning work receives the prize
WORK_BY = re.compile(r"(?P<who>[^，,。；;、：:》]{2,40}?)(?:联合|共同)?(?:选送|报送|推送|拍摄|创作|摄制)的")
PRIZE = re.compile(r"(?:荣获|获得|摘得|夺得|捧得)[^，,。；;]{0,20}?(?:奖|桂冠|冠军)")
# 揭晓获奖者名单。他们是：甲、乙: the names follow in the next sentence
LISTED_AFTER = re.compile(r"^\s*(?:他们|她们|获奖者|获奖人员)?(?:分别|依次)?是[:：]")
PRIZE_LIST_BEFORE = re.compile(r"获奖者?|获奖名单|表彰名单|荣获|评选出")
QUOTES = re.compile(r"“[^“”]*”|《[^《》]*》")


@dataclass
class RoleMention:
    roles: list[str]
    people: list[PersonMention] = field(default_factory=list)
    orgs: list[OrgMention] = field(default_factory=list)
    start: int = 0  # trigger offsets in the sentence
    end: int = 0
    trigger: str = ""


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


def _chain_start(person: PersonMention) -> int:
    return person.posts[0].start if person.posts and not person.inherited else person.start


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
LIST_FILLER = re.compile(r"[、和及与等\s]|以及|同志|领导|负责同志")


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


def find_roles(
    text: str,
    people: list[PersonMention],
    locality: str | None,
    last_subject: PersonMention | None,
    tokens: list[Token] | None = None,
) -> list[RoleMention]:
    """Role mentions of one sentence. ``last_subject`` resolves 他/她."""
    preps = {t.start for t in tokens or [] if t.text in PREPOSITIONS and t.tag in ("p", "v")}
    preps |= {p.end for p in people if text[p.end : p.end + 1] in PREPOSITIONS}  # 甲、乙为…: 为 read into 乙
    people = [p for p in people if not inside_title(text, p)]
    pattern, kinds = _triggers()
    out: list[RoleMention] = []
    prev_end = 0
    prev_trig = ""
    prev_agents: list[PersonMention] = []
    prev_subject = False  # the last agents were a speaker's (强调, 表示 …)
    prev_orgs: list[OrgMention] = []
    for m in pattern.finditer(text):
        name = m.lastgroup or ""
        roles, subject_only = kinds[name]
        trig = m.group(0)
        said_in = trig == "讲话" and text[m.end() : m.end() + 1] == "中" and text[: m.start()].endswith("在")
        if trig in BAD_AFTER and re.match(BAD_AFTER[trig], text[m.end() :]) and not said_in:
            continue  # (甲在讲话中…: 甲 spoke, unlike 在…的讲话中, which BAD_BEFORE keeps out)
        if trig in BAD_BEFORE and re.search(BAD_BEFORE[trig], text[: m.start()]):
            continue
        if trig in ("荣获", "获得") and ADJECTIVAL.match(text[m.end() :]):
            continue
        if trig == "说" and not re.match(r"^\s*[，,:：“道]", text[m.end() :]):
            continue
        seg_start = prev_end
        segment = text[seg_start : m.start()]
        in_seg = [p for p in people if p.start >= seg_start and p.end <= m.start()]
        agents: list[PersonMention] = []
        objects: list[PersonMention] = []
        prev_p_end = seg_start
        for p in in_seg:
            mate = objects and objects[-1].end < p.start and text[objects[-1].end : _chain_start(p)].strip() in (
                "、", "和", "及")
            (objects if mate or _is_object(text, seg_start, prev_p_end, p, preps) else agents).append(p)
            prev_p_end = p.end
        if not trig.startswith("作"):
            near = [p for p in _clause_agents(text, seg_start, m.start(), agents) if p in agents]
            if not near and agents and agents[0] is in_seg[0]:
                # an agent far from the trigger: the sentence's subject (甲围绕…，进行了阐述)
                lead = text[seg_start : _chain_start(agents[0])]
                apart = re.search("[；;]", text[agents[0].end : m.start()])  # another list of its own
                near = [agents[0]] if len(lead.strip(" ，,")) <= 10 and not apart else []
            agents = near
        rm = RoleMention(list(roles), start=m.start(), end=m.end(), trigger=trig)
        if subject_only:
            first = agents[0] if agents else None
            if first is not None:
                chain = _chain_start(first)
                clause_lo = max([k + 1 for k in range(seg_start, chain) if text[k] in "，,；;"], default=seg_start)
                lead = text[clause_lo:chain]
                between = text[first.end : m.start()]
                # 甲代表镇党委，对…表示肯定，同时要求…: a clause of nothing but 同时/并/还 before the verb
                # keeps the subject of the sentence, as long as nobody else is named on the way
                own = re.split(r"[，,]", segment)[-1]
                later = re.split(r"[，,]", between)[1:]
                carried = (bool(CARRIED_SUBJECT.fullmatch(own.strip())) or all(
                    SUBJECTLESS.match(c.strip()) for c in later)) and not any(
                    first.end <= p.start < m.start() for p in people)
                ok = len(lead.strip(" ，,")) <= 10 and (not re.search("[，,]", between) or carried)
                ok = ok and not any(clause_lo <= p.start < first.start for p in in_seg)
                agents = [first] if ok else []
        elif trig.startswith("作") and in_seg:
            # 某某作的…报告: the reporter is the last name (with list-mates joined by 、), even after 听取
            group = [in_seg[-1]]
            for p in reversed(in_seg[:-1]):
                if text[p.end : group[0].start].strip() in ("、", "和"):
                    group.insert(0, p)
                else:
                    break
            agents = group
        adjacent = not segment.strip() and prev_trig not in ("参加", "参会", "列席") and trig not in (
            "会见", "会晤", "接见")  # 应邀到会通报, but not 参加会见
        if not agents and not subject_only and (INHERIT.match(segment) or adjacent) and prev_agents:
            agents = list(prev_agents)
        if subject_only and not agents and not in_seg and prev_agents and prev_subject and CARRIED_SUBJECT.fullmatch(
                re.split(r"[，,]", segment)[-1].strip()) and re.search(r"[，,]", segment):
            agents = prev_agents[:1]  # 甲…表示肯定，同时要求: the same speaker
        if not agents and not in_seg and PRONOUN.search(segment) and (prev_agents or last_subject is not None):
            agents = prev_agents[:1] if prev_agents else [last_subject]  # 甲…讲话，他强调: 他 is 甲
        rm.people = agents
        receiving = _award_receivers(text, seg_start, m.start(), locality) if roles == ["AwardPresenter"] else []
        if roles == ["AwardPresenter"] and (objects or receiving):
            out.append(RoleMention(["Recipient"], objects, receiving, start=m.start(), end=m.end(), trigger=trig))
        if not agents and roles[0] in ("Attendee", "Participant", "Observer") and trig not in ("陪同", "莅临"):
            rm.orgs = _unit_heads(text, seg_start, m.start(), locality)
            clause = segment[max(segment.rfind(c) for c in "，,；;") + 1 :]
            if not rm.orgs and not in_seg and _named_units(clause):
                rm.orgs = orgs_in_list(text, m.start() - len(clause), m.start(), locality)  # 市某局应邀列席
        if not agents and not rm.orgs and not subject_only and INHERIT.match(segment) and prev_orgs:
            rm.orgs = list(prev_orgs)  # 某局列席会议并通报
        if not agents and roles[0] in ("Presenter", "Recipient"):
            clause_start = max(segment.rfind(c) for c in "，,；;上") + 1
            clause = segment[clause_start:]
            if trig == "获得" and not UNITS_TAIL.search(clause):
                pass  # 获得…奖 with a unit as subject only where the clause lists units (甲社区、乙镇等单位获得)
            elif roles[0] == "Recipient" or ORG_LIST_TAIL.search(clause) or _named_units(clause):
                rm.orgs = orgs_in_list(text, seg_start + clause_start, m.start(), locality)
        if trig.startswith("获此") and agents:
            # 甲、乙、某合作社、丙获此殊荣: the units of a mixed list receive it too
            lo = max([k + 1 for k in range(seg_start, m.start()) if text[k] in "，,；;"], default=seg_start)
            rm.orgs = [o for o in orgs_in_list(text, lo, m.start(), locality)
                       if not any(o.start <= p.start < o.end for p in people) and len(o.printed) >= 4]
        if rm.people or rm.orgs:
            out.append(rm)
        prev_end = m.end()
        prev_trig = trig
        if agents:
            prev_agents = agents
            prev_subject = subject_only
        prev_orgs = [] if agents else rm.orgs
    for m in AFTER_LIST.finditer(text):
        roles = {"出席": ["Attendee"], "参加": ["Participant"], "列席": ["Observer"]}[m.group(1)]
        named = [p for p in people if p.start >= m.end()]
        if named:
            out.append(RoleMention(roles, named, start=m.start(), end=m.end(), trigger=m.group(0)))
    for m in HEARD.finditer(text):
        lo, hi = m.start("who"), m.end("who")
        named = [p for p in people if lo <= p.start and p.end <= hi]
        orgs = [] if named else [o for o in orgs_in_list(text, lo, hi, locality) if len(o.printed) >= 3]
        if named or orgs:
            out.append(RoleMention(["Presenter"], named, orgs, start=m.start(), end=m.end(), trigger="听取汇报"))
    for m in RECIPIENT_LIST.finditer(text):
        stop = re.search(r"[，,。；;]", text[m.end() :])
        end = m.end() + stop.start() if stop else len(text)
        named = [p for p in people if m.end() <= p.start < end]
        orgs = [] if named else orgs_in_list(text, m.end(), end, locality)
        if named or orgs:
            out.append(RoleMention(["Recipient"], named, orgs, start=m.start(), end=m.end(), trigger="获奖名单"))
    out += _work_senders(text, people, locality)
    for m in PRIZE_HOLDER.finditer(text):  # 一等奖获得者，某校教师甲代表获奖人员发言
        # the person right after it, past the description of who they are (某校教师), in the same clause
        named = [p for p in people
                 if m.end() <= _chain_start(p) and not re.search("[，,。；;]", text[m.end() : p.start])]
        if named and named[0].start - m.end() <= 30:
            out.append(RoleMention(["Recipient"], named[:1], start=m.start(), end=m.end(), trigger="获得者"))
    for m in PRIZE_TAKEN_BY.finditer(text):
        lo, hi = m.start("who"), m.end("who")
        named = [p for p in people if lo <= p.start and p.end <= hi]
        if named:
            out.append(RoleMention(["Recipient"], named, start=m.start(), end=m.end(), trigger="奖由获得"))
    for m in GRANTED.finditer(text):
        named = [p for p in people if m.start(1) <= p.start and p.end <= m.end()]
        if named:
            out.append(RoleMention(["Recipient"], named, start=m.start(), end=m.end(), trigger="授予"))
    for m in FROM_HANDS.finditer(text):
        givers = [p for p in people if p.start >= m.start(1) and p.end <= m.end(1)]
        if givers:
            out.append(RoleMention(["AwardPresenter"], givers, start=m.start(), end=m.end(), trigger="手中接过"))
    return out


def inside_title(text: str, p: PersonMention) -> bool:
    """“百姓某某”, 《某某视察工地》: a name inside a quoted title or a work's title names no agent."""
    return any(q.start() < p.start and p.end < q.end() and q.end() - q.start() - 2 > len(p.name)
               for q in QUOTES.finditer(text))


def _work_senders(text: str, people: list[PersonMention], locality: str | None) -> list[RoleMention]:
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


def listed_recipients(text: str, previous: str, people: list[PersonMention]) -> RoleMention | None:
    """揭晓了获奖者名单。他们是：甲、乙、丙: the names of the sentence after a prize list are Recipients."""
    m = LISTED_AFTER.match(text)
    if not m or not PRIZE_LIST_BEFORE.search(previous):
        return None
    named = [p for p in people if p.start >= m.end()]
    return RoleMention(["Recipient"], named, start=m.start(), end=m.end(), trigger="获奖名单") if named else None


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


def _award_receivers(text: str, seg_start: int, trig_start: int, locality: str | None) -> list[OrgMention]:
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


MEET_OBJECT = re.compile(r"(会见|会晤|接见)了?([^，,。；;]{2,40}?)(一行|全体成员|代表团|$|[，,。；;])")


def meeting_guests(text: str, start: int) -> str | None:
    """The visiting party of 会见 (an organisation such as a delegation), as printed."""
    m = MEET_OBJECT.match(text, start)
    if not m or text[start - 1 : start] == "在" or re.match(r"(中|时|上|后|前|期间)", m.group(2)):
        return None
    guest = m.group(2)
    if m.group(3) == "代表团":
        guest += "代表团"
    guest = re.sub(r"^(了|亲切|热情)", "", guest)
    return guest or None
