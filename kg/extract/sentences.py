"""Sentence splitting with offsets, so every fact can point at the sentence it was read from."""

from __future__ import annotations

from dataclasses import dataclass

ENDERS = "。！？!?"  # not ；: it separates the lists of one sentence (甲、乙…；丙、丁…出席)
CLOSERS = "”’」』)）"


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset of text[0] in the body
    end: int
    paragraph: int  # index of the paragraph (line) it belongs to


def split_sentences(body: str) -> list[Sentence]:
    """Split at 。！？； and line breaks; a closing quote after the ender stays with its sentence."""
    out: list[Sentence] = []
    para = 0
    start = 0
    i = 0
    n = len(body)
    while i < n:
        ch = body[i]
        if ch == "\n":
            _emit(body, start, i, para, out)
            para += 1
            start = i + 1
        elif ch in ENDERS:
            j = i + 1
            while j < n and body[j] in CLOSERS:
                j += 1
            _emit(body, start, j, para, out)
            start = j
            i = j
            continue
        i += 1
    _emit(body, start, n, para, out)
    return out


def _emit(body: str, start: int, end: int, para: int, out: list[Sentence]) -> None:
    while start < end and body[start] in " \t\u3000":
        start += 1
    while end > start and body[end - 1] in " \t\u3000":
        end -= 1
    if end > start:
        out.append(Sentence(body[start:end], start, end, para))
