"""Careers: which lines of work of one written name in one jurisdiction are one person.

The identity rules (``kg.rdf.identity``) key a person by (written name, jurisdiction, line of work),
from one article alone. Real text defeats the line of work: a 教育局局长 promoted to 副市长, a
市委常委、宣传部部长 printed elsewhere as 市委常委 (the concurrent post left out) — one person on two
keys. This module looks at all the mentions of one name block within one jurisdiction (its *career
graph*: each line's posts and the dates they were printed) and decides which line keys are one person:

- **joined unless the evidence says two people.** Evidence of two: the lines' dated spans overlap and
  two of their posts cannot be held together (two department heads of different lines at once, a
  小学校长 beside a 区长), or one follows the other in a way no career runs (a 副市长 who later heads a
  school). Evidence of one, or no evidence at all, joins them.
- what can be held together and what can follow what is data (``kg/lexicons/career_rules.json``): each
  post has a tier (``leader`` on the general track, ``department`` in a line's bureau, ``unit`` in a
  school, hospital, company, village), and the file lists the tier pairs allowed at once and in turn.
- the lines are taken in a fixed order (the general track first, then the rules' order of lines), each
  joining the first group it agrees with every member of; a group is kept under its first line (the
  general track's key when it is in the group). So the result is a function of the set of mentions
  (not of their order): ingest in any order gives the same persons once the block is recomputed.

Pure: no store. ``kg.careers`` reads the blocks from a store and applies the joins.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from kg.rdf import identity
from kg.resources import LEXICON_DIR

RULES_FILE = LEXICON_DIR / "career_rules.json"
GENERAL = ""  # the general track's line (identity.post_sector gives "" for it)


@cache
def rules() -> dict:
    return json.loads(RULES_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True, order=True)
class Post:
    """One post a mention holds, as the career rules read it: its line of work, tier and rank."""

    line: str
    tier: str  # leader, department, unit
    rank: int = 0  # 4 a top leader … 0 a unit post (the rules' ``ranks``)


@dataclass(frozen=True, order=True)
class Sighting:
    """What one article says of the name: when (its date, ISO, or None) and which posts."""

    article: str
    date: str | None
    posts: tuple[Post, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """Whether two lines can be one person, and the evidence read."""

    one: bool
    why: str


@dataclass
class Plan:
    """The decision for one block: every line → the line whose key it is kept under, and why."""

    kept: dict[str, str] = field(default_factory=dict)
    why: dict[str, str] = field(default_factory=dict)

    def joined(self) -> dict[str, str]:
        """Only the lines moved onto another's key."""
        return {line: k for line, k in self.kept.items() if k != line}


def post_of(label: str, body: str | None = None, kind: str | None = None) -> Post:
    """The line (``identity.post_sector``), tier and rank of one post: the general track is ``leader``;
    a line's post is ``unit`` if its body or printed post names a school, hospital, company, village …
    (``unit_keywords``, ``unit_kinds``), else ``department``."""
    line = identity.post_sector(label, body, kind)
    r = rules()
    text = (body or "") + label
    if line == GENERAL:
        tier = "leader"
    elif (kind or "") in r["unit_kinds"] or (any(k in text for k in r["unit_keywords"])
                                              and not any(k in text for k in r["department_keywords"])):
        tier = "unit"
    else:
        tier = "department"
    return Post(line, tier, rank_of(tier, label, body))


def rank_of(tier: str, label: str, body: str | None = None) -> int:
    """The rank of a post of ``tier`` (see the rules' ``ranks``): read from the title — the label
    without its body's name (中共青禾市委常委 → 常委) — then lowered by ``level_step`` per level the
    body's place (else the label's) is below a city: 云溪区区长 ranks with a city's 局长."""
    title = label.removeprefix(body) if body and label.startswith(body) and label != body else label
    rank = next(int(n) for k, n in rules()["ranks"][tier] if k in title)
    place = identity.org_place(body or "") or identity.org_place(label)
    level = identity.level_of(place) if place else -1
    for keyword, lv in rules()["level_keywords"].items():  # 街道: below any place the name shows
        if keyword in (body or "") + label:
            level = min(level, int(lv)) if level >= 0 else int(lv)
    if tier != "unit" and 0 <= level < 2:
        rank -= int(rules()["level_step"]) * (2 - level)
    return rank


