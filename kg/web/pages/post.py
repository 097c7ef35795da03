"""The post page: its organisation and its holders over time."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kg.store.base import Store
from kg.web.pages import labels as L
from kg.web.pages.common import (
    Link,
    Linker,
    first_value,
    fmt_date,
    n,
    s,
)
from kg.web.pages.lists import Holder
from kg.web.pages.queries import run


@dataclass
class PostPage:
    iri: str
    label: str
    org: Link | None
    holders: list[Holder]
    kind: str = "post"


def post(store: Store, lk: Linker, iri: str, page: int = 1) -> PostPage | None:
    this = URIRef(iri)
    head = run(store, "post", this=this)
    if not head:
        return None
    holders = [Holder(lk.link(r["person"], r["name"]), fmt_date(r["first"]), fmt_date(r["last"]), n(r["articles"]) or 0)
               for r in run(store, "post_holders", this=this)]
    return PostPage(iri, s(first_value(head, "label")) or L.local_name(iri), lk.link(first_value(head, "org"),
                    first_value(head, "orgName")), holders)


