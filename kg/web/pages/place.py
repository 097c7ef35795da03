"""The place page: events held there and articles."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kg.store.base import Store
from kg.web.pages import labels as L
from kg.web.pages.common import (
    Linker,
    first_value,
    fmt_date,
    n,
    s,
)
from kg.web.pages.lists import ArticleRef, EventRef, article_list
from kg.web.pages.paging import PAGE_SIZE, Dated, Paging, keep_together, make_paging, year_jumps
from kg.web.pages.queries import run


@dataclass
class PlacePage:
    iri: str
    name: str
    events: list[EventRef]
    articles: list[ArticleRef]
    articles_paging: Paging
    events_paging: Paging | None = None
    kind: str = "place"


def place(store: Store, lk: Linker, iri: str, page: int = 1,
          lists: dict[str, int] | None = None) -> PlacePage | None:
    """The place page. ``page`` pages the articles (``?page=``), ``lists["events_page"]`` the events."""
    lists = lists or {}
    this = URIRef(iri)
    rows = run(store, "place", this=this)
    epaging = make_paging(n(run(store, "place_events_count", this=this)[0]["n"]) or 0,
                          lists.get("events_page", 1), PAGE_SIZE, "events_page")
    if not rows and not epaging.total:
        return None
    year_jumps(store, "place_events", epaging, this=this)
    erows = run(store, "place_events", limit=epaging.size, offset=epaging.offset, this=this) if epaging.total else []
    events = [EventRef(lk.link(r["event"], r["eventName"]), fmt_date(r["date"]), [])  # type: ignore[arg-type]
              for r in erows]
    arts, apaging = article_list(store, lk, this, page, Dated(store))
    keep_together(epaging, apaging)
    return PlacePage(iri, s(first_value(rows, "name")) or L.local_name(iri), events, arts, apaging, epaging)


