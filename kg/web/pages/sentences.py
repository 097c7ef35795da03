"""Tie an article's facts to its text: the body cut into anchored sentences, each evidence sentence found
in the body, and the words of one fact marked in (an excerpt of) its sentence.

Why: a review table repeats one long sentence for every fact read from it; a reader must see which words
support which row and jump to the sentence in the text (``#s-<offset>``, no JavaScript). Evidence
offsets (kg:evidenceStart …) are offsets into the *source file*, while the stored body starts after the
headline block, so evidence is located in the body by its text; the offsets still place the mention
inside the sentence and choose between repeated sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.web.pages.text import Segment, link_names, marks

SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)]*")
Runs = list[tuple[str, bool]]


@dataclass(frozen=True)
class Sentence:
    """A run of body text with its anchor id (``s-<offset in the body>``) and its linked names."""

    anchor: str
    segments: list[Segment]


def anchor(offset: int) -> str:
    return f"s-{offset}"


def paragraphs(body: str, names: dict[str, str], cuts: Iterable[int] = ()) -> list[list[Sentence]]:
    """The body's non-empty paragraphs, each cut into sentences at sentence ends and at ``cuts`` (the
    body offsets where evidence sentences start and end, so every evidence starts an anchored sentence)."""
    extra = set(cuts)
    out: list[list[Sentence]] = []
    pos = 0
    for para in body.split("\n"):
        start, end = pos, pos + len(para)
        pos = end + 1
        if not para.strip():
            continue
        points = {start, end} | {m.end() + start for m in SENTENCE_END.finditer(para)}
        points |= {c for c in extra if start < c < end}
        bounds = sorted(points)
        out.append([Sentence(anchor(a), link_names(body[a:b], names))
                    for a, b in zip(bounds, bounds[1:], strict=False) if a < b])
    return out


def locate(body: str, evidence: list[tuple[str, int | None]]) -> list[int | None]:
    """The body offset of each (sentence, source offset) pair, or None when the sentence is not in the body.

    A sentence found once fixes the shift between source and body offsets; a repeated sentence takes the
    occurrence nearest its shifted source offset (the first one when no shift is known)."""
    found = [[m.start() for m in re.finditer(re.escape(t), body)] if t else [] for t, _ in evidence]
    shift = next((es - occ[0] for occ, (_, es) in zip(found, evidence, strict=True)
                  if len(occ) == 1 and es is not None), None)
    out: list[int | None] = []
    for occ, (_, es) in zip(found, evidence, strict=True):
        if not occ:
            out.append(None)
        elif shift is None or es is None:
            out.append(occ[0])
        else:
            out.append(min(occ, key=lambda o: abs(o - (es - shift))))
    return out


def row_marks(sentence: str, es: int | None, ms: int | None, me: int | None, words: Iterable[str]) -> Runs:
    """``sentence`` cut into runs marking one fact's words: the mention placed by its offsets, and every
    occurrence of ``words`` (the names of the row's other cells: post, organisation, event, amount)."""
    spans: list[tuple[int, int]] = []
    if es is not None and ms is not None and me is not None and 0 <= ms - es < me - es <= len(sentence):
        spans.append((ms - es, me - es))
    for w in dict.fromkeys(w for w in words if w and len(w) >= 2):
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(w), sentence)]
    return marks(sentence, spans)


def excerpt(runs: Runs, context: int = 18) -> Runs:
    """The marked runs with long unmarked stretches cut to ``context`` characters next to a mark (``…``
    where cut), so a long sentence shown once per row stays short. Without a mark, the runs unchanged."""
    if not any(m for _, m in runs):
        return runs
    out: Runs = []
    last = len(runs) - 1
    for i, (text, marked) in enumerate(runs):
        if marked or len(text) <= context:
            out.append((text, marked))
        elif i == 0:
            out.append(("…" + text[-context:], False))
        elif i == last:
            out.append((text[:context] + "…", False))
        elif len(text) > 2 * context:
            out.append((text[:context] + "…" + text[-context:], False))
        else:
            out.append((text, False))
    return out
