"""Where the tagger's person names are checked against their context, and names it missed are added.

A name inside a 、 list of names, a name printed with a middle dot (买合木提·吐尔洪), and a name right
after a post title or continuing a list (副主任郭某某、) are read from the text around them; the
tagger's own spans are repaired in :mod:`ner`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from kg.extract.compound_names import compound_names
from kg.extract.lexicon import alternation, surname_of, table, word_set

if TYPE_CHECKING:
    from kg.extract.ner import Token

NOT_NAME_CHARS = frozenset(table("name_edges")["not_name_chars"]["chars"])  # (function words, verbs)
NON_NAME_TAILS = frozenset(table("name_edges")["non_name_tails"]["chars"])  # (places and bodies read as people)

LEADERS_BEFORE = re.compile(r"(领导|同志|由)$")  # 县领导甲、乙; 一等奖由甲、乙获得


def list_item(text: str, start: int, end: int, names: set[tuple[int, int]]) -> tuple[int, int] | None:
    """The item of a 、 list that holds the name at [start, end), when it is 2–3 Chinese characters.

    Inside a list of names the separators are surer than the surname list: a rare surname (郗) or
    one the tagger split off (帅|小川) still makes a name of the whole item."""
    left = start
    while left > 0 and left > start - 2 and "\u4e00" <= text[left - 1] <= "\u9fff" and text[left - 1] != "、":
        left -= 1
    if left > 0 and text[left - 1] not in "、，,：:":
        before = text[max(0, start - 12) : start]
        if not LEADERS_BEFORE.search(before) and not post_title_before(before):
            return None
        left = start  # 县领导郗某某、… / 副主任王某|来、…: the first item follows the list's title
    m = NAME_RIGHT_BOUNDARY.search(text, end)
    right = m.start() if m else len(text)
    if right - end > 1:
        return None
    if text[right : right + 2] in ("和、", "和，", "和,"):
        right += 1  # 某顺孟和、: a 和 right before a separator joins nothing, it ends a (Mongolian) name
    longest = 4 if text[right - 1 : right] == "和" else 3  # 宝音|孟和、: four characters, the last 和
    before = text[left - 1] if left > 0 else ""
    after = text[right] if right < len(text) else ""
    if "、" not in (before, after) or not 2 <= right - left <= longest:
        return None
    if not all("\u4e00" <= c <= "\u9fff" for c in text[left:right]):
        return None
    # a list of names: the item next to it is a name the tagger found with a known surname
    nxt = next(((a, b) for a, b in names if a == right + 1), None) if after == "、" else None
    prv = next(((a, b) for a, b in names if b == left - 1), None) if before == "、" else None
    return (left, right) if nxt or prv else None


# 买合木提·吐尔洪, 努尔古丽·艾买提 (invented): Uyghur, Kazakh and other minority names printed with a middle dot.
DOTTED = re.compile(r"[\u4e00-\u9fff]{2,10}(?:[·•][\u4e00-\u9fff]{1,10})+")
DOTTED_LEFT_STOP = re.compile(r"(?:同志|代表|以及|和|与|及|由|为|是|在|等|的|了|向|对|从|率|请|到|看望|慰问|走访)")


@cache
def _dotted_tail_regex() -> re.Pattern[str]:
    edges = table("name_edges")
    words = "|".join(re.escape(w) for w in edges["right_trim"]["words"] + edges["glued_verbs"]["words"])
    return re.compile(f"(?:{words}|说[，,：:]|(?:{alternation('post_titles')})(?=一行|[，,。；;、]))")


def _dotted_tail(text: str, k: int) -> bool:
    """希拉·威曼|女士, 玛格丽特·里德|说，, 艾某·木某|专员一行, 艾某·木某|调研…: a title, 说 or a verb a
    name is glued to after a dotted name's last piece (the tagger glues them on; the boundary words of
    Chinese names miss them)."""
    return _dotted_tail_regex().match(text, k) is not None


def _dotted_runs(text: str) -> list[tuple[int, int]]:
    """The runs of dotted names; 甲·乙和丙·丁 is two names joined by 和 (与, 及), split there.

    A conjunction inside a middle piece with two or more characters on each side and a dot on each
    side of the piece joins two names; at a piece's edge (孟和·…) it is part of the name."""
    out: list[tuple[int, int]] = []
    for m in DOTTED.finditer(text):
        start = m.start()
        pieces = re.split("[·•]", m.group(0))
        pos = m.start() + len(pieces[0]) + 1
        for piece in pieces[1:-1]:
            j = next((k for k, ch in enumerate(piece) if ch in "和与及" and 2 <= k <= len(piece) - 3), None)
            if j is not None:
                out.append((start, pos + j))
                start = pos + j + 1
            pos += len(piece) + 1
        out.append((start, m.end()))
    return out


