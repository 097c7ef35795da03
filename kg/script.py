"""Which script a text is written in, and its simplified rendering (issue 22).

Shared by extraction (which reads traditional-script articles through a simplified rendering, see
:mod:`kg.extract.script`) and search (where 裴漢舟 should find a person printed 裴汉舟). Telling the
scripts apart costs one set-disjointness test, so simplified text pays nothing measurable; OpenCC is
loaded only when a traditional character is actually met.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from kg.lexicons import load_lines


@cache
def traditional_only() -> frozenset[str]:
    """Characters only traditional script uses (generated from OpenCC's tables by scripts/traditional_only.py)."""
    return frozenset(load_lines("traditional_only.txt"))


def has_traditional(text: str) -> bool:
    """Whether ``text`` holds a traditional-only character: the whole cost of the feature on simplified text."""
    return not traditional_only().isdisjoint(text)


@cache
def _converter() -> Callable[[str], str]:
    """OpenCC's t2s converter (the C++ library of the ``opencc`` wheel), loaded on first need only."""
    import opencc

    return opencc.OpenCC("t2s").convert


def to_simplified(text: str) -> str:
    """The simplified rendering of ``text`` by OpenCC t2s (phrase tables before characters: 乾隆 stays, 乾燥 → 干燥)."""
    return _converter()(text) if text else text
