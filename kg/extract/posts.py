"""People and the posts printed before their names.

The register writes posts as a chain before the name (省委常委、市委书记某某), lets one post cover a
list of names (副主任甲、乙、丙; 市领导甲、乙、丙), and follows names with 同志. A chain is read
backwards from the name: pieces separated by 、 that each end with a known post title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from kg.extract.lexicon import alternation, surname_of
from kg.extract.ner import Token, person_spans


@dataclass
class PostMention:
    label: str  # as printed
    start: int  # offsets into the sentence
    end: int


@dataclass
class PersonMention:
    name: str
    start: int  # offsets into the sentence
    end: int
    posts: list[PostMention] = field(default_factory=list)
    inherited: bool = False  # posts come from the head of a list (市领导甲、乙)


HARD_STOPS = set("，,。；;：:！？!?“”\"《》【】\n\t 　")
# Words that end the left context of a post chain (the post starts after them).
SOFT_STOPS = (
    "的有", "还有",
    "听取了", "听取", "选举产生", "产生", "选举", "补选", "决定", "任命", "通过的", "当选的", "的", "了", "由",
    "对", "为", "向", "从", "受",
    "把", "被", "请", "让", "给", "率", "会见", "接见", "陪同", "在", "以及", "是",
    "出席", "主持", "参加", "列席", "讲话", "召开", "举行", "获得", "荣获", "担任", "现任", "原任", "曾任",
    "首先", "随后", "最后", "然后", "接着", "之后", "此后", "其后", "同时",
    "其中", "包括", "据", "看望", "慰问", "会上", "期间", "学习", "贯彻", "要求", "强调",
    "指出", "认为", "表示", "落实", "传达", "邀请", "带领", "率领", "支持", "感谢", "欢迎", "祝贺", "宣布",
    "介绍", "视察", "调研", "接受", "会同", "联合", "并", "讨论",
)


# 国家某台副台长, 某公司高级副总裁, 三级调研员, 主席团常务主席, 商会名誉会长: a rank before a title the lexicon
# lists bare is the title's,
# not the end of the body's name (which was read as 国家某台副)
RANK_BEFORE_TITLE = r"(?:名誉|首届)?(?:(?:常务|高级|执行)?副|常务|执行|[一二三四]级)?"


@cache
def _title_end() -> re.Pattern[str]:
    return re.compile(f"{RANK_BEFORE_TITLE}(?:{alternation('post_titles')})$")


def ends_with_title(text: str) -> bool:
    return bool(_title_end().search(text))


def title_of(label: str) -> str | None:
    m = _title_end().search(label)
    return m.group(0) if m else None


def _title_after(text: str, e: int) -> bool:
    """王某某市长在讲话中说: a title right after the name (not 浦添市市长, a place before a title; a
    two-character 某某市长 stays a place's mayor, the more usual reading)."""
    return bool(_title_any().match(text, e)) and not _title_any().match(text, e + 1)


def _open_bracket(text: str, k: int, pos: int) -> bool:
    """（ at ``k`` not closed before ``pos``: a caption's or an aside's start, where a chain begins."""
    return text[k] in "（(" and not any(c in "）)" for c in text[k + 1 : pos])


@cache
def _title_any() -> re.Pattern[str]:
    return re.compile(f"(?:{alternation('post_titles')})")


def _inside_titles(seg: str) -> list[bool]:
    """Characters a post title printed in ``seg`` covers: 调研 of 调研员 is part of a title, not the verb."""
    out = [False] * (len(seg) + 1)
    for m in _title_any().finditer(seg):
        for k in range(m.start(), m.end()):
            out[k] = True
    return out


def _protected(tokens: list[Token]) -> list[bool]:
    """Characters inside an organisation or place token: a soft stop there is part of a name."""
    n = tokens[-1].end if tokens else 0
    out = [False] * (n + 1)
    for t in tokens:
        if t.tag in ("ORG", "LOC") and len(t.text) > 2:
            for k in range(t.start + 1, t.end):
                out[k] = True
    return out


def chain_before(text: str, pos: int, floor: int, protected: list[bool]) -> list[PostMention]:
    """The post chain that ends right before ``pos`` (a name's start), not reaching left of ``floor``."""
    qm = BRACKET_QUALIFIER.search(text, floor, pos)
    if qm and qm.end() == pos and ends_with_title(text[floor : qm.start()].rstrip()):
        return chain_before(text, qm.start(), floor, protected)  # 局长（主持工作）甲: the post before the bracket
    bm = BRACKETED_POST.search(text[floor:pos])
    if bm and ends_with_title(bm.group(1).strip()):
        # 无党派人士（某大学某学院副院长）甲: the post in brackets, after whatever chain precedes it
        inner = PostMention(bm.group(1).strip(), floor + bm.start(1), floor + bm.end(1))
        return chain_before(text, floor + bm.start(), floor, protected) + [inner]
    left = pos
    while left > floor and text[left - 1] not in HARD_STOPS and not _open_bracket(text, left - 1, pos):
        left -= 1
    seg_start = left
    seg = text[seg_start:pos]
    if not seg or not ends_with_title(seg):
        return []
    # cut at the last soft stop that is not inside an organisation name or a title (三级调研员)
    in_title = _inside_titles(seg)
    cut = 0
    for word in SOFT_STOPS:
        idx = seg.rfind(word)
        while idx >= 0:
            absolute = seg_start + idx
            if not (absolute < len(protected) and protected[absolute]) and not in_title[idx]:
                cut = max(cut, idx + len(word))
                break
            idx = seg.rfind(word, 0, idx)
    # 甲院士和某所党委书记乙: 和 after a title joins two people, the chain starts after it
    for k, ch in enumerate(seg):
        if ch in "和与及" and k > cut and ends_with_title(seg[:k]) and not in_title[k]:
            cut = k + 1
    seg_start += cut
    # 以日本某市市长甲为团长的访问团: 以…为 frames the post, it is not part of it (以色列 is a country)
    if text.startswith("以", seg_start) and not text.startswith("以色列", seg_start):
        seg_start += 1
    # a conjunction joining this name to the one before (甲和市长乙), not one inside a body's name, nor
    # a place's first character at a clause's start (，和田地委副书记甲: nothing before it to join)
    clause_start = seg_start == left and (left == 0 or text[left - 1] in HARD_STOPS)
    while seg_start < pos and text[seg_start] in "和及与同、" and not (clause_start and text[seg_start] != "、"):
        seg_start += 1
    seg = text[seg_start:pos]
    pieces: list[PostMention] = []
    end = pos
    for piece in reversed(seg.split("、")):
        start = end - len(piece)
        label = piece.strip()
        if not label or not ends_with_title(label):
            break
        lead = len(piece) - len(piece.lstrip())
        q = QUALIFIER.match(label)
        if q and ends_with_title(label[q.end() :]) and len(label) - q.end() >= 2:
            label, lead = label[q.end() :], lead + q.end()  # 分管副市长: the post is 副市长
        pieces.append(PostMention(label, start + lead, end))
        end = start - 1
    pieces.reverse()
    return pieces


# a bracket qualifying the post before it, not a post of its own: 局长（主持工作）, 副县长（挂职）, 调研员（正处级）
BRACKET_QUALIFIER = re.compile(r"[（(](?:主持工作|挂职|兼|代|正[处县厅科局]级|副[处县厅科局]级|[一二三四]级)[）)]")
BRACKETED_POST = re.compile(r"[（(]([^（()），,。；;]{2,40})[）)]$")
# 分管副市长 → 副市长; 新任党委书记, 新一届市工商联主席 → 党委书记, 市工商联主席 (新任 says the post is new
# to the person, not which post)
# 该镇党委书记 → 镇党委书记, 该县县长 → 县长 (该 points back to a place already named)
QUALIFIER = re.compile(
    r"^(分管|主管|协管|联系|新任|新一届|新一任|新当选的?|当选|上届|本届|该(?P<lvl>[县市镇区乡])(?=(?P=lvl)长)|该)(的)?"
)
LIST_SEPS = "、"
PLACE_LEVELS = set("市县省州镇乡村区")
COMRADE = re.compile(r"^\s*同志")


def find_people(text: str, tokens: list[Token]) -> list[PersonMention]:
    """Person mentions of one sentence with the posts printed for them."""
    spans = person_spans(text, tokens)
    protected = _protected(tokens)
    out: list[PersonMention] = []
    prev_end = 0
    for s, e in spans:
        if surname_of(text[s:e]) is None and not _person_context(text, s, e, spans):
            continue  # a transliterated word (a virus, a brand) unless the sentence treats it as a person
        if re.match(r"新时代|思想|理论|之乡|之都|之城|故里|故居|(隆重)?(举行|召开|举办)", text[e:]):
            continue  # 某某新时代…思想, 在某某堂举行: a doctrine or a venue, not a mention of a person
        if _place_named(text[s:e], tokens) and not chain_before(text, s, prev_end, protected):
            continue  # 江某2024年…项目在江某高新区举行: the place's short name, printed as a place nearby
        titled = e - s >= 3 and _title_after(text, e)  # 王某某市长说: the name, then the title
        if text[e : e + 1] in PLACE_LEVELS and not COMRADE.match(text[e:]) and not titled:
            continue  # 某某市 / 某某县: a place name read as a person
        mention = PersonMention(text[s:e], s, e)
        mention.posts = chain_before(text, s, prev_end, protected)
        if not mention.posts and _in_list_of_words(text, s, e, spans):
            continue  # 安心、安业: a word in a list of words, not a name
        if out and _body_of_previous(text, out[-1], mention):
            pass  # 县人大常委会主任甲，副主任乙: the bare title took the body printed just before
        # a shared post: 副市长甲、乙、丙 -> 乙 and 丙 take the post next to the head of the list
        if not mention.posts and out and s > 0 and text[s - 1] in LIST_SEPS and out[-1].end == s - 1:
            head = out[-1]
            if head.posts:
                last = head.posts[-1]
                mention.posts = [PostMention(last.label, last.start, last.end)]
                mention.inherited = True
        out.append(mention)
        prev_end = e
    return out


# titles of a body's officers (主任, 副主席, 秘书长 …): printed bare right after the body's head they are
# that body's (县政协主席甲，副主席乙、秘书长丙), unlike 副县长 or 局长, which name their own body
OFFICERS = re.compile(r"^(?:常务)?(?:副)?(?:主任|主席)$|^(?:副)?秘书长$")
HEADS = re.compile(r"(?:常务)?(?:副)?(?:主任|主席)$")


def _body_of_previous(text: str, prev: PersonMention, mention: PersonMention) -> bool:
    """县人大常委会主任甲，副主任乙: a bare officer's title in the clause right after a name whose post is
    a body's head or deputy takes that body (the label becomes 县人大常委会副主任; the bare printing
    is its ending)."""
    if len(mention.posts) != 1 or not prev.posts or not OFFICERS.match(mention.posts[0].label):
        return False
    first = mention.posts[0]
    if text[prev.end : first.start] not in ("，", ",", "；", ";"):
        return False
    head = prev.posts[-1].label
    title = HEADS.search(head)
    if not title or title.start() < 2:
        return False
    mention.posts[0] = PostMention(head[: title.start()] + first.label, first.start, first.end)
    return True


PLACE_AFTER_NAME = re.compile(r"(?:[市县区镇乡州旗]|高新区|经开区|开发区|新区|园区)")


def _place_named(name: str, tokens: list[Token]) -> bool:
    """The sentence prints the name as a place's (江某高新区, 江某县委 read as a place or a body): a
    two-character name without a post is that place's short name, not a person."""
    return len(name) == 2 and any(
        t.tag in ("LOC", "ORG") and t.text.startswith(name) and PLACE_AFTER_NAME.match(t.text, 2) for t in tokens
    )


def _in_list_of_words(text: str, s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    """The span is an item of a 、 list whose neighbouring items are short words, none of them a name."""
    neighbours = []
    if s >= 1 and text[s - 1] == "、":
        m = re.search(r"([^、，,。；;：:\s]{1,4})$", text[: s - 1])
        if m:
            neighbours.append((m.start(1), m.end(1)))
    if e < len(text) and text[e] == "、":
        m = re.match(r"[^、，,。；;：:\s]{1,4}", text[e + 1 :])
        if m:
            neighbours.append((e + 1, e + 1 + m.end()))
    if not neighbours:
        return False
    named = any(a < ne and ns < b for a, b in spans if (a, b) != (s, e) for ns, ne in neighbours)
    return not named and all(ne - ns <= 2 for ns, ne in neighbours)


PERSON_AFTER = re.compile(
    r"^(同志|先生|女士|等|在|说|表示|指出|强调|认为|介绍|出席|主持|参加|会见|当选|率|一行|[、，,]\s*[^，,]{0,6}(先生|女士))"
)


def _person_context(text: str, s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    """Evidence that a name without a Chinese surname is a person: a post before it, a verb of saying
    or attending after it, or a neighbour in a list of names."""
    if ends_with_title(text[max(0, s - 8) : s]) or PERSON_AFTER.match(text[e:]):
        return True
    return any(abs(s2 - e) <= 1 or abs(s - e2) <= 1 for s2, e2 in spans if (s2, e2) != (s, e))
