"""Lexicons are data files in this folder; ``load_lines`` reads one, skipping comments."""

from __future__ import annotations

from functools import cache

from kg.resources import LEXICON_DIR

HERE = LEXICON_DIR


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of ``kg/lexicons/NAME``, in file order."""
    out = []
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return tuple(out)
