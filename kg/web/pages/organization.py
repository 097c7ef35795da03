"""The organisation page: names, kind, posts and holders, events, grants, articles."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kg.store.base import Store
from kg.web.pages import labels as L
from kg.web.pages.common import (
    Linker,
    all_values,
    first_value,
    fmt_date,
    n,
    s,
    types_of,
)
from kg.web.pages.lists import ArticleRef, EventRef, Grant, Holder, PostHolders, article_list, grant_list
from kg.web.pages.paging import PAGE_SIZE, Dated, Paging, keep_together, make_paging, year_jumps
from kg.web.pages.queries import run


@dataclass
class OrganizationPage:
    iri: str
    name: str
    alternate_names: list[str]
    org_kind: str
    types: list[L.Label]
    posts: list[PostHolders]
    events: list[EventRef]
    grants: list[Grant]
    articles: list[ArticleRef]
    articles_paging: Paging
    events_paging: Paging | None = None
    grants_paging: Paging | None = None
    kind: str = "organization"


def _how_label(h: str) -> str:
    return str(L.label(h)) if h.startswith("http") else h


def organization(store: Store, lk: Linker, iri: str, page: int = 1,
                 lists: dict[str, int] | None = None) -> OrganizationPage | None:
    """The organisation page. ``page`` pages the articles (``?page=``), ``lists["events_page"]`` the
    events, each to its end."""
    lists = lists or {}
    this = URIRef(iri)
    head = run(store, "organization", this=this)
    types = types_of(head)
    if L.SCHEMA + "Organization" not in types:
        return None
    posts: dict[str, PostHolders] = {}
    for r in run(store, "organization_posts", this=this):
        ph = posts.setdefault(s(r["post"]), PostHolders(lk.link(r["post"], r["label"]), []))  # type: ignore[arg-type]
        if r["person"] is not None:
            ph.holders.append(Holder(lk.link(r["person"], r["name"]), fmt_date(r["first"]), fmt_date(r["last"]),
                                     n(r["articles"]) or 0))
    epaging = make_paging(n(run(store, "organization_events_count", this=this)[0]["n"]) or 0,
                      lists.get("events_page", 1), PAGE_SIZE, "events_page")
    year_jumps(store, "organization_events", epaging, this=this)
    rows = run(store, "organization_events", limit=epaging.size, offset=epaging.offset, this=this) \
        if epaging.total else []
    events = [EventRef(lk.link(r["event"], r["name"]), fmt_date(r["date"]),  # type: ignore[arg-type]
                       [_how_label(h) for h in s(r["hows"]).split()])
              for r in rows]
    arts, apaging = article_list(store, lk, this, page, Dated(store))
    grants, gpaging = grant_list(store, lk, this, lists.get("grants_page", 1))
    keep_together(epaging, apaging, gpaging)
    return OrganizationPage(iri, s(first_value(head, "name")) or L.local_name(iri), all_values(head, "alt"),
                            s(first_value(head, "kind")), [L.label(t) for t in types], list(posts.values()), events,
                            grants, arts, apaging, epaging, gpaging)


