"""The extraction package stays easy to read: no module over 500 lines, no function over radon
cyclomatic complexity 40, unless the function gives the reason at its top (a line of its docstring
or a comment starting with ``Complexity:``)."""

from __future__ import annotations

import ast
from pathlib import Path

from radon.complexity import cc_visit

EXTRACT = Path(__file__).resolve().parents[1] / "kg" / "extract"
MAX_LINES = 500
MAX_COMPLEXITY = 40


def _reason_given(source: str, block) -> bool:  # noqa: ANN001 - a radon Function or Method
    """A ``Complexity:`` line in the first lines of the function (its docstring or a comment)."""
    top = source.splitlines()[block.lineno - 1 : block.lineno + 8]
    return any("Complexity:" in line for line in top)


def _blocks(blocks: list) -> list:
    """Functions, methods and nested functions (radon lists methods beside their class, nests closures)."""
    out = []
    for b in blocks:
        if not hasattr(b, "methods"):  # a class: its methods are listed on their own
            out += [b, *_blocks(list(b.closures))]
    return out


def test_no_extraction_module_is_over_500_lines():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in EXTRACT.glob("*.py")}
    long = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert not long, long


def test_no_extraction_function_is_over_complexity_40_without_a_reason():
    over = []
    for p in sorted(EXTRACT.glob("*.py")):
        source = p.read_text(encoding="utf-8")
        ast.parse(source)  # a module radon cannot read would hide its functions
        for block in _blocks(cc_visit(source)):
            if block.complexity > MAX_COMPLEXITY and not _reason_given(source, block):
                over.append(f"{p.name}:{block.lineno} {block.fullname} {block.complexity}")
    assert not over, over


def test_the_complexity_check_sees_a_complex_function():
    branches = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(MAX_COMPLEXITY + 1))
    source = f"def f(x):\n{branches}\n    return -1\n"
    (block,) = _blocks(cc_visit(source))
    assert block.complexity > MAX_COMPLEXITY and not _reason_given(source, block)
