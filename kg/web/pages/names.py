"""The disambiguation page of a written name (``/name?q=``): every person of that name, told apart."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import URIRef

from kg.store.base import Store
from kg.web.pages.common import (
    Link,
    Linker,
    Lookup,
    n,
    name_in,
    s,
)
from kg.web.pages.queries import run, values_of


@dataclass
class NamesakeEntry:
    link: Link | None
    jurisdiction: str
    posts: list[str]
    articles: int
    first: str
    last: str


@dataclass
class NamePage:
    """A written name and every person of that name (the disambiguation page)."""

    name: str
    people: list[NamesakeEntry]


def namesakes(store: Store, lk: Linker, name: str) -> NamePage:
    """Everyone named exactly ``name``, each with their place, posts, years and articles (kg.resolve)."""
    from kg.resolve import block_iri

    rows = run(store, "name_block", block=URIRef(block_iri(lk.base, name)))
    people = values_of(rows, "p")
    posts: dict[str, list[str]] = defaultdict(list)
    if people:
        for r in run(store, "people_posts", people=people):
            posts[s(r["p"])].append(s(r["label"]))
    info = Lookup(store)(people)
    out = [NamesakeEntry(lk.link(r["p"], name_in(info, r["p"])), s(r.get("where")), sorted(posts[s(r["p"])])[:8],
                         n(r["articles"]) or 0, s(r.get("first"))[:4], s(r.get("last"))[:4]) for r in rows]
    return NamePage(name, out)


