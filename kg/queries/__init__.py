"""SPARQL texts kept as data (``*.rq``): readable, runnable with ``kg query @FILE``, reused by the web layer."""

from __future__ import annotations

from functools import cache
from pathlib import Path

QUERY_DIR = Path(__file__).resolve().parent


@cache
def load(name: str) -> str:
    """The text of ``kg/queries/NAME.rq`` (read once per process)."""
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")
