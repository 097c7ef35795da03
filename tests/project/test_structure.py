"""The package stays easy to read: no module in kg/ over 500 lines, no function over radon cyclomatic
complexity 40, unless the reason is given at its top: a ``Size:`` line in the module's first lines (its
docstring or a comment), a ``Complexity:`` line in the function's (issue 19; first kept for kg/extract)."""

from __future__ import annotations

import ast
from pathlib import Path

from radon.complexity import cc_visit

KG = Path(__file__).resolve().parents[2] / "kg"
MAX_LINES = 500
MAX_COMPLEXITY = 40
TOP_LINES = 12  # how far down "at its top" reaches


def _modules() -> list[Path]:
    found = sorted(KG.rglob("*.py"))
    assert len(found) > 20, f"too few modules under {KG}: the rule would check nothing"
    return found


def _size_reason(source: str) -> bool:
    """A ``Size:`` line in the module's first lines (its docstring or a comment)."""
    return any("Size:" in line for line in source.splitlines()[:TOP_LINES])


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


def _long_modules(root: Path, modules: list[Path]) -> dict[str, int]:
    long = {}
    for p in modules:
        source = p.read_text(encoding="utf-8")
        n = len(source.splitlines())
        if n > MAX_LINES and not _size_reason(source):
            long[str(p.relative_to(root))] = n
    return long


def _complex_functions(root: Path, modules: list[Path]) -> list[str]:
    over = []
    for p in modules:
        source = p.read_text(encoding="utf-8")
        ast.parse(source)  # a module radon cannot read would hide its functions
        for block in _blocks(cc_visit(source)):
            if block.complexity > MAX_COMPLEXITY and not _reason_given(source, block):
                over.append(f"{p.relative_to(root)}:{block.lineno} {block.fullname} {block.complexity}")
    return over


def test_no_module_is_over_500_lines_without_a_reason():
    long = _long_modules(KG, _modules())
    assert not long, long


def test_no_function_is_over_complexity_40_without_a_reason():
    over = _complex_functions(KG, _modules())
    assert not over, over


def test_the_size_check_sees_a_long_module(tmp_path: Path):
    long = tmp_path / "pkg" / "long.py"
    long.parent.mkdir()
    long.write_text('"""A module."""\n' + "x = 1\n" * MAX_LINES, encoding="utf-8")
    reasoned = tmp_path / "pkg" / "reasoned.py"
    reasoned.write_text('"""A module.\n\nSize: one table, read whole."""\n' + "x = 1\n" * MAX_LINES, encoding="utf-8")
    assert _long_modules(tmp_path, [long, reasoned]) == {"pkg/long.py": MAX_LINES + 1}


def test_the_complexity_check_sees_a_complex_function(tmp_path: Path):
    branches = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(MAX_COMPLEXITY + 1))
    source = f"def f(x):\n{branches}\n    return -1\n"
    (block,) = _blocks(cc_visit(source))
    assert block.complexity > MAX_COMPLEXITY and not _reason_given(source, block)
    bad = tmp_path / "bad.py"
    bad.write_text(source, encoding="utf-8")
    reasoned = tmp_path / "reasoned.py"
    reason = "def f(x):\n    # Complexity: one case a line\n"
    reasoned.write_text(source.replace("def f(x):\n", reason), encoding="utf-8")
    assert _complex_functions(tmp_path, [bad, reasoned]) == [f"bad.py:1 f {block.complexity}"]
