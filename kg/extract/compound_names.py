"""Names with a compound surname (欧阳, 上官, 长孙 … in ``surnames.txt``): their length and left edge.

The tagger often stops at the surname (上官|建军: a given name that is also a word), takes one
character too few on the left (长|孙某某, 令|狐某), or reads the whole name as a verb or a noun
(上官某某/v). A compound surname is a surer sign than the tagger here: the name is the surname plus
one or two characters up to where a name ends (a separator, 出席, 主持, 讲话 …). Which surnames
are compound is data (the entries of ``surnames.txt`` longer than one character); the rules below only say how
far such a name runs.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from kg.extract.lexicon import alternation, table, words

if TYPE_CHECKING:
    from kg.extract.ner import Token

_EDGES = table("name_edges")
NOT_LAST = frozenset(_EDGES["not_in_given_name"]["chars"])
WORDLIKE = frozenset(_EDGES["compound_surname_words"]["words"])
CLAUSE_EDGE = "，,。；;：:、“”（(\n \u3000"
# 上官某某作总结讲话: 作 starts what follows the name when a speech is what is made
SPEECH = re.compile(r"作(?:了)?[^，,。；;]{0,20}?(?:报告|讲话|发言|说明|辅导|部署|动员|汇报)")


# what a person does right after the name: at a clause start these make a name of the surname and
# one or two characters even where the tagger cut the surname (上|官某某强调)
ACTS = re.compile(r"同志|主持|出席|讲话|致辞|当选|列席|表示|指出|强调|介绍|汇报|陪同|会见|率|一行|说[，,：:]")


def _ends_name(text: str, k: int, boundary: re.Pattern[str]) -> bool:
    return k == len(text) or boundary.match(text, k) is not None or SPEECH.match(text, k) is not None


@cache
def compound_surnames() -> frozenset[str]:
    """The surnames of two or more characters in ``surnames.txt``."""
    return frozenset(w for w in words("surnames") if len(w) >= 2)


@cache
def _compound_regex() -> re.Pattern[str]:
    alts = "|".join(re.escape(w) for w in sorted(compound_surnames(), key=lambda w: -len(w)))
    return re.compile(f"(?:{alts})")


@cache
def _title_end() -> re.Pattern[str]:
    """A post title, 领导 or 由 ending right before a position (a name follows it)."""
    return re.compile(f"(?:{alternation('post_titles')}|领导|记者|由)$")


def _is_cjk(s: str) -> bool:
    return bool(s) and all("\u4e00" <= c <= "\u9fff" for c in s)


def given_end(text: str, pos: int, boundary: re.Pattern[str], stops: set[int] | None = None) -> int | None:
    """Where a name whose compound surname ends at ``pos`` ends: after two given-name characters,
    else one, where a name's right edge follows (``boundary``) and, when ``stops`` is given, where
    the tagger's segmentation has a word boundary too."""
    for k in (2, 1):
        end = pos + k
        given = text[pos:end]
        if len(given) < k or not _is_cjk(given) or given[-1] in NOT_LAST:
            continue
        if stops is not None and end not in stops and end != len(text) and not SPEECH.match(text, end):
            continue  # (上官某|某作|总结讲话: the tagger reads the name's last character into 某作)
        if _ends_name(text, end, boundary):
            return end
    return None


def join_compound_given(text: str, tokens: list[Token], i: int, boundary: re.Pattern[str]) -> tuple[int, int] | None:
    """上官|建军, 上官|海涛 (two names): the tagger's PER token is a compound surname alone, and the
    given name after it ends where a name ends. Returns (end, index of the next token)."""
    tok = tokens[i]
    if tok.text not in compound_surnames():
        return None
    stops = {t.start for t in tokens}
    end = given_end(text, tok.end, boundary, stops)
    if end is None:
        return None
    j = i + 1
    while j < len(tokens) and tokens[j].start < end:
        j += 1
    return end, j


def left_surname_start(text: str, start: int, end: int) -> int:
    """长|孙某某, 令|狐某, 上官|某某: a compound surname, or its first character, left outside the name.

    Taken only where a name can start before it (a clause edge, a post title, 领导), so 市长|孙某
    and 广东|方某 keep their names as they are."""
    for back, size in ((1, (2, 3)), (2, (1, 2))):  # one character of the surname outside, or all of it
        k = start - back
        if k < 0 or end - start not in size or text[k : k + 2] not in compound_surnames():
            continue
        if k == 0 or text[k - 1] in CLAUSE_EDGE or _title_end().search(text, 0, k):
            return k
    return start


def cut_short_end(text: str, tokens: list[Token], start: int, end: int, boundary: re.Pattern[str]) -> int:
    """诸葛子|健在|会上, 欧阳某|新|同志: a three-character name whose last given-name character the
    tagger read into the next word or left on its own, where what follows it is what follows a name."""
    if end - start != 3 or text[start : start + 2] not in compound_surnames():
        return end
    nxt = next((t for t in tokens if t.start == end), None)
    if nxt is None or not _is_cjk(nxt.text) or nxt.text[0] in NOT_LAST:
        return end
    if len(nxt.text) == 1 and nxt.tag in ("v", "vd", "p", "d", "c", "u", "r", "m", "q", "f", "xc"):
        return end  # a verb or function word of its own: 欧阳某|说，
    return end + 1 if _ends_name(text, end + 1, boundary) else end


def _at_clause_start(text: str, pos: int) -> bool:
    return pos == 0 or text[pos - 1] in CLAUSE_EDGE


def compound_names(
    text: str, covered: list[bool], starts: set[int], boundary: re.Pattern[str], spans: set[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Names with a compound surname the tagger did not read as one: after a post title (副市长上官某某),
    at the head of a list (市领导欧阳某、) or at a clause start, where the surname could also be
    read into another word (上|官网, 上官网、微博): there a name's right edge is not enough, the
    person must act right after it, or the tagger's words agree, or the next item of a list is a
    name. ``spans`` are the tagger's words."""
    out: list[tuple[int, int]] = []
    for m in _compound_regex().finditer(text):
        pos, sur_end = m.start(), m.end()
        after_title = bool(_title_end().search(text, 0, pos))
        if any(covered[k] for k in range(pos, sur_end)) or (pos not in starts and not after_title):
            continue
        end = given_end(text, sur_end, boundary, starts)
        if end is None or any(covered[k] for k in range(sur_end, end)):
            continue
        if m.group(0) in WORDLIKE and text[pos - 1 : pos] == "由":
            continue  # 由第五组…: after 由 a word-like surname is the word (a post title makes it a name)
        if after_title or (_at_clause_start(text, pos) and m.group(0) not in WORDLIKE and (
            ACTS.match(text, end) or SPEECH.match(text, end)  # a person acts right after it
            or sur_end in starts or (pos, end) in spans  # the tagger agrees the surname is a unit
            or (text[end : end + 1] == "、" and covered[min(end + 1, len(text) - 1)])  # 、 and a name
        )):
            out.append((pos, end))
            for k in range(pos, end):
                covered[k] = True
    return out
