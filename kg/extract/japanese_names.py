"""Japanese names in reports of visits and receptions: four characters, most with no Chinese surname.

A delegation from a Japanese sister city is a recurring story of local papers (日本某市市长某某一行,
由日本某市议会议长某某先生率领的代表团). The tagger reads such a name as a person but the surname
check drops it (桥, 山 are no Chinese surnames), or it splits the name in pieces (甲乙|丙丁, 甲|乙|丙丁).
Inside a sentence that names 日本 before it, a four-character name is accepted where the tagger
reads it whole, and read after a post title where what follows is what follows a name.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from kg.extract.lexicon import alternation

if TYPE_CHECKING:
    from kg.extract.ner import Token

JAPAN = "日本"
# function words and verbs a four-character stretch after a title holds when it is no name (一行来访); not 和
# or 一, which Japanese given names often hold (和子, 一郎)
NOT_IN_NAME = set("的了是在等与及为说来行会到将把被向对从于也都")
NAME_END = r"(?=先生|女士|为|一行|率|等|、|，|,|。|；|出席|会见|在|表示|说|致辞|讲话|$)"


@cache
def _after_title() -> re.Pattern[str]:
    return re.compile(f"(?:{alternation('post_titles')})(?P<name>[\\u4e00-\\u9fff]{{4}}){NAME_END}")


def _japanese_context(text: str, start: int) -> bool:
    return JAPAN in text[:start]


def whole_tagged(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Four-character person tokens of the tagger after 日本 in the sentence (山田太郎)."""
    return [(t.start, t.end) for t in tokens
            if t.tag == "PER" and len(t.text) == 4 and all("\u4e00" <= c <= "\u9fff" for c in t.text)
            and _japanese_context(text, t.start)]


def after_titles(text: str) -> list[tuple[int, int]]:
    """日本某市市长甲乙丙丁为团长: a four-character name right after a post title, after 日本."""
    out = []
    for m in _after_title().finditer(text):
        s, e = m.start("name"), m.end("name")
        if _japanese_context(text, s) and not NOT_IN_NAME & set(m.group("name")):
            out.append((s, e))
    return out


def japanese_names(text: str, tokens: list[Token], found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``found`` with the Japanese names of the sentence in place of the pieces that overlap them."""
    if JAPAN not in text:
        return found
    out = list(found)
    for s, e in whole_tagged(text, tokens) + after_titles(text):
        out = [(a, b) for a, b in out if b <= s or a >= e] + [(s, e)]
    return sorted(set(out))
