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
    s,
)
from kg.web.pages.lists import ArticleRef, EventRef, article_list
from kg.web.pages.paging import Dated, Paging
from kg.web.pages.queries import run


@dataclass
class PlacePage:
    iri: str
    name: str
    events: list[EventRef]
    articles: list[ArticleRef]
    articles_paging: Paging
    kind: str = "place"


def place(store: Store, lk: Linker, iri: str, page: int = 1) -> PlacePage | None:
    this = URIRef(iri)
    rows = run(store, "place", this=this)
    if not rows:
        return None
    events = [EventRef(lk.link(r["event"], r["eventName"]), fmt_date(r["date"]), [])  # type: ignore[arg-type]
              for r in rows if r["event"] is not None]
    arts, apaging = article_list(store, lk, this, page, Dated(store))
    return PlacePage(iri, s(first_value(rows, "name")) or L.local_name(iri), events, arts, apaging)