def _pairs(key: str) -> set[tuple[str, str]]:
    return {(a, b) for a, b in rules()[key]}


def _together(a: Post, b: Post) -> bool:
    """Whether one person can hold both posts at once."""
    if a.line == b.line:
        return True  # one line: the same post, or one line's career (kept apart only by other lines)
    if (a.line, b.line) in _pairs("concurrent_lines") or (b.line, a.line) in _pairs("concurrent_lines"):
        return True
    for hi, lo in ((a, b), (b, a)):  # a member of the leadership heading a lower-ranked department
        if (hi.tier, lo.tier) in _pairs("concurrent") and lo.rank < hi.rank <= rules()["concurrent_leader_max_rank"]:
            return True
    return False


def _in_turn(earlier: Post, later: Post) -> bool:
    """Whether one career can hold ``earlier``, then ``later``."""
    if earlier.line == later.line:
        return True
    return any((a, b) == (earlier.tier, later.tier) and later.rank >= earlier.rank - int(drop)
               for a, b, drop in rules()["sequence"])


Span = tuple[str, str] | None  # (first, last) date a post was printed; None: undated, it may be at any time


def _spans(sightings: Sequence[Sighting]) -> dict[Post, Span]:
    """Each post of a line's sightings → the first and last date it was printed (None if once undated)."""
    out: dict[Post, Span] = {}
    undated: set[Post] = set()
    for s in sightings:
        for p in s.posts:
            if s.date is None:
                undated.add(p)
                continue
            old = out.get(p)
            out[p] = (s.date, s.date) if old is None else (min(old[0], s.date), max(old[1], s.date))
    return {p: None if p in undated else out[p] for p in sorted(set(out) | undated)}


def _label(line: str) -> str:
    return line or "general"


def _show(p: Post) -> str:
    return f"a {p.tier} post of rank {p.rank} in {_label(p.line)}"


def relation(a: Sequence[Sighting], b: Sequence[Sighting]) -> Verdict:
    """Whether the mentions of two lines can be one person's (see module doc). Every post of one is
    compared with every post of the other over the dates each was printed: if they overlap (or one is
    undated) the two must be able to be held together, else the earlier must be able to lead to the later.
    Why per post, not per line: a 宣传部部长 of 2019 who is 市长 in 2022 overlaps the general track's
    span (市委常委 in 2019) without ever being 部长 and 市长 at once."""
    posts_a, posts_b = _spans(a), _spans(b)
    if not posts_a or not posts_b:
        return Verdict(True, "no posts to compare")
    after: list[str] = []
    for p, sp in posts_a.items():
        for q, sq in posts_b.items():
            if sp is None or sq is None or not (sp[1] < sq[0] or sq[1] < sp[0]):
                if not _together(p, q):
                    when = f"{max(sp[0], sq[0])}" if sp and sq else "undated"
                    return Verdict(False, f"at the same time ({when}): {_show(p)} and {_show(q)}")
                continue
            (early, se), (late, sl) = sorted([(p, sp), (q, sq)], key=lambda x: x[1])
            if not _in_turn(early, late):
                return Verdict(False, f"{_show(early)} until {se[1]}, then {_show(late)} from {sl[0]}")
            after.append(f"{se[1]} → {sl[0]}")
    return Verdict(True, f"one after the other ({min(after)})" if after else "posts held together")


def _order(line: str) -> tuple[int, int, str]:
    _, order = identity._sector_table()
    return (line != GENERAL, order.get(line, len(order)), line)


def plan(lines: Mapping[str, Iterable[Sighting]]) -> Plan:
    """Which lines of one block (written name, jurisdiction) are one person (see module doc)."""
    seen = {line: sorted(set(s)) for line, s in lines.items()}
    out = Plan()
    groups: list[list[str]] = []
    for line in sorted(seen, key=_order):
        apart: list[str] = []
        for group in groups:
            verdicts = [relation(seen[line], seen[m]) for m in group]
            if all(v.one for v in verdicts):
                group.append(line)
                out.kept[line] = group[0]
                out.why[line] = f"joined to {_label(group[0])}: " + "; ".join(v.why for v in verdicts)
                break
            apart.append(f"{_label(group[0])}: " + next(v.why for v in verdicts if not v.one))
        else:
            groups.append([line])
            out.kept[line] = line
            out.why[line] = "kept" + (" apart from " + "; ".join(apart) if apart else "")
    return out
