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
from kg.web.pages.paging import PAGE_SIZE, Paging, make_paging
from kg.web.pages.queries import run


@dataclass
class PostPage:
    iri: str
    label: str
    org: Link | None
    holders: list[Holder]
    holders_paging: Paging | None = None
    kind: str = "post"


def post(store: Store, lk: Linker, iri: str, page: int = 1,
         lists: dict[str, int] | None = None) -> PostPage | None:
    """The post page; ``lists["holders_page"]`` pages the holders (earliest first)."""
    lists = lists or {}
    this = URIRef(iri)
    head = run(store, "post", this=this)
    if not head:
        return None
    paging = make_paging(n(run(store, "post_holders_count", this=this)[0]["n"]) or 0,
                         lists.get("holders_page", 1), PAGE_SIZE, "holders_page")
    rows = run(store, "post_holders", limit=paging.size, offset=paging.offset, this=this) if paging.total else []
    holders = [Holder(lk.link(r["person"], r["name"]), fmt_date(r["first"]), fmt_date(r["last"]), n(r["articles"]) or 0)
               for r in rows]
    return PostPage(iri, s(first_value(head, "label")) or L.local_name(iri), lk.link(first_value(head, "org"),
                    first_value(head, "orgName")), holders, paging)


