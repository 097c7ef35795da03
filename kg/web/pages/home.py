"""The home page: counts per class, the quad count, recent events and articles."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from kg.store.base import Store
from kg.web.pages import labels as L
from kg.web.pages.common import (
    Linker,
    fmt_date,
    lookup,
    n,
    name_in,
    s,
)
from kg.web.pages.lists import ArticleRef, EventRef
from kg.web.pages.queries import Row, run, values_of

BROWSE_CLASSES = {L.SCHEMA + "Person": "/browse/person", L.SCHEMA + "Organization": "/browse/organization",
                  L.SCHEMA + "Event": "/browse/event", L.ORG + "Post": "/browse/post",
                  L.SCHEMA + "Place": "/browse/place", L.SCHEMA + "NewsArticle": "/browse/article"}


@dataclass
class ClassCount:
    cls: str
    label: L.Label
    count: int

    @property
    def browse(self) -> str | None:
        """The index page listing this class's entities (``/browse/person`` …), for the main class of a kind;
        None for the others (subclasses, ontology classes), which the editor lists."""
        return BROWSE_CLASSES.get(self.cls)

    @property
    def query(self) -> str:
        """A query listing instances of this class with their names (linked from the home page)."""
        return (f"# Every {self.label.en} ({self.label.zh}), with its name\n"
                "PREFIX schema: <https://schema.org/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\n"
                f"SELECT ?s (SAMPLE(?n) AS ?name)\nWHERE {{\n  GRAPH ?g {{ ?s a <{self.cls}> .\n"
                "    OPTIONAL { ?s schema:name|rdfs:label|schema:headline ?n } }\n}\n"
                "GROUP BY ?s\nORDER BY ?name\nLIMIT 500\n")


@dataclass
class HomePage:
    quads: int
    counts: list[ClassCount]
    events: list[EventRef]
    articles: list[ArticleRef]
    counting: bool = False  # class counts still being computed (large stores)
    kind: str = "home"


HOME_ROWS = 12


def recent_articles(store: Store) -> list[Row]:
    """The HOME_ROWS newest articles, ties by IRI (the same rows as home_articles_all.rq): the dates of
    the newest, then every article of those dates."""
    dated = run(store, "home_articles")
    dates = values_of(dated, "date")
    if len(dated) < HOME_ROWS:
        return run(store, "home_articles_all")
    order = {s(d): i for i, d in enumerate(dates)}
    rows = sorted(run(store, "home_articles_on", dates=dates), key=lambda r: (order[s(r["date"])], s(r["article"])))
    if len(rows) < HOME_ROWS:  # something other than an article had a date
        return run(store, "home_articles_all")
    return rows[:HOME_ROWS]


SYNC_COUNT_LIMIT = 200_000  # quads; above this, class counts are computed in the background
QUAD_COUNT_TTL = 30.0  # seconds a slow quad count is reused
SLOW_COUNT = 0.02  # seconds: a count slower than this is cached


class StoreCounts:
    """The home page's figures of one store: the quad count and the entities per class, with the
    threads that recount them. Owned by the store's ``Pages`` (it lives as long as the store is served),
    so nothing is keyed by ``id(store)`` and nothing outlives the store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lock = threading.Lock()
        self.classes: dict[int, list[Row]] = {}  # quad count -> rows (the latest only: see class_counts)
        self.classes_running: set[int] = set()
        self.quads: tuple[int, float, float] | None = None  # (count, when, took)
        self.quads_running = False

    def class_counts(self, quads: int | None = None) -> list[Row] | None:
        """Entities per class. The count scans every type triple of the union graph, which takes minutes
        on a store of 100k articles: small stores count at once, large ones in a background thread (one
        per store size), and the home page says so until the figures are ready. Counts of an earlier size
        are dropped once a newer one is ready."""
        key = self.quad_count() if quads is None else quads
        with self.lock:
            if key in self.classes:
                return self.classes[key]
            if key <= SYNC_COUNT_LIMIT:
                self.classes = {key: run(self.store, "home_counts")}
                return self.classes[key]
            if key in self.classes_running:
                return None
            self.classes_running.add(key)

        def work() -> None:
            try:
                rows = run(self.store, "home_counts")
                with self.lock:
                    self.classes = {key: rows}
            finally:
                with self.lock:
                    self.classes_running.discard(key)

        threading.Thread(target=work, name="home-class-counts", daemon=True).start()
        return None

    def quad_count(self) -> int:
        """The store's quad count for the home page. Oxigraph counts by scanning every quad (150 ms at 1M
        quads), so a count that took more than SLOW_COUNT seconds is reused for QUAD_COUNT_TTL seconds and
        then recounted in a background thread while the last figure is shown; small stores count on
        every request."""
        now = time.monotonic()
        with self.lock:
            hit = self.quads
            if hit is not None and hit[2] >= SLOW_COUNT:
                if now - hit[1] >= QUAD_COUNT_TTL and not self.quads_running:
                    self.quads_running = True
                    threading.Thread(target=self._recount, name="home-quad-count", daemon=True).start()
                return hit[0]
        return self._recount()

    def _recount(self) -> int:
        t = time.monotonic()
        try:
            c = self.store.quad_count()
            with self.lock:
                self.quads = (c, time.monotonic(), time.monotonic() - t)
            return c
        finally:
            with self.lock:
                self.quads_running = False


def home(store: Store, lk: Linker, counts: StoreCounts | None = None) -> HomePage:
    """The home page; ``counts`` keeps the slow figures between requests (a fresh one counts anew)."""
    counts = counts or StoreCounts(store)
    quads = counts.quad_count()
    rows = counts.class_counts(quads)
    counts = [ClassCount(s(r["class"]), L.label(s(r["class"])), n(r["n"]) or 0) for r in rows or []]
    ev_rows, art_rows = run(store, "home_events"), recent_articles(store)
    info = lookup(store, values_of(ev_rows, "event") + values_of(art_rows, "article"))
    events = [EventRef(lk.link(r["event"], name_in(info, r["event"])), fmt_date(r["date"]), [])  # type: ignore[arg-type]
              for r in ev_rows]
    arts = [ArticleRef(lk.link(r["article"], name_in(info, r["article"])), fmt_date(r["date"]))  # type: ignore[arg-type]
            for r in art_rows]
    return HomePage(quads, counts, events, arts, counting=rows is None)


