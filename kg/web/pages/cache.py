"""Answers of slow page queries, kept until the store is written.

Why: the page of a much-mentioned person (a city's mayor: thousands of participations at 1M quads)
runs queries that read all of them, hundreds of milliseconds each time, for answers that only change
when the store does. Only a store that counts its own writes (``generation``: the embedded store, whose
serving process is its only writer) is cached; a remote store, which others may write, never is.
Quick answers (under 5 ms) are not kept, nor long ones, unless the caller asks (``quick``: a page's few
small answers it would otherwise ask again on every view, as the names of each IRI are kept); the rows
kept per store are bounded (memory).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable

from rdflib.term import Node

Row = dict[str, Node | None]

MAX_ENTRIES = 4096  # answers kept per store (least recently used go first)
MAX_TOTAL_ROWS = 50_000  # and rows in all (a row is a few hundred bytes: tens of MiB at most)
MIN_SECONDS = 0.005  # an answer computed faster than this is not kept
MAX_ROWS = 5_000  # nor one longer than this


class QueryCache:
    """Least-recently-used answers of one store, keyed by query text, valid for one generation."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation: int | None = None
        self.entries: OrderedDict[str, list[Row]] = OrderedDict()
        self.rows_kept = 0
        self.hits = 0

    def rows(self, generation: int, text: str, compute: Callable[[], list[Row]], quick: bool = False) -> list[Row]:
        """The kept answer to ``text``, or ``compute()``'s, kept if it took ``MIN_SECONDS`` or more (or
        ``quick``: whatever it took)."""
        got = self.get(generation, text)
        if got is not None:
            return got
        t0 = time.perf_counter()
        rows = compute()
        if quick or time.perf_counter() - t0 >= MIN_SECONDS:
            self.put(generation, text, rows)
        return rows

    def get(self, generation: int, key: str) -> list[Row] | None:
        """A kept value (a copy: callers may change their rows), or None."""
        with self.lock:
            if generation != self.generation:
                self._drop()
                self.generation = generation
            got = self.entries.get(key)
            if got is None:
                return None
            self.entries.move_to_end(key)
            self.hits += 1
            return [dict(r) for r in got]

    def put(self, generation: int, key: str, rows: list[Row]) -> None:
        """Keep ``rows`` under ``key`` if the store is still at ``generation`` (not written meanwhile)."""
        with self.lock:
            if generation == self.generation and key not in self.entries and len(rows) <= MAX_ROWS:
                self.entries[key] = [dict(r) for r in rows]
                self.rows_kept += len(rows)
                while len(self.entries) > MAX_ENTRIES or self.rows_kept > MAX_TOTAL_ROWS:
                    self.rows_kept -= len(self.entries.popitem(last=False)[1])

    def _drop(self) -> None:
        self.entries.clear()
        self.rows_kept = 0

    def clear(self) -> None:
        with self.lock:
            self._drop()


_caches: weakref.WeakKeyDictionary[object, QueryCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_for(store: object) -> QueryCache | None:
    """The cache of ``store``, or None if its answers cannot be kept (it does not count its writes)."""
    if not isinstance(getattr(store, "generation", None), int):
        return None
    with _caches_lock:
        c = _caches.get(store)
        if c is None:
            c = _caches[store] = QueryCache()
        return c


def cached_rows(store: object, text: str, compute: Callable[[], list[Row]], quick: bool = False) -> list[Row]:
    """``compute()``'s rows, or the kept answer to ``text`` if the store has not been written since
    (``quick``: kept however fast it was computed)."""
    c = cache_for(store)
    if c is None:
        return compute()
    return c.rows(store.generation, text, compute, quick)  # type: ignore[attr-defined]
