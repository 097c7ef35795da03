"""The credit finders of :mod:`kg.read.credits`, reading bylines printed in traditional characters too.

Why: 本報訊（記者 某某）, 記者 某某 攝 and the other credit patterns are written in simplified
characters, so a traditional print kept its credits in the body, where the extractor then took the
reporter for a person of the story (issue 22). As extraction does (:mod:`kg.extract.script`), the
finders read OpenCC's simplified rendering of the line, and the names are taken from the printed
line at the same offsets, so a credit keeps its printed name and source span. The rendering is used
only when it keeps the line's length (OpenCC's t2s tables do): then offsets carry over one to one.
Lines without a traditional character go straight to the finders, at the cost of one set test.

The reader imports this module in place of :mod:`kg.read.credits`; it offers the same names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from kg.read import credits as _cr
from kg.read.credits import FoundCredit, FoundName
from kg.script import has_traditional, to_simplified

__all__ = [
    "FoundCredit",
    "FoundName",
    "find_author",
    "find_byline_line",
    "find_caption_run",
    "find_dateline_byline",
    "find_field_line",
    "find_item_dateline",
    "find_photo_credit",
    "find_signature",
    "find_source_line",
    "find_trailing_photo_credit",
]


def _either_script(find: Callable[[str], FoundCredit | None]) -> Callable[[str], FoundCredit | None]:
    """``find`` over the simplified rendering of a traditional line, names as printed."""

    @wraps(find)
    def found(text: str) -> FoundCredit | None:
        if not has_traditional(text):
            return find(text)
        simple = to_simplified(text)
        if len(simple) != len(text):
            return find(text)
        hit = find(simple)
        if hit is None:
            return None
        back = dict(zip(simple, text, strict=True))

        def printed(n: FoundName) -> str:
            same = simple[n.start : n.end] == n.name
            return text[n.start : n.end] if same else "".join(back.get(c, c) for c in n.name)

        names = [FoundName(printed(n), n.role, n.start, n.end) for n in hit.names]
        return FoundCredit(names, hit.start, hit.end)

    return found


find_author = _either_script(_cr.find_author)
find_byline_line = _either_script(_cr.find_byline_line)
find_dateline_byline = _either_script(_cr.find_dateline_byline)
find_item_dateline = _either_script(_cr.find_item_dateline)
find_photo_credit = _either_script(_cr.find_photo_credit)
find_signature = _either_script(_cr.find_signature)
find_trailing_photo_credit = _either_script(_cr.find_trailing_photo_credit)
find_source_line = _either_script(_cr.find_source_line)
find_caption_run = _either_script(_cr.find_caption_run)
find_field_line = _either_script(_cr.find_field_line)
