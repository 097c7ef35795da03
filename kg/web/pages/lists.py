"""The lists several pages show: articles about an entity, grants, and the rows naming events and
post holders."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import URIRef
from rdflib.term import Node

from kg.store.base import Store
from kg.web.pages import labels as L
from kg.web.pages.common import (
    Link,
    Linker,
    Lookup,
    first,
    fmt_date,
    fmt_yuan,
    local_nodes,
    lookup,
    n,
    name_in,
    s,
    to_decimal,
)
from kg.web.pages.paging import BUSY_ROWS, PAGE_SIZE, Dated, Paging, make_paging, year_jumps
from kg.web.pages.queries import Row, run, values_of


@dataclass
class ArticleRef:
    link: Link
    date: str
    hows: list[str] = field(default_factory=list)


def article_list(store: Store, lk: Linker, this: URIRef, page: int = 1, dated: Dated | None = None,
              total: int | None = None, newest: list[Row] | None = None,
              look: Lookup | None = None, param: str = "page") -> tuple[list[ArticleRef], Paging]:
    """One page of the articles about ``this``; for a busy entity (``dated``) read newest first, from
    ``newest`` (mentioned_in_at.rq rows already read newest first) when the page is among them."""
    if total is None:
        total = n(run(store, "mentioned_in_count", this=this)[0]["n"]) or 0
    paging = make_paging(total, page, PAGE_SIZE, param)
    year_jumps(store, "mentioned_in", paging, this=this)
    rows = None
    if newest is not None and paging.offset + paging.size <= len(newest):
        rows = newest
    elif dated is not None and total > BUSY_ROWS:
        rows = dated.newest_first("articles", "mentioned_in_at", min(total, paging.offset + paging.size), total,
                                  ("article",), this=this)
    if rows is not None:
        rows = rows[paging.offset:paging.offset + paging.size]
    else:
        rows = run(store, "mentioned_in", limit=paging.size, offset=paging.offset, this=this)
    info = (look or Lookup(store))(values_of(rows, "article"))
    out = [ArticleRef(lk.link(r["article"], name_in(info, r["article"])), fmt_date(r["date"]),  # type: ignore[arg-type]
                      byline(s(r["hows"]).split()))
           for r in rows]
    return out, paging  # type: ignore[arg-type]


def byline(hows: list[str]) -> list[str]:
    """How an article names an entity, the byline as printed: a reporter (记者) or correspondent (通讯员)
    is also ``schema:author``, which then says nothing more and is left out."""
    found = set(hows)
    if found & {"reporter", "correspondent"}:
        found.discard("author")
    return sorted(found)


@dataclass
class Grant:
    how: str
    value: Decimal
    amount: str
    text: str
    purpose: str
    recipient: Link | None
    funder: Link | None
    event: Link | None
    article: Link | None
    evidence: str


def grant_list(store: Store, lk: Linker, this: URIRef, page: int = 1) -> tuple[list[Grant], Paging]:
    """One page of the grants ``this`` received, funded or hosted (largest amount first, ``?grants_page=``)."""
    paging = make_paging(n(run(store, "grants_count", this=this)[0]["n"]) or 0, page, PAGE_SIZE, "grants_page")
    rows = run(store, "grants", limit=paging.size, offset=paging.offset, this=this) if paging.total else []
    grants = local_nodes(store, values_of(rows, "grant"))
    amounts = local_nodes(store, [a for g in grants.values() for a in g.get(L.SCHEMA + "amount", [])])
    parties = [x for g in grants.values() for p in (L.KG + "recipient", L.SCHEMA + "funder", L.KG + "grantedAt")
               for x in g.get(p, [])]
    info = lookup(store, parties + values_of(rows, "article"))
    out = []
    for r in rows:
        g = grants.get(s(r["grant"]), {})
        amount = first(grants, r["grant"], L.SCHEMA + "amount")
        a = amounts.get(s(amount), {})

        def one(node: dict[str, list[Node]], prop: str) -> Node | None:
            vals = node.get(prop, [])
            return vals[0] if vals else None

        recipient, funder, event = (one(g, L.KG + "recipient"), one(g, L.SCHEMA + "funder"), one(g, L.KG + "grantedAt"))
        value = one(a, L.SCHEMA + "value")
        out.append(Grant(s(r["how"]), to_decimal(value), fmt_yuan(value), s(one(a, L.KG + "amountText")),
                         s(one(g, L.KG + "purpose")), lk.link(recipient, name_in(info, recipient)),
                         lk.link(funder, name_in(info, funder)), lk.link(event, name_in(info, event)),
                         lk.link(r["article"], name_in(info, r["article"])), s(one(a, L.KG + "evidence"))))
    return out, paging


@dataclass
class Holder:
    person: Link | None
    first: str
    last: str
    articles: int


@dataclass
class PostHolders:
    post: Link
    holders: list[Holder]


@dataclass
class EventRef:
    link: Link
    date: str
    hows: list[str]


