"""Paged lists: where a list stands and how to reach its other pages (``Paging``), and the
newest-first strategy for the long lists of busy entities (``Dated``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from rdflib.term import Node

from kg.store.base import Store
from kg.web.pages.cache import cached_rows
from kg.web.pages.common import PAGE_SIZE, n, s
from kg.web.pages.queries import Row, bind, load, run, values_of


@dataclass
class YearJump:
    """A year of a list sorted newest first: how many rows it holds and the page where it starts."""

    year: str
    count: int
    page: int


@dataclass
class Paging:
    """Where a paged list stands, and how to reach its other pages.

    ``param`` is the list's own query parameter, so that two lists on one page page separately (the
    person page's statements, timeline and articles); ``keep`` holds the other lists' current pages,
    which every link of this pager carries along, so that paging one list does not reset another."""

    page: int
    total: int
    size: int = PAGE_SIZE
    param: str = "page"
    keep: dict[str, int] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)  # filters and sort, carried by every link (index pages)
    years: list[YearJump] = field(default_factory=list)  # where each year starts (dated lists of several pages)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def first_row(self) -> int:
        """1-based number of the first row shown (0 for an empty list)."""
        return min(self.total, self.offset + 1)

    @property
    def last_row(self) -> int:
        return min(self.total, self.offset + self.size)

    def href(self, page: int) -> str:
        """The query string of ``page`` of this list (page 1 and the others' page 1 left out)."""
        args: dict[str, int | str] = {k: v for k, v in self.keep.items() if v > 1 and k != self.param}
        args.update(self.extra)
        if page > 1:
            args[self.param] = page
        return "?" + urlencode(sorted(args.items())) if args else "?"

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and ``around`` either side of the current page;
        None where pages are left out (shown as …). Every page stays reachable in a few steps, and
        the jump form reaches any page at once."""
        want = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        shown = sorted(p for p in want if 1 <= p <= self.pages)
        out: list[int | None] = []
        prev = 0
        for p in shown:
            if prev and p - prev > 1:
                out.append(None)
            out.append(p)
            prev = p
        return out


def year_jumps(store: Store, query: str, paging: Paging, **values: Any) -> None:
    """Set ``paging.years``: for a list of several pages ordered by ``?date`` newest first (the page query
    ``query``), the years it covers, their rows and the page each starts on, so a reader jumps to 2019
    instead of paging through 2020. The list's own query, grouped by year (kept by the query cache)."""
    if paging.pages <= 1 or _whole.get() == paging.param:
        return
    text = bind(load(query), values)
    head = [ln for ln in text.splitlines() if ln.startswith("PREFIX")]
    body = [ln for ln in text.splitlines()
            if not ln.startswith(("PREFIX", "#", "ORDER BY", "LIMIT")) and ln.strip()]
    grouped = "\n".join([*head, "SELECT ?y (COUNT(*) AS ?n) WHERE {", "{", *body, "}",
                         "BIND(SUBSTR(STR(?date), 1, 4) AS ?y)", "}", "GROUP BY ?y", "ORDER BY DESC(?y)"])
    before, out = 0, []
    for r in cached_rows(store, grouped, lambda: list(store.query(grouped).rows())):
        count, year = n(r["n"]) or 0, s(r.get("y"))
        if len(year) == 4 and year.isdigit():
            out.append(YearJump(year, count, before // paging.size + 1))
        before += count
    paging.years = out


MAX_WHOLE = 100_000  # rows of one list downloaded whole (CSV, JSON): beyond, the download says it stopped
_whole: ContextVar[str | None] = ContextVar("whole_list", default=None)


@contextlib.contextmanager
def whole(param: str) -> Iterator[None]:
    """Within this block the list paged by ``param`` is one page holding all its rows (up to MAX_WHOLE):
    a download of one list runs the page's own view, so the file has the rows the pages show."""
    token = _whole.set(param)
    try:
        yield
    finally:
        _whole.reset(token)


def make_paging(total: int, page: int, size: int = PAGE_SIZE, param: str = "page") -> Paging:
    """Where page ``page`` of a list of ``total`` rows stands (out-of-range pages: the nearest one)."""
    if _whole.get() == param:
        page, size = 1, max(1, min(total, MAX_WHOLE))
    p = Paging(1, total, size, param)
    p.page = min(max(1, page), p.pages)
    return p


def keep_together(*pagings: Paging) -> None:
    """Let each pager's links keep the other lists' current pages."""
    for p in pagings:
        p.keep = {q.param: q.page for q in pagings if q is not p}

BUSY_ROWS = 500  # a list longer than this may be read newest-first from the store's latest dates
MAX_SCAN = 1000  # … reading at most this many of them (beyond, sorting the entity's own rows is cheaper)
MIN_GAIN = 2  # … and at first at most 1/MIN_GAIN as many dates as the entity has rows


class Dated:
    """Lists of a busy entity (hundreds of participations, statements or articles) read newest first
    from the store's latest dates rather than sorted from all of the entity's rows (see newest_first)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._totals: dict[str, int] | None = None
        self._latest: dict[str, list[Row]] = {}  # what -> the longest list of latest dates read
        self._read: dict[str, int] = {}  # what -> the LIMIT it was read with

    def total(self, what: str) -> int:
        """How many dated events or articles the store holds (dated_counts.rq, once per page)."""
        if self._totals is None:
            r = run(self.store, "dated_counts")[0]
            self._totals = {"events": n(r["events"]) or 0, "articles": n(r["articles"]) or 0}
        return self._totals[what]

    def latest(self, what: str, k: int) -> list[Row]:
        """The ``k`` latest dated events or articles (a prefix of a longer list read before serves: any
        prefix of a list sorted by date is the same query with a smaller LIMIT)."""
        have = self._latest.get(what)
        if have is None or (len(have) < k and len(have) == self._read.get(what)):
            have = self._latest[what] = run(self.store, f"dated_{what}", limit=k)
            self._read[what] = k
        return have[:k]

    def newest_first(self, what: str, query: str, need: int, rows_total: int, tie: tuple[str, ...],
                     **values: Any) -> list[Row] | None:
        """The first ``need`` rows of ``query`` (bound to ``values``), ordered by date, newest first,
        ties by ``tie`` -- the order of the entity's own query, exactly -- read from the store's
        latest dated ``what`` (events or articles; ``dated_*.rq``, one pattern sorted by date alone)
        and kept when ``query`` finds the entity among them (``$items``). Rows dated after the last
        date read are complete; when fewer than ``need`` are, four times as many dates are read.

        None when that would mean reading more than MAX_SCAN dates or, at first, more than 1/MIN_GAIN
        as many as the entity has rows (sorting its own rows is then as cheap), or when undated rows are needed: the
        caller then runs its ordinary query. ``rows_total`` (the entity's rows in all) tells how far
        to read at first."""
        if need <= 0:
            return []
        share = rows_total / max(1, self.total(what))
        k = max(100, int(need / max(share, 1e-9) * 1.5) + 1)
        if k * MIN_GAIN > rows_total:
            return None
        key = "event" if what == "events" else "article"
        while k <= MAX_SCAN:
            base = self.latest(what, k)
            rank: dict[Node, int] = {}
            for r in base:
                rank.setdefault(r["date"], len(rank))  # type: ignore[index]
            complete = len(base) < k
            cut = len(rank) if complete or not base else rank[base[-1]["date"]]  # type: ignore[index]
            rows = [r for r in run(self.store, query, items=values_of(base, key), **values)
                    if r.get("date") in rank and rank[r["date"]] < cut]  # type: ignore[index]
            if len(rows) >= need:
                rows.sort(key=lambda r: (rank[r["date"]], *(s(r.get(k)) for k in tie)))  # type: ignore[index]
                return rows
            if complete or k >= MAX_SCAN:
                return None
            k = min(4 * k, MAX_SCAN)
        return None

