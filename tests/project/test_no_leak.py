"""No person's name from the gold files may appear in code or lexicons (they must generalise)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def gold_names() -> set[str]:
    """People of ../shared/eval (seed and dev gold) and of the repo's own held-out sets (tests/data)."""
    names: set[str] = set()
    for path in [*(SHARED / "eval").rglob("*.json"), *(ROOT / "tests" / "data").rglob("*.json")]:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        for person in data.get("people", []):
            names.update(n for n in person.get("names", []) if n)
    return names


def test_no_gold_person_name_in_code_or_lexicons():
    if not (SHARED / "eval").is_dir():
        pytest.skip("../shared/eval is not beside the repo")
    names = gold_names()
    assert names, "no gold names found"
    leaks = []
    for folder in ("kg", "ontology"):
        for path in (ROOT / folder).rglob("*"):
            if not path.is_file() or path.suffix in (".pyc", ".onnx", ".npy"):
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            leaks += [f"{path.relative_to(ROOT)}: {n}" for n in names if n in text]
    assert not leaks, leaks
