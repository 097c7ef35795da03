"""Helpers shared by the page tests: a temp store with the hand-made graph, the served app asked as a
browser asks, an HTML checker."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from kg.store.base import GraphUpdate, Store
from kg.store.oxigraph import OxigraphStore
from kg.web.app import create_app

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def page_client(store: Store, base: str, **options: Any) -> TestClient:
    """The production app (``create_app``: the routes ``kg serve`` has) on ``store``, every request asking
    for HTML first as a browser does, so entity IRIs answer with their pages. ``options``: TestClient's."""
    return TestClient(create_app(store, base), headers=BROWSER, **options)


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
