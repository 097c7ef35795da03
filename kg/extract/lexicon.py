"""Loading the word lists in ``kg/lexicons``: generic vocabulary of the register, never specific facts."""

from __future__ import annotations

import json
import re
from functools import cache

from kg.resources import LEXICON_DIR


@cache
def words(name: str) -> tuple[str, ...]:
    """The entries of ``name.txt`` (whitespace separated, ``#`` comments), longest first for matching."""
    out: list[str] = []
    for line in (LEXICON_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0]
        out.extend(line.split())
    uniq = dict.fromkeys(out)
    return tuple(sorted(uniq, key=lambda w: (-len(w), w)))


@cache
def word_set(name: str) -> frozenset[str]:
    return frozenset(words(name))


@cache
def table(name: str) -> dict:
    """A JSON lexicon (``name.json``)."""
    return json.loads((LEXICON_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def alternation(name: str) -> str:
    """A regex alternation of a word list, longest entries first so the longest match wins."""
    return "|".join(re.escape(w) for w in words(name))


def surname_of(name: str) -> str | None:
    """The surname a Chinese name starts with (compound ones first), or None."""
    if len(name) >= 3 and name[:2] in word_set("surnames"):
        return name[:2]
    if name[:1] in word_set("surnames"):
        return name[:1]
    return None