def dotted_names(text: str, tokens: list[Token], found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Names joined by a middle dot, whole, wherever the tagger read part of them as a person.

    The tagger often keeps only a piece (买合|木|提) or glues the next verb on (吐尔洪当选…);
    the dot is a surer sign: the name runs from the list separator, post title or function word
    before it to the first verb or separator after its last piece."""
    if "·" not in text and "•" not in text:
        return found
    per = [(t.start, t.end) for t in tokens if t.tag == "PER"]
    titles = _title_regex()
    out = list(found)
    for start, end in _dotted_runs(text):
        run = text[start:end]
        first = run[: re.search("[·•]", run).start()]  # type: ignore[union-attr]
        cut = 0
        for t in titles.finditer(first):
            cut = max(cut, t.end())
        for w in DOTTED_LEFT_STOP.finditer(first):
            if w.end() <= len(first) - 2:
                cut = max(cut, w.end())
        if len(first) - cut > 6 or len(first) - cut < 2:
            continue
        start += cut
        last_at = max(run.rfind("·"), run.rfind("•")) + start - cut + 1
        stop = next((k for k in range(last_at + 1, min(end, last_at + 6) + 1) if k < end and (
            NAME_RIGHT_BOUNDARY.match(text, k) or (k >= last_at + 2 and _dotted_tail(text, k)))), None)
        if stop is not None:
            end = stop
        elif end - last_at > 5:
            continue
        if end - last_at < 1 or text[end - 1] in NON_NAME_TAILS:
            continue
        if not any(a < end and start < b for a, b in per):
            continue  # 中国·东盟: the tagger does not read any of it as a person
        out = [(a, b) for a, b in out if b <= start or a >= end] + [(start, end)]
    return sorted(out)


LIST_HEAD = re.compile(r"(?:的有|的是|领导|[:：])(?P<item>[\u4e00-\u9fff]{2,3})$")
COMRADE_AFTER = re.compile(r"同志(?![们])")
LIST_ITEM_END = re.compile(r"[、，,。；;等]|及(?!时)|以及|出席|参加|列席|主持|同志|分别|讲话")
# 市领导 is mostly followed by a noun (班子, 干部); a name after it is sure only before one of these
LEADER_NAME_AFTER = re.compile(r"出席|列席|参加|陪同|主持|讲话|致辞|同志|等")
STRONG_AFTER = re.compile(r"^(同志|主持|出席|讲话|致辞|当选|列席|等[^，,。]{0,6}(出席|参加))")


ELECTED_BEFORE = re.compile(r"(?:选举|补选|增选|推选|任命)")
ELECTED_TO = re.compile(r"(?:同志)?为([^，,。；;、]{2,30})")


def ends_with_post(label: str) -> bool:
    return bool(re.search(f"(?:{alternation('post_titles')})$", label))


def post_title_before(before: str) -> bool:
    return bool(re.search(f"(?:{alternation('post_titles')})$", before)) and not before.endswith(("领导", "负责人"))


def strong_context(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 8) : start]
    titled = bool(re.search(f"(?:{alternation('post_titles')})$", before)) and not before.endswith(("领导", "负责人"))
    return titled or bool(STRONG_AFTER.match(text[end:]))


@cache
def _title_regex() -> re.Pattern[str]:
    return re.compile(f"(?:{alternation('post_titles')}|记者|通讯员)")


NAME_RIGHT_BOUNDARY = re.compile(
    r"(?=[、，,。；;：:（(\s“”]|和|及|同志|等|出席|主持|参加|列席|讲话|致辞|表示|指出|强调|介绍|汇报|"
    r"陪同|会见|当选|在|为|代表|分别|先后|一行|率|报道|摄|获得|荣获|获此|$)"
)


def _before_comrade(text: str, tokens: list[Token], covered: list[bool]) -> list[tuple[int, int]]:
    """杨某岭同志: a word the tagger read as a place (or a body) is a person's name before 同志."""
    return [(t.start, t.end) for t in tokens
            if t.tag in ("LOC", "ORG", "nz") and 2 <= len(t.text) <= 3 and surname_of(t.text)
            and COMRADE_AFTER.match(text, t.end) and not any(covered[k] for k in range(t.start, t.end))
            and (t.start == 0 or not "\u4e00" <= text[t.start - 1] <= "\u9fff")]


def _list_heads(text: str, names: list[tuple[int, int]], covered: list[bool]) -> list[tuple[int, int]]:
    """获奖的有甲、乙, 市领导甲、乙: the first item of a list after 的有/的是/领导/：, when the next one is a name."""
    out: list[tuple[int, int]] = []
    for s, _e in names:
        lead = LIST_HEAD.search(text, 0, s - 1) if s >= 1 and text[s - 1] == "、" else None
        if lead and lead.end() == s - 1:
            a, b = lead.start("item"), lead.end("item")
            if surname_of(text[a:b]) and not any(covered[k] for k in range(a, b)) and (a, b) not in out:
                out.append((a, b))
    return out


def add_context_names(
    text: str, found: list[tuple[int, int]], tokens: list[Token]
) -> list[tuple[int, int]]:
    """Names the tagger missed: right after a post title, or between list separators after a name."""
    taken = sorted(found)
    words = {
        (t.start, t.end)
        for t in tokens
        if len(t.text) >= 2 and t.tag not in ("PER", "w", "xc") and not (t.tag == "v" and len(t.text) >= 3)
    }
    starts = {t.start for t in tokens}
    # 应邀, 出席: a verb the tagger read as one is not a name, even where a list item would end there
    verbs = {(t.start, t.end) for t in tokens if t.tag in ("v", "vd", "d", "p", "c", "ad") and len(t.text) == 2}
    # 主任何某某 read as one word: the title ends inside it and the name runs to the word's end
    glued_after_title = {t.end for t in tokens if t.tag in ("n", "nz") and len(t.text) >= 4}
    covered = [False] * (len(text) + 1)
    for s, e in taken:
        for k in range(s, e):
            covered[k] = True
    # 副市长上官某某, 市领导欧阳某、: a compound surname is surer than the checks below
    token_spans = {(t.start, t.end) for t in tokens}
    extra: list[tuple[int, int]] = compound_names(text, covered, starts, NAME_RIGHT_BOUNDARY, token_spans)

    def try_at(pos: int, in_list: bool = False, after_title: bool = False) -> tuple[int, int] | None:
        if pos >= len(text) or covered[pos]:
            return None
        for length in (3, 2, 4):
            cand = text[pos : pos + length]
            if length == 4 and cand[:2] not in word_set("surnames"):
                continue
            if len(cand) < length or any(covered[pos + k] for k in range(length)):
                continue
            sur = surname_of(cand)
            if sur is None or len(cand) - len(sur) < 1:
                continue
            # 甲、管某、乙: an item between two separators of a list of names needs no check of its characters
            sure_item = in_list and text[pos - 1 : pos] == "、" and text[pos + length : pos + length + 1] in "、等"
            if any(c in NOT_NAME_CHARS for c in cand[len(sur) :]) and not sure_item:
                continue
            if not all("\u4e00" <= c <= "\u9fff" for c in cand):
                continue
            whole_item = pos + length == len(text) or bool(LIST_ITEM_END.match(text, pos + length))
            if (pos, pos + length) in verbs and text[pos + length : pos + length + 1] not in "、，,":
                continue  # 主任应邀参加 (a verb before a verb), but 会长庹某、 (a name the tagger took for one)
            glued = after_title and pos not in starts and pos + length in glued_after_title
            if ((pos, pos + length) in words and not (in_list and whole_item)) or (pos not in starts and not glued):
                continue
            if NAME_RIGHT_BOUNDARY.match(text, pos + length):
                return (pos, pos + length)
        return None

    def foreign_at(pos: int) -> tuple[int, int] | None:
        chars = word_set("transliteration_chars")
        end = pos
        while end < len(text) and end - pos < 6 and text[end] in chars and not covered[end]:
            end += 1
        if end - pos >= 3 and NAME_RIGHT_BOUNDARY.match(text, end) and (pos, end) not in words:
            return (pos, end)
        return None

    # after a post title: 副主任郭某某、
    for m in _title_regex().finditer(text):
        if m.group(0) == "负责人":
            continue
        if m.group(0) == "领导":  # 县领导储某某列席: only with a verb of taking part right after the name
            hit = try_at(m.end())
            hit = hit if hit and LEADER_NAME_AFTER.match(text, hit[1]) else None
        else:
            hit = try_at(m.end(), in_list=True, after_title=True) or foreign_at(m.end())
        if hit:
            extra.append(hit)
            for k in range(*hit):
                covered[k] = True
    # 选举于某某为市政协主席: the one elected or appointed to a post, where the tagger read a surname that
    # is also a preposition (于, 向) as one
    for m in ELECTED_BEFORE.finditer(text):
        hit = try_at(m.end())
        if hit and ELECTED_TO.match(text, hit[1]) and ends_with_post(ELECTED_TO.match(text, hit[1]).group(1)):
            extra.append(hit)
            for k in range(*hit):
                covered[k] = True
    for span in _before_comrade(text, tokens, covered) + _list_heads(text, sorted(taken + extra), covered):
        extra.append(span)
        for k in range(*span):
            covered[k] = True
    # list continuation: 甲、乙、丙 where 甲 is a name
    changed = True
    while changed:
        changed = False
        for _s, e in sorted(taken + extra):
            if e < len(text) and text[e] in "、，," and not covered[e + 1]:
                hit = try_at(e + 1, in_list=True)
                if hit and text[e] == "、":
                    extra.append(hit)
                    for k in range(*hit):
                        covered[k] = True
                    changed = True
    return sorted(set(taken + extra))
