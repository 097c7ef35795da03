"""Pure text helpers of the pages: mention highlighting, linking names in an article body, SVG layout."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Highlight:
    """An evidence sentence split around the highlighted mention (``mark`` may be empty)."""

    before: str
    mark: str
    after: str


def highlight(sentence: str, es: int | None, ms: int | None, me: int | None, names: tuple[str, ...] = ()) -> Highlight:
    """Mark the mention in ``sentence``.

    ``es``, ``ms``, ``me`` are source offsets (kg:evidenceStart, kg:mentionStart/End): the mention sits
    at ``ms - es`` in the sentence. When they are missing or do not fit the sentence, the first of
    ``names`` found in it is marked instead.
    """
    if es is not None and ms is not None and me is not None:
        a, b = ms - es, me - es
        if 0 <= a < b <= len(sentence):
            return Highlight(sentence[:a], sentence[a:b], sentence[b:])
    for name in names:
        if name and (i := sentence.find(name)) >= 0:
            return Highlight(sentence[:i], name, sentence[i + len(name):])
    return Highlight(sentence, "", "")


def marks(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``sentence`` cut into (text, marked) runs, marking every span (overlaps merged, bad spans ignored)."""
    good = sorted((a, b) for a, b in spans if 0 <= a < b <= len(sentence))
    merged: list[list[int]] = []
    for a, b in good:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out: list[tuple[str, bool]] = []
    pos = 0
    for a, b in merged:
        if a > pos:
            out.append((sentence[pos:a], False))
        out.append((sentence[a:b], True))
        pos = b
    if pos < len(sentence):
        out.append((sentence[pos:], False))
    return out


@dataclass(frozen=True)
class Segment:
    """A run of article text; ``ref`` is the key of the entity it names, or None for plain text."""

    text: str
    ref: str | None = None


def link_names(text: str, names: dict[str, str], min_len: int = 2) -> list[Segment]:
    """Split ``text`` into runs, marking each occurrence of a name (longest names first, no overlaps).

    ``names`` maps a name as written to the key of its entity.
    """
    usable = sorted((n for n in names if len(n) >= min_len), key=len, reverse=True)
    if not usable:
        return [Segment(text)] if text else []
    pattern = re.compile("|".join(re.escape(n) for n in usable))
    out: list[Segment] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append(Segment(text[pos:m.start()]))
        out.append(Segment(m.group(0), names[m.group(0)]))
        pos = m.end()
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


@dataclass(frozen=True)
class Node:
    """A node of the co-participant picture, with its position and size."""

    x: float
    y: float
    r: float
    label: str
    href: str | None
    count: int
    width: float  # stroke width of the edge to the centre


def radial_layout(items: list[tuple[str, str | None, int]], size: int = 420) -> list[Node]:
    """Place co-participants (label, href, count) on a circle around the centre; heavier = bigger, closer."""
    if not items:
        return []
    c = size / 2
    top = max(n for _, _, n in items) or 1
    out = []
    for i, (label, href, n) in enumerate(items):
        angle = -math.pi / 2 + 2 * math.pi * i / len(items)
        w = n / top
        dist = c * (0.78 - 0.22 * w)
        out.append(Node(round(c + dist * math.cos(angle), 1), round(c + dist * math.sin(angle), 1),
                        round(9 + 9 * w, 1), label, href, n, round(1 + 5 * w, 1)))
    return out
