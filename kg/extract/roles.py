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
from kg.extract.orgs import OrgMention, orgs_in_list
from kg.extract.posts import PersonMention

OBJECT_MARK = re.compile(r"(为|对|向|给|从|把|同|与|跟|和|听取了|听取)\s*$")
INHERIT = re.compile(r"^[\s，,]*[^，,。；;]{0,12}?并")
PRONOUN = re.compile(r"^[\s，,]*(他|她)|(他|她)\s*$")
FROM_HANDS = re.compile(r"从([^，,。；;]{1,40}?)手中(接过|领取)")
# A trigger word that is part of a noun here: 主持人, 发言人, 汇报会, 讲话精神, 重要讲话.
BAD_AFTER = {"主持": "人", "发言": "人|稿", "汇报": "会|材料", "讲话": "稿|精神|要求", "介绍": "信", "出席": "证"}
BAD_BEFORE = {"讲话": r"(重要|的|系列)$"}


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


def _is_object(text: str, seg_start: int, prev_end: int, person: PersonMention) -> bool:
    chain_start = person.posts[0].start if person.posts and not person.inherited else person.start
    gap = text[max(seg_start, prev_end) : chain_start]
    return bool(OBJECT_MARK.search(gap))


def find_roles(
    text: str, people: list[PersonMention], locality: str | None, last_subject: PersonMention | None
) -> list[RoleMention]:
    """Role mentions of one sentence. ``last_subject`` resolves 他/她."""
    pattern, kinds = _triggers()
    out: list[RoleMention] = []
    prev_end = 0
    prev_agents: list[PersonMention] = []
    for m in pattern.finditer(text):
        name = m.lastgroup or ""
        roles, subject_only = kinds[name]
        trig = m.group(0)
        if trig in BAD_AFTER and re.match(BAD_AFTER[trig], text[m.end() :]):
            continue
        if trig in BAD_BEFORE and re.search(BAD_BEFORE[trig], text[: m.start()]):
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
            (objects if _is_object(text, seg_start, prev_p_end, p) else agents).append(p)
            prev_p_end = p.end
        rm = RoleMention(list(roles), start=m.start(), end=m.end(), trigger=trig)
        if subject_only:
            first = agents[0] if agents else None
            if first is not None:
                lead = text[seg_start : (first.posts[0].start if first.posts else first.start)]
                agents = [first] if len(lead.strip(" ，,")) <= 10 and first is in_seg[0] else []
        elif trig.startswith("作") and agents:
            # 某某作的…报告: the reporter is the last name (with list-mates joined by 、)
            group = [agents[-1]]
            for p in reversed(agents[:-1]):
                if text[p.end : group[0].start].strip() in ("、", "和"):
                    group.insert(0, p)
                else:
                    break
            agents = group
        if not agents and not subject_only and INHERIT.match(segment) and prev_agents:
            agents = list(prev_agents)
        if not agents and not in_seg and PRONOUN.search(segment) and last_subject is not None:
            agents = [last_subject]
        rm.people = agents
        if roles == ["AwardPresenter"] and objects:
            out.append(RoleMention(["Recipient"], objects, start=m.start(), end=m.end(), trigger=trig))
        if not agents and roles[0] in ("Presenter", "Recipient"):
            clause_start = max(segment.rfind("，"), segment.rfind(","), segment.rfind("上")) + 1
            rm.orgs = orgs_in_list(text, seg_start + clause_start, m.start(), locality)
        if rm.people or rm.orgs:
            out.append(rm)
        prev_end = m.end()
        if agents:
            prev_agents = agents
    for m in FROM_HANDS.finditer(text):
        givers = [p for p in people if p.start >= m.start(1) and p.end <= m.end(1)]
        if givers:
            out.append(RoleMention(["AwardPresenter"], givers, start=m.start(), end=m.end(), trigger="手中接过"))
    return out


MEET_OBJECT = re.compile(r"(会见|会晤|接见)了?([^，,。；;]{2,40}?)(一行|全体成员|代表团|$|[，,。；;])")


def meeting_guests(text: str, start: int) -> str | None:
    """The visiting party of 会见 (an organisation such as a delegation), as printed."""
    m = MEET_OBJECT.match(text, start)
    if not m:
        return None
    guest = m.group(2)
    if m.group(3) == "代表团":
        guest += "代表团"
    guest = re.sub(r"^(了|亲切|热情)", "", guest)
    return guest or None
