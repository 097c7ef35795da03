"""Helpers shared by the page tests: a temp store with the hand-made graph, an HTML checker."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from kg.store.base import GraphUpdate
from kg.store.oxigraph import OxigraphStore


def make_store(path: Path, updates: list[GraphUpdate]) -> OxigraphStore:
    store = OxigraphStore(path)
    store.replace_graphs(updates)
    return store


class ActiveContent(HTMLParser):
    """Collects what would run in a browser: script elements, on* attributes, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        for k, v in attrs:
            if k.lower().startswith("on"):
                self.found.append(f"<{tag} {k}=…>")
            if k in ("href", "src") and v and v.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {k}={v}>")
        if tag in ("img", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")


def active_content(html: str) -> ActiveContent:
    p = ActiveContent()
    p.feed(html)
    return p
